import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import STOrders
import Testing

@testable import STOrdersServer

/// The advances' routes (docs/advances.md) over `ProcessRoutesTests`' fixture: the story
/// enterprise's order 19-2026-0001 in Thái Nguyên, funded on 2026-03-01 with a state budget of
/// 400.000.000 đồng, its output 1 (400.000.000 đồng) accepted on 2026-06-15. The demo sets no
/// advance limit. Each write answers the CLI's `--json` shape and is read back through the
/// library; each refusal answers its exact status and code and changes neither the order nor the
/// limit's history.
@Suite struct AdvanceRoutesTests {
    static let code = ProcessRoutesTests.code
    static let base = "/api/v1/orders/\(code)/advances"

    static func send(
        _ client: some TestClientProtocol, _ fixture: APIFixture, as login: String, _ method: HTTPRequest.Method,
        _ uri: String, _ body: String? = nil
    ) async throws -> TestResponse {
        try await client.send(method, uri, headers: fixture.bearer(login), body)
    }

    static func day(_ text: String) throws -> Day { try Day(parsing: text) }

    @Test func anOfficerAdvancesWithinTheLimitAPaymentSettlesItAndTheRestIsRecovered() async throws {
        let fixture = try ProcessRoutesTests.fixture()
        try await fixture.server.application.test(.router) { client in
            // The administrator sets the limit: 25% of 400.000.000 is 100.000.000 đồng.
            let set = try await Self.send(
                client, fixture, as: "admin", .put, "/api/v1/advance-limit", #"{"share": "25%"}"#)
            #expect(set.status == .ok, "\(set.text)")
            let setting = try set.object()
            #expect(setting["share"] as? String == "25%" && setting["share_basis_points"] as? Int == 2500)
            #expect(setting["set_by"] as? String == "admin")
            #expect(try fixture.store.advanceLimit()?.basisPoints == 2500)
            #expect(try fixture.store.advanceLimit()?.setBy == "admin")

            let made = try await Self.send(
                client, fixture, as: "officer", .post, Self.base,
                #"{"amount": "80.000.000", "reference": "UNC 0401/KBNN-Thái Nguyên – tạm ứng đợt 1", "date": "2026-04-01"}"#
            )
            #expect(made.status == .created, "\(made.text)")
            let advance = try made.object()
            #expect(advance["order_code"] as? String == Self.code && advance["number"] as? Int == 1)
            #expect(advance["kind"] as? String == "advance" && advance["amount"] as? Int == 80_000_000)
            #expect(advance["made_on"] as? String == "2026-04-01" && advance["limit_share"] as? Int == 2500)
            #expect(advance["reason"] is NSNull)
            let (stored, afterAdvance) = try fixture.store.advances(order: Self.code)
            #expect(
                stored == [
                    Advance(
                        orderCode: Self.code, number: 1, kind: .advance, amount: 80_000_000,
                        madeOn: try Self.day("2026-04-01"),
                        reference: "UNC 0401/KBNN-Thái Nguyên – tạm ứng đợt 1", limitShare: 2500)
                ])
            #expect(afterAdvance.outstanding == 80_000_000)
            // The history is in date order: the advance (2026-04-01) before the acceptance (2026-06-15).
            let events = try fixture.store.orderDetail(code: Self.code).events
            #expect(events.filter { $0.action == .advanced }.map(\.actor) == ["officer"])

            // A state payment settles what is outstanding first (the library's `pay`).
            let paid = try await Self.send(
                client, fixture, as: "officer", .post, "/api/v1/orders/\(Self.code)/payments",
                #"{"output": 1, "amount": 50000000, "reference": "UNC 0620", "date": "2026-06-20"}"#)
            #expect(paid.status == .created, "\(paid.text)")
            #expect(try paid.object()["settled"] as? Int == 50_000_000)

            // The enterprise reads its order's advances and balance.
            let listed = try await Self.send(client, fixture, as: "enterprise", .get, Self.base)
            #expect(listed.status == .ok, "\(listed.text)")
            let ledger = try listed.object()
            let rows = try #require(ledger["advances"] as? [[String: Any]])
            #expect(rows.map { $0["number"] as? Int } == [1])
            #expect(rows.first?["reference"] as? String == "UNC 0401/KBNN-Thái Nguyên – tạm ứng đợt 1")
            let balance = try #require(ledger["advance_balance"] as? [String: Any])
            #expect(balance["advanced"] as? Int == 80_000_000 && balance["settled"] as? Int == 50_000_000)
            #expect(balance["recovered"] as? Int == 0 && balance["outstanding"] as? Int == 30_000_000)

            // Without an amount, all that is outstanding is recovered.
            let recovered = try await Self.send(
                client, fixture, as: "officer", .post, Self.base + "/recovery",
                #"{"reason": "Doanh nghiệp hoàn trả phần tạm ứng chưa thanh toán", "reference": "GNT 0701/KBNN", "date": "2026-07-01"}"#
            )
            #expect(recovered.status == .created, "\(recovered.text)")
            let recovery = try recovered.object()
            #expect(recovery["kind"] as? String == "recovery" && recovery["number"] as? Int == 2)
            #expect(recovery["amount"] as? Int == 30_000_000 && recovery["limit_share"] is NSNull)
            #expect(recovery["reason"] as? String == "Doanh nghiệp hoàn trả phần tạm ứng chưa thanh toán")
            let (all, final) = try fixture.store.advances(order: Self.code)
            #expect(all.map(\.kind) == [.advance, .recovery])
            #expect(all.last?.reference == "GNT 0701/KBNN")
            #expect(final == AdvanceBalance(advanced: 80_000_000, settled: 50_000_000, recovered: 30_000_000))
            let last = try fixture.store.orderDetail(code: Self.code).events.last
            #expect(last?.action == .advanceRecovered && last?.actor == "officer")

            // Every account reads the limit and its history; null sets none.
            let read = try await Self.send(client, fixture, as: "enterprise", .get, "/api/v1/advance-limit")
            #expect(read.status == .ok, "\(read.text)")
            let limit = try #require(try read.object()["limit"] as? [String: Any])
            #expect(limit["share"] as? String == "25%" && limit["set_by"] as? String == "admin")
            let cleared = try await Self.send(
                client, fixture, as: "admin", .put, "/api/v1/advance-limit", #"{"share": null}"#)
            #expect(cleared.status == .ok, "\(cleared.text)")
            #expect(try cleared.object()["share"] is NSNull)
            #expect(try fixture.store.advanceLimitHistory().map(\.basisPoints) == [2500, nil])
            let history = try await Self.send(client, fixture, as: "auditor", .get, "/api/v1/advance-limit")
            let object = try history.object()
            #expect((object["limit"] as? [String: Any])?["share_basis_points"] is NSNull)
            let settings = try #require(object["history"] as? [[String: Any]])
            #expect(settings.map { $0["share"] as? String } == ["25%", "none"])
            #expect(settings.map { $0["set_by"] as? String } == ["admin", "admin"])
        }
    }

    @Test func withoutALimitSetEveryFieldOfTheLimitIsNull() async throws {
        let fixture = try ProcessRoutesTests.fixture()
        try await fixture.server.application.test(.router) { client in
            let read = try await Self.send(client, fixture, as: "officer", .get, "/api/v1/advance-limit")
            #expect(read.status == .ok)
            let object = try read.object()
            let limit = try #require(object["limit"] as? [String: Any])
            #expect(["share", "share_basis_points", "set_at", "set_by"].allSatisfy { limit[$0] is NSNull })
            #expect((object["history"] as? [Any])?.isEmpty == true)
        }
    }

    /// One refused request: its status, its code, and that neither the order nor the limit changed.
    static func expectRefused(
        _ client: some TestClientProtocol, _ fixture: APIFixture, as login: String, _ method: HTTPRequest.Method,
        _ uri: String, _ body: String?, _ status: HTTPResponse.Status, _ code: String, order: String = code,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let before = try fixture.fingerprint(order)
        let limits = try fixture.store.advanceLimitHistory()
        let response = try await send(client, fixture, as: login, method, uri, body)
        #expect(
            response.status == status, "\(method) \(uri) \(body ?? ""): \(response.text)",
            sourceLocation: sourceLocation)
        #expect(response.errorCode == code, "\(response.text)", sourceLocation: sourceLocation)
        let message = (try? response.object())?["error"].flatMap { $0 as? [String: Any] }?["message"] as? String
        #expect(message.map { !$0.isEmpty && !$0.contains("\n") } == true, "one line", sourceLocation: sourceLocation)
        #expect(try fixture.fingerprint(order) == before, "\(uri) changed the order", sourceLocation: sourceLocation)
        #expect(try fixture.store.advanceLimitHistory() == limits, "the limit changed", sourceLocation: sourceLocation)
    }

    @Test func theLibrarysRefusalsAnswerTheirStatusAndCodeAndChangeNothing() async throws {
        let fixture = try ProcessRoutesTests.fixture()
        let store = fixture.store
        let recovery = Self.base + "/recovery"
        try await fixture.server.application.test(.router) { client in
            let body = #"{"amount": 30000000, "reference": "UNC 0401/KBNN", "date": "2026-04-01"}"#
            // The demo sets no limit: no advance may be made.
            try await Self.expectRefused(
                client, fixture, as: "officer", .post, Self.base, body, .conflict, "advance_limit_unset")
            try store.setAdvanceLimit(basisPoints: 1000)  // 10%: 40.000.000 đồng
            try await Self.expectRefused(
                client, fixture, as: "officer", .post, Self.base,
                #"{"amount": 40000001, "reference": "UNC 0401/KBNN", "date": "2026-04-01"}"#, .conflict,
                "advance_exceeds_limit")
            // Dated before the funding (2026-03-01).
            try await Self.expectRefused(
                client, fixture, as: "officer", .post, Self.base,
                #"{"amount": 30000000, "reference": "UNC 0201/KBNN", "date": "2026-02-01"}"#, .conflict, "date_before")
            // Nothing is outstanding: there is nothing to recover.
            try await Self.expectRefused(
                client, fixture, as: "officer", .post, recovery, #"{"reason": "Hoàn trả", "date": "2026-04-02"}"#,
                .conflict, "recovery_exceeds_outstanding")
            try store.makeAdvance(
                order: Self.code, amount: 30_000_000, reference: "UNC 0401", on: try Self.day("2026-04-01"))
            try await Self.expectRefused(
                client, fixture, as: "officer", .post, recovery,
                #"{"amount": 30000001, "reason": "Hoàn trả vượt số dư", "date": "2026-04-02"}"#, .conflict,
                "recovery_exceeds_outstanding")
            // Dated before the advance it would recover.
            try await Self.expectRefused(
                client, fixture, as: "officer", .post, recovery,
                #"{"reason": "Hoàn trả trước ngày tạm ứng", "date": "2026-03-15"}"#, .conflict, "date_before")
            // An order with advances outstanding is not cancelled.
            try await Self.expectRefused(
                client, fixture, as: "officer", .post, "/api/v1/orders/\(Self.code)/cancellation",
                #"{"reason": "Dừng thực hiện nhiệm vụ", "date": "2026-06-16"}"#, .conflict, "advance_outstanding")
            // Within the limit (10.000.000 đồng left) but not within the budget: 380.000.000 đồng
            // paid from the state budget (30.000.000 of it settling the advance) leaves 20.000.000.
            try store.recordPayment(
                order: Self.code, output: 1, amount: 380_000_000, source: .state, reference: "UNC 0620",
                on: try Self.day("2026-06-20"))
            try store.setAdvanceLimit(basisPoints: 2000)  // 80.000.000 đồng, 30.000.000 counted
            try await Self.expectRefused(
                client, fixture, as: "officer", .post, Self.base,
                #"{"amount": 20000001, "reference": "UNC 0621/KBNN", "date": "2026-06-21"}"#, .conflict,
                "advance_exceeds_budget")

            // An order not funded: the lifecycle refuses.
            let ordered = try store.registerOrder(
                enterprise: try TaxCode(parsing: DemoData.storyTaxCode), title: "Đèn LED cho nhà kính",
                field: .innovation,
                outputs: [NewOutput(title: "Mẫu đèn", type: .product, novelty: .new, value: 100_000_000)],
                on: try Self.day("2026-05-01")
            ).code
            try await Self.expectRefused(
                client, fixture, as: "officer", .post, "/api/v1/orders/\(ordered)/advances",
                #"{"amount": 1000000, "reference": "UNC 0502", "date": "2026-05-02"}"#, .conflict, "transition_refused",
                order: ordered)
        }
    }

    @Test func badInputIs422WithOneLineAndChangesNothing() async throws {
        let fixture = try ProcessRoutesTests.fixture()
        try fixture.store.setAdvanceLimit(basisPoints: 3000)
        let recovery = Self.base + "/recovery"
        try await fixture.server.application.test(.router) { client in
            for (uri, body, code) in [
                (Self.base, #"{"reference": "UNC 0401"}"#, "missing_field"),
                (Self.base, #"{"amount": 1000000}"#, "missing_field"),
                (Self.base, #"{"amount": "một triệu", "reference": "UNC 0401"}"#, "invalid_amount"),
                (Self.base, #"{"amount": 0, "reference": "UNC 0401"}"#, "invalid_amount"),
                (Self.base, #"{"amount": -5, "reference": "UNC 0401"}"#, "invalid_amount"),
                (Self.base, #"{"amount": true, "reference": "UNC 0401"}"#, "invalid_body"),
                (Self.base, #"{"amount": 1000000, "reference": "   "}"#, "invalid_text"),
                (Self.base, #"{"amount": 1000000, "reference": "UNC", "date": "2026-02-30"}"#, "invalid_date"),
                (Self.base, "[1, 2]", "invalid_body"),
                (recovery, #"{"amount": 1000000}"#, "missing_field"),
                (recovery, #"{"reason": "Hoàn trả", "amount": "0"}"#, "invalid_amount"),
                (recovery, #"{"reason": ""}"#, "invalid_text"),
                (recovery, #"{"reason": "Hoàn trả", "reference": 12}"#, "invalid_body"),
            ] {
                try await Self.expectRefused(
                    client, fixture, as: "officer", .post, uri, body, .unprocessableContent, code)
            }
            for (body, code) in [
                (#"{"share": "150%"}"#, "invalid_value"), (#"{"share": "ba mươi phần trăm"}"#, "invalid_value"),
                (#"{"share": "12.345%"}"#, "invalid_value"), (#"{"share": "-5%"}"#, "invalid_value"),
                (#"{"share": 30}"#, "invalid_body"), ("{}", "missing_field"), (#"{"limit": "30%"}"#, "missing_field"),
            ] {
                try await Self.expectRefused(
                    client, fixture, as: "admin", .put, "/api/v1/advance-limit", body, .unprocessableContent, code)
            }
        }
    }

    @Test func whoMayAdvanceRecoverAndSetTheLimit() async throws {
        let fixture = try ProcessRoutesTests.fixture()
        try fixture.store.setAdvanceLimit(basisPoints: 3000)
        try fixture.store.makeAdvance(
            order: Self.code, amount: 10_000_000, reference: "UNC 0401", on: try Self.day("2026-04-01"))
        let advance = #"{"amount": 1000000, "reference": "UNC 0402", "date": "2026-04-02"}"#
        let recover = #"{"reason": "Hoàn trả tạm ứng", "date": "2026-04-02"}"#
        try await fixture.server.application.test(.router) { client in
            for (login, status, code) in [
                ("enterprise", HTTPResponse.Status.forbidden, "forbidden"), ("auditor", .forbidden, "forbidden"),
                ("tn-auditor", .forbidden, "forbidden"), ("admin", .forbidden, "forbidden"),
                ("hanoi-officer", .notFound, "unknown_order"),
            ] {
                try await Self.expectRefused(client, fixture, as: login, .post, Self.base, advance, status, code)
                try await Self.expectRefused(
                    client, fixture, as: login, .post, Self.base + "/recovery", recover, status, code)
            }
            // Another province's order reads as one that does not exist.
            let hidden = try await Self.send(client, fixture, as: "hanoi-officer", .get, Self.base)
            let missing = try await Self.send(
                client, fixture, as: "hanoi-officer", .get, "/api/v1/orders/19-2026-9999/advances")
            #expect(hidden.status == .notFound && hidden.errorCode == "unknown_order")
            #expect(hidden.text == missing.text.replacingOccurrences(of: "19-2026-9999", with: Self.code))
            for login in ["enterprise", "officer", "hanoi-officer", "auditor", "tn-auditor"] {
                try await Self.expectRefused(
                    client, fixture, as: login, .put, "/api/v1/advance-limit", #"{"share": "100%"}"#, .forbidden,
                    "forbidden")
            }
        }
    }
}
