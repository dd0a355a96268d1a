import Foundation
import Logging
import STOrders

/// Everything `buildApplication` needs: where the data is, where to listen, and the limits.
/// Tests build one in-process (with a `Store` and a clock of their own); `storders-server`
/// builds one from its flags.
public struct ServerConfiguration: Sendable {
    /// Where the records are.
    public enum Database: Sendable {
        /// A STOrders file (made by `storders init` or `--demo`), opened once when the server starts.
        case path(String)
        /// A store already open (tests: an in-memory or temporary database).
        case store(Store)
    }

    public var database: Database
    /// The address to listen on; loopback by default.
    public var host: String
    /// The TCP port (0: any free port, for tests).
    public var port: Int
    /// Whether session cookies carry `Secure` (sent over https only). Plain http is allowed only
    /// on a loopback address, with `--insecure-cookies-on-loopback`.
    public var secureCookies: Bool
    /// This server's origin as browsers see it (`https://storders.example.vn`), for the CSRF
    /// check; nil: the scheme the cookies imply and the Host the client used.
    public var publicOrigin: String?
    /// When set, `/metrics` also answers a client that is not on loopback and sends
    /// `Authorization: Bearer <token>`.
    public var metricsToken: String?
    /// The largest request body accepted, in bytes; a larger one is refused with 413.
    public var maxBodyBytes: Int
    /// How long one request may take to produce its answer (reading its body included);
    /// past it the answer is 503 `timeout`. A streamed body (the export) is not bounded by it.
    public var requestTimeout: Duration
    /// A connection with nothing to read for this long is closed.
    public var connectionIdleTimeout: Duration
    /// A session unused for this long ends.
    public var sessionIdle: Duration
    /// A session ends this long after sign-in, used or not.
    public var sessionAbsolute: Duration
    /// Threads that run blocking database work (never the event loops').
    public var databaseThreads: Int
    /// Threads that run password checks (bcrypt), apart from the database work.
    public var passwordThreads: Int
    /// The clock: sessions' expiry and the sign-in limiter read it (tests move it).
    public var now: @Sendable () -> Date
    /// Where the one line per request (and the server's own messages) go.
    public var logger: Logger
    /// Called once the server listens, with the port it listens on (useful with port 0).
    public var onListening: @Sendable (_ port: Int) async -> Void
    /// bcrypt's cost for passwords set through the API (accounts made or reset by an admin);
    /// tests lower it.
    public var passwordCost = Store.defaultPasswordCost

    public init(
        database: Database,
        host: String = "127.0.0.1",
        port: Int = 8080,
        secureCookies: Bool = true,
        publicOrigin: String? = nil,
        metricsToken: String? = nil,
        maxBodyBytes: Int = 1 << 20,
        requestTimeout: Duration = .seconds(60),
        connectionIdleTimeout: Duration = .seconds(75),
        sessionIdle: Duration = .seconds(30 * 60),
        sessionAbsolute: Duration = .seconds(12 * 3600),
        databaseThreads: Int = 4,
        passwordThreads: Int = 2,
        now: @escaping @Sendable () -> Date = { Date() },
        logger: Logger = Logger(label: "storders-server"),
        onListening: @escaping @Sendable (_ port: Int) async -> Void = { _ in }
    ) {
        self.database = database
        self.host = host
        self.port = port
        self.secureCookies = secureCookies
        self.publicOrigin = publicOrigin
        self.metricsToken = metricsToken
        self.maxBodyBytes = maxBodyBytes
        self.requestTimeout = requestTimeout
        self.connectionIdleTimeout = connectionIdleTimeout
        self.sessionIdle = sessionIdle
        self.sessionAbsolute = sessionAbsolute
        self.databaseThreads = databaseThreads
        self.passwordThreads = passwordThreads
        self.now = now
        self.logger = logger
        self.onListening = onListening
    }
}
