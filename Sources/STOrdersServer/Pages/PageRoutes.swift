import Foundation
import Hummingbird
import STOrders

/// The web pages: server-rendered HTML over the same policy and library operations as the API.
/// Open to anyone: the assets, sign-in, the expired-session page, the language switch. Every
/// other page goes through `PageMiddleware` (the session, the CSRF defence, the error pages).
struct PageRoutes: RouteGroup {
    let state: ServerState
    var pages: PageRenderer { state.pages }

    func register(on router: Router<AppRequestContext>) {
        router.get("/assets/{file}") { request, _ in try asset(request) }
        router.get("/sign-in") { request, context in signInPage(request, context) }
        router.post("/sign-in") { request, context in try await signIn(request, context) }
        router.get("/session-expired") { request, context in expired(request, context) }
        router.get("/language/{language}") { request, context in try switchLanguage(request, context) }

        let signedIn = router.group().add(middleware: PageMiddleware(state: state))
        signedIn.get("/") { request, context in try home(request, context) }
        signedIn.post("/sign-out") { request, context in try await signOut(request, context) }
        OrderPages(state: state).register(on: signedIn)
        WorkbenchPages(state: state).register(on: signedIn)
        DashboardPages(state: state).register(on: signedIn)
        AuditorPages(state: state).register(on: signedIn)
        ProcessPages(state: state).register(on: signedIn)
        AdminPages(state: state).register(on: signedIn)
    }

    // MARK: Open to anyone

    /// The CSS and script at their fingerprinted paths, cached for a year (a new build's files
    /// have new paths).
    func asset(_ request: Request) throws -> Response {
        guard let file = pages.assets.file(at: request.uri.path) else { throw APIError.noRoute() }
        var headers = HTTPFields()
        headers[.contentType] = file.contentType
        headers[.cacheControl] = "public, max-age=31536000, immutable"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: file.bytes)))
    }

    func signInPage(_ request: Request, _ context: AppRequestContext) -> Response {
        let page = PageContext(request, context)
        let next = Redirect.safeNext(QueryFields(request: request).string("next"))
        return pages.response("sign-in", page, title: page.language.text("sign_in_title"), ["next": next])
    }

    /// The form's sign-in: the API's own (`SessionRoutes.startSession`: same-origin check,
    /// limiter, audit, a new session), then 303 to `next` (a path of this site only).
    func signIn(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        var page = PageContext(request, context)
        let l = page.language
        let fields = try await RequestFields.of(request)
        let login = (try? fields.string("login")) ?? nil
        let next = Redirect.safeNext((try? fields.string("next")) ?? nil)
        func refused(_ status: HTTPResponse.Status, _ message: String) -> Response {
            page.account = nil
            return pages.response(
                "sign-in", page, title: l.text("sign_in_title"), status: status,
                ["next": next, "login": login ?? "", "formError": message])
        }
        do {
            let (_, session) = try await SessionRoutes(state: state).startSession(
                request, context, login: login ?? "", password: ((try? fields.string("password")) ?? nil) ?? "")
            return Redirect.to(next, cookies: [SessionRoutes(state: state).sessionCookie(session)])
        } catch let error as STOrdersError where error.category == .unauthenticated || error.category == .invalid {
            return refused(.unauthorized, l.text("sign_in_failed"))
        } catch let error as APIError where error.code == "too_many_attempts" {
            var response = refused(
                .tooManyRequests, l.format("sign_in_throttled", error.headers[.retryAfter] ?? "60"))
            response.headers[.retryAfter] = error.headers[.retryAfter]
            return response
        } catch {
            return pages.errorPage(error, page)
        }
    }

    func expired(_ request: Request, _ context: AppRequestContext) -> Response {
        let page = PageContext(request, context)
        let l = page.language
        let next = Redirect.safeNext(QueryFields(request: request).string("next"))
        return pages.message(
            page, status: .ok, title: l.text("expired_title"), message: l.text("expired_text"),
            link: ("/sign-in?next=" + PageRenderer.queryEscaped(next), l.text("sign_in_again")))
    }

    /// Remembers the language in a cookie and goes back where the switch was pressed.
    func switchLanguage(_ request: Request, _ context: AppRequestContext) throws -> Response {
        guard let language = context.parameters.get("language").flatMap(Language.init(rawValue:)) else {
            throw APIError.noRoute()
        }
        let next = Redirect.safeNext(QueryFields(request: request).string("next"))
        return Redirect.to(next, cookies: [language.cookie])
    }

    // MARK: Signed in

    /// An enterprise starts at its orders, an officer at the inbox; the others at a page of links.
    func home(_ request: Request, _ context: AppRequestContext) throws -> Response {
        let account = try context.requireAccount()
        switch account.role {
        case .enterprise: return Redirect.to("/orders")
        case .officer: return Redirect.to("/inbox")
        case .auditor, .admin:
            let page = PageContext(request, context)
            return pages.response("home", page, title: page.language.text("home_title"))
        }
    }

    /// Ends the session (the API's own), then the sign-in page says so.
    func signOut(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let clearing = try await SessionRoutes(state: state).endSession(request, context)
        return Redirect.to("/sign-in", cookies: [clearing, Flash.cookie("signed_out")])
    }
}

/// In front of every signed-in page: the session cookie (the API's lookup), else to sign-in
/// with `next`, or to the expired-session page when the cookie names a session that has ended;
/// a change must pass the API's CSRF check (same origin and the session's form token); any
/// refusal a page meets becomes its page (404, 403, …) in the layout.
struct PageMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let state: ServerState

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var context = context
        let path = request.method == .get ? request.uri.path + (request.uri.query.map { "?" + $0 } ?? "") : "/"
        let lookup: AuthenticationMiddleware.SessionLookup
        do {
            lookup = try await AuthenticationMiddleware.session(request, state)
        } catch {
            return state.pages.errorPage(error, PageContext(request, context))
        }
        switch lookup {
        case .none:
            return Redirect.to("/sign-in?next=" + PageRenderer.queryEscaped(path))
        case .ended:
            return Redirect.to(
                "/session-expired?next=" + PageRenderer.queryEscaped(path),
                cookies: [Session.clearingCookie(secure: state.configuration.secureCookies)])
        case .found(let account, let info):
            context.account = account
            context.sessionCSRFToken = info.csrfToken
            context.notes.login = account.login
        }
        do {
            if AuthenticationMiddleware.changes(request.method), let token = context.sessionCSRFToken {
                // Pages post forms only, each with the token; a form with a file (the one upload,
                // `multipart/form-data`) carries it as a field too.
                if MultipartForm.isMultipart(request) {
                    guard AuthenticationMiddleware.sameOrigin(request, state.configuration),
                        let sent = try await MultipartForm.of(request).fields["csrf_token"],
                        constantTimeEqual(Array(sent.utf8), Array(token.utf8))
                    else { throw APIError.csrf() }
                } else {
                    guard RequestFields.isForm(request) else { throw APIError.csrf() }
                    try await AuthenticationMiddleware.checkCSRF(
                        request, expected: token, configuration: state.configuration)
                }
            }
            return try await next(request, context)
        } catch {
            let answer = APIError(from: error)
            if answer.status == .internalServerError {
                context.logger.error("unexpected failure", metadata: ["error.type": .string("\(type(of: error))")])
            }
            return state.pages.errorPage(error, PageContext(request, context))
        }
    }
}
