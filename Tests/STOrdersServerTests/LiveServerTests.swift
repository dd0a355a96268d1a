import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOConcurrencyHelpers
import STOrders
import STOrdersServer
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The built `storders-server` run as a process on a file of its own (see `LiveServer`): signing
/// in, cookies, rotation and sign-out, sessions across a restart, CSRF, slowed-down guessing, a
/// disabled account, the logs, and a graceful stop with a write in flight. Every answer of every
/// test is checked for the security headers. One server at a time (the machine is small).
@Suite(.serialized) struct LiveServerTests {
    /// A payment the officer may record on its province's funded order (output 1 has 300,000,000 đ left).
    static func payment(_ server: LiveServer, reference: String) throws -> (path: String, json: String) {
        let code = try server.fixture.orders(.own).funded
        return (
            "/api/v1/orders/\(code)/payments",
            #"{"output": 1, "amount": 10000000, "source": "state", "reference": "\#(reference)", "date": "2025-10-05"}"#
        )
    }

    static func payments(_ server: LiveServer) throws -> [Payment] {
        let code = try server.fixture.orders(.own).funded
        return try server.withStore { try $0.orderDetail(code: code).payments }
    }

    @Test func signInByJSONOrFormGivesAHardenedCookieThatRotatesAndEndsAtSignOut() async throws {
        let server = try LiveServer()
        defer { server.cleanUp() }
        try await server.start(insecureCookies: true)

        let first = try await server.signIn(.officer)
        #expect(first.status == 201, "\(first.body)")
        let cookie = try #require(first.setCookie)
        #expect(cookie.contains("HttpOnly"))
        #expect(cookie.contains("SameSite=Lax") || cookie.contains("SameSite=Strict"))
        #expect(!cookie.contains("Secure"), "--insecure-cookies-on-loopback: \(cookie)")
        let firstID = try #require(first.sessionCookie)
        #expect(firstID.count >= 32)
        #expect(first.json?["login"] as? String == "canbo.hanoi")
        let csrf = try #require(first.json?["csrf_token"] as? String)

        // A form, with the Vietnamese password percent-encoded.
        let login = try #require(server.fixture.logins[.officer])
        let byForm = try await server.request(
            "POST", "/api/v1/session", form: [("login", login), ("password", AccessFixture.password)])
        #expect(byForm.status == 201, "\(byForm.body)")
        let formID = try #require(byForm.sessionCookie)
        #expect(formID != firstID)

        let me = try await server.request("GET", "/api/v1/me", headers: [("Cookie", "storders_session=\(firstID)")])
        #expect(me.status == 200)
        #expect(me.json?["role"] as? String == "officer")

        // Signing in again with the first session's cookie: a new id, and the old one is over.
        let again = try await server.signIn(.officer, cookie: firstID)
        #expect(again.status == 201)
        let againID = try #require(again.sessionCookie)
        #expect(againID != firstID && againID != formID)
        let old = try await server.request("GET", "/api/v1/me", headers: [("Cookie", "storders_session=\(firstID)")])
        #expect(old.status == 401)
        #expect(old.errorCode == "unauthenticated")

        // Sign-out (a change: same origin), then the cookie is worth nothing.
        let out = try await server.request(
            "DELETE", "/api/v1/session",
            headers: [("Cookie", "storders_session=\(againID)"), ("Origin", server.origin)])
        #expect(out.status == 204)
        #expect(out.sessionCookie == "", "sign-out clears the cookie: \(out.setCookie ?? "none")")
        let after = try await server.request("GET", "/api/v1/me", headers: [("Cookie", "storders_session=\(againID)")])
        #expect(after.status == 401)
        // The form's session was not touched.
        let formMe = try await server.request("GET", "/api/v1/me", headers: [("Cookie", "storders_session=\(formID)")])
        #expect(formMe.status == 200)

        #expect(try await server.stop() == 0)
        server.expectNoSecretsInLogs([AccessFixture.password, firstID, formID, againID, csrf])
        let audit = try server.withStore { try $0.auditLog(limit: 100) }
        #expect(audit.filter { $0.event == "login" && $0.login == login }.count == 3)
        #expect(audit.contains { $0.event == "logout" && $0.login == login })
    }

