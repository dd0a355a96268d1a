import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import STOrders
import STOrdersServer
import Testing

/// Every route of the API × every role × whose record it touches, through HummingbirdTesting's
/// router, against `AccessFixture` (built fresh for each cell). The expected statuses are
/// written out below by hand from docs/SERVER.md's roles and routes: this table is the oracle
/// for the library's `Access` policy and the routes' use of it, so nothing here asks the policy.
///
/// Each cell checks: the status; 401 `unauthenticated` without credentials; 403 `forbidden` in
/// scope but not allowed; a 404 for a hidden record answers, byte for byte, what the same request
/// on a record that does not exist answers; a refusal changed nothing (the export is the same);
/// an allowed write really happened and is in the history as the account's login.
@Suite struct AccessMatrixTests {
    typealias Who = AccessFixture.Who
    typealias Whose = AccessFixture.Whose

    /// One route as the matrix calls it.
    enum Route: String, CaseIterable, Sendable {
        case me, signOut, openAPI
        case listEnterprises, showEnterprise, addEnterprise
        case listOrders, registerOrder, showOrder, history
        case addOutput, addOutputWhenFunded, fund, accept, pay, reverse, commercialize, retract
        case cancel, cancelWhenFunded
        case results, indicators, provinces, targets, setProvinceTarget, setNationalTarget
        case verify, export
        case listAdvances, makeAdvance, recoverAdvance, advanceLimit, setAdvanceLimit

        /// Whether the route changes records (its 2xx must be seen in the store afterwards).
        var writes: Bool {
            switch self {
            case .addEnterprise, .registerOrder, .addOutput, .addOutputWhenFunded, .fund, .accept, .pay, .reverse,
                .commercialize, .retract, .cancel, .cancelWhenFunded, .setProvinceTarget, .setNationalTarget,
                .makeAdvance, .recoverAdvance,
                .setAdvanceLimit:
                return true
            default:
                return false
            }
        }
    }

    /// A request: method, path and query, JSON body.
    struct Call {
        var method: HTTPRequest.Method
        var uri: String
        var body: String?
    }

    // MARK: The oracle

