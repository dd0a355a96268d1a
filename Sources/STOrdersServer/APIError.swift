import Hummingbird
import NIOPosix
import STOrders

/// A refusal as the API answers it: `{"error": {"code", "message", "details"}}` with its status.
/// Every error answer is made from one of these, and every error becomes one in `init(from:)`,
/// the one mapping of failures to HTTP statuses.
public struct APIError: Error, Sendable, Equatable {
    public var status: HTTPResponse.Status
    /// A stable snake_case code (the library's own for its refusals).
    public var code: String
    public var message: String
    public var details: [String]
    /// Extra headers of the answer (Allow for 405, Retry-After for 429 and 503).
    public var headers: HTTPFields

    public init(
        _ status: HTTPResponse.Status, code: String, message: String, details: [String] = [],
        headers: HTTPFields = [:]
    ) {
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        self.headers = headers
    }

    // MARK: The server's own refusals

    static func noRoute() -> APIError { APIError(.notFound, code: "no_route", message: "there is no such route") }

    static func methodNotAllowed(allowed: [HTTPRequest.Method]) -> APIError {
        let list = allowed.map(\.rawValue).sorted().joined(separator: ", ")
        var headers = HTTPFields()
        headers[.allow] = list
        return APIError(
            .methodNotAllowed, code: "method_not_allowed", message: "this route answers \(list) only",
            headers: headers)
    }

    static func bodyTooLarge(limit: Int) -> APIError {
        APIError(.contentTooLarge, code: "body_too_large", message: "the request body is larger than \(limit) bytes")
    }

    static func timeout() -> APIError {
        var headers = HTTPFields()
        headers[.retryAfter] = "1"
        return APIError(
            .serviceUnavailable, code: "timeout", message: "the request took too long to be served; try again",
            headers: headers)
    }

    static func unavailable() -> APIError {
        var headers = HTTPFields()
        headers[.retryAfter] = "1"
        return APIError(
            .serviceUnavailable, code: "unavailable", message: "the server is stopping or busy; try again",
            headers: headers)
    }

    static func unauthenticated() -> APIError {
        APIError(
            .unauthorized, code: "unauthenticated",
            message: "sign in first (POST /api/v1/session), or send Authorization: Bearer <token>")
    }

    static func forbidden(_ message: String = "your role may not do this") -> APIError {
        APIError(.forbidden, code: "forbidden", message: message)
    }

    static func csrf() -> APIError {
        APIError(
            .forbidden, code: "csrf",
            message:
                "a change sent with a session cookie must come from this site (Origin or Sec-Fetch-Site), and a form must carry csrf_token"
        )
    }

    static func missingField(_ name: String) -> APIError {
        APIError(.unprocessableContent, code: "missing_field", message: "the request needs '\(name)'")
    }

    static func invalidBody(_ reason: String) -> APIError {
        APIError(.unprocessableContent, code: "invalid_body", message: reason)
    }

    // MARK: The one mapping

    /// The answer to any failure: a refusal of the library by its category, the web layer's own
    /// refusals by their HTTP status, anything else a 500 that says nothing of the inside.
    public init(from error: any Error) {
        switch error {
        case let error as APIError:
            self = error
        case let error as STOrdersError:
            self = APIError.refusal(error)
        case let error as HTTPError:
            self = APIError.http(error)
        case is DecodingError:
            self = APIError.invalidBody("the request body is not the JSON this route expects")
        case is NIOThreadPoolError.ThreadPoolInactive, is CancellationError:
            self = APIError.unavailable()
        default:
            self = APIError(.internalServerError, code: "internal", message: "the server failed to answer")
        }
    }

    /// A refusal of the library: its code and message, the status of its category.
    static func refusal(_ error: STOrdersError) -> APIError {
        let status = status(of: error.category)
        // Paths of the server's own files are not the caller's business.
        let message = status == .serviceUnavailable ? "the database is unavailable; try again" : error.description
        var headers = HTTPFields()
        if status == .serviceUnavailable { headers[.retryAfter] = "1" }
        return APIError(status, code: error.code, message: message, details: error.details, headers: headers)
    }

    /// The status of each category of refusal: unknown → 404; invalid input → 422; refused by a
    /// state, transition or money rule → 409; a failed sign-in → 401; the database busy or
    /// unavailable → 503; a file operation of the command line failing → 500.
    static func status(of category: ErrorCategory) -> HTTPResponse.Status {
        switch category {
        case .notFound: return .notFound
        case .invalid: return .unprocessableContent
        case .refused: return .conflict
        case .unauthenticated: return .unauthorized
        case .unavailable: return .serviceUnavailable
        case .failed: return .internalServerError
        }
    }

    /// The web layer's own refusals (an unknown route, a body too large, a malformed request).
    static func http(_ error: HTTPError) -> APIError {
        switch error.status {
        case .notFound: return noRoute()
        case .contentTooLarge:
            return APIError(.contentTooLarge, code: "body_too_large", message: "the request body is too large")
        case .methodNotAllowed:
            return APIError(.methodNotAllowed, code: "method_not_allowed", message: "this route does not answer it")
        case .badRequest:
            return APIError(.badRequest, code: "bad_request", message: error.body ?? "the request is malformed")
        default:
            return APIError(
                error.status, code: error.status.reasonPhrase.lowercased().replacingOccurrences(of: " ", with: "_"),
                message: error.body ?? error.status.reasonPhrase, headers: error.headers)
        }
    }

    // MARK: The answer

    /// The JSON answer of this refusal.
    func response() -> Response {
        var headers = self.headers
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    /// `{"error":{"code":…,"message":…,"details":[…]}}`, the library's one shape of a refusal.
    var body: String {
        Shape.error(code: code, message: message, details: details).serialized(indent: nil) + "\n"
    }
}
