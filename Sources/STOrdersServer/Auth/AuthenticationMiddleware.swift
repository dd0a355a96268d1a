import Foundation
import HTTPTypes
import Hummingbird
import STOrders

/// Finds who is calling, for every API route but sign-in and the OpenAPI document: a session
/// cookie or `Authorization: Bearer <token>`, else 401. A change sent with a session cookie must
/// come from this site, and a form must carry the session's token (CSRF); a bearer token carries
/// no cookie, so it needs neither.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let state: ServerState

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var context = context
        if let header = request.headers[.authorization] {
            guard header.hasPrefix("Bearer "), header.count > "Bearer ".count else { throw APIError.unauthenticated() }
            let token = String(header.dropFirst("Bearer ".count))
            guard let account = try await state.database({ store in try store.account(forToken: token) }) else {
                throw APIError.unauthenticated()
            }
            context.account = account
        } else if Session.cookie(request) != nil {
            guard case .found(let account, let info) = try await Self.session(request, state) else {
                var answer = APIError.unauthenticated()
                answer.headers[.setCookie] = Session.clearingCookie(secure: state.configuration.secureCookies)
                throw answer
            }
            context.account = account
            context.sessionCSRFToken = info.csrfToken
            if Self.changes(request.method) {
                try await Self.checkCSRF(request, expected: info.csrfToken, configuration: state.configuration)
            }
        } else {
            throw APIError.unauthenticated()
        }
        context.notes.login = context.account?.login
        return try await next(request, context)
    }

    /// What the request's session cookie names: no cookie, a session that has ended (expired,
    /// signed out, its account disabled), or a live session with its account. The API and the
    /// pages both ask here.
    enum SessionLookup {
        case none
        case ended
        case found(Account, SessionInfo)
    }

    static func session(_ request: Request, _ state: ServerState) async throws -> SessionLookup {
        guard let id = Session.cookie(request) else { return .none }
        let now = state.configuration.now()
        let idle = state.configuration.sessionIdle.timeInterval
        guard
            let (account, info) = try await state.database({ store in try store.session(id: id, now: now, idle: idle) })
        else { return .ended }
        return .found(account, info)
    }

    static func changes(_ method: HTTPRequest.Method) -> Bool {
        method != .get && method != .head && method != .options
    }

    /// Same origin (`Sec-Fetch-Site: same-origin`, or `Origin` equal to this server's origin),
    /// and for a form, its `csrf_token` equal to the session's.
    static func checkCSRF(_ request: Request, expected: String, configuration: ServerConfiguration) async throws {
        guard sameOrigin(request, configuration) else { throw APIError.csrf() }
        if RequestFields.isForm(request) {
            let fields = try await RequestFields.of(request)
            guard let token = try fields.string("csrf_token"),
                constantTimeEqual(Array(token.utf8), Array(expected.utf8))
            else { throw APIError.csrf() }
        }
    }

    static func sameOrigin(_ request: Request, _ configuration: ServerConfiguration) -> Bool {
        if let site = request.headers[Session.secFetchSite] {
            return site == "same-origin"
        }
        guard let origin = request.headers[.origin] else { return false }
        return origin == ownOrigin(request, configuration)
    }

    /// The configured public origin, else the scheme the cookies imply and the Host the client used.
    static func ownOrigin(_ request: Request, _ configuration: ServerConfiguration) -> String? {
        if let configured = configuration.publicOrigin { return configured }
        guard let host = request.head.authority else { return nil }
        return (configuration.secureCookies ? "https://" : "http://") + host
    }
}

/// The session cookie: its name and attributes.
enum Session {
    static let cookieName = "storders_session"
    static let secFetchSite = HTTPField.Name("Sec-Fetch-Site") ?? .origin

    static func cookie(_ request: Request) -> String? {
        for header in request.headers[values: .cookie] {
            for part in header.split(separator: ";") {
                let pair = part.trimmingCharacters(in: .whitespaces)
                if pair.hasPrefix(cookieName + "=") {
                    let value = String(pair.dropFirst(cookieName.count + 1))
                    return value.isEmpty ? nil : value
                }
            }
        }
        return nil
    }

    static func settingCookie(_ id: String, maxAge: Int, secure: Bool) -> String {
        "\(cookieName)=\(id); Path=/; Max-Age=\(maxAge); HttpOnly; SameSite=Lax" + (secure ? "; Secure" : "")
    }

    static func clearingCookie(secure: Bool) -> String {
        "\(cookieName)=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax" + (secure ? "; Secure" : "")
    }
}

extension Duration {
    var timeInterval: TimeInterval {
        let (seconds, attoseconds) = components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}
