import HTTPTypes
import Hummingbird

/// Security headers on every answer, errors included: the API serves JSON only, so nothing may
/// load, frame or sniff it, and nothing is cached (answers depend on who asks). An HTML page
/// gets the pages' policy instead (its own CSS, script and forms, nothing inline, nothing from
/// elsewhere); an answer that sets its own Cache-Control (the assets) keeps it.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    static let headers: [(String, String)] = [
        ("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "no-referrer"),
        ("X-Frame-Options", "DENY"),
        ("Cache-Control", "no-store"),
        ("Cross-Origin-Resource-Policy", "same-origin"),
    ]
    /// The pages' Content-Security-Policy: no 'unsafe-inline', nothing from another origin.
    static let pagePolicy =
        "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; connect-src 'self'; "
        + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    static let fields: [(HTTPField.Name, String)] = headers.compactMap { name, value in
        HTTPField.Name(name).map { ($0, value) }
    }

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            response = APIError(from: error).response()
        }
        let isPage = response.headers[.contentType]?.hasPrefix("text/html") ?? false
        for (name, value) in Self.fields {
            if name == .cacheControl, response.headers[.cacheControl] != nil { continue }
            response.headers[name] = name == .contentSecurityPolicy && isPage ? Self.pagePolicy : value
        }
        return response
    }
}
