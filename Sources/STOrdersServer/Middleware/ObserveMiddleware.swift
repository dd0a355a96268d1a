import Foundation
import Hummingbird
import Logging

/// The outermost layer: one log line and the metrics of each request. It records the route's
/// pattern (`/api/v1/orders/{code}`), never the path or the query string as sent, which may
/// carry a token, and never a header (cookies, authorization).
struct ObserveMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let metrics: ServerMetrics

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let start = ContinuousClock.now
        do {
            let response = try await next(request, context)
            observe(request, context, response.status, since: start)
            return response
        } catch {
            observe(request, context, APIError(from: error).status, since: start)
            throw error
        }
    }

    private func observe(
        _ request: Request, _ context: Context, _ status: HTTPResponse.Status, since start: ContinuousClock.Instant
    ) {
        let took = ContinuousClock.now - start
        let route = Self.route(context)
        metrics.request(route: route, method: request.method, status: status, took: took)
        let (seconds, attoseconds) = took.components
        let milliseconds = Double(seconds) * 1000 + Double(attoseconds) / 1e15
        context.logger.info(
            "request",
            metadata: [
                "user": .string(context.notes.login ?? "-"),
                "method": .string(request.method.rawValue),
                "route": .string(route),
                "status": .stringConvertible(status.code),
                "duration_ms": .string(String(format: "%.1f", milliseconds)),
            ])
    }

    /// The matched route's pattern, or "unmatched" (an unknown path is not a label of its own).
    static func route(_ context: Context) -> String {
        guard let path = context.endpointPath, path != "NotFound" else { return "unmatched" }
        return path
    }
}
