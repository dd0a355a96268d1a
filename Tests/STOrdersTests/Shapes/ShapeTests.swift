import Foundation
import GRDB
import Testing

@testable import STOrders

/// The shapes every interface returns: written out by hand here, so a key renamed or dropped,
/// an amount turned into text, or a list row that drifts from its record fails.
@Suite("Shapes: one JSON definition for every interface")
struct ShapeTests {
    @Test func anEnterpriseListRowIsTheEnterpriseRecord() throws {
        let f = try Fixture()
        let e = try f.store.enterprise(taxCode: f.startup)
        let expected =
            #"{"tax_code":"0100233488","name":"Công ty Cổ phần Công nghệ Số Thăng Long","province":"Hà Nội","province_code":"01","innovative_startup":true,"registered_on":"2025-01-02"}"#
        #expect(Shape.enterprise(e).serialized(indent: nil) == expected)
        #expect(Column.row(Columns.enterprises, e) == Shape.enterprise(e))
    }

    @Test func anOrderListRowCarriesTheOrderFiguresAsIntegers() throws {
        let f = try Fixture()
        let code = try f.funded()
        var rows: [JSONValue] = []
        try f.store.forEachOrder { rows.append(Column.row(Columns.orders, $0)) }
        #expect(rows.count == 1)
        let row = try #require(rows.first)
        #expect(row["code"] == .string(code))
        #expect(row["state"] == .string("funded"))
        #expect(row["province"] == .string("Thái Nguyên"))
        #expect(row["province_code"] == .string("19"))
        #expect(row["outputs"] == .int(2))
        #expect(row["outputs_value"] == .int(2_000_000_000))
        #expect(row["funding_total"] == .int(2_100_000_000))
        #expect(row["paid_total"] == .int(0))
        // Every key of the row that the order record also has carries the same value.
        let detail = Shape.detail(try f.store.orderDetail(code: code))
        for key in ["code", "state", "title", "field", "province", "province_code", "enterprise_tax_code"] {
            #expect(row[key] == detail[key], "\(key)")
        }
    }

    @Test func aTargetAsSetIsARowOfTheTargetList() throws {
        let f = try Fixture()
        let hanoi = try Province.named("Hà Nội")
        let set = try f.store.setTarget(.ordersDecidedShare, .share(basisPoints: 8500), province: hanoi)
        let listed = try #require(try f.store.targets(province: hanoi).first { $0.key == .ordersDecidedShare })
        #expect(Shape.target(set) == Column.row(Columns.targets, listed))
        #expect(Shape.target(set)["value"] == .number("0.85"))
        #expect(Shape.target(set)["province_code"] == .string("01"))
        #expect(Shape.target(set)["set_by"] == .string("kiểm thử"))
    }

    @Test func aRefusalHasItsStableCodeMessageAndDetails() {
        let e = STOrdersError.unknownOrder(code: "TN-2026-404")
        let json = Shape.error(e).serialized(indent: nil)
        #expect(json == #"{"error":{"code":"unknown_order","message":"\#(e.description)","details":[]}}"#)
    }

    @Test func theHistoryShowsEachEventsHashAndTheLastIsTheChainHead() throws {
        let f = try Fixture()
        let code = try f.delivered()
        let chained = try f.store.chainedHistory(code: code)
        #expect(chained.map(\.event) == (try f.store.history(code: code)))
        #expect(chained.allSatisfy { $0.hash.count == 64 })
        #expect(Set(chained.map(\.hash)).count == chained.count)
        let v = try f.store.verify()
        #expect(chained.max { $0.id < $1.id }?.hash == v.chainHead)
        let first = try #require(chained.first)
        let shape = Shape.chainedEvent(first)
        #expect(shape["order_code"] == .string(code))
        #expect(shape["action"] == .string("registered"))
        #expect(shape["hash"] == .string(first.hash))
        #expect(shape["id"] == .int(first.id))
    }

    @Test func verificationShapeNamesEveryCheck() throws {
        let f = try Fixture()
        _ = try f.funded()
        let v = try f.store.verify()
        let shape = Shape.verification(v, database: ":memory:")
        #expect(shape["ok"] == .bool(true))
        #expect(shape["orders"] == .int(1))
        guard case .array(let checks)? = shape["checks"] else {
            Issue.record("no checks")
            return
        }
        #expect(checks.compactMap { $0["check"] } == Verification.Check.allCases.map { .string($0.rawValue) })
    }
}

