import Hummingbird
import Logging
import NIOCore
import STOrders

/// The server's shared state: the store (opened once), the threads for blocking work, the
/// metrics and the configuration. One per application; every route reads it.
public final class ServerState: Sendable {
    public let store: Store
    public let configuration: ServerConfiguration
    public let metrics: ServerMetrics
    let work: BlockingWork
    let routes: RouteTable
    let limiter: SignInLimiter
    /// The pages' templates and assets, parsed once.
    let pages: PageRenderer

    init(store: Store, configuration: ServerConfiguration, pages: PageRenderer) {
        self.store = store
        self.configuration = configuration
        self.metrics = ServerMetrics()
        self.work = BlockingWork(
            databaseThreads: configuration.databaseThreads, passwordThreads: configuration.passwordThreads)
        self.routes = RouteTable()
        self.limiter = SignInLimiter()
        self.pages = pages
    }

    /// Runs a read (or any blocking call) of the store on a database thread.
    func database<T: Sendable>(_ body: @escaping @Sendable (Store) throws -> T) async throws -> T {
        let store = self.store
        return try await work.onDatabase { try body(store) }
    }
}

/// The application type `buildApplication` returns (tests call `.test(.router)` or `.test(.live)` on it).
public typealias StoreServerApplication = Application<RouterResponder<AppRequestContext>>

/// Refusals of a configuration, before anything is opened.
public struct ConfigurationError: Error, CustomStringConvertible, Equatable {
    public let description: String
}

extension ServerConfiguration {
    /// Plain-http cookies only on a loopback address: a session cookie without `Secure` must not
    /// travel a network.
    public func validate() throws {
        if !secureCookies && !Self.isLoopbackHost(host) {
            throw ConfigurationError(
                description:
                    "cookies without Secure are allowed only when listening on a loopback address (127.0.0.1, ::1, localhost), not \(host)"
            )
        }
        if maxBodyBytes < 1 { throw ConfigurationError(description: "the body size limit must be at least 1 byte") }
        if let token = metricsToken, token.count < 16 {
            throw ConfigurationError(description: "the metrics token must be at least 16 characters")
        }
    }

    /// Whether `host` names this machine only.
    public static func isLoopbackHost(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
    }
}

/// Builds the server: opens the store (once), makes the router with its middleware and routes,
/// and the application that serves it. Nothing listens until the application runs.
public func buildApplication(_ configuration: ServerConfiguration) throws -> StoreServerApplication {
    try buildServer(configuration).application
}

/// The application and the state its routes share (tests read the store and the metrics).
public struct StoreServer: Sendable {
    public let application: StoreServerApplication
    public let state: ServerState
}

/// `buildApplication`, keeping the state at hand.
public func buildServer(_ configuration: ServerConfiguration) throws -> StoreServer {
    try configuration.validate()
    let pages = try PageRenderer()
    let store: Store
    let ownsStore: Bool
    switch configuration.database {
    case .path(let path):
        // WAL: readers in a pool beside the one writer, one reader per database thread.
        store = try Store.open(
            path: path, mode: .existing, actor: "storders-server", readers: max(1, configuration.databaseThreads))
        ownsStore = true
    case .store(let given):
        store = given
        ownsStore = false
    }
    let state = ServerState(store: store, configuration: configuration, pages: pages)
    let router = buildRouter(state)
    let application = Application(
        router: router,
        server: .http1(configuration: .init(idleTimeout: TimeAmount(configuration.connectionIdleTimeout))),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
        services: [
            ShutdownService(work: state.work) {
                if ownsStore { store.closeConnection() }
            }
        ],
        onServerRunning: { channel in await configuration.onListening(channel.localAddress?.port ?? configuration.port)
        },
        logger: configuration.logger
    )
    return StoreServer(application: application, state: state)
}

/// The router: the middleware every request passes (outermost first), then the routes.
public func buildRouter(_ state: ServerState) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    router.add(middleware: ObserveMiddleware(metrics: state.metrics))
    router.add(middleware: SecurityHeadersMiddleware())
    router.add(middleware: ErrorMiddleware(routes: state.routes, metrics: state.metrics, pages: state.pages))
    router.add(
        middleware: LimitsMiddleware(
            maxBodyBytes: state.configuration.maxBodyBytes, timeout: state.configuration.requestTimeout))
    OperationsRoutes(state: state).register(on: router)
    APIRoutes(state: state).register(on: router)
    PageRoutes(state: state).register(on: router)
    state.routes.set(router.routes.map { RouteTable.Route(method: $0.method, pattern: $0.path.description) })
    return router
}

extension TimeAmount {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