    /// The expected status of each route for each caller, for the records of (own, sameProvince,
    /// otherProvince) — or one status when the route touches no one's record in particular.
    /// Written from SERVER.md: out of scope 404, in scope but not allowed 403, no credentials 401.
    /// Choices where SERVER.md is silent (each follows the roles table): an admin does no order
    /// work and reads no order (403 even for reading); a provincial auditor may not verify or
    /// export (both cover the whole file, every province); a report or target of another
    /// province is 403 (a province is not a hidden record); adding an enterprise in another
    /// province is 403 for an officer.
    // Columns: enterprise | officer | provincial auditor | national auditor | admin | no credentials;
    // in each, the own / sameProvince / otherProvince records (one status: the route names none).
    static let table: [(Route, String)] = [
        (.me, "200 | 200 | 200 | 200 | 200 | 401"),
        (.signOut, "204 | 204 | 204 | 204 | 204 | 401"),
        (.openAPI, "200 | 200 | 200 | 200 | 200 | 200"),
        (.listEnterprises, "200 | 200 | 200 | 200 | 200 | 401"),
        (.showEnterprise, "200 404 404 | 200 200 404 | 200 200 404 | 200 200 200 | 200 200 200 | 401 401 401"),
        (.addEnterprise, "403 403 403 | 201 201 403 | 403 403 403 | 403 403 403 | 201 201 201 | 401 401 401"),
        (.listOrders, "200 | 200 | 200 | 200 | 403 | 401"),
        (.registerOrder, "201 404 404 | 201 201 404 | 403 403 404 | 403 403 403 | 403 403 403 | 401 401 401"),
        (.showOrder, "200 404 404 | 200 200 404 | 200 200 404 | 200 200 200 | 403 403 403 | 401 401 401"),
        (.history, "200 404 404 | 200 200 404 | 200 200 404 | 200 200 200 | 403 403 403 | 401 401 401"),
        (.addOutput, "201 404 404 | 201 201 404 | 403 403 404 | 403 403 403 | 403 403 403 | 401 401 401"),
        // An enterprise adds outputs only while ordered (403); an officer may, and the lifecycle refuses (409).
        (.addOutputWhenFunded, "403 404 404 | 409 409 404 | 403 403 404 | 403 403 403 | 403 403 403 | 401 401 401"),
        (.fund, "403 404 404 | 200 200 404 | 403 403 404 | 403 403 403 | 403 403 403 | 401 401 401"),
        (.accept, "403 404 404 | 200 200 404 | 403 403 404 | 403 403 403 | 403 403 403 | 401 401 401"),
        (.pay, "403 404 404 | 201 201 404 | 403 403 404 | 403 403 403 | 403 403 403 | 401 401 401"),
        (.reverse, "403 404 404 | 201 201 404 | 403 403 404 | 403 403 403 | 403 403 403 | 401 401 401"),
        (.commercialize, "201 404 404 | 201 201 404 | 403 403 404 | 403 403 403 | 403 403 403 | 401 401 401"),
        (.retract, "403 404 404 | 200 200 404 | 403 403 404 | 403 403 403 | 403 403 403 | 401 401 401"),
        (.cancel, "200 404 404 | 200 200 404 | 403 403 404 | 403 403 403 | 403 403 403 | 401 401 401"),
        // An enterprise withdraws only while ordered; an officer cancels a funded order.
        (.cancelWhenFunded, "403 404 404 | 200 200 404 | 403 403 404 | 403 403 403 | 403 403 403 | 401 401 401"),
        (.results, "200 | 200 | 200 | 200 | 403 | 401"),
        (.indicators, "403 403 403 | 200 200 403 | 200 200 403 | 200 200 200 | 200 200 200 | 401 401 401"),
        (.provinces, "403 | 200 | 200 | 200 | 200 | 401"),
        (.targets, "403 403 403 | 200 200 403 | 200 200 403 | 200 200 200 | 200 200 200 | 401 401 401"),
        (.setProvinceTarget, "403 403 403 | 200 200 403 | 403 403 403 | 403 403 403 | 403 403 403 | 401 401 401"),
        (.setNationalTarget, "403 | 403 | 403 | 403 | 200 | 401"),
        (.verify, "403 | 403 | 403 | 200 | 200 | 401"),
        (.export, "403 | 403 | 403 | 200 | 200 | 401"),
        // Advances (docs/advances.md): read as the order is; made and recovered by an officer of
        // the order's province. The limit is read by every account (as the checklist) and set by
        // an admin only: it holds for every province's orders, as a national target does.
        (.listAdvances, "200 404 404 | 200 200 404 | 200 200 404 | 200 200 200 | 403 403 403 | 401 401 401"),
        (.makeAdvance, "403 404 404 | 201 201 404 | 403 403 404 | 403 403 403 | 403 403 403 | 401 401 401"),
        (.recoverAdvance, "403 404 404 | 201 201 404 | 403 403 404 | 403 403 403 | 403 403 403 | 401 401 401"),
        (.advanceLimit, "200 | 200 | 200 | 200 | 200 | 401"),
        (.setAdvanceLimit, "403 | 403 | 403 | 403 | 200 | 401"),
    ]

    /// A row of the table read: the statuses of each caller.
    static func statuses(_ row: String) -> [Who: [Int]] {
        let columns = row.split(separator: "|").map { $0.split(separator: " ").compactMap { Int($0) } }
        return Dictionary(uniqueKeysWithValues: zip(Who.allCases, columns))
    }

    /// One cell of the table.
    struct Cell: Sendable, CustomStringConvertible {
        let route: Route
        let who: Who
        let whose: Whose
        let status: Int
        var description: String { "\(route.rawValue) as \(who) on \(whose)'s → \(status)" }
    }

    static let cells: [Cell] = table.flatMap { route, row in
        let statuses = AccessMatrixTests.statuses(row)
        return Who.allCases.flatMap { who -> [Cell] in
            let row = statuses[who] ?? []
            let targets: [Whose] = row.count == 1 ? [.own] : Whose.allCases
            return zip(targets, row).map { Cell(route: route, who: who, whose: $0, status: $1) }
        }
    }

