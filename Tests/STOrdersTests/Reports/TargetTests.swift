import GRDB
import Testing

@testable import STOrders

@Suite struct TargetTests {
    func rows(_ store: Store) throws -> [String] {
        try store.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM targets ORDER BY rowid").map { "\($0)" }
        }
    }

    @Test func theDefaultsAreTheFrameworksAndMatchSchemaSQL() throws {
        let store = try Store.inMemory()
        let targets = try store.targets()
        #expect(targets.map(\.key) == TargetKey.allCases)
        #expect(targets.allSatisfy { $0.province == nil && $0.setBy == "framework" })
        #expect(targets.map(\.value) == TargetKey.allCases.map(\.frameworkDefault))
        #expect(targets.map(\.value) == [.count(30), .count(100), .count(5), .share(basisPoints: 8000)])
    }

    @Test func aProvinceTargetAppliesToItOnly() throws {
        let store = try Store.inMemory(actor: "sở KH&CN")
        let tn = try Province.named("thai nguyen")
        try store.setTarget(.newOrImprovedOutputs, .count(40), province: tn)
        try store.setTarget(.newOrImprovedOutputs, .count(45), province: tn)  // replaces, not adds
        try store.setTarget(.ordersDecidedShare, .share(basisPoints: 8750))
        let all = try store.targets()
        #expect(all.count == 5)
        #expect(all.last?.province == tn)
        #expect(all.last?.value == .count(45))
        #expect(all.last?.setBy == "sở KH&CN")
        let forTN = try store.targets(province: tn)
        #expect(forTN.map(\.value) == [.count(45), .count(100), .count(5), .share(basisPoints: 8750)])
        #expect(forTN.map(\.province) == [tn, nil, nil, nil])
        let forHN = try store.targets(province: try Province.named("Hà Nội"))
        #expect(forHN.map(\.value) == [.count(30), .count(100), .count(5), .share(basisPoints: 8750)])
        // Nothing is overwritten: the history keeps the defaults and every change, oldest first.
        let history = try store.targetHistory()
        #expect(history.count == 7)
        #expect(history.suffix(3).map(\.value) == [.count(40), .count(45), .share(basisPoints: 8750)])
        #expect(history.prefix(4).allSatisfy { $0.setBy == "framework" })
    }

    @Test func theTableIsAppendOnlyEvenAgainstRawSQL() throws {
        let store = try Store.inMemory()
        expectSQLRefused(
            store.writer, "UPDATE targets SET value = 1",
            .trigger("targets are never changed: set a new one, the latest is in force"))
        expectSQLRefused(
            store.writer, "DELETE FROM targets",
            .trigger("targets are never deleted: set a new one, the latest is in force"))
        #expect(try store.targets().map(\.value) == [.count(30), .count(100), .count(5), .share(basisPoints: 8000)])
    }

    @Test(arguments: [("30", TargetValue.count(30)), (" 120 ", .count(120)), ("1000000000", .count(1_000_000_000))])
    func countsAreWholeNumbers(_ text: String, _ value: TargetValue) throws {
        #expect(try TargetValue.parse(text, for: .enterprisesInnovating) == value)
    }

    @Test(arguments: [
        ("80%", Int64(8000)), ("87.5%", 8750), ("87.25 %", 8725), ("100%", 10000), ("0.8", 8000),
        ("0.875", 8750), ("1", 10000), ("0.0001", 1),
    ])
    func sharesArePercentagesOrFractions(_ text: String, _ basisPoints: Int64) throws {
        #expect(try TargetValue.parse(text, for: .ordersDecidedShare) == .share(basisPoints: basisPoints))
    }

    static let range = "a target is at least 1 and at most 1.000.000.000"
    static let outputs = "expected a whole number of outputs, for example 30"
    static let firms = "expected a whole number of enterprises, for example 30"
    static let share = "expected a percentage such as 80% or 87.5%, or a fraction of 1 such as 0.8"

    @Test(arguments: [
        ("0", TargetKey.newOrImprovedOutputs, TargetTests.range), ("-3", .newOrImprovedOutputs, TargetTests.outputs),
        ("2.5", .innovativeStartups, TargetTests.firms), ("30%", .newOrImprovedOutputs, TargetTests.outputs),
        ("", .enterprisesInnovating, TargetTests.firms), ("1000000001", .enterprisesInnovating, TargetTests.range),
        ("ba mươi", .newOrImprovedOutputs, TargetTests.outputs),
        ("80", .ordersDecidedShare, "a share is at most 1 (100%); write a percentage with %, for example 80%"),
        ("101%", .ordersDecidedShare, "a share is at most 100%"),
        ("0%", .ordersDecidedShare, "a share target must be above 0%"),
        ("0.87501", .ordersDecidedShare, TargetTests.share), ("87.125%", .ordersDecidedShare, TargetTests.share),
        ("-0.5", .ordersDecidedShare, TargetTests.share),
        ("1.5", .ordersDecidedShare, "a share is at most 1 (100%); write a percentage with %, for example 1.5%"),
        ("%", .ordersDecidedShare, TargetTests.share),
    ])
    func badValuesAreRefused(_ text: String, _ key: TargetKey, _ reason: String) {
        #expect(throws: STOrdersError.invalidTarget(key: key.rawValue, text, reason: reason)) {
            try TargetValue.parse(text, for: key)
        }
    }

    @Test func refusalsChangeNothing() throws {
        let store = try Store.inMemory()
        let before = try rows(store)
        #expect(throws: STOrdersError.invalidTarget(key: "orders_decided_share", "80", reason: "expected a share")) {
            try store.setTarget(.ordersDecidedShare, .count(80))
        }
        #expect(throws: STOrdersError.invalidTarget(key: "innovative_startups", "0.1%", reason: "expected a count")) {
            try store.setTarget(.innovativeStartups, .share(basisPoints: 10))
        }
        #expect(
            throws: STOrdersError.invalidValue("target key", "doanh_thu", accepted: TargetKey.allCases.map(\.rawValue))
        ) {
            try TargetKey.parse("doanh_thu")
        }
        #expect(try rows(store) == before)
    }

    @Test func sharesPrintExactly() throws {
        #expect(TargetValue.share(basisPoints: 8000).description == "80%")
        #expect(TargetValue.share(basisPoints: 8750).description == "87.5%")
        #expect(TargetValue.share(basisPoints: 8725).description == "87.25%")
        #expect(TargetValue.count(30).description == "30")
    }
}