    @Test func aSessionSurvivesARestartAndCookiesAreSecureWithoutTheLoopbackFlag() async throws {
        let server = try LiveServer()
        defer { server.cleanUp() }
        try await server.start(insecureCookies: true)
        let signedIn = try await server.signIn(.enterprise)
        #expect(signedIn.status == 201)
        let id = try #require(signedIn.sessionCookie)
        #expect(try await server.stop() == 0)

        // Same file, a new process (and a new port), without --insecure-cookies-on-loopback.
        try await server.start(insecureCookies: false)
        let me = try await server.request("GET", "/api/v1/me", headers: [("Cookie", "storders_session=\(id)")])
        #expect(me.status == 200, "\(me.body)")
        #expect(me.json?["login"] as? String == "dn.songhong")
        let fresh = try await server.signIn(.enterprise)
        #expect(fresh.status == 201)
        let cookie = try #require(fresh.setCookie)
        #expect(cookie.contains("Secure"), "\(cookie)")
        #expect(cookie.contains("HttpOnly"))
        let freshID = fresh.sessionCookie ?? ""
        #expect(try await server.stop() == 0)
        server.expectNoSecretsInLogs([AccessFixture.password, id, freshID])
    }

    @Test func cookieWritesMustBeSameOriginAndFormsCarryTheToken() async throws {
        let server = try LiveServer()
        defer { server.cleanUp() }
        try await server.start()
        let signedIn = try await server.signIn(.officer)
        let id = try #require(signedIn.sessionCookie)
        let csrf = try #require(signedIn.json?["csrf_token"] as? String)
        let cookie = ("Cookie", "storders_session=\(id)")
        let before = try Self.payments(server)
        #expect(before.count == 1)

        // Refused, each with 403 csrf, and nothing recorded.
        let refusals: [(String, [(String, String)])] = [
            ("a foreign Origin", [cookie, ("Origin", "http://evil.example")]),
            ("another port", [cookie, ("Origin", "http://127.0.0.1:1")]),
            ("Sec-Fetch-Site: cross-site", [cookie, ("Sec-Fetch-Site", "cross-site")]),
            ("neither Origin nor Sec-Fetch-Site", [cookie]),
        ]
        for (what, headers) in refusals {
            let (path, json) = try Self.payment(server, reference: "CSRF-\(what.count)")
            let answer = try await server.request("POST", path, headers: headers, json: json)
            #expect(answer.status == 403, "\(what): \(answer.status) \(answer.body)")
            #expect(answer.errorCode == "csrf", "\(what)")
        }
        #expect(try Self.payments(server) == before)

        // Signing in from another site (login CSRF) is refused too, and starts no session.
        let login = try #require(server.fixture.logins[.officer])
        let foreignSignIn = try await server.request(
            "POST", "/api/v1/session", headers: [("Origin", "http://evil.example")],
            form: [("login", login), ("password", AccessFixture.password)])
        #expect(foreignSignIn.status == 403, "\(foreignSignIn.body)")
        #expect(foreignSignIn.errorCode == "csrf")
        #expect(foreignSignIn.sessionCookie == nil)

        // A form from this site without the session's token, or with a wrong one: refused.
        let code = try server.fixture.orders(.own).funded
        let formFields: [(String, String)] = [
            ("output", "1"), ("amount", "10.000.000"), ("source", "state"), ("reference", "Phiếu chi 01"),
            ("date", "2025-10-05"),
        ]
        for token in [nil, "sai-" + csrf] as [String?] {
            let fields = formFields + (token.map { [("csrf_token", $0)] } ?? [])
            let answer = try await server.request(
                "POST", "/api/v1/orders/\(code)/payments", headers: [cookie, ("Origin", server.origin)], form: fields)
            #expect(answer.status == 403, "\(answer.body)")
            #expect(answer.errorCode == "csrf")
        }
        #expect(try Self.payments(server) == before)

        // Accepted: same Origin (JSON), Sec-Fetch-Site same-origin, a form with the token, a bearer token with none.
        let (path, json) = try Self.payment(server, reference: "CÙNG-NGUỒN")
        let sameOrigin = try await server.request(
            "POST", path, headers: [cookie, ("Origin", server.origin)], json: json)
        #expect(sameOrigin.status == 201, "\(sameOrigin.body)")
        let fetchSite = try await server.request(
            "POST", path, headers: [cookie, ("Sec-Fetch-Site", "same-origin")], json: json)
        #expect(fetchSite.status == 201, "\(fetchSite.body)")
        let form = try await server.request(
            "POST", "/api/v1/orders/\(code)/payments", headers: [cookie, ("Origin", server.origin)],
            form: formFields + [("csrf_token", csrf)])
        #expect(form.status == 201, "\(form.body)")
        let token = try #require(server.fixture.tokens[.officer])
        let bearer = try await server.request("POST", path, headers: [("Authorization", "Bearer \(token)")], json: json)
        #expect(bearer.status == 201, "\(bearer.body)")
        let after = try Self.payments(server)
        #expect(after.count == 5)
        #expect(after.last?.amount == 10_000_000)
        #expect(after.map(\.reference).contains("Phiếu chi 01"))
        // Recorded as the account, not as the server's process.
        let events = try server.withStore { try $0.orderDetail(code: code).events }
        #expect(events.suffix(4).allSatisfy { $0.actor == "canbo.hanoi" }, "\(events.suffix(4).map(\.actor))")

        #expect(try await server.stop() == 0)
        server.expectNoSecretsInLogs([AccessFixture.password, id, csrf, token])
    }

