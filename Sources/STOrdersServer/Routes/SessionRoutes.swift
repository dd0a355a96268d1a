import Foundation
import Hummingbird
import STOrders

/// Sign-in (POST /session), sign-out (DELETE /session) and who am I (GET /me).
struct SessionRoutes: RouteGroup {
    let state: ServerState

    func registerSignIn(on api: RouterGroup<AppRequestContext>) {
        api.post("session") { request, context in try await signIn(request, context) }
    }

    func register(on api: RouterGroup<AppRequestContext>) {
        api.delete("session") { request, context in try await signOut(request, context) }
        api.get("me") { _, context in try me(context) }
    }

    /// `{"login", "password"}` as JSON or a form. A new session (a new id) every time; a session
    /// cookie sent along is ended. Failures slow down per login and per address.
    func signIn(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try checkSignInOrigin(request)
        let fields = try await RequestFields.of(request)
        let (account, session) = try await startSession(
            request, context, login: try fields.requiredString("login"), password: try fields.requiredString("password")
        )
        var response = json(
            Self.account(account, csrfToken: session.csrfToken, expiresAt: session.expiresAt), status: .created)
        response.headers[.setCookie] = sessionCookie(session)
        return response
    }

    /// Signs `login` in: the same-origin check, the limiter, the password, the audit, a new
    /// session (ending the one the request's cookie names). The API's sign-in and the sign-in
    /// page both come here. Refusals: `csrf`, `too_many_attempts` (429), the library's
    /// `authentication_failed` (401).
    func startSession(
        _ request: Request, _ context: AppRequestContext, login: String, password: String
    ) async throws -> (Account, IssuedSession) {
        try checkSignInOrigin(request)
        let address = context.clientAddress
        let now = state.configuration.now()
        if let wait = state.limiter.wait(login: login, address: address, now: now) {
            let recorded = (try? Account.parseLogin(login)) ?? nil
            _ = try? await state.database { store in
                try store.recordAudit(
                    "login_throttled", login: recorded, address: address, detail: "retry after \(wait) s",
                    by: recorded ?? "anonymous")
            }
            var headers = HTTPFields()
            headers[.retryAfter] = String(wait)
            throw APIError(
                .tooManyRequests, code: "too_many_attempts",
                message: "too many failed sign-ins for this login or address; try again in \(wait) seconds",
                headers: headers)
        }
        let account: Account
        do {
            account = try await state.work.onPasswords { [store = state.store] in
                try store.authenticate(login: login, password: password, address: address)
            }
        } catch let error as STOrdersError where error.category == .unauthenticated {
            state.limiter.recordFailure(login: login, address: address, now: state.configuration.now())
            throw error
        }
        state.limiter.recordSuccess(login: login)
        let previous = Session.cookie(request)
        let configuration = state.configuration
        let session = try await state.database { store in
            if let previous { try store.endSession(id: previous, address: address) }
            return try store.startSession(
                for: account, now: now, idle: configuration.sessionIdle.timeInterval,
                absolute: configuration.sessionAbsolute.timeInterval)
        }
        context.notes.login = account.login
        return (account, session)
    }

    /// A cross-site form must not sign a browser in to someone else's account.
    func checkSignInOrigin(_ request: Request) throws {
        if request.headers[.origin] != nil || request.headers[Session.secFetchSite] != nil,
            !AuthenticationMiddleware.sameOrigin(request, state.configuration)
        {
            throw APIError.csrf()
        }
    }

    /// The Set-Cookie value of a new session.
    func sessionCookie(_ session: IssuedSession) -> String {
        Session.settingCookie(
            session.id, maxAge: Int(state.configuration.sessionAbsolute.timeInterval),
            secure: state.configuration.secureCookies)
    }

    func signOut(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        var response = Response(status: .noContent)
        response.headers[.setCookie] = try await endSession(request, context)
        return response
    }

    /// Ends the session the request's cookie names; answers the Set-Cookie value that clears it.
    func endSession(_ request: Request, _ context: AppRequestContext) async throws -> String {
        if let id = Session.cookie(request) {
            let address = context.clientAddress
            try await state.database { store in try store.endSession(id: id, address: address) }
        }
        return Session.clearingCookie(secure: state.configuration.secureCookies)
    }

    func me(_ context: AppRequestContext) throws -> Response {
        json(Self.account(try context.requireAccount(), csrfToken: context.sessionCSRFToken, expiresAt: nil))
    }

    /// An account as `storders user list --json` shows it (the library's one shape), and for a
    /// cookie session the token its forms must carry and when it ends.
    static func account(_ a: Account, csrfToken: String?, expiresAt: String?) -> JSONValue {
        guard case .object(var fields) = Shape.account(a) else { return Shape.account(a) }
        if let csrfToken { fields.append(("csrf_token", .string(csrfToken))) }
        if let expiresAt { fields.append(("session_expires_at", .string(expiresAt))) }
        return .object(fields)
    }
}
