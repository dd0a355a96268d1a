import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import STOrders
import Testing

@testable import STOrdersServer

/// The server's infrastructure, through HummingbirdTesting's router: health, metrics, the
/// security headers, the error shape, 404/405 and the body limit.
@Suite struct OperationsTests {
    static func makeApp(
        store: Store? = nil, metricsToken: String? = nil, maxBodyBytes: Int = 1 << 20
    ) throws -> StoreServerApplication {
        try buildApplication(
            ServerConfiguration(
                database: .store(store ?? Store.inMemory()), port: 0, metricsToken: metricsToken,
                maxBodyBytes: maxBodyBytes))
    }

    /// The decoded `{"error": {...}}` of an answer.
    static func error(_ response: TestResponse) throws -> (code: String, message: String) {
        let object = try JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8))
        let error = (object as? [String: Any])?["error"] as? [String: Any]
        let code = try #require(error?["code"] as? String)
        let message = try #require(error?["message"] as? String)
        #expect(error?["details"] is [Any])
        #expect(response.headers[.contentType] == "application/json; charset=utf-8")
        return (code, message)
    }

    static func expectSecurityHeaders(_ response: TestResponse) {
        for (name, value) in SecurityHeadersMiddleware.headers {
            #expect(response.headers[HTTPField.Name(name)!] == value, "\(name)")
        }
    }

    @Test func healthzAnswersWithTheSchemaVersion() async throws {
        try await Self.makeApp().test(.router) { client in
            let response = try await client.execute(uri: "/healthz", method: .get)
            #expect(response.status == .ok)
            let body = try JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8))
            let object = try #require(body as? [String: Any])
            #expect(object["status"] as? String == "ok")
            #expect(object["database"] as? String == "ok")
            #expect(object["schema_version"] as? Int == Store.schemaVersion)
            Self.expectSecurityHeaders(response)
        }
    }

    @Test func healthzSaysWhenTheDatabaseDoesNotAnswer() async throws {
        let server = try buildServer(ServerConfiguration(database: .store(try Store.inMemory()), port: 0))
        // Its database threads stopped: no database call is answered.
        await server.state.work.shutdown()
        try await server.application.test(.router) { client in
            let response = try await client.execute(uri: "/healthz", method: .get)
            #expect(response.status == .serviceUnavailable)
            #expect(String(buffer: response.body).contains(#""database":"unavailable""#))
        }
    }

    @Test func unknownRouteIs404WithTheErrorShapeAndTheHeaders() async throws {
        try await Self.makeApp().test(.router) { client in
            let response = try await client.execute(uri: "/api/v1/nothing-here?token=secret", method: .get)
            #expect(response.status == .notFound)
            #expect(try Self.error(response).code == "no_route")
            Self.expectSecurityHeaders(response)
        }
    }

    @Test func wrongMethodOnAKnownPathIs405WithAllow() async throws {
        try await Self.makeApp().test(.router) { client in
            let response = try await client.execute(uri: "/healthz", method: .delete)
            #expect(response.status == .methodNotAllowed)
            #expect(response.headers[.allow] == "GET")
            #expect(try Self.error(response).code == "method_not_allowed")
            Self.expectSecurityHeaders(response)
        }
    }

    @Test func aBodyOverTheLimitIs413() async throws {
        try await Self.makeApp(maxBodyBytes: 1024).test(.router) { client in
            let response = try await client.execute(
                uri: "/healthz", method: .post, body: ByteBuffer(repeating: UInt8(ascii: "x"), count: 1025))
            #expect(response.status == .contentTooLarge)
            #expect(try Self.error(response).code == "body_too_large")
            Self.expectSecurityHeaders(response)
            // At the limit, the body is read and the request goes on (to its 405 here).
            let atLimit = try await client.execute(
                uri: "/healthz", method: .post, body: ByteBuffer(repeating: UInt8(ascii: "x"), count: 1024))
            #expect(atLimit.status == .methodNotAllowed)
        }
    }

    @Test func metricsAreRefusedOffLoopbackWithoutTheToken() async throws {
        let token = "a-metrics-token-of-32-characters"
        try await Self.makeApp(metricsToken: token).test(.router) { client in
            // The router test has no peer address: not loopback.
            let none = try await client.execute(uri: "/metrics", method: .get)
            #expect(none.status == .forbidden)
            #expect(try Self.error(none).code == "metrics_forbidden")
            let wrong = try await client.execute(
                uri: "/metrics", method: .get, headers: [.authorization: "Bearer a-metrics-token-of-32-characterX"])
            #expect(wrong.status == .forbidden)
        }
    }

    @Test func metricsCountRequestsByRoutePatternAndStatus() async throws {
        let token = "a-metrics-token-of-32-characters"
        try await Self.makeApp(metricsToken: token).test(.router) { client in
            _ = try await client.execute(uri: "/healthz", method: .get)
            _ = try await client.execute(uri: "/healthz", method: .get)
            _ = try await client.execute(uri: "/no/such/path", method: .get)
            let response = try await client.execute(
                uri: "/metrics", method: .get, headers: [.authorization: "Bearer \(token)"])
            #expect(response.status == .ok)
            let text = String(buffer: response.body)
            #expect(text.contains(#"storders_http_requests_total{route="/healthz",method="GET",status="200"} 2"#))
            #expect(text.contains(#"storders_http_requests_total{route="unmatched",method="GET",status="404"} 1"#))
            #expect(text.contains("storders_http_request_duration_seconds_bucket{"))
            // The path as sent is never a label.
            #expect(!text.contains("/no/such/path"))
        }
    }

    @Test func metricsAnswerALoopbackClient() async throws {
        try await Self.makeApp().test(.live) { client in
            _ = try await client.execute(uri: "/healthz", method: .get)
            let response = try await client.execute(uri: "/metrics", method: .get)
            #expect(response.status == .ok)
            #expect(String(buffer: response.body).contains(#"route="/healthz""#))
            Self.expectSecurityHeaders(response)
        }
    }

    @Test(arguments: [
        (STOrdersError.unknownOrder(code: "19-2025-0001"), 404),
        (.invalidDate("2025-02-30", reason: "no such day"), 422),
        (.transitionRefused(code: "19-2025-0001", from: .ordered, action: "accept", needs: "funded"), 409),
        (.databaseUnavailable(path: "/secret/place.sqlite", reason: "locked"), 503),
    ])
    func libraryRefusalsMapToOneStatusEach(error: STOrdersError, status: Int) throws {
        let answer = APIError(from: error)
        #expect(Int(answer.status.code) == status)
        #expect(answer.code == error.code)
        #expect(!answer.message.contains("/secret/place.sqlite"))
    }

    @Test func anUnexpectedFailureSaysNothingOfTheInside() {
        struct Inside: Error {}
        let answer = APIError(from: Inside())
        #expect(answer.status == .internalServerError)
        #expect(answer.code == "internal")
    }

    @Test func plainHttpCookiesAreRefusedOffLoopback() throws {
        let configuration = ServerConfiguration(
            database: .store(try Store.inMemory()), host: "0.0.0.0", secureCookies: false)
        #expect(throws: ConfigurationError.self) { try buildApplication(configuration) }
        for host in ["127.0.0.1", "::1", "localhost"] {
            var onLoopback = configuration
            onLoopback.host = host
            #expect(throws: Never.self) { try onLoopback.validate() }
        }
    }
}

