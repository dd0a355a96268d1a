import Dispatch
import Hummingbird
import NIOConcurrencyHelpers
import STOrders

/// GET /verify and GET /export: the whole file's checks, and the whole file streamed.
struct AuditorRoutes: RouteGroup {
    let state: ServerState

    func register(on api: RouterGroup<AppRequestContext>) {
        api.get("verify") { _, context in try await verify(context) }
        api.get("export") { _, context in try export(context) }
    }

    /// `storders verify --json`'s report (the database named by its file name only).
    func verify(_ context: AppRequestContext) async throws -> Response {
        _ = try require(.verify, context)
        let verification = try await state.database { store in try store.verify() }
        let name = state.store.path.split(separator: "/").last.map(String.init) ?? state.store.path
        return json(Shape.verification(verification, database: name))
    }

    /// The export in JSON Lines, streamed as the database thread reads it: a few chunks are held
    /// at most, and the reading waits while the client is slow.
    func export(_ context: AppRequestContext) throws -> Response {
        _ = try require(.export, context)
        let work = state.work
        let store = state.store
        var headers = HTTPFields()
        headers[.contentType] = "application/x-ndjson; charset=utf-8"
        return Response(
            status: .ok, headers: headers,
            body: ResponseBody { writer in
                let pipe = ChunkPipe(capacity: 8)
                async let exported: Void = work.onDatabase {
                    defer { pipe.finish() }
                    _ = try store.export(format: .jsonl, sink: { chunk in try pipe.put(chunk) })
                }
                do {
                    for await chunk in pipe.chunks {
                        try await writer.write(ByteBuffer(bytes: chunk))
                        pipe.taken()
                    }
                } catch {
                    pipe.cancel()
                    try? await exported
                    throw error
                }
                try await exported
                try await writer.finish(nil)
            })
    }
}

/// Hands chunks from a database thread (which blocks when `capacity` are waiting) to the task
/// writing the response.
final class ChunkPipe: Sendable {
    let chunks: AsyncStream<[UInt8]>
    private let continuation: AsyncStream<[UInt8]>.Continuation
    private let slots: DispatchSemaphore
    private let cancelled = NIOLockedValueBox(false)

    init(capacity: Int) {
        (chunks, continuation) = AsyncStream.makeStream(of: [UInt8].self)
        slots = DispatchSemaphore(value: capacity)
    }

    /// Called on the database thread: waits for room, then passes the chunk on.
    func put(_ chunk: [UInt8]) throws {
        slots.wait()
        if cancelled.withLockedValue({ $0 }) { throw CancellationError() }
        continuation.yield(chunk)
    }

    func taken() { slots.signal() }

    func finish() { continuation.finish() }

    /// The client went away: the database thread stops at its next chunk.
    func cancel() {
        cancelled.withLockedValue { $0 = true }
        slots.signal()
        continuation.finish()
    }
}
