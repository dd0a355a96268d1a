import HTTPTypes
import Hummingbird

/// Security headers on every answer, errors included: the API serves JSON only, so nothing may
/// load, frame or sniff it, and nothing is cached (answers depend on who asks).
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
        for (name, value) in Self.fields { response.headers[name] = value }
        return response
    }
}
