import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import STOrders
import Testing

@testable import STOrdersServer

/// GET /api/v1/changes: the version moves with every change a reader's reports cover, and only
/// with those (a province's reader learns nothing of another province).
@Suite struct ChangeFeedTests {
    static func version(_ client: some TestClientProtocol, _ f: APIFixture, _ login: String) async throws -> String {
        let response = try await client.send(.get, "/api/v1/changes", headers: f.bearer(login))
        #expect(response.status == .ok, "\(login): \(response.text)")
        return try #require(try response.object()["version"] as? String)
    }

    @Test func theVersionMovesWithTheChangesInTheCallersScopeOnly() async throws {
        let f = try APIFixture()
        try await f.server.application.test(.router) { client in
            var tn = try await Self.version(client, f, "officer")
            var hn = try await Self.version(client, f, "hanoi-officer")
            var national = try await Self.version(client, f, "auditor")
            #expect(try await Self.version(client, f, "tn-auditor") == tn)
            #expect(try await Self.version(client, f, "admin") == national)
            // Reading changes nothing.
            #expect(try await Self.version(client, f, "officer") == tn)

            // An order registered in Thái Nguyên.
            let registered = try await client.send(
                .post, "/api/v1/orders", headers: f.bearer("officer"), APIFixture.newOrderBody)
            #expect(registered.status == .created)
            #expect(try await Self.version(client, f, "officer") != tn)
            #expect(try await Self.version(client, f, "auditor") != national)
            #expect(try await Self.version(client, f, "hanoi-officer") == hn)
            tn = try await Self.version(client, f, "officer")
            national = try await Self.version(client, f, "auditor")

            // Hà Nội's own target: Hà Nội's version moves, Thái Nguyên's does not.
            let hanoiTarget = try await client.send(
                .put, "/api/v1/targets/new_or_improved_outputs", headers: f.bearer("hanoi-officer"),
                #"{"value": 12, "province": "Hà Nội"}"#)
            #expect(hanoiTarget.status == .ok)
            #expect(try await Self.version(client, f, "hanoi-officer") != hn)
            #expect(try await Self.version(client, f, "officer") == tn)
            #expect(try await Self.version(client, f, "auditor") != national)
            hn = try await Self.version(client, f, "hanoi-officer")

            // A national target applies to every province: every version moves.
            let nationalTarget = try await client.send(
                .put, "/api/v1/targets/enterprises_innovating", headers: f.bearer("admin"), #"{"value": 150}"#)
            #expect(nationalTarget.status == .ok)
            #expect(try await Self.version(client, f, "officer") != tn)
            #expect(try await Self.version(client, f, "hanoi-officer") != hn)

            // An enterprise reads no reports: 403, as /reports/indicators.
            let enterprise = try await client.send(.get, "/api/v1/changes", headers: f.bearer("enterprise"))
            #expect(enterprise.status == .forbidden)
            #expect(enterprise.errorCode == "forbidden")
            #expect(try await client.send(.get, "/api/v1/changes").status == .unauthorized)
        }
    }

    /// Every kind of write the dashboard shows moves the national version: order steps append
    /// events, enterprises and targets append seals.
    @Test func everyKindOfWriteMovesTheVersion() throws {
        let store = try Store.inMemory(actor: "test")
        try DemoData.populate(store)
        var seen = [try store.changeVersion().description]
        func moved(_ what: String) throws {
            let now = try store.changeVersion().description
            #expect(!seen.contains(now), "\(what) did not move the version")
            seen.append(now)
        }
        let province = try Province.named("Cần Thơ")
        let taxCode = try TaxCode(parsing: "0100109106")
        _ = try store.addEnterprise(
            name: "Công ty Cổ phần Đổi mới Cần Thơ", taxCode: taxCode, province: province, innovativeStartup: true,
            on: try Day(parsing: "2026-01-05"))
        try moved("an enterprise")
        let order = try store.registerOrder(
            enterprise: taxCode, title: "Máy sấy lúa tiết kiệm năng lượng", field: .science,
            outputs: [NewOutput(title: "Máy sấy", type: .product, novelty: .new, value: 500_000_000)],
            on: try Day(parsing: "2026-01-10"))
        try moved("an order")
        _ = try store.fund(
            order: order.code, try Funding(stateBudget: 500_000_000, fundedOn: try Day(parsing: "2026-01-20")))
        try moved("a funding")
        _ = try store.setTarget(.innovativeStartups, .count(9), province: province)
        try moved("a target")
    }
}
