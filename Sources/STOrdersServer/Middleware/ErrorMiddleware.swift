import Hummingbird
import Logging
import STOrders

/// Turns every failure into its JSON answer through `APIError(from:)`, the one mapping; tells
/// 405 (the path exists, not with this method) from 404; counts writes refused by a rule.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let routes: RouteTable
    let metrics: ServerMetrics
    /// Renders the HTML answer of a path that is not the API's (an unknown page is a 404 page).
    let pages: PageRenderer

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            var answer = APIError(from: error)
            if answer.code == APIError.noRoute().code {
                let allowed = routes.methods(forPath: request.uri.path)
                if !allowed.isEmpty && !allowed.contains(request.method) {
                    answer = .methodNotAllowed(allowed: allowed)
                }
            }
            if let refusal = error as? STOrdersError, request.method != .get, request.method != .head,
                answer.status == .conflict || answer.status == .unprocessableContent
            {
                metrics.refusedWrite(code: refusal.code)
                context.notes.refusal = refusal.code
            }
            if answer.status == .internalServerError {
                // The type only: an error's text may quote what the client sent.
                context.logger.error("unexpected failure", metadata: ["error.type": .string("\(type(of: error))")])
            }
            if Self.isPagePath(request.uri.path) {
                var response = pages.errorPage(answer, PageContext(request, context))
                for field in answer.headers where field.name == .allow { response.headers.append(field) }
                return response
            }
            return answer.response()
        }
    }

    /// Whether `path` is a page's (anything but the API and the operations routes).
    static func isPagePath(_ path: String) -> Bool {
        !(path == "/api" || path.hasPrefix("/api/") || path == "/healthz" || path == "/metrics")
    }
}