@Suite struct RatioTests {
    @Test func decimalsWithIntegerArithmetic() throws {
        #expect(Ratio(3, 10)?.decimal() == "0.3")
        #expect(Ratio(1, 10)?.decimal() == "0.1")
        #expect(Ratio(2, 3)?.decimal() == "0.6667")
        #expect(Ratio(1, 3)?.decimal() == "0.3333")
        #expect(Ratio(395, 2)?.decimal() == "197.5")
        #expect(Ratio(24, 1)?.decimal() == "24")
        #expect(Ratio(0, 7)?.decimal() == "0")
        #expect(Ratio(99_995, 100_000)?.decimal() == "1")  // rounds up into the whole part
        #expect(Ratio(2, 3)?.fixed(places: 2) == "0.67")
        #expect(Ratio(4, 5)?.fixed(places: 2) == "0.80")
        #expect(Ratio(2, 3)?.percent(places: 1) == "66.7")
        #expect(Ratio(1, 1)?.percent(places: 1) == "100.0")
        #expect(Ratio(1, 8)?.percent(places: 2) == "12.50")
        #expect(Ratio(Int64.max, Int64.max - 1)?.decimal() == "1")
        #expect(Ratio(Int64.max, 3)?.decimal() == "3074457345618258602.3333")
        #expect(Ratio(2, 3)?.basisPoints == 6667)
    }

    @Test func nilWhenMeaningless() {
        #expect(Ratio(1, 0) == nil)
        #expect(Ratio(-1, 5) == nil)
        #expect(Ratio(1, -5) == nil)
    }

    @Test func comparesExactly() throws {
        let a = try #require(Ratio(1, 3))
        let b = try #require(Ratio(333_333_333, 1_000_000_000))
        #expect(b < a)
        #expect(Ratio(2, 4) == Ratio(1, 2))
        #expect(Set([Ratio(2, 4), Ratio(1, 2)]).count == 1)
        #expect(try #require(Ratio(Int64.max, 2)) > (try #require(Ratio(Int64.max - 1, 2))))
    }

    @Test func mediansOfDayCounts() {
        var d = DayCounts()
        #expect(d.median == nil)
        d.add(days: 30, count: 2)
        d.add(days: 20, count: 1)
        #expect(d.median == Ratio(30, 1))
        d.add(days: 100, count: 1)
        #expect(d.median == Ratio(30, 1))  // 20 30 30 100
        d.add(days: 10, count: 2)  // 10 10 20 30 30 100
        #expect(d.median == Ratio(25, 1))
        #expect(d.median?.decimal() == "25")
        d.add(days: 11, count: 1)  // 10 10 11 20 30 30 100
        #expect(d.median == Ratio(20, 1))
    }
}
