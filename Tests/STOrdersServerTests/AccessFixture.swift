import Foundation
import STOrders

/// The database the access matrix runs against: two provinces (Hà Nội, Đà Nẵng), three
/// enterprises (two in Hà Nội, one in Đà Nẵng), for each enterprise an order in each state the
/// routes need, and one account of each role with an API token. Built fresh for every cell of
/// the matrix, so that an allowed write in one cell cannot change another's answer.
struct AccessFixture {
    /// Whose records a request touches, seen from the enterprise account and the Hà Nội staff.
    enum Whose: String, CaseIterable, Sendable, CustomStringConvertible {
        /// The enterprise account's own enterprise, in Hà Nội.
        case own
        /// Another enterprise of Hà Nội: another enterprise's, the officer's province.
        case sameProvince
        /// An enterprise of Đà Nẵng: another province's.
        case otherProvince

        var description: String { rawValue }
    }

    /// Who sends the request.
    enum Who: String, CaseIterable, Sendable, CustomStringConvertible {
        case enterprise, officer, provincialAuditor, nationalAuditor, admin, nobody

        var description: String { rawValue }
    }

    /// The orders of one enterprise, one in each state the routes need.
    struct Orders: Sendable {
        /// `ordered`, one output (500,000,000 đ).
        let ordered: String
        /// `funded` (600,000,000 state budget, 200,000,000 own funds), two outputs of 400,000,000 đ,
        /// the first accepted and paid 100,000,000 đ (payment 1), the second not yet accepted.
        let funded: String
        /// `commercialized`: one output accepted, one result (number 1) standing.
        let commercialized: String
    }

    static let hanoi = Province.all.first { $0.name == "Hà Nội" }
    static let danang = Province.all.first { $0.name == "Đà Nẵng" }
    static let password = "mật-khẩu-thử-nghiệm-42"

    let store: Store
    let provinceA: Province
    let provinceB: Province
    let taxCodes: [Whose: TaxCode]
    let orders: [Whose: Orders]
    let logins: [Who: String]
    let tokens: [Who: String]
    /// A tax code that is valid and on no enterprise (a new one for POST /enterprises).
    let freshTaxCode: TaxCode
    /// A valid tax code of no enterprise, to compare a hidden record's answer with a missing one's.
    let unknownTaxCode: TaxCode

    /// The first valid tax code `prefix` + one check digit gives (the check digit is computed by
    /// the library's own parser, so the fixture needs no copy of the rule).
    static func taxCode(_ prefix: String) throws -> TaxCode {
        for digit in 0...9 {
            if let code = try? TaxCode(parsing: prefix + String(digit)) { return code }
        }
        throw FixtureError(description: "no valid tax code starts with \(prefix)")
    }

    struct FixtureError: Error, CustomStringConvertible {
        let description: String
    }

    static func day(_ text: String) throws -> Day { try Day(parsing: text) }

    /// Fills `store` (a new in-memory one by default; the live tests give a file).
    init(store given: Store? = nil) throws {
        guard let hanoi = Self.hanoi, let danang = Self.danang else {
            throw FixtureError(description: "the provinces Hà Nội and Đà Nẵng are not in Province.all")
        }
        provinceA = hanoi
        provinceB = danang
        store = try given ?? Store.inMemory(actor: "fixture")
        let codes: [Whose: TaxCode] = [
            .own: try Self.taxCode("010023348"),
            .sameProvince: try Self.taxCode("010111222"),
            .otherProvince: try Self.taxCode("040123456"),
        ]
        taxCodes = codes
        freshTaxCode = try Self.taxCode("010777888")
        unknownTaxCode = try Self.taxCode("010999000")
        let names: [Whose: String] = [
            .own: "Công ty Cổ phần Công nghệ Sông Hồng",
            .sameProvince: "Công ty TNHH Vật liệu mới Thăng Long",
            .otherProvince: "Công ty Cổ phần Điện tử Hàn Giang",
        ]
        let provinces: [Whose: Province] = [.own: hanoi, .sameProvince: hanoi, .otherProvince: danang]
        var orders: [Whose: Orders] = [:]
        for target in Whose.allCases {
            guard let taxCode = codes[target], let name = names[target], let province = provinces[target] else {
                continue
            }
            try store.addEnterprise(
                name: name, taxCode: taxCode, province: province, innovativeStartup: target == .own,
                on: try Self.day("2025-01-06"))
            orders[target] = try Self.makeOrders(store, taxCode)
        }
        self.orders = orders

        let accounts: [(Who, NewAccount)] = [
            (.enterprise, NewAccount(login: "dn.songhong", role: .enterprise, enterprise: codes[.own])),
            (.officer, NewAccount(login: "canbo.hanoi", role: .officer, province: hanoi)),
            (.provincialAuditor, NewAccount(login: "kiemtoan.hanoi", role: .auditor, province: hanoi)),
            (.nationalAuditor, NewAccount(login: "kiemtoan.quocgia", role: .auditor)),
            (.admin, NewAccount(login: "quantri", role: .admin)),
        ]
        var logins: [Who: String] = [:]
        var tokens: [Who: String] = [:]
        for (who, new) in accounts {
            let account = try store.addAccount(new, password: Self.password, cost: 4, by: "fixture")
            logins[who] = account.login
            tokens[who] = try store.createToken(login: account.login, name: "ma trận", by: "fixture").token
        }
        self.logins = logins
        self.tokens = tokens
    }

