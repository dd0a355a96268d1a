import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import STOrders
import Testing

@testable import STOrdersServer

/// GET /due, GET /inbox and the amendments' routes, over the demo with one more order of the
/// story's enterprise in Thái Nguyên, funded with a contract period (the demo's own orders there
/// are delivered): each list holds the caller's scope only, each write answers the CLI's shape,
/// and each refusal answers its exact status and code and changes nothing.
@Suite struct DeadlineRoutesTests {
    /// The fixture's new order: outputs due 2026-09-30 and 2026-12-31, contract to 2027-03-31.
    static let code = "19-2026-0001"
    /// The demo's order of Thành phố Hồ Chí Minh, with an open request (amendment 2).
    static let saigon = "79-2025-0001"
    static let asOf = "2026-09-25"

    static func fixture() throws -> APIFixture {
        let fixture = try APIFixture()
        let store = fixture.store
        func day(_ s: String) throws -> Day { try Day(parsing: s) }
        let order = try store.registerOrder(
            enterprise: try TaxCode(parsing: DemoData.storyTaxCode), title: "Cảm biến đo độ ẩm đất cho chè",
            field: .innovation,
            outputs: [
                NewOutput(
                    title: "Mẫu cảm biến độ ẩm", type: .product, novelty: .new, value: 400_000_000,
                    dueOn: try day("2026-09-30")),
                NewOutput(
                    title: "Quy trình lắp đặt tại đồi chè", type: .model, novelty: .improved, value: 200_000_000,
                    dueOn: try day("2026-12-31")),
            ], on: try day("2026-02-02"))
        #expect(order.code == code)
        try store.fund(
            order: code,
            Funding(
                stateBudget: 400_000_000, enterpriseFunds: 200_000_000, fundedOn: try day("2026-03-01"),
                startsOn: try day("2026-03-01"), endsOn: try day("2027-03-31")))
        return fixture
    }

    static func post(
        _ client: some TestClientProtocol, _ fixture: APIFixture, as login: String, _ uri: String, _ body: String
    ) async throws -> TestResponse {
        try await client.send(.post, uri, headers: fixture.bearer(login), body)
    }

    static func get(_ client: some TestClientProtocol, _ fixture: APIFixture, as login: String, _ uri: String)
        async throws -> TestResponse
    {
        try await client.send(.get, uri, headers: fixture.bearer(login))
    }