    @Test func repeatedFailedSignInsSlowDownAndAreAudited() async throws {
        let server = try LiveServer()
        defer { server.cleanUp() }
        try await server.start()
        let login = try #require(server.fixture.logins[.provincialAuditor])
        var statuses: [Int] = []
        for attempt in 1...8 {
            let answer = try await server.signIn(.provincialAuditor, password: "đoán-sai-lần-\(attempt)")
            statuses.append(answer.status)
            if answer.status == 401 { #expect(answer.errorCode != nil) }
            if answer.status == 429 {
                let wait = try #require(answer.header("Retry-After").flatMap { Int($0) }, "429 without Retry-After")
                #expect(wait >= 1)
            }
        }
        #expect(statuses.prefix(3).allSatisfy { $0 == 401 }, "\(statuses)")
        #expect(statuses.last == 429, "guessing is never slowed down: \(statuses)")
        // Even the right password waits now.
        let right = try await server.signIn(.provincialAuditor)
        #expect(right.status == 429, "\(right.body)")
        #expect(right.sessionCookie == nil)
        // Another login from another address is not this one's business; from the same address
        // it may be slowed down too (per address), so only its answer's kind is checked.
        let other = try await server.signIn(.officer)
        #expect(other.status == 201 || other.status == 429)

        #expect(try await server.stop() == 0)
        let audit = try server.withStore { try $0.auditLog(limit: 200) }
        let failures = audit.filter { $0.event == "login_failed" && $0.login == login }
        #expect(failures.count == statuses.filter { $0 == 401 }.count, "\(audit.map(\.event))")
        #expect(failures.allSatisfy { $0.address == "127.0.0.1" })
        #expect(!audit.contains { $0.event == "login" && $0.login == login })
        server.expectNoSecretsInLogs(
            [AccessFixture.password] + (1...8).map { "đoán-sai-lần-\($0)" }
                + audit.compactMap(\.detail).filter {
                    $0.contains("đoán")
                })
        #expect(!audit.contains { ($0.detail ?? "").contains("đoán-sai") }, "a tried password is in the audit log")
    }

    @Test func aDisabledAccountsSessionAndTokenStopAtOnce() async throws {
        let server = try LiveServer()
        defer { server.cleanUp() }
        try await server.start()
        let signedIn = try await server.signIn(.officer)
        let id = try #require(signedIn.sessionCookie)
        let token = try #require(server.fixture.tokens[.officer])
        let cookie = ("Cookie", "storders_session=\(id)")
        let bearer = ("Authorization", "Bearer \(token)")
        #expect(try await server.request("GET", "/api/v1/me", headers: [cookie]).status == 200)
        #expect(try await server.request("GET", "/api/v1/me", headers: [bearer]).status == 200)

        // Disabled from the command line's side of the file, while the server runs.
        let login = try #require(server.fixture.logins[.officer])
        _ = try server.withStore { try $0.setAccountDisabled(login: login, true, by: "quantri") }
        let before = try Self.payments(server)
        let (path, json) = try Self.payment(server, reference: "SAU-KHÓA")
        for headers in [[cookie, ("Origin", server.origin)], [bearer]] {
            let me = try await server.request("GET", "/api/v1/me", headers: headers)
            #expect(me.status == 401, "\(me.body)")
            let pay = try await server.request("POST", path, headers: headers, json: json)
            #expect(pay.status == 401, "\(pay.body)")
            #expect(pay.errorCode == "unauthenticated")
        }
        #expect(try Self.payments(server) == before)
        // And it cannot sign in again.
        let again = try await server.signIn(.officer)
        #expect(again.status == 401)
        #expect(try await server.stop() == 0)
        server.expectNoSecretsInLogs([AccessFixture.password, id, token])
    }

    @Test func theErrorAnswersCarryTheHeadersToo() async throws {
        let server = try LiveServer()
        defer { server.cleanUp() }
        try await server.start()
        let token = try #require(server.fixture.tokens[.enterprise])
        let bearer = ("Authorization", "Bearer \(token)")
        let officerCode = try server.fixture.orders(.otherProvince).funded
        let cases: [(String, String, [(String, String)], String?, Int)] = [
            ("GET", "/healthz", [], nil, 200),
            ("GET", "/api/v1/openapi.json", [], nil, 200),
            ("GET", "/api/v1/me", [], nil, 401),
            ("GET", "/api/v1/me", [("Authorization", "Bearer không-phải-token")], nil, 401),
            ("GET", "/api/v1/orders/\(officerCode)", [bearer], nil, 404),
            ("GET", "/api/v1/verify", [bearer], nil, 403),
            ("GET", "/api/v1/no-such-route", [bearer], nil, 404),
            ("DELETE", "/healthz", [], nil, 405),
            ("POST", "/api/v1/session", [], "{not json", 422),
        ]
        for (method, path, headers, json, status) in cases {
            let answer = try await server.request(method, path, headers: headers, json: json)
            #expect(answer.status == status, "\(method) \(path): \(answer.body)")
            if status >= 400 { #expect(answer.errorCode != nil, "\(method) \(path): \(answer.body)") }
        }
        #expect(server.answers >= cases.count)
        #expect(try await server.stop() == 0)
        server.expectNoSecretsInLogs([token, "không-phải-token"])
    }

    /// SIGTERM while a payment is inside its write transaction (held there by the test pause
    /// point): the listener closes at once, the payment is answered 201 and is in the file, and
    /// the process exits 0.
    @Test func gracefulShutdownFinishesTheWriteInFlight() async throws {
        let server = try LiveServer()
        defer { server.cleanUp() }
        let marker = server.directory.appendingPathComponent("paused").path
        let resume = server.directory.appendingPathComponent("resume").path
        // The server process's first write transaction is the payment: a bearer token writes
        // nothing to be let in, and /healthz reads only.
        try await server.start(environment: [
            "STORDERS_TEST_PAUSE": "write:1", "STORDERS_TEST_PAUSE_MARKER": marker,
            "STORDERS_TEST_PAUSE_RESUME": resume,
        ])
        let port = server.port
        let token = try #require(server.fixture.tokens[.officer])
        let (path, json) = try Self.payment(server, reference: "ĐANG-GHI")
        let before = try Self.payments(server)
        let inFlight = Task {
            try await LiveServer.offThePool {
                try RawHTTP.send(
                    port: port, method: "POST", path: path,
                    headers: [("Authorization", "Bearer \(token)"), ("Content-Type", "application/json")],
                    body: Array(json.utf8))
            }
        }
        var waited = 0
        while !FileManager.default.fileExists(atPath: marker) && waited < 12000 {
            try await Task.sleep(for: .milliseconds(10))
            waited += 1
        }
        #expect(FileManager.default.fileExists(atPath: marker), "the payment never reached its write transaction")
        let process = try #require(server.process)
        kill(process.processIdentifier, SIGTERM)

        // A new connection is refused once the listener is closed (at once; the limit only stops a hung test).
        var refused = false
        for _ in 0..<1500 {
            do {
                let fd = try RawHTTP.dial(port: port)
                close(fd)
            } catch RawHTTP.Failure.connectionRefused {
                refused = true
                break
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(refused, "the server still accepts connections after SIGTERM")
        #expect(process.isRunning, "the server exited with a request in flight")

        FileManager.default.createFile(atPath: resume, contents: Data())
        let answer = try await inFlight.value
        #expect(answer.status == 201, "\(answer.body)")
        #expect(try await server.waitForExit() == 0)
        let after = try Self.payments(server)
        #expect(after.count == before.count + 1)
        #expect(after.last?.reference == "ĐANG-GHI")
        server.expectNoSecretsInLogs([token])
    }
}

/// Idle and absolute expiry of sessions, through a real socket (HummingbirdTesting's live
/// server) with the configuration's clock moved by the test: no waiting.
@Suite struct SessionExpiryTests {
    final class Clock: Sendable {
        private let box = NIOLockedValueBox(Date(timeIntervalSince1970: 1_790_000_000))
        var now: Date { box.withLockedValue { $0 } }
        func advance(minutes: Double) { box.withLockedValue { $0 = $0.addingTimeInterval(minutes * 60) } }
    }

    static func app(_ f: AccessFixture, _ clock: Clock) throws -> StoreServerApplication {
        try buildApplication(
            ServerConfiguration(
                database: .store(f.store), port: 0, secureCookies: false, sessionIdle: .seconds(30 * 60),
                sessionAbsolute: .seconds(2 * 3600), now: { clock.now }))
    }

    static func signIn(_ client: some TestClientProtocol, _ f: AccessFixture) async throws -> String {
        let login = try #require(f.logins[.officer])
        let response = try await client.execute(
            uri: "/api/v1/session", method: .post, headers: [.contentType: "application/json"],
            body: ByteBuffer(string: #"{"login": "\#(login)", "password": "\#(AccessFixture.password)"}"#))
        #expect(response.status == .created)
        let setCookie = try #require(response.headers[.setCookie])
        let pair = try #require(setCookie.split(separator: ";").first)
        return String(pair)
    }

    static func me(_ client: some TestClientProtocol, _ cookie: String) async throws -> HTTPResponse.Status {
        try await client.execute(uri: "/api/v1/me", method: .get, headers: [.cookie: cookie]).status
    }

    @Test func aSessionEndsWhenIdleTooLong() async throws {
        let f = try AccessFixture()
        let clock = Clock()
        try await Self.app(f, clock).test(.live) { client in
            let cookie = try await Self.signIn(client, f)
            clock.advance(minutes: 29)
            #expect(try await Self.me(client, cookie) == .ok)
            // Used 29 minutes ago: still alive 29 minutes later.
            clock.advance(minutes: 29)
            #expect(try await Self.me(client, cookie) == .ok)
            clock.advance(minutes: 31)
            #expect(try await Self.me(client, cookie) == .unauthorized)
            // Over for good, even if the clock went back.
            clock.advance(minutes: -31)
            #expect(try await Self.me(client, cookie) == .unauthorized)
        }
        #expect(try f.store.sessionCount(login: "canbo.hanoi") == 0)
    }

    @Test func aSessionEndsAtItsAbsoluteEndEvenWhenUsed() async throws {
        let f = try AccessFixture()
        let clock = Clock()
        try await Self.app(f, clock).test(.live) { client in
            let cookie = try await Self.signIn(client, f)
            for _ in 1...5 {
                clock.advance(minutes: 20)
                #expect(try await Self.me(client, cookie) == .ok)
            }
            // 100 minutes in, used every 20: past 120 minutes it ends.
            clock.advance(minutes: 21)
            #expect(try await Self.me(client, cookie) == .unauthorized)
            // A new sign-in starts a new session with a new end.
            let again = try await Self.signIn(client, f)
            #expect(again != cookie)
            #expect(try await Self.me(client, again) == .ok)
        }
    }
}