    static func makeOrders(_ store: Store, _ taxCode: TaxCode) throws -> Orders {
        let registered = try day("2025-02-03")
        let ordered = try store.registerOrder(
            enterprise: taxCode, title: "Nghiên cứu cảm biến độ mặn cho đồng bằng", field: .science, on: registered
        ).code
        try store.addOutput(
            order: ordered,
            NewOutput(title: "Mẫu cảm biến đo độ mặn", type: .product, novelty: .new, value: 500_000_000),
            on: registered)

        let funded = try store.registerOrder(
            enterprise: taxCode, title: "Ứng dụng số hóa hồ sơ nhiệm vụ", field: .digital, on: registered
        ).code
        for title in ["Phần mềm quản lý hồ sơ", "Quy trình số hóa tài liệu"] {
            try store.addOutput(
                order: funded, NewOutput(title: title, type: .service, novelty: .improved, value: 400_000_000),
                on: registered)
        }
        _ = try store.fund(
            order: funded,
            try Funding.commitment(
                order: funded, stateBudget: 600_000_000, enterpriseFunds: 200_000_000, other: nil,
                otherSource: nil, fundedOn: try day("2025-03-03")))
        _ = try store.acceptOutput(
            order: funded, number: 1, evidence: "Biên bản nghiệm thu số 07/2025", on: try day("2025-06-02"))
        try store.recordPayment(
            order: funded, output: 1, amount: 100_000_000, source: .state, reference: "UNC-0001",
            on: try day("2025-06-16"))

        let commercialized = try store.registerOrder(
            enterprise: taxCode, title: "Mô hình nuôi tôm tuần hoàn", field: .innovation, on: registered
        ).code
        try store.addOutput(
            order: commercialized,
            NewOutput(title: "Mô hình trình diễn", type: .model, novelty: .new, value: 300_000_000), on: registered)
        _ = try store.fund(
            order: commercialized,
            try Funding.commitment(
                order: commercialized, stateBudget: 300_000_000, enterpriseFunds: nil, other: nil, otherSource: nil,
                fundedOn: try day("2025-03-03")))
        _ = try store.acceptOutput(
            order: commercialized, number: 1, evidence: "Biên bản nghiệm thu số 09/2025", on: try day("2025-07-01"))
        _ = try store.commercialize(
            order: commercialized, channel: .sale, revenue: 150_000_000, note: "Hợp đồng bán cho Hợp tác xã Tân Phú",
            on: try day("2025-08-01"))
        return Orders(ordered: ordered, funded: funded, commercialized: commercialized)
    }

    /// Everything an API client could change, as bytes: the export (enterprises, targets, orders
    /// with their outputs, funding, payments and results, the history chain and the seals).
    func fingerprint() throws -> [UInt8] {
        var bytes: [UInt8] = []
        _ = try store.export(format: .jsonl, sink: { bytes.append(contentsOf: $0) })
        return bytes
    }

    func taxCode(_ target: Whose) throws -> TaxCode {
        guard let code = taxCodes[target] else { throw FixtureError(description: "no enterprise for \(target)") }
        return code
    }

    func orders(_ target: Whose) throws -> Orders {
        guard let set = orders[target] else { throw FixtureError(description: "no orders for \(target)") }
        return set
    }

    func province(_ target: Whose) -> Province { target == .otherProvince ? provinceB : provinceA }
}