/// The sign-in limiter alone (the router tests have no client address).
@Suite struct SignInLimiterTests {
    @Test func fiveFailuresStopALoginAndTwentyStopAnAddress() {
        let limiter = SignInLimiter()
        let start = Date(timeIntervalSince1970: 1_790_000_000)
        for i in 0..<4 { limiter.recordFailure(login: "officer", address: "10.0.0.7", now: start + Double(i)) }
        #expect(limiter.wait(login: "officer", address: "10.0.0.7", now: start + 10) == nil)
        limiter.recordFailure(login: "officer", address: "10.0.0.7", now: start + 10)
        #expect(limiter.wait(login: "officer", address: "10.0.0.8", now: start + 11) == 900 - 11)
        // Another login from the same address may still try: 5 failures of one address are not 20.
        #expect(limiter.wait(login: "auditor", address: "10.0.0.7", now: start + 11) == nil)
        for i in 0..<15 { limiter.recordFailure(login: "user\(i)", address: "10.0.0.7", now: start + 20) }
        #expect(limiter.wait(login: "auditor", address: "10.0.0.7", now: start + 21) == 900 - 21)
        #expect(limiter.wait(login: "auditor", address: "10.0.0.9", now: start + 21) == nil)
        // Once the window has passed, all may try again; a success clears its login.
        #expect(limiter.wait(login: "officer", address: "10.0.0.7", now: start + 921) == nil)
        limiter.recordFailure(login: "admin", address: nil, now: start)
        limiter.recordSuccess(login: "admin")
        #expect(limiter.wait(login: "admin", address: nil, now: start) == nil)
    }
}
