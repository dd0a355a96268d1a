import NIOPosix
import ServiceLifecycle

/// Threads for blocking work, so the event loops only ever wait on sockets: one pool runs the
/// database's calls (SQLite blocks), a second the password checks (bcrypt takes a quarter of a
/// second on purpose), so a burst of sign-ins cannot hold up reading orders.
public final class BlockingWork: Sendable {
    let database: NIOThreadPool
    let passwords: NIOThreadPool

    init(databaseThreads: Int, passwordThreads: Int) {
        database = NIOThreadPool(numberOfThreads: max(1, databaseThreads))
        passwords = NIOThreadPool(numberOfThreads: max(1, passwordThreads))
        database.start()
        passwords.start()
    }

    /// Runs `body` on a database thread. Waiting for a free thread ends if the request is
    /// cancelled (its time ran out); once running, `body` finishes.
    func onDatabase<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await database.runIfActive(body)
    }

    /// Runs `body` (a password check) on a thread of its own pool.
    func onPasswords<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await passwords.runIfActive(body)
    }

    func shutdown() async {
        try? await database.shutdownGracefully()
        try? await passwords.shutdownGracefully()
    }
}

/// Stops the pools (and closes the database the server opened) once the server has finished:
/// listed before the HTTP server among the application's services, it is shut down after it,
/// when the requests in flight have been answered.
struct ShutdownService: Service {
    let work: BlockingWork
    let afterwards: @Sendable () -> Void

    func run() async throws {
        try? await gracefulShutdown()
        await work.shutdown()
        afterwards()
    }
}