    @Test func theTableCoversEveryRouteAndCallerOnce() {
        #expect(Set(Self.table.map(\.0)) == Set(Route.allCases))
        #expect(Self.table.count == Route.allCases.count)
        for (route, row) in Self.table {
            let statuses = Self.statuses(row)
            #expect(Set(statuses.keys) == Set(Who.allCases), "\(route)")
            let widths = Set(statuses.values.map(\.count))
            #expect(widths == [1] || widths == [3], "\(route): \(widths)")
        }
    }

    // MARK: The requests

    static func query(_ province: Province) -> String {
        province.name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? province.code
    }

    static func call(_ route: Route, _ f: AccessFixture, _ whose: Whose) throws -> Call {
        let orders = try f.orders(whose)
        let province = f.province(whose)
        switch route {
        case .me: return Call(method: .get, uri: "/api/v1/me")
        case .signOut: return Call(method: .delete, uri: "/api/v1/session")
        case .openAPI: return Call(method: .get, uri: "/api/v1/openapi.json")
        case .listEnterprises: return Call(method: .get, uri: "/api/v1/enterprises")
        case .showEnterprise: return Call(method: .get, uri: "/api/v1/enterprises/\(try f.taxCode(whose).value)")
        case .addEnterprise:
            return Call(
                method: .post, uri: "/api/v1/enterprises",
                body: """
                    {"name": "Công ty TNHH Đổi mới Sáng tạo Hồ Gươm", "tax_code": "\(f.freshTaxCode.value)",
                     "province": "\(province.name)", "innovative_startup": true, "date": "2025-09-01"}
                    """)
        case .listOrders: return Call(method: .get, uri: "/api/v1/orders")
        case .registerOrder:
            return Call(
                method: .post, uri: "/api/v1/orders",
                body: """
                    {"enterprise": "\(try f.taxCode(whose).value)", "title": "Chế tạo robot hàn ống thép",
                     "field": "innovation", "date": "2025-10-01",
                     "outputs": [{"title": "Nguyên mẫu robot hàn", "type": "product", "novelty": "new",
                                  "value": 700000000}]}
                    """)
        case .showOrder: return Call(method: .get, uri: "/api/v1/orders/\(orders.ordered)")
        case .history: return Call(method: .get, uri: "/api/v1/orders/\(orders.funded)/history")
        case .addOutput, .addOutputWhenFunded:
            let code = route == .addOutput ? orders.ordered : orders.funded
            return Call(
                method: .post, uri: "/api/v1/orders/\(code)/outputs",
                body: """
                    {"title": "Báo cáo đánh giá độ bền", "type": "service", "novelty": "improved",
                     "value": 80000000, "date": "2025-10-02"}
                    """)
        case .fund:
            return Call(
                method: .post, uri: "/api/v1/orders/\(orders.ordered)/funding",
                body: #"{"state_budget": 450000000, "enterprise_funds": 50000000, "date": "2025-10-03"}"#)
        case .accept:
            return Call(
                method: .post, uri: "/api/v1/orders/\(orders.funded)/outputs/2/acceptance",
                body: #"{"evidence": "Biên bản nghiệm thu số 15/2025", "date": "2025-10-04"}"#)
        case .pay:
            return Call(
                method: .post, uri: "/api/v1/orders/\(orders.funded)/payments",
                body:
                    #"{"output": 1, "amount": 50000000, "source": "state", "reference": "UNC-0042", "date": "2025-10-05"}"#
            )
        case .reverse:
            return Call(
                method: .post, uri: "/api/v1/orders/\(orders.funded)/payments/1/reversal",
                body: #"{"reason": "Ghi nhầm số tiền", "date": "2025-10-06"}"#)
        case .commercialize:
            return Call(
                method: .post, uri: "/api/v1/orders/\(orders.commercialized)/results",
                body:
                    #"{"channel": "license", "revenue": 25000000, "note": "Chuyển giao cho Công ty Đồng Tâm", "date": "2025-10-07"}"#
            )
        case .retract:
            return Call(
                method: .post, uri: "/api/v1/orders/\(orders.commercialized)/results/1/retraction",
                body: #"{"reason": "Hợp đồng bị hủy bỏ", "date": "2025-10-08"}"#)
        case .cancel, .cancelWhenFunded:
            let code = route == .cancel ? orders.ordered : orders.funded
            return Call(
                method: .post, uri: "/api/v1/orders/\(code)/cancellation",
                body: #"{"reason": "Doanh nghiệp rút hồ sơ", "date": "2025-10-09"}"#)
        case .results: return Call(method: .get, uri: "/api/v1/results")
        case .indicators:
            return Call(method: .get, uri: "/api/v1/reports/indicators?year=2025&province=\(query(province))")
        case .provinces: return Call(method: .get, uri: "/api/v1/reports/provinces?year=2025")
        case .targets: return Call(method: .get, uri: "/api/v1/targets?province=\(query(province))")
        case .setProvinceTarget:
            return Call(
                method: .put, uri: "/api/v1/targets/new_or_improved_outputs",
                body: #"{"value": 45, "province": "\#(province.name)"}"#)
        case .setNationalTarget:
            return Call(method: .put, uri: "/api/v1/targets/enterprises_innovating", body: #"{"value": 120}"#)
        case .verify: return Call(method: .get, uri: "/api/v1/verify")
        case .export: return Call(method: .get, uri: "/api/v1/export")
        case .listAdvances: return Call(method: .get, uri: "/api/v1/orders/\(orders.funded)/advances")
        case .makeAdvance:
            return Call(
                method: .post, uri: "/api/v1/orders/\(orders.funded)/advances",
                body: #"{"amount": 90000000, "reference": "UNC 0620/KBNN-HN – tạm ứng đợt 1", "date": "2025-06-20"}"#)
        case .recoverAdvance:
            return Call(
                method: .post, uri: "/api/v1/orders/\(orders.funded)/advances/recovery",
                body:
                    #"{"amount": 20000000, "reason": "Doanh nghiệp hoàn trả một phần tạm ứng", "reference": "GNT-0701", "date": "2025-07-01"}"#
            )
        case .advanceLimit: return Call(method: .get, uri: "/api/v1/advance-limit")
        case .setAdvanceLimit: return Call(method: .put, uri: "/api/v1/advance-limit", body: #"{"share": "25%"}"#)
        }
    }

    /// What a route needs in the fixture before it is called (the fixture sets no advance limit
    /// and makes no advance): an advance limit of 30% to advance within, and an advance of
    /// 60.000.000 đồng outstanding on each funded order to recover.
    static func prepare(_ route: Route, _ f: AccessFixture) throws {
        guard route == .makeAdvance || route == .recoverAdvance else { return }
        try f.store.setAdvanceLimit(basisPoints: 3000)
        guard route == .recoverAdvance else { return }
        for whose in Whose.allCases {
            try f.store.makeAdvance(
                order: try f.orders(whose).funded, amount: 60_000_000, reference: "UNC-0619",
                on: try AccessFixture.day("2025-06-19"))
        }
    }

    /// The same request on a record that does not exist (nil: the route names no record).
    static func callOnNothing(_ route: Route, _ f: AccessFixture, _ whose: Whose) throws -> (Call, String, String)? {
        let call = try Self.call(route, f, whose)
        let orders = try f.orders(whose)
        let hidden: String
        switch route {
        case .showEnterprise, .registerOrder: hidden = try f.taxCode(whose).value
        case .showOrder, .addOutput, .fund, .cancel: hidden = orders.ordered
        case .history, .addOutputWhenFunded, .accept, .pay, .reverse, .cancelWhenFunded, .listAdvances, .makeAdvance,
            .recoverAdvance:
            hidden = orders.funded
        case .commercialize, .retract: hidden = orders.commercialized
        default: return nil
        }
        // An unknown one of the same form: another sequence number, or a tax code on no enterprise.
        let namesAnEnterprise = route == .showEnterprise || route == .registerOrder
        let missing = namesAnEnterprise ? f.unknownTaxCode.value : String(hidden.dropLast(4)) + "9999"
        var other = call
        other.uri = call.uri.replacingOccurrences(of: hidden, with: missing)
        other.body = call.body?.replacingOccurrences(of: hidden, with: missing)
        return (other, hidden, missing)
    }

    static func execute(
        _ client: some TestClientProtocol, _ call: Call, _ f: AccessFixture, _ who: Who
    ) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if let token = f.tokens[who] { headers[.authorization] = "Bearer \(token)" }
        if call.body != nil { headers[.contentType] = "application/json" }
        return try await client.execute(
            uri: call.uri, method: call.method, headers: headers, body: call.body.map { ByteBuffer(string: $0) })
    }

    static func errorCode(_ response: TestResponse) -> String? {
        let object = try? JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8))
        return ((object as? [String: Any])?["error"] as? [String: Any])?["code"] as? String
    }

    static func app(_ f: AccessFixture) throws -> StoreServerApplication {
        try buildApplication(
            ServerConfiguration(database: .store(f.store), port: 0, databaseThreads: 1, passwordThreads: 1))
    }

    // MARK: The matrix

    @Test(arguments: cells)
    func cell(_ cell: Cell) async throws {
        let f = try AccessFixture()
        try Self.prepare(cell.route, f)
        let before = try f.fingerprint()
        let call = try Self.call(cell.route, f, cell.whose)
        try await Self.app(f).test(.router) { client in
            let response = try await Self.execute(client, call, f, cell.who)
            let text = String(buffer: response.body)
            #expect(Int(response.status.code) == cell.status, "\(cell): got \(response.status.code) \(text)")
            switch Int(response.status.code) {
            case 401: #expect(Self.errorCode(response) == "unauthenticated", "\(cell): \(text)")
            case 403: #expect(Self.errorCode(response) == "forbidden", "\(cell): \(text)")
            case 404:
                // A hidden record answers exactly what a missing one answers.
                if let (other, hidden, missing) = try Self.callOnNothing(cell.route, f, cell.whose) {
                    let nothing = try await Self.execute(client, other, f, cell.who)
                    #expect(nothing.status == .notFound, "\(cell): the missing record answered \(nothing.status)")
                    let expected = String(buffer: nothing.body).replacingOccurrences(of: missing, with: hidden)
                    #expect(text == expected, "\(cell): hidden \(text) vs missing \(expected)")
                } else {
                    Issue.record("\(cell): 404 on a route that names no record: \(text)")
                }
            default: break
            }
            if (200..<300).contains(Int(response.status.code)) {
                if cell.route.writes {
                    try Self.expectWritten(cell, f, response: text)
                } else {
                    #expect(try f.fingerprint() == before, "\(cell): a read changed the records")
                }
            } else {
                #expect(try f.fingerprint() == before, "\(cell): a refusal changed the records")
            }
        }
    }

    /// The allowed write is in the store, and in the order's history as the account.
    static func expectWritten(_ cell: Cell, _ f: AccessFixture, response: String) throws {
        let login = try #require(f.logins[cell.who])
        let orders = try f.orders(cell.whose)
        func lastEvent(_ code: String) throws -> Event? { try f.store.orderDetail(code: code).events.last }
        switch cell.route {
        case .addEnterprise:
            let added = try f.store.enterprise(taxCode: f.freshTaxCode)
            #expect(added.name == "Công ty TNHH Đổi mới Sáng tạo Hồ Gươm")
            #expect(added.province == f.province(cell.whose))
        case .registerOrder:
            let object = try JSONSerialization.jsonObject(with: Data(response.utf8)) as? [String: Any]
            let code = try #require(object?["code"] as? String, "\(cell): no code in \(response)")
            let detail = try f.store.orderDetail(code: code)
            #expect(detail.order.enterpriseTaxCode == (try f.taxCode(cell.whose)))
            #expect(detail.order.title == "Chế tạo robot hàn ống thép")
            #expect(detail.outputs.map(\.value) == [700_000_000])
            #expect(detail.events.first?.actor == login)
        case .addOutput:
            let detail = try f.store.orderDetail(code: orders.ordered)
            #expect(detail.outputs.map(\.title) == ["Mẫu cảm biến đo độ mặn", "Báo cáo đánh giá độ bền"])
            #expect(detail.events.last?.action == .outputAdded)
            #expect(detail.events.last?.actor == login)
        case .fund:
            let detail = try f.store.orderDetail(code: orders.ordered)
            #expect(detail.order.state == .funded)
            #expect(detail.funding?.stateBudget == 450_000_000)
            #expect(try lastEvent(orders.ordered)?.actor == login)
        case .accept:
            let detail = try f.store.orderDetail(code: orders.funded)
            #expect(detail.outputs.last?.evidence == "Biên bản nghiệm thu số 15/2025")
            #expect(detail.order.state == .delivered)
            #expect(detail.events.contains { $0.action == .outputAccepted && $0.actor == login })
        case .pay:
            let detail = try f.store.orderDetail(code: orders.funded)
            #expect(detail.payments.map(\.amount) == [100_000_000, 50_000_000])
            #expect(detail.events.last?.action == .paymentRecorded)
            #expect(detail.events.last?.actor == login)
        case .reverse:
            let detail = try f.store.orderDetail(code: orders.funded)
            #expect(detail.payments.count == 2)
            #expect(detail.payments.last?.reverses == 1)
            #expect(detail.events.last?.action == .paymentReversed)
            #expect(detail.events.last?.actor == login)
        case .commercialize:
            let detail = try f.store.orderDetail(code: orders.commercialized)
            #expect(detail.results.map(\.revenue) == [150_000_000, 25_000_000])
            #expect(detail.events.last?.actor == login)
        case .retract:
            let detail = try f.store.orderDetail(code: orders.commercialized)
            #expect(detail.results.first?.retractReason == "Hợp đồng bị hủy bỏ")
            #expect(detail.events.last?.action == .resultRetracted)
            #expect(detail.events.last?.actor == login)
        case .cancel, .cancelWhenFunded:
            let code = cell.route == .cancel ? orders.ordered : orders.funded
            let detail = try f.store.orderDetail(code: code)
            #expect(detail.order.state == .cancelled)
            #expect(detail.events.last?.action == .cancelled)
            #expect(detail.events.last?.actor == login)
        case .setProvinceTarget:
            let targets = try f.store.targets(province: f.province(cell.whose))
            #expect(
                targets.contains { $0.key == .newOrImprovedOutputs && $0.value == .count(45) },
                "\(cell): \(targets)")
        case .makeAdvance:
            let (advances, balance) = try f.store.advances(order: orders.funded)
            #expect(advances.map(\.amount) == [90_000_000] && advances.first?.limitShare == 3000, "\(cell)")
            #expect(advances.first?.reference == "UNC 0620/KBNN-HN – tạm ứng đợt 1")
            #expect(balance.outstanding == 90_000_000)
            #expect(try lastEvent(orders.funded)?.action == .advanced)
            #expect(try lastEvent(orders.funded)?.actor == login)
        case .recoverAdvance:
            let (advances, balance) = try f.store.advances(order: orders.funded)
            #expect(advances.map(\.kind) == [.advance, .recovery], "\(cell)")
            #expect(advances.last?.reason == "Doanh nghiệp hoàn trả một phần tạm ứng")
            #expect(balance.recovered == 20_000_000 && balance.outstanding == 40_000_000)
            #expect(try lastEvent(orders.funded)?.action == .advanceRecovered)
            #expect(try lastEvent(orders.funded)?.actor == login)
        case .setAdvanceLimit:
            let history = try f.store.advanceLimitHistory()
            #expect(history.map(\.basisPoints) == [2500], "\(cell)")
            #expect(history.first?.setBy == login)
        case .setNationalTarget:
            let targets = try f.store.targets(province: nil)
            #expect(targets.contains { $0.key == .enterprisesInnovating && $0.value == .count(120) }, "\(cell)")
        default:
            Issue.record("\(cell): no check of the write")
        }
    }

    // MARK: Lists hold exactly the caller's scope

    /// The orders each caller's list holds: its scope, nothing outside it.
    @Test(arguments: [Who.enterprise, .officer, .provincialAuditor, .nationalAuditor])
    func theOrderListHoldsExactlyTheScope(_ who: Who) async throws {
        let f = try AccessFixture()
        let visible: [Whose] =
            switch who {
            case .enterprise: [.own]
            case .officer, .provincialAuditor: [.own, .sameProvince]
            default: Whose.allCases
            }
        let expected = Set(
            try visible.flatMap { whose -> [String] in
                let o = try f.orders(whose)
                return [o.ordered, o.funded, o.commercialized]
            })
        try await Self.app(f).test(.router) { client in
            let response = try await Self.execute(client, Call(method: .get, uri: "/api/v1/orders"), f, who)
            #expect(response.status == .ok)
            let object = try JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8))
            let rows = try #require((object as? [String: Any])?["orders"] as? [[String: Any]])
            #expect(Set(rows.compactMap { $0["code"] as? String }) == expected)
            // Asking for another province's or another enterprise's orders finds none.
            let otherProvince = Call(method: .get, uri: "/api/v1/orders?province=\(Self.query(f.provinceB))")
            let other = try await Self.execute(client, otherProvince, f, who)
            #expect(other.status == .ok)
            let otherObject = try JSONSerialization.jsonObject(with: Data(String(buffer: other.body).utf8))
            let otherRows = try #require((otherObject as? [String: Any])?["orders"] as? [[String: Any]])
            #expect(otherRows.count == (who == .nationalAuditor ? 3 : 0))

            // The enterprises' list, likewise.
            let enterprises = try await Self.execute(client, Call(method: .get, uri: "/api/v1/enterprises"), f, who)
            #expect(enterprises.status == .ok)
            let list = try JSONSerialization.jsonObject(with: Data(String(buffer: enterprises.body).utf8))
            let taxCodes = ((list as? [[String: Any]]) ?? []).compactMap { $0["tax_code"] as? String }
            #expect(Set(taxCodes) == Set(try visible.map { try f.taxCode($0).value }), "\(who): \(taxCodes)")

            // The results' list: one result per commercialized order in scope.
            let results = try await Self.execute(client, Call(method: .get, uri: "/api/v1/results"), f, who)
            #expect(results.status == .ok)
            let resultRows = try JSONSerialization.jsonObject(with: Data(String(buffer: results.body).utf8))
            let resultCodes = ((resultRows as? [[String: Any]]) ?? []).compactMap { $0["order_code"] as? String }
            #expect(
                Set(resultCodes) == Set(try visible.map { try f.orders($0).commercialized }),
                "\(who): \(String(buffer: results.body))")
        }
    }

    /// An officer adding an enterprise whose tax code another province already holds is refused
    /// (tax codes are unique), without learning that enterprise's name: it is outside the scope.
    @Test func aTaxCodeTakenInAnotherProvinceIsRefusedWithoutNamingItsEnterprise() async throws {
        let f = try AccessFixture()
        let before = try f.fingerprint()
        let taken = try f.taxCode(.otherProvince).value
        try await Self.app(f).test(.router) { client in
            let call = Call(
                method: .post, uri: "/api/v1/enterprises",
                body: #"{"name": "Công ty Mới Hà Nội", "tax_code": "\#(taken)", "province": "Hà Nội"}"#)
            let response = try await Self.execute(client, call, f, .officer)
            let text = String(buffer: response.body)
            #expect(response.status == .conflict, "\(text)")
            #expect(Self.errorCode(response) == "duplicate_tax_code")
            #expect(!text.contains("Hàn Giang"), "the answer names an enterprise of Đà Nẵng: \(text)")
        }
        #expect(try f.fingerprint() == before)
    }

    /// A disabled account's token stops at once (the next request is 401), and nothing it sends changes anything.
    @Test func aDisabledAccountsTokenStopsAtOnce() async throws {
        let f = try AccessFixture()
        let officer = try #require(f.logins[.officer])
        try await Self.app(f).test(.router) { client in
            let fund = try Self.call(.fund, f, .own)
            var pay = try Self.call(.pay, f, .own)
            #expect(try await Self.execute(client, Self.call(.me, f, .own), f, .officer).status == .ok)
            _ = try f.store.setAccountDisabled(login: officer, true, by: "quantri")
            let before = try f.fingerprint()
            for call in [fund, pay] {
                let response = try await Self.execute(client, call, f, .officer)
                #expect(response.status == .unauthorized)
                #expect(Self.errorCode(response) == "unauthenticated")
            }
            #expect(try f.fingerprint() == before)
            // Enabled again, the same token works.
            _ = try f.store.setAccountDisabled(login: officer, false, by: "quantri")
            pay.body = pay.body?.replacingOccurrences(of: "UNC-0042", with: "UNC-0043")
            #expect(try await Self.execute(client, pay, f, .officer).status == .created)
        }
    }
}
