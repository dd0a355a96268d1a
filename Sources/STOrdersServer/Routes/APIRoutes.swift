import Hummingbird
import STOrders

/// The JSON API under `/api/v1`. Each handler reads its input, asks the library's `Access`
/// policy (the one definition of who may do what), calls one library operation on a database
/// thread, writing as the signed-in account, and answers with the library's shape.
struct APIRoutes {
    let state: ServerState

    func register(on router: Router<AppRequestContext>) {
        let api = router.group("api/v1")
        // Open to anyone.
        api.get("openapi.json") { _, _ in OpenAPIDocument.response() }
        SessionRoutes(state: state).registerSignIn(on: api)
        // Everything else needs an account.
        let signedIn = api.group().add(middleware: AuthenticationMiddleware(state: state))
        SessionRoutes(state: state).register(on: signedIn)
        EnterpriseRoutes(state: state).register(on: signedIn)
        OrderRoutes(state: state).register(on: signedIn)
        DeadlineRoutes(state: state).register(on: signedIn)
        ProcessRoutes(state: state).register(on: signedIn)
        AdvanceRoutes(state: state).register(on: signedIn)
        ReportRoutes(state: state).register(on: signedIn)
        AuditorRoutes(state: state).register(on: signedIn)
        AccountRoutes(state: state).register(on: signedIn)
        ChangeRoutes(state: state).register(on: signedIn)
    }
}

/// What every group of routes shares: the state, the policy checks and the answers.
protocol RouteGroup {
    var state: ServerState { get }
}

extension RouteGroup {
    /// Refuses unless the policy allows: `.notFound` answers as `missing` would (the record does
    /// not exist for this caller), `.forbidden` is 403.
    static func check(_ access: Access, else missing: @autoclosure () -> STOrdersError) throws {
        switch access {
        case .allowed: return
        case .notFound: throw missing()
        case .forbidden: throw APIError.forbidden()
        }
    }

    /// Runs `body` on a database thread once the policy allows `capability` on the order `code`,
    /// with a store that writes as the account.
    func onOrder<T: Sendable>(
        _ context: AppRequestContext, _ capability: Capability, _ code: String,
        _ body: @escaping @Sendable (Store) throws -> T
    ) async throws -> T {
        let account = try context.requireAccount()
        return try await state.database { store in
            let scope = try store.orderScope(code: code)
            try Self.check(account.access(capability, order: scope), else: .unknownOrder(code: code))
            return try body(try store.acting(as: account.login))
        }
    }

    /// Refuses unless the account's role may do `capability` at all.
    func require(_ capability: Capability, _ context: AppRequestContext) throws -> Account {
        let account = try context.requireAccount()
        guard account.access(capability) == .allowed else { throw APIError.forbidden() }
        return account
    }

    func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        jsonResponse(value.serialized(indent: nil), status: status)
    }
}

extension Parameters {
    /// A path parameter that is a positive number (an output's, a payment's, a result's), or nil.
    func number(_ name: String) -> Int? {
        guard let text = self.get(name), let n = Int(text), n > 0 else { return nil }
        return n
    }

    func text(_ name: String) throws -> String {
        guard let value = self.get(name) else { throw APIError.noRoute() }
        return value
    }
}
