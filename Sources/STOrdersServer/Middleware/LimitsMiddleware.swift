import Hummingbird
import STOrders

/// The request's time limit and its body's size limit. The body is read here, whole, up to the
/// limit (the API takes small JSON or form bodies), so a route never meets a partial body and a
/// client sending slowly runs into the time limit. A document's upload may be as large as a
/// document may be (`Document.maximumSize`, 16 MiB) when the configured limit is smaller.
struct LimitsMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let maxBodyBytes: Int
    let timeout: Duration

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let limit = Self.limit(of: request, configured: maxBodyBytes)
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > limit {
            throw APIError.bodyTooLarge(limit: limit)
        }
        return try await withoutActuallyEscaping(next) { next in
            // The task group below ends only when both of its tasks have: `next` does not outlive this call.
            nonisolated(unsafe) let next = next
            return try await withThrowingTaskGroup(of: Outcome.self) { group in
                group.addTask {
                    do {
                        var request = request
                        do {
                            _ = try await request.collectBody(upTo: limit)
                        } catch let error as HTTPError where error.status == .contentTooLarge {
                            throw APIError.bodyTooLarge(limit: limit)
                        }
                        return .answered(.success(try await next(request, context)))
                    } catch {
                        return .answered(.failure(error))
                    }
                }
                group.addTask {
                    do {
                        try await Task.sleep(for: timeout)
                        return .timedOut
                    } catch {
                        return .stopped
                    }
                }
                var timedOut = false
                while let outcome = try await group.next() {
                    switch outcome {
                    case .answered(let result):
                        group.cancelAll()
                        switch result {
                        case .success(let response):
                            // Work that finished after the time ran out (a write that was already
                            // running) is answered as done: it was.
                            return response
                        case .failure(let error):
                            if timedOut && !(error is APIError) && !(error is STOrdersError) {
                                throw APIError.timeout()
                            }
                            throw error
                        }
                    case .timedOut:
                        timedOut = true
                        group.cancelAll()
                    case .stopped:
                        continue
                    }
                }
                throw APIError.timeout()
            }
        }
    }

    /// The body limit of `request`: a document's upload (`POST /api/v1/orders/{code}/documents`,
    /// the file as the body) may be as large as a document may be, and the page's form of it
    /// (`POST /orders/{code}/documents/new`, `multipart/form-data`) 64 KiB more for its fields
    /// and framing; every other request has the configured limit.
    static func limit(of request: Request, configured: Int) -> Int {
        guard request.method == .post else { return configured }
        let s = RouteTable.segments(request.uri.path)
        if s.count == 5 && s[0] == "api" && s[1] == "v1" && s[2] == "orders" && s[4] == "documents" {
            return max(configured, Int(Document.maximumSize))
        }
        if s.count == 4 && s[0] == "orders" && s[2] == "documents" && s[3] == "new" {
            return max(configured, Int(Document.maximumSize) + (64 << 10))
        }
        return configured
    }

    enum Outcome: Sendable {
        case answered(Result<Response, any Error>)
        case timedOut
        case stopped
    }
}