    @Test func anOfficerExtendsAnEnterpriseAsksAndTheOfficerDecides() async throws {
        let fixture = try Self.fixture()
        try await fixture.server.application.test(.router) { client in
            let extended = try await Self.post(
                client, fixture, as: "officer", "/api/v1/orders/\(Self.code)/amendments",
                #"{"target": 1, "to": "2026-11-30", "reason": "Chậm nhập linh kiện cảm biến", "date": "2026-09-20"}"#)
            #expect(extended.status == .created, "\(extended.text)")
            let made = try extended.object()
            #expect(made["order_code"] as? String == Self.code)
            #expect(made["number"] as? Int == 1 && made["target"] as? String == "1")
            #expect(made["state"] as? String == "approved" && made["requested_by"] as? String == "officer")
            #expect(made["previous_on"] as? String == "2026-09-30" && made["proposed_on"] as? String == "2026-11-30")

            // A form works too: the enterprise asks for the contract's end.
            var form = fixture.bearer("enterprise")
            form[.contentType] = "application/x-www-form-urlencoded"
            let asked = try await client.send(
                .post, "/api/v1/orders/\(Self.code)/amendments", headers: form,
                "target=contract&to=2027-06-30&reason=M%C3%B9a%20m%C6%B0a%20k%C3%A9o%20d%C3%A0i&date=2026-09-21")
            #expect(asked.status == .created, "\(asked.text)")
            #expect(try asked.object()["state"] as? String == "requested")
            #expect(try asked.object()["requested_by"] as? String == "enterprise")

            // It waits in the officer's inbox and in the enterprise's own.
            for login in ["officer", "enterprise"] {
                let inbox = try await Self.get(client, fixture, as: login, "/api/v1/inbox?as_of=\(Self.asOf)")
                #expect(inbox.status == .ok)
                let amendments = try inbox.array().filter { $0["kind"] as? String == "amendment" }
                #expect(amendments.map { $0["order_code"] as? String } == [Self.code], "\(login)")
                #expect(amendments.first?["number"] as? Int == 2)
            }

            let approved = try await Self.post(
                client, fixture, as: "officer", "/api/v1/orders/\(Self.code)/amendments/2/approve",
                #"{"reason": "Đồng ý gia hạn hợp đồng", "date": "2026-09-24"}"#)
            #expect(approved.status == .ok, "\(approved.text)")
            #expect(try approved.object()["state"] as? String == "approved")
            #expect(try approved.object()["decided_on"] as? String == "2026-09-24")
            let detail = try fixture.store.orderDetail(code: Self.code)
            #expect(detail.amendments.map(\.state) == [.approved, .approved])
            #expect(detail.funding?.endsExtendedTo?.description == "2027-06-30")
            #expect(detail.events.suffix(3).map(\.actor) == ["officer", "enterprise", "officer"])

            // Refused once decided: 409, nothing changed.
            let before = try fixture.fingerprint(Self.code)
            let again = try await Self.post(
                client, fixture, as: "officer", "/api/v1/orders/\(Self.code)/amendments/2/refuse",
                #"{"reason": "Nhầm"}"#)
            #expect(again.status == .conflict)
            #expect(again.errorCode == "amendment_already_decided")
            #expect(try fixture.fingerprint(Self.code) == before)
        }
    }

    /// Through the API alone: an order registered with its outputs' due dates, funded with a
    /// contract period, then one of its dates extended; a period around a due date is refused.
    @Test func theAPIRegistersAndFundsWithDatesWhichCanThenBeAmended() async throws {
        let fixture = try APIFixture()
        try await fixture.server.application.test(.router) { client in
            let registered = try await Self.post(
                client, fixture, as: "enterprise", "/api/v1/orders",
                """
                {"title": "Đèn LED chiếu sáng nhà kính", "field": "innovation", "date": "2026-02-01",
                 "outputs": [{"title": "Mẫu đèn LED", "type": "product", "novelty": "new", "value": 300000000,
                              "due_on": "2026-08-31"}]}
                """)
            #expect(registered.status == .created, "\(registered.text)")
            let code = try #require(try registered.object()["code"] as? String)
            let outputs = try #require(try registered.object()["outputs"] as? [[String: Any]])
            #expect(outputs.first?["due_on"] as? String == "2026-08-31")
            let before = try fixture.fingerprint(code)
            let outside = try await Self.post(
                client, fixture, as: "officer", "/api/v1/orders/\(code)/funding",
                #"{"state_budget": 300000000, "date": "2026-03-01", "starts_on": "2026-03-01", "ends_on": "2026-06-30"}"#
            )
            #expect(outside.status == .conflict && outside.errorCode == "due_outside_period", "\(outside.text)")
            #expect(try fixture.fingerprint(code) == before)
            let funded = try await Self.post(
                client, fixture, as: "officer", "/api/v1/orders/\(code)/funding",
                #"{"state_budget": 300000000, "date": "2026-03-01", "starts_on": "2026-03-01", "ends_on": "2026-12-31"}"#
            )
            #expect(funded.status == .ok, "\(funded.text)")
            let funding = try #require(try funded.object()["funding"] as? [String: Any])
            #expect(funding["starts_on"] as? String == "2026-03-01" && funding["ends_on"] as? String == "2026-12-31")
            let extended = try await Self.post(
                client, fixture, as: "officer", "/api/v1/orders/\(code)/amendments",
                #"{"target": 1, "to": "2026-10-31", "reason": "Chờ kết quả thử nghiệm", "date": "2026-08-20"}"#)
            #expect(extended.status == .created, "\(extended.text)")
            #expect(try fixture.store.orderDetail(code: code).outputs.first?.extendedTo?.description == "2026-10-31")
        }
    }

    /// Each refusal: its status and code, and the order as it was.
    @Test(arguments: [
        // An enterprise may not decide, nor an auditor or an admin extend.
        ("enterprise", "amendments/1/approve", #"{"reason": "Tự duyệt"}"#, 403, "forbidden"),
        ("auditor", "amendments", #"{"target": 1, "to": "2026-11-30", "reason": "Thử"}"#, 403, "forbidden"),
        ("tn-auditor", "amendments", #"{"target": 1, "to": "2026-11-30", "reason": "Thử"}"#, 403, "forbidden"),
        ("admin", "amendments", #"{"target": 1, "to": "2026-11-30", "reason": "Thử"}"#, 403, "forbidden"),
        // Another province's officer: the order does not exist for it.
        ("hanoi-officer", "amendments", #"{"target": 1, "to": "2026-11-30", "reason": "Thử"}"#, 404, "unknown_order"),
        ("hanoi-officer", "amendments/1/approve", #"{"reason": "Thử"}"#, 404, "unknown_order"),
        // The rules of the library.
        (
            "officer", "amendments", #"{"target": 1, "to": "2026-09-01", "reason": "Sớm hơn"}"#, 409,
            "amendment_not_later"
        ),
        ("officer", "amendments", #"{"target": 3, "to": "2026-11-30", "reason": "Không có"}"#, 404, "unknown_output"),
        (
            "officer", "amendments", #"{"target": 2, "to": "2027-05-31", "reason": "Quá hạn HĐ"}"#, 409,
            "due_outside_period"
        ),
        ("officer", "amendments/9/approve", #"{"reason": "Không có"}"#, 404, "unknown_amendment"),
        ("officer", "amendments/x/refuse", #"{"reason": "Không có"}"#, 404, "unknown_amendment"),
        // Malformed input.
        ("officer", "amendments", #"{"to": "2026-11-30", "reason": "Thiếu"}"#, 422, "missing_field"),
        ("officer", "amendments", #"{"target": "hợp đồng", "to": "2026-11-30", "reason": "Sai"}"#, 422, "invalid_body"),
        ("officer", "amendments", #"{"target": 1, "to": "2026-02-30", "reason": "Sai ngày"}"#, 422, "invalid_date"),
        ("officer", "amendments", #"{"target": 1, "to": "2026-11-30"}"#, 422, "missing_field"),
        ("officer", "amendments/1/approve", #"{}"#, 422, "missing_field"),
    ])
    func aRefusalAnswersItsStatusAndChangesNothing(
        _ login: String, _ path: String, _ body: String, _ status: Int, _ code: String
    ) async throws {
        let fixture = try Self.fixture()
        // Amendment 1 is an open request of the enterprise's, for output 1.
        try fixture.store.acting(as: "enterprise").requestAmendment(
            order: Self.code, .output(1), to: try Day(parsing: "2026-10-31"), reason: "Chờ linh kiện",
            on: try Day(parsing: "2026-09-10"))
        let before = try fixture.fingerprint(Self.code)
        try await fixture.server.application.test(.router) { client in
            let response = try await Self.post(
                client, fixture, as: login, "/api/v1/orders/\(Self.code)/\(path)", body)
            #expect(Int(response.status.code) == status, "\(login) \(path) \(body): \(response.text)")
            #expect(response.errorCode == code, "\(login) \(path): \(response.text)")
            if status == 404 && code == "unknown_order" {
                // A hidden order answers what an order that does not exist answers.
                let missing = "19-2026-9999"
                let nothing = try await Self.post(client, fixture, as: login, "/api/v1/orders/\(missing)/\(path)", body)
                #expect(nothing.status == .notFound)
                #expect(nothing.text.replacingOccurrences(of: missing, with: Self.code) == response.text)
            }
        }
        #expect(try fixture.fingerprint(Self.code) == before)
    }

    /// While the enterprise's request for output 1 is open, the officer's own extension of it
    /// is refused; the request is decided first.
    @Test func anOpenRequestIsDecidedBeforeAnotherChangeOfItsDate() async throws {
        let fixture = try Self.fixture()
        try await fixture.server.application.test(.router) { client in
            let asked = try await Self.post(
                client, fixture, as: "enterprise", "/api/v1/orders/\(Self.code)/amendments",
                #"{"target": "1", "to": "2026-10-31", "reason": "Chờ linh kiện", "date": "2026-09-10"}"#)
            #expect(asked.status == .created)
            let before = try fixture.fingerprint(Self.code)
            let own = try await Self.post(
                client, fixture, as: "officer", "/api/v1/orders/\(Self.code)/amendments",
                #"{"target": 1, "to": "2026-11-30", "reason": "Cán bộ tự gia hạn", "date": "2026-09-11"}"#)
            #expect(own.status == .conflict)
            #expect(own.errorCode == "amendment_request_open")
            #expect(try fixture.fingerprint(Self.code) == before)
            // An enterprise asks only for its own orders: another's does not exist for it.
            let other = try await Self.post(
                client, fixture, as: "enterprise", "/api/v1/orders/\(Self.saigon)/amendments",
                #"{"target": "contract", "to": "2027-09-30", "reason": "Thử"}"#)
            #expect(other.status == .notFound)
            #expect(other.errorCode == "unknown_order")
        }
    }

    @Test func theDueListHoldsTheCallersScopeOnly() async throws {
        let fixture = try Self.fixture()
        try await fixture.server.application.test(.router) { client in
            func due(_ login: String, _ query: String) async throws -> [[String: Any]] {
                let response = try await Self.get(client, fixture, as: login, "/api/v1/due?as_of=\(Self.asOf)&\(query)")
                #expect(response.status == .ok, "\(login) \(query): \(response.text)")
                return try response.array()
            }
            // Everything within a year, as the national auditor: several provinces.
            let all = try await due("auditor", "within=365")
            #expect(Set(all.compactMap { $0["province_code"] as? String }).isSuperset(of: ["19", "79"]))
            // The story's enterprise: its own order only, even when it asks for another.
            let own = try await due("enterprise", "within=365")
            #expect(!own.isEmpty)
            #expect(own.allSatisfy { $0["enterprise_tax_code"] as? String == DemoData.storyTaxCode })
            #expect(try await due("enterprise", "within=365&enterprise=0312345673").isEmpty)
            // The officer: its province only; another province asked is nothing.
            let province = try await due("officer", "within=365")
            #expect(province.map { $0["order_code"] as? String } == [Self.code, Self.code, Self.code])
            #expect(province.map { $0["kind"] as? String } == ["output 1", "output 2", "contract end"])
            #expect(province.first?["days_late"] as? Int == -5)
            #expect(try await due("officer", "within=365&province=79").isEmpty)
            #expect(try await due("hanoi-officer", "within=365").allSatisfy { $0["province_code"] as? String == "01" })
            // Overdue: nothing of the new order is late yet; the saigon output is not either (due 2026-09-30).
            #expect(try await due("officer", "overdue=true").isEmpty)
            let late = try await Self.get(client, fixture, as: "officer", "/api/v1/due?as_of=2026-10-05&overdue=true")
            #expect(try late.array().map { $0["days_late"] as? Int } == [5])

            let both = try await Self.get(client, fixture, as: "officer", "/api/v1/due?overdue=true&within=3")
            #expect(both.status == .unprocessableContent && both.errorCode == "invalid_body")
            let wide = try await Self.get(client, fixture, as: "officer", "/api/v1/due?within=5000")
            #expect(wide.status == .unprocessableContent && wide.errorCode == "invalid_value")
            let admin = try await Self.get(client, fixture, as: "admin", "/api/v1/due")
            #expect(admin.status == .forbidden && admin.errorCode == "forbidden")
        }
    }

    @Test func theInboxIsTheSignedInAccountsScope() async throws {
        let fixture = try Self.fixture()
        try await fixture.server.application.test(.router) { client in
            func inbox(_ login: String, _ query: String = "") async throws -> [[String: Any]] {
                let response = try await Self.get(
                    client, fixture, as: login, "/api/v1/inbox?as_of=\(Self.asOf)\(query)")
                #expect(response.status == .ok, "\(login): \(response.text)")
                return try response.array()
            }
            // The national auditor sees the saigon request; the Thái Nguyên officer and the
            // story's enterprise do not, and see their own order's output due within 7 days.
            let everything = try await inbox("auditor")
            #expect(
                everything.contains {
                    $0["order_code"] as? String == Self.saigon && $0["kind"] as? String == "amendment"
                })
            for login in ["officer", "enterprise", "tn-auditor"] {
                let items = try await inbox(login)
                #expect(items.allSatisfy { $0["province_code"] as? String == "19" }, "\(login)")
                #expect(
                    items.contains { $0["order_code"] as? String == Self.code && $0["kind"] as? String == "acceptance" }
                )
            }
            #expect(
                try await inbox("enterprise").allSatisfy {
                    $0["enterprise_tax_code"] as? String == DemoData.storyTaxCode
                })
            #expect(try await inbox("hanoi-officer").allSatisfy { $0["province_code"] as? String == "01" })
            #expect(try await inbox("auditor", "&limit=1").count == 1)
            let limit = try await Self.get(client, fixture, as: "officer", "/api/v1/inbox?limit=0")
            #expect(limit.status == .unprocessableContent && limit.errorCode == "invalid_value")
            let admin = try await Self.get(client, fixture, as: "admin", "/api/v1/inbox")
            #expect(admin.status == .forbidden && admin.errorCode == "forbidden")
        }
    }
}
