import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import STOrders
import Testing

@testable import STOrdersServer

/// The API through HummingbirdTesting's router: every route answers, and the main refusals
/// answer with their exact status and code and change nothing.
@Suite struct APITests {
    @Test func theOpenAPIDocumentNamesEveryRouteAndNoOther() async throws {
        let fixture = try APIFixture()
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.text.utf8)) as? [String: Any])
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        var documented: Set<String> = []
        for (path, operations) in paths {
            for method in operations.keys { documented.insert("\(method.uppercased()) \(path)") }
        }
        // The pages (docs/web.md) are HTML, not the API: the document names the API's routes.
        let routed = Set(
            fixture.server.state.routes.routes.filter { !ErrorMiddleware.isPagePath($0.pattern) }.map {
                "\($0.method.rawValue) \($0.pattern)"
            })
        #expect(routed.count > 25)
        #expect(routed.subtracting(documented).isEmpty, "routes missing from openapi.json")
        #expect(documented.subtracting(routed).isEmpty, "documented but not routed")
        try await fixture.server.application.test(.router) { client in
            let response = try await client.send(.get, "/api/v1/openapi.json")
            #expect(response.status == .ok)
            #expect(try response.object()["openapi"] as? String == "3.1.0")
        }
    }

    @Test func withoutCredentialsEveryAPIRouteIs401() async throws {
        let fixture = try APIFixture()
        try await fixture.server.application.test(.router) { client in
            for route in fixture.server.state.routes.routes
            where route.pattern.hasPrefix("/api/v1") && route.pattern != "/api/v1/openapi.json"
                && !(route.pattern == "/api/v1/session" && route.method == .post)
            {
                let uri = route.pattern.replacingOccurrences(of: "{code}", with: "19-2025-0001")
                    .replacingOccurrences(of: "{number}", with: "1").replacingOccurrences(
                        of: "{key}", with: "innovative_startups"
                    )
                    .replacingOccurrences(of: "{tax_code}", with: "4601234560")
                let response = try await client.send(
                    route.method, uri, headers: [.contentType: "application/json"], "{}")
                #expect(response.status == .unauthorized, "\(route.method) \(uri)")
                #expect(response.errorCode == "unauthenticated")
            }
            let forged = try await client.send(.get, "/api/v1/me", headers: [.authorization: "Bearer not-a-token"])
            #expect(forged.status == .unauthorized)
        }
    }

    @Test func signInSetsANewHttpOnlySecureCookieEachTimeAndSignOutEndsIt() async throws {
        let fixture = try APIFixture()
        try await fixture.server.application.test(.router) { client in
            let body = #"{"login": "officer", "password": "\#(APIFixture.password)"}"#
            let first = try await client.send(
                .post, "/api/v1/session", headers: [.contentType: "application/json"], body)
            #expect(first.status == .created)
            let setCookie = try #require(first.headers[.setCookie])
            #expect(
                setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Lax") && setCookie.contains("Secure"))
            let cookie = try #require(first.sessionCookie)
            #expect(try first.object()["csrf_token"] is String)
            let second = try await client.send(
                .post, "/api/v1/session", headers: [.contentType: "application/json"], body)
            #expect(second.sessionCookie != cookie)

            let me = try await client.send(.get, "/api/v1/me", headers: [.cookie: cookie])
            #expect(me.status == .ok)
            #expect(try me.object()["login"] as? String == "officer")
            #expect(try me.object()["province"] as? String == "Thái Nguyên")

            let out = try await client.send(
                .delete, "/api/v1/session", headers: [.cookie: cookie, .origin: "https://localhost"])
            #expect(out.status == .noContent)
            let after = try await client.send(.get, "/api/v1/me", headers: [.cookie: cookie])
            #expect(after.status == .unauthorized)
        }
    }

    @Test func aFormSignInWorksLikeJSON() async throws {
        let fixture = try APIFixture()
        try await fixture.server.application.test(.router) { client in
            let response = try await client.send(
                .post, "/api/v1/session", headers: [.contentType: "application/x-www-form-urlencoded"],
                "login=admin&password=\(APIFixture.password.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
            )
            #expect(response.status == .created)
            #expect(try response.object()["role"] as? String == "admin")
        }
    }

    @Test func failedSignInsAreSlowedDownPerLogin() async throws {
        let fixture = try APIFixture()
        try await fixture.server.application.test(.router) { client in
            let json: HTTPFields = [.contentType: "application/json"]
            for _ in 0..<5 {
                let wrong = try await client.send(
                    .post, "/api/v1/session", headers: json, #"{"login": "officer", "password": "wrong-password"}"#)
                #expect(wrong.status == .unauthorized)
                #expect(wrong.errorCode == "authentication_failed")
            }
            let right = #"{"login": "officer", "password": "\#(APIFixture.password)"}"#
            let throttled = try await client.send(.post, "/api/v1/session", headers: json, right)
            #expect(throttled.status == .tooManyRequests)
            #expect(throttled.errorCode == "too_many_attempts")
            #expect(Int(throttled.headers[.retryAfter] ?? "") ?? 0 > 0)
            #expect(try fixture.store.auditLog().contains { $0.event == "login_throttled" && $0.login == "officer" })
            fixture.clock.advance(seconds: 15 * 60 + 1)
            let later = try await client.send(.post, "/api/v1/session", headers: json, right)
            #expect(later.status == .created)
        }
    }

    @Test func aSessionEndsWhenIdleTooLong() async throws {
        let fixture = try APIFixture()
        try await fixture.server.application.test(.router) { client in
            let signIn = try await client.send(
                .post, "/api/v1/session", headers: [.contentType: "application/json"],
                #"{"login": "auditor", "password": "\#(APIFixture.password)"}"#)
            let cookie = try #require(signIn.sessionCookie)
            fixture.clock.advance(seconds: 29 * 60)
            #expect(try await client.send(.get, "/api/v1/me", headers: [.cookie: cookie]).status == .ok)
            fixture.clock.advance(seconds: 31 * 60)
            let expired = try await client.send(.get, "/api/v1/me", headers: [.cookie: cookie])
            #expect(expired.status == .unauthorized)
            #expect(expired.headers[.setCookie]?.contains("Max-Age=0") == true)
        }
    }

    @Test func cookieWritesMustBeSameOriginAndFormsCarryTheToken() async throws {
        let fixture = try APIFixture()
        let code = "19-2025-0001"
        try await fixture.server.application.test(.router) { client in
            let signIn = try await client.send(
                .post, "/api/v1/session", headers: [.contentType: "application/json"],
                #"{"login": "officer", "password": "\#(APIFixture.password)"}"#)
            let cookie = try #require(signIn.sessionCookie)
            let csrf = try #require(try signIn.object()["csrf_token"] as? String)
            let before = try fixture.fingerprint(code)
            let uri = "/api/v1/orders/\(code)/results/1/retraction"
            let form = "application/x-www-form-urlencoded"
            let refusals: [HTTPFields] = [
                [.cookie: cookie, .contentType: "application/json"],
                [.cookie: cookie, .contentType: "application/json", .origin: "https://evil.example"],
                [.cookie: cookie, .contentType: "application/json", HTTPField.Name("Sec-Fetch-Site")!: "cross-site"],
                [.cookie: cookie, .contentType: form, .origin: "https://localhost"],
            ]
            for headers in refusals {
                let body = headers[.contentType] == form ? "reason=Sai+số+liệu" : #"{"reason": "Sai số liệu"}"#
                let response = try await client.send(.post, uri, headers: headers, body)
                #expect(response.status == .forbidden)
                #expect(response.errorCode == "csrf")
            }
            #expect(try fixture.fingerprint(code) == before)
            let withToken = try await client.send(
                .post, uri, headers: [.cookie: cookie, .contentType: form, .origin: "https://localhost"],
                "reason=Sai+s%E1%BB%91+li%E1%BB%87u&csrf_token=\(csrf)")
            #expect(withToken.status == .ok, "\(withToken.text)")
            #expect(try withToken.object()["retract_reason"] as? String == "Sai số liệu")
        }
    }

    @Test func anOrderGoesThroughItsLifecycleRecordedAsEachAccount() async throws {
        let fixture = try APIFixture()
        try await fixture.server.application.test(.router) { client in
            let registered = try await client.send(
                .post, "/api/v1/orders", headers: fixture.bearer("enterprise"), APIFixture.newOrderBody)
            #expect(registered.status == .created, "\(registered.text)")
            let code = try #require(try registered.object()["code"] as? String)
            #expect((try registered.object()["outputs"] as? [Any])?.count == 2)
            #expect(try registered.object()["outputs_value"] as? Int == 500_000_000)
            let officer = fixture.bearer("officer")
            let steps: [(HTTPRequest.Method, String, String, HTTPResponse.Status)] = [
                (
                    .post, "outputs",
                    #"{"title": "Báo cáo", "type": "service", "novelty": "new", "value": 100000000, "date": "2026-02-05"}"#,
                    .created
                ),
                (
                    .post, "funding",
                    #"{"state_budget": 400000000, "enterprise_funds": "200.000.000", "date": "2026-02-10"}"#, .ok
                ),
                (.post, "outputs/1/acceptance", #"{"evidence": "Biên bản nghiệm thu", "date": "2026-03-01"}"#, .ok),
                (.post, "outputs/2/acceptance", #"{"date": "2026-03-02"}"#, .ok),
                (.post, "payments", #"{"output": 1, "amount": 300000000, "date": "2026-03-05"}"#, .created),
                (
                    .post, "payments/1/reversal", #"{"reason": "Ghi nhầm", "amount": 1000000, "date": "2026-03-06"}"#,
                    .created
                ),
            ]
            for (method, path, body, status) in steps {
                let response = try await client.send(method, "/api/v1/orders/\(code)/\(path)", headers: officer, body)
                #expect(response.status == status, "\(path): \(response.text)")
            }
            let third = try await client.send(
                .post, "/api/v1/orders/\(code)/outputs/3/acceptance", headers: officer, #"{"date": "2026-03-03"}"#)
            #expect(try third.object()["order_state"] as? String == "delivered")
            let result = try await client.send(
                .post, "/api/v1/orders/\(code)/results", headers: fixture.bearer("enterprise"),
                #"{"channel": "sale", "revenue": 0, "note": "Bán cho nhà máy", "date": "2026-04-01"}"#)
            #expect(result.status == .created, "\(result.text)")
            #expect(try result.object()["order_state"] as? String == "commercialized")
            let retracted = try await client.send(
                .post, "/api/v1/orders/\(code)/results/1/retraction", headers: officer,
                #"{"reason": "Hợp đồng bị huỷ", "date": "2026-04-02"}"#)
            #expect(retracted.status == .ok)

            let shown = try await client.send(.get, "/api/v1/orders/\(code)", headers: officer)
            #expect(
                shown.text == Shape.detail(try fixture.store.orderDetail(code: code)).serialized(indent: nil) + "\n")
            let history = try await client.send(.get, "/api/v1/orders/\(code)/history", headers: officer).array()
            let actors = Set(history.compactMap { $0["actor"] as? String })
            #expect(actors == ["enterprise", "officer"])
            #expect(history.allSatisfy { ($0["hash"] as? String)?.isEmpty == false })
        }
    }

    @Test func outOfScopeIs404AsForAMissingOrderAndNotAllowedIs403() async throws {
        let fixture = try APIFixture()
        let code = "19-2025-0001"
        let before = try fixture.fingerprint(code)
        try await fixture.server.application.test(.router) { client in
            let hidden = try await client.send(.get, "/api/v1/orders/\(code)", headers: fixture.bearer("hanoi-officer"))
            let missing = try await client.send(.get, "/api/v1/orders/19-2099-0001", headers: fixture.bearer("officer"))
            #expect(hidden.status == .notFound && missing.status == .notFound)
            #expect(hidden.errorCode == "unknown_order" && missing.errorCode == "unknown_order")
            #expect(hidden.text == APIError(from: STOrdersError.unknownOrder(code: code)).body)
            let hiddenWrite = try await client.send(
                .post, "/api/v1/orders/\(code)/cancellation", headers: fixture.bearer("hanoi-officer"),
                #"{"reason": "x"}"#)
            #expect(hiddenWrite.status == .notFound)
            let enterpriseFunds = try await client.send(
                .post, "/api/v1/orders/\(code)/funding", headers: fixture.bearer("enterprise"),
                #"{"state_budget": 1000}"#)
            #expect(enterpriseFunds.status == .forbidden)
            #expect(enterpriseFunds.errorCode == "forbidden")
            let auditorWrites = try await client.send(
                .post, "/api/v1/orders/\(code)/cancellation", headers: fixture.bearer("auditor"), #"{"reason": "x"}"#)
            #expect(auditorWrites.status == .forbidden)
            let adminReads = try await client.send(.get, "/api/v1/orders/\(code)", headers: fixture.bearer("admin"))
            #expect(adminReads.status == .forbidden)
            // The enterprise withdraws only while ordered: this order is commercialized.
            let withdraw = try await client.send(
                .post, "/api/v1/orders/\(code)/cancellation", headers: fixture.bearer("enterprise"),
                #"{"reason": "Rút"}"#)
            #expect(withdraw.status == .forbidden)
        }
        #expect(try fixture.fingerprint(code) == before)
    }

    @Test func rulesRefuseWith409Or422AndChangeNothingAndAreCounted() async throws {
        let fixture = try APIFixture(configure: { $0.metricsToken = "a-metrics-token-of-32-characters" })
        let code = "19-2025-0001"
        let before = try fixture.fingerprint(code)
        try await fixture.server.application.test(.router) { client in
            let officer = fixture.bearer("officer")
            let tooMuch = try await client.send(
                .post, "/api/v1/orders/\(code)/payments", headers: officer,
                #"{"output": 1, "amount": 999000000000, "date": "2026-05-01"}"#)
            #expect(tooMuch.status == .conflict)
            #expect(tooMuch.errorCode == "payment_exceeds_output")
            let badDate = try await client.send(
                .post, "/api/v1/orders/\(code)/payments", headers: officer,
                #"{"output": 1, "amount": 1000, "date": "2026-02-30"}"#)
            #expect(badDate.status == .unprocessableContent)
            #expect(badDate.errorCode == "invalid_date")
            let missing = try await client.send(.post, "/api/v1/orders/\(code)/payments", headers: officer, "{}")
            #expect(missing.status == .unprocessableContent)
            #expect(missing.errorCode == "missing_field")
            let notJSON = try await client.send(.post, "/api/v1/orders/\(code)/payments", headers: officer, "{output")
            #expect(notJSON.errorCode == "invalid_body")
            let twice = try await client.send(
                .post, "/api/v1/orders/\(code)/outputs", headers: officer,
                #"{"title": "Thêm", "type": "model", "novelty": "new", "value": 1000}"#)
            #expect(twice.status == .conflict)
            #expect(twice.errorCode == "transition_refused")
            let metrics = try await client.send(
                .get, "/metrics", headers: [.authorization: "Bearer a-metrics-token-of-32-characters"])
            #expect(metrics.text.contains(#"storders_writes_refused_total{code="payment_exceeds_output"} 1"#))
            #expect(metrics.text.contains(#"storders_writes_refused_total{code="invalid_date"} 1"#))
        }
        #expect(try fixture.fingerprint(code) == before)
    }

    @Test func theOrderListIsScopedNewestFirstAndPaged() async throws {
        let fixture = try APIFixture()
        try await fixture.server.application.test(.router) { client in
            let all = try await client.send(.get, "/api/v1/orders?limit=200", headers: fixture.bearer("auditor"))
            let everything = try #require(try all.object()["orders"] as? [[String: Any]])
            let dates = everything.compactMap { $0["ordered_on"] as? String }
            #expect(dates.count > 3 && dates == dates.sorted(by: >))
            var seen: [String] = []
            var cursor: String? = nil
            repeat {
                let uri = "/api/v1/orders?limit=2" + (cursor.map { "&cursor=\($0)" } ?? "")
                let page = try await client.send(.get, uri, headers: fixture.bearer("auditor")).object()
                seen += (page["orders"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }
                cursor = page["next_cursor"] as? String
            } while cursor != nil
            #expect(seen == everything.compactMap { $0["code"] as? String })
            let own = try await client.send(.get, "/api/v1/orders", headers: fixture.bearer("enterprise")).object()
            let owners = Set(
                (own["orders"] as? [[String: Any]] ?? []).compactMap { $0["enterprise_tax_code"] as? String })
            #expect(owners == [DemoData.storyTaxCode])
            let elsewhere = try await client.send(
                .get, "/api/v1/orders?province=Hà%20Nội", headers: fixture.bearer("officer")
            ).object()
            #expect((elsewhere["orders"] as? [Any])?.isEmpty == true)
            let tooMany = try await client.send(.get, "/api/v1/orders?limit=201", headers: fixture.bearer("officer"))
            #expect(tooMany.status == .unprocessableContent)
            let admin = try await client.send(.get, "/api/v1/orders", headers: fixture.bearer("admin"))
            #expect(admin.status == .forbidden)
        }
    }

    @Test func enterprisesAreScopedAndAddedByTheirProvincesOfficer() async throws {
        let fixture = try APIFixture()
        try await fixture.server.application.test(.router) { client in
            let own = try await client.send(.get, "/api/v1/enterprises", headers: fixture.bearer("enterprise")).array()
            #expect(own.compactMap { $0["tax_code"] as? String } == [DemoData.storyTaxCode])
            let hanoi = try await client.send(
                .get, "/api/v1/enterprises/0100233488", headers: fixture.bearer("enterprise"))
            #expect(hanoi.status == .notFound)
            #expect(hanoi.errorCode == "unknown_enterprise")
            let visible = try await client.send(
                .get, "/api/v1/enterprises/0100233488", headers: fixture.bearer("hanoi-officer"))
            #expect(try visible.object()["province"] as? String == "Hà Nội")
            let body = #"{"name": "Công ty CP Cơ khí Phổ Yên", "tax_code": "4600100155", "province": "Thái Nguyên"}"#
            let byEnterprise = try await client.send(
                .post, "/api/v1/enterprises", headers: fixture.bearer("enterprise"), body)
            #expect(byEnterprise.status == .forbidden)
            let byOtherOfficer = try await client.send(
                .post, "/api/v1/enterprises", headers: fixture.bearer("hanoi-officer"), body)
            #expect(byOtherOfficer.status == .forbidden)
            #expect(throws: STOrdersError.self) {
                try fixture.store.enterprise(taxCode: TaxCode(parsing: "4600100155"))
            }
            let added = try await client.send(.post, "/api/v1/enterprises", headers: fixture.bearer("officer"), body)
            #expect(added.status == .created, "\(added.text)")
            #expect(try added.object()["name"] as? String == "Công ty CP Cơ khí Phổ Yên")
        }
    }

    @Test func reportsResultsAndTargetsKeepToTheScope() async throws {
        let fixture = try APIFixture()
        try await fixture.server.application.test(.router) { client in
            let officer = fixture.bearer("officer")
            let indicators = try await client.send(.get, "/api/v1/reports/indicators?year=2025", headers: officer)
            #expect(indicators.status == .ok)
            #expect(try indicators.object()["province"] as? String == "Thái Nguyên")
            let elsewhere = try await client.send(
                .get, "/api/v1/reports/indicators?year=2025&province=01", headers: officer)
            #expect(elsewhere.status == .forbidden)
            let byEnterprise = try await client.send(
                .get, "/api/v1/reports/indicators", headers: fixture.bearer("enterprise"))
            #expect(byEnterprise.status == .forbidden)
            let provinces = try await client.send(.get, "/api/v1/reports/provinces?year=2025", headers: officer).array()
            #expect(provinces.compactMap { $0["province"] as? String } == ["Thái Nguyên"])
            let national = try await client.send(
                .get, "/api/v1/reports/provinces?year=2025", headers: fixture.bearer("auditor")
            ).array()
            #expect(national.count > 1)
            let results = try await client.send(.get, "/api/v1/results", headers: fixture.bearer("enterprise")).array()
            #expect(!results.isEmpty)
            #expect(results.allSatisfy { $0["enterprise_tax_code"] as? String == DemoData.storyTaxCode })
            let targets = try await client.send(.get, "/api/v1/targets", headers: officer)
            #expect(targets.status == .ok)

            let own = try await client.send(
                .put, "/api/v1/targets/innovative_startups", headers: officer,
                #"{"value": 12, "province": "Thái Nguyên"}"#)
            #expect(own.status == .ok, "\(own.text)")
            #expect(try own.object()["set_by"] as? String == "officer")
            let nationalByOfficer = try await client.send(
                .put, "/api/v1/targets/innovative_startups", headers: officer, #"{"value": 12}"#)
            #expect(nationalByOfficer.status == .forbidden)
            let nationalByAdmin = try await client.send(
                .put, "/api/v1/targets/orders_decided_share", headers: fixture.bearer("admin"), #"{"value": "85%"}"#)
            #expect(nationalByAdmin.status == .ok, "\(nationalByAdmin.text)")
            let unknownKey = try await client.send(
                .put, "/api/v1/targets/no_such_key", headers: fixture.bearer("admin"), #"{"value": 1}"#)
            #expect(unknownKey.status == .unprocessableContent)
        }
    }

    @Test func auditorsVerifyAndExportOthersMayNot() async throws {
        let fixture = try APIFixture()
        try await fixture.server.application.test(.router) { client in
            let verify = try await client.send(.get, "/api/v1/verify", headers: fixture.bearer("auditor"))
            #expect(verify.status == .ok)
            #expect(try verify.object()["ok"] as? Bool == true)
            let export = try await client.send(.get, "/api/v1/export", headers: fixture.bearer("auditor"))
            #expect(export.status == .ok)
            #expect(export.headers[.contentType] == "application/x-ndjson; charset=utf-8")
            let lines = export.text.split(separator: "\n")
            #expect(lines.count > 10)
            for line in lines { #expect((try? JSONSerialization.jsonObject(with: Data(line.utf8))) is [String: Any]) }
            #expect(lines.first?.contains(#""format":"storders-export""#) == true)
            for login in ["officer", "enterprise", "tn-auditor"] {
                #expect(
                    try await client.send(.get, "/api/v1/verify", headers: fixture.bearer(login)).status == .forbidden)
                #expect(
                    try await client.send(.get, "/api/v1/export", headers: fixture.bearer(login)).status == .forbidden)
            }
        }
    }

    @Test func aDisabledAccountsTokenStopsAtOnce() async throws {
        let fixture = try APIFixture()
        try await fixture.server.application.test(.router) { client in
            #expect(try await client.send(.get, "/api/v1/me", headers: fixture.bearer("officer")).status == .ok)
            _ = try fixture.store.setAccountDisabled(login: "officer", true, by: "admin")
            let after = try await client.send(.get, "/api/v1/me", headers: fixture.bearer("officer"))
            #expect(after.status == .unauthorized)
        }
    }
}