/// Which refusals are which kind: the one table the server's status mapping reads.
@Suite("Error categories")
struct ErrorCategoryTests {
    @Test(arguments: [
        (STOrdersError.invalidAmount("1,5", reason: "x"), ErrorCategory.invalid),
        (.invalidTaxCode("12", reason: "x"), .invalid),
        (.unknownProvince("Sài Gòn", suggestions: [], note: nil), .invalid),
        (.unknownOrder(code: "X"), .notFound),
        (.unknownEnterprise(taxCode: "4601234560"), .notFound),
        (.unknownOutput(order: "X", number: 3, count: 2), .notFound),
        (.transitionRefused(code: "X", from: .ordered, action: "accept", needs: "funded"), .refused),
        (.paymentExceedsOutput(order: "X", number: 1, amount: 2, remaining: 1), .refused),
        (.duplicateTaxCode("4601234560", existing: "A"), .refused),
        (.databaseUnavailable(path: "p", reason: "busy"), .unavailable),
        (.databaseMissing(path: "p"), .unavailable),
        (.backupExists(path: "p"), .failed),
    ])
    func category(_ error: STOrdersError, _ expected: ErrorCategory) {
        #expect(error.category == expected)
    }
}

@Suite("One store, many actors")
struct ActingTests {
    @Test func eachCallRecordsTheActorItIsGiven() throws {
        let f = try Fixture()
        let code = try f.ordered()
        let officer = try f.store.acting(as: "cán bộ Thái Nguyên")
        try officer.fund(
            order: code,
            try Funding(stateBudget: 1_200_000_000, enterpriseFunds: 900_000_000, fundedOn: try day("2025-04-02")))
        try f.store.acting(as: "kế toán").acceptOutput(order: code, number: 1, on: try day("2025-09-15"))
        let actors = try f.store.history(code: code).map(\.actor)
        #expect(actors == ["kiểm thử", "kiểm thử", "kiểm thử", "cán bộ Thái Nguyên", "kế toán"])
        #expect(f.store.actor == "kiểm thử")
    }

    @Test(arguments: ["", "   ", "a\u{0007}b", String(repeating: "x", count: 1000)])
    func anInvalidActorIsRefused(_ actor: String) throws {
        let f = try Fixture()
        #expect(throws: STOrdersError.self) { try f.store.acting(as: actor) }
        do {
            _ = try f.store.acting(as: actor)
        } catch let error as STOrdersError {
            #expect(error.code == "invalid_text")
        }
    }

    @Test func aPooledStoreReadsWhileItWrites() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pool-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try Store.open(
            path: dir.appendingPathComponent("s.sqlite").path, mode: .createIfNeeded, actor: "máy chủ", readers: 4)
        try store.addEnterprise(
            name: "Công ty Đông Á", taxCode: try TaxCode(parsing: "4601234560"),
            province: try Province.named("Thái Nguyên"), on: try day("2025-01-02"))
        // One thread writes enterprise after enterprise while eight read: with the pool, every
        // read succeeds and sees a committed state.
        let group = DispatchGroup()
        final class Count: @unchecked Sendable {
            let lock = NSLock()
            var value = 0
        }
        let reads = Count()
        DispatchQueue.global().async(group: group) {
            for i in 1...40 {
                let nine = String(format: "0100%05d", i * 7)
                guard let check = TaxCode.checkDigit(nine.compactMap(\.wholeNumberValue)),
                    let tax = try? TaxCode(parsing: nine + String(check))
                else { continue }
                _ = try? store.addEnterprise(
                    name: "Công ty số \(i)", taxCode: tax, province: try Province.named("Hà Nội"),
                    on: try day("2025-01-03"))
            }
        }
        for _ in 0..<8 {
            DispatchQueue.global().async(group: group) {
                for _ in 0..<20 {
                    if (try? store.enterprise(taxCode: TaxCode(parsing: "4601234560"))) != nil {
                        reads.lock.lock()
                        reads.value += 1
                        reads.lock.unlock()
                    }
                }
            }
        }
        group.wait()
        #expect(reads.value == 160)
        #expect(try store.verify().isClean)
    }
}

/// An enterprise withdraws its order only while it is `ordered`; the store checks that state
/// inside the cancellation's own transaction, so a funding that lands after the server's access
/// check cannot let the withdrawal through.
@Suite("Withdrawal guard")
struct WithdrawalGuardTests {
    @Test func aWithdrawalOfAnOrderFundedMeanwhileIsRefusedAndChangesNothing() throws {
        let f = try Fixture()
        let code = try f.funded()
        try f.expectRefusal(
            .transitionRefused(code: code, from: .funded, action: "withdraw", needs: "ordered")
        ) {
            _ = try f.store.cancel(
                order: code, reason: "Doanh nghiệp rút đề xuất", on: try day("2025-05-01"), onlyWhile: .ordered)
        }
        // An officer may still cancel the funded order (no state condition).
        #expect(
            try f.store.cancel(order: code, reason: "Hủy theo quyết định của Sở", on: try day("2025-05-01")).state
                == .cancelled)
    }

    @Test func aWithdrawalWhileOrderedGoesThrough() throws {
        let f = try Fixture()
        let code = try f.ordered()
        let order = try f.store.cancel(
            order: code, reason: "Doanh nghiệp rút đề xuất", on: try day("2025-05-01"), onlyWhile: .ordered)
        #expect(order.state == .cancelled)
    }
}
