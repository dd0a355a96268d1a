import GRDB

/// The framework's indicators, in report order. The raw value is the key of `--json` and `--csv`.
public enum IndicatorKey: String, Vocabulary {
    case newOrImprovedOutputs = "new_or_improved_outputs"
    case newOutputs = "new_outputs"
    case improvedOutputs = "improved_outputs"
    case outputsOnTimeShare = "outputs_accepted_on_time_share"
    case enterprisesInnovating = "enterprises_innovating"
    case innovativeStartups = "innovative_startups"
    case ordersRegistered = "orders_registered"
    case ordersDecided = "orders_decided"
    case ordersDecidedShare = "orders_decided_share"
    case ordersPastContractEnd = "orders_past_contract_end"
    case stateBudgetCommitted = "state_budget_committed"
    case counterpartCommitted = "counterpart_committed"
    case otherCommitted = "other_committed"
    case nonStateCommitted = "non_state_committed"
    case nonStatePerState = "non_state_per_state_dong"
    case stateBudgetPaid = "state_budget_paid"
    case counterpartPaid = "counterpart_paid"
    case otherPaid = "other_paid"
    case stateBudgetPaidPerOutput = "state_budget_paid_per_output"
    case results = "results"
    case revenue = "revenue"
    case ordersDelivered = "orders_delivered"
    case deliveredCommercialized = "orders_delivered_commercialized"
    case commercializationShare = "commercialization_share"
    case revenuePerStateDong = "revenue_per_state_dong"
    case medianDaysOrderedToFunded = "median_days_ordered_to_funded"
    case medianDaysFundedToDelivered = "median_days_funded_to_delivered"
    case medianDaysDeliveredToCommercialized = "median_days_delivered_to_commercialized"
    public static let noun = "indicator"

    public enum Kind: Sendable { case count, money, share, ratio, days }

    public enum Section: String, CaseIterable, Sendable {
        case outputs, enterprises, processing, money, commercialization, cycleTimes
        public var label: String {
            switch self {
            case .outputs: return "Outputs"
            case .enterprises: return "Enterprises"
            case .processing: return "Processing"
            case .money: return "Money"
            case .commercialization: return "Commercialization"
            case .cycleTimes: return "Cycle times"
            }
        }
        public var labelVietnamese: String {
            switch self {
            case .outputs: return "Sản phẩm, dịch vụ, mô hình"
            case .enterprises: return "Doanh nghiệp"
            case .processing: return "Xử lý đặt hàng"
            case .money: return "Tài chính"
            case .commercialization: return "Thương mại hóa"
            case .cycleTimes: return "Thời gian xử lý"
            }
        }
    }

    public var kind: Kind {
        switch self {
        case .newOrImprovedOutputs, .newOutputs, .improvedOutputs, .enterprisesInnovating, .innovativeStartups,
            .ordersRegistered, .ordersDecided, .ordersPastContractEnd, .results, .ordersDelivered,
            .deliveredCommercialized:
            return .count
        case .stateBudgetCommitted, .counterpartCommitted, .otherCommitted, .nonStateCommitted, .stateBudgetPaid,
            .counterpartPaid, .otherPaid, .stateBudgetPaidPerOutput, .revenue:
            return .money
        case .ordersDecidedShare, .outputsOnTimeShare, .commercializationShare: return .share
        case .nonStatePerState, .revenuePerStateDong: return .ratio
        case .medianDaysOrderedToFunded, .medianDaysFundedToDelivered, .medianDaysDeliveredToCommercialized:
            return .days
        }
    }

    public var section: Section {
        switch self {
        case .newOrImprovedOutputs, .newOutputs, .improvedOutputs, .outputsOnTimeShare: return .outputs
        case .enterprisesInnovating, .innovativeStartups: return .enterprises
        case .ordersRegistered, .ordersDecided, .ordersDecidedShare, .ordersPastContractEnd: return .processing
        case .stateBudgetCommitted, .counterpartCommitted, .otherCommitted, .nonStateCommitted, .nonStatePerState,
            .stateBudgetPaid, .counterpartPaid, .otherPaid, .stateBudgetPaidPerOutput:
            return .money
        case .results, .revenue, .ordersDelivered, .deliveredCommercialized, .commercializationShare,
            .revenuePerStateDong:
            return .commercialization
        case .medianDaysOrderedToFunded, .medianDaysFundedToDelivered, .medianDaysDeliveredToCommercialized:
            return .cycleTimes
        }
    }

    /// The target the framework names for it, if any.
    public var targetKey: TargetKey? { TargetKey.allCases.first { $0.indicator == self } }

    /// A part of the indicator above it ("of them …"), shown indented under it.
    public var isPart: Bool {
        switch self {
        case .newOutputs, .improvedOutputs, .innovativeStartups, .ordersDecided, .deliveredCommercialized: return true
        default: return false
        }
    }

    public var label: String {
        switch self {
        case .newOrImprovedOutputs: return "New or improved products, services or models (outputs accepted)"
        case .newOutputs: return "of them new"
        case .improvedOutputs: return "of them improved"
        case .outputsOnTimeShare: return "Share of accepted outputs with a due date accepted on time"
        case .enterprisesInnovating: return "Enterprises engaged in technological innovation"
        case .innovativeStartups: return "of them innovative startups"
        case .ordersRegistered: return "Orders registered"
        case .ordersDecided: return "of them funded or cancelled within the year"
        case .ordersDecidedShare: return "Orders decided within the year (proxy for the 80 % processing target)"
        case .ordersPastContractEnd: return "Orders past their contract's end (at the year's end, or today)"
        case .stateBudgetCommitted: return "State budget committed"
        case .counterpartCommitted: return "Enterprise counterpart funds committed"
        case .otherCommitted: return "Other funds committed (PPP, venture funds)"
        case .nonStateCommitted: return "Non-state funds committed"
        case .nonStatePerState: return "Non-state đồng committed per state đồng"
        case .stateBudgetPaid: return "State budget paid (net)"
        case .counterpartPaid: return "Enterprise counterpart funds paid (net)"
        case .otherPaid: return "Other funds paid (net)"
        case .stateBudgetPaidPerOutput: return "State budget paid per accepted output"
        case .results: return "Commercialization results"
        case .revenue: return "Revenue from commercialization"
        case .ordersDelivered: return "Orders delivered"
        case .deliveredCommercialized: return "of them commercialized (to date)"
        case .commercializationShare: return "Share of the year's delivered orders commercialized"
        case .revenuePerStateDong: return "Revenue per state đồng paid"
        case .medianDaysOrderedToFunded: return "Median days ordered → funded"
        case .medianDaysFundedToDelivered: return "Median days funded → delivered"
        case .medianDaysDeliveredToCommercialized: return "Median days delivered → commercialized"
        }
    }

    public var labelVietnamese: String {
        switch self {
        case .newOrImprovedOutputs: return "Sản phẩm, dịch vụ, mô hình mới hoặc cải tiến được nghiệm thu"
        case .newOutputs: return "trong đó mới"
        case .improvedOutputs: return "trong đó cải tiến"
        case .outputsOnTimeShare: return "Tỷ lệ sản phẩm có hạn được nghiệm thu đúng hạn"
        case .enterprisesInnovating: return "Doanh nghiệp tham gia đổi mới công nghệ"
        case .innovativeStartups: return "trong đó doanh nghiệp khởi nghiệp sáng tạo"
        case .ordersRegistered: return "Nhiệm vụ đặt hàng đăng ký"
        case .ordersDecided: return "trong đó được cấp kinh phí hoặc hủy trong năm"
        case .ordersDecidedShare: return "Tỷ lệ đặt hàng được quyết định trong năm (đại diện cho chỉ tiêu 80 %)"
        case .ordersPastContractEnd: return "Nhiệm vụ quá hạn hợp đồng (cuối năm, hoặc hôm nay)"
        case .stateBudgetCommitted: return "Ngân sách nhà nước cam kết"
        case .counterpartCommitted: return "Vốn đối ứng của doanh nghiệp cam kết"
        case .otherCommitted: return "Nguồn khác cam kết (PPP, quỹ đầu tư mạo hiểm)"
        case .nonStateCommitted: return "Vốn ngoài ngân sách cam kết"
        case .nonStatePerState: return "Đồng ngoài ngân sách trên mỗi đồng ngân sách"
        case .stateBudgetPaid: return "Ngân sách nhà nước đã thanh toán (thuần)"
        case .counterpartPaid: return "Vốn đối ứng đã thanh toán (thuần)"
        case .otherPaid: return "Nguồn khác đã thanh toán (thuần)"
        case .stateBudgetPaidPerOutput: return "Ngân sách thanh toán trên mỗi sản phẩm nghiệm thu"
        case .results: return "Kết quả thương mại hóa"
        case .revenue: return "Doanh thu thương mại hóa"
        case .ordersDelivered: return "Nhiệm vụ hoàn thành (nghiệm thu đủ)"
        case .deliveredCommercialized: return "trong đó đã thương mại hóa"
        case .commercializationShare: return "Tỷ lệ nhiệm vụ hoàn thành được thương mại hóa"
        case .revenuePerStateDong: return "Doanh thu trên mỗi đồng ngân sách đã chi"
        case .medianDaysOrderedToFunded: return "Trung vị số ngày: đặt hàng → cấp kinh phí"
        case .medianDaysFundedToDelivered: return "Trung vị số ngày: cấp kinh phí → hoàn thành"
        case .medianDaysDeliveredToCommercialized: return "Trung vị số ngày: hoàn thành → thương mại hóa"
        }
    }
}

/// An indicator's value: a count or an amount of đồng (integers), or an exact ratio (a share,
/// đồng per đồng, a median of days).
public enum IndicatorValue: Hashable, Sendable {
    case count(Int64)
    case money(Int64)
    case ratio(Ratio)
}

/// One line of the report: the value, and the target and whether it is met where the framework
/// names one (nil otherwise, or when the value cannot be computed).
public struct Indicator: Hashable, Sendable {
    public var key: IndicatorKey
    public var value: IndicatorValue?
    public var target: TargetValue?
    public var met: Bool?

    public init(key: IndicatorKey, value: IndicatorValue?, target: TargetValue?) {
        self.key = key
        self.value = value
        self.target = target
        switch (value, target) {
        case (.count(let v)?, .count(let t)?): met = v >= t
        case (.ratio(let v)?, let t?): met = v >= t.ratio
        default: met = nil
        }
    }
}

/// The indicators of one year (or one province in one year), with the figures behind them.
public struct IndicatorSet: Sendable, Equatable {
    public var indicators: [Indicator]
    public var figures: Figures

    public subscript(_ key: IndicatorKey) -> Indicator? { indicators.first { $0.key == key } }

    /// How many targets are met.
    public var targetsMet: Int { indicators.filter { $0.met == true }.count }

    init(_ f: Figures, targets: [TargetKey: TargetValue]) {
        figures = f
        func money(_ v: Int64) -> IndicatorValue { .money(v) }
        // Rounded to the nearest đồng; nil without outputs or when net payments are negative.
        let perOutput: IndicatorValue? = {
            guard f.outputsAccepted > 0, f.stateBudgetPaid >= 0 else { return nil }
            let q = f.stateBudgetPaid / f.outputsAccepted
            let r = f.stateBudgetPaid % f.outputsAccepted
            return .money(r >= f.outputsAccepted - r ? q + 1 : q)
        }()
        let (nonState, overflow) = f.counterpartCommitted.addingReportingOverflow(f.otherCommitted)
        let values: [IndicatorKey: IndicatorValue?] = [
            .newOrImprovedOutputs: .count(f.outputsAccepted),
            .newOutputs: .count(f.newOutputs),
            .improvedOutputs: .count(f.outputsAccepted - f.newOutputs),
            .outputsOnTimeShare: Ratio(f.outputsOnTime, f.outputsWithDueDate).map(IndicatorValue.ratio),
            .enterprisesInnovating: .count(f.enterprisesInnovating),
            .innovativeStartups: .count(f.innovativeStartups),
            .ordersRegistered: .count(f.ordersRegistered),
            .ordersDecided: .count(f.ordersDecided),
            .ordersDecidedShare: Ratio(f.ordersDecided, f.ordersRegistered).map(IndicatorValue.ratio),
            .ordersPastContractEnd: .count(f.ordersPastContractEnd),
            .stateBudgetCommitted: money(f.stateBudgetCommitted),
            .counterpartCommitted: money(f.counterpartCommitted),
            .otherCommitted: money(f.otherCommitted),
            .nonStateCommitted: overflow ? nil : money(nonState),
            .nonStatePerState: overflow ? nil : Ratio(nonState, f.stateBudgetCommitted).map(IndicatorValue.ratio),
            .stateBudgetPaid: money(f.stateBudgetPaid),
            .counterpartPaid: money(f.counterpartPaid),
            .otherPaid: money(f.otherPaid),
            .stateBudgetPaidPerOutput: perOutput,
            .results: .count(f.results),
            .revenue: money(f.revenue),
            .ordersDelivered: .count(f.ordersDelivered),
            .deliveredCommercialized: .count(f.deliveredCommercialized),
            .commercializationShare: Ratio(f.deliveredCommercialized, f.ordersDelivered).map(IndicatorValue.ratio),
            .revenuePerStateDong: Ratio(f.revenue, f.stateBudgetPaid).map(IndicatorValue.ratio),
            .medianDaysOrderedToFunded: f.orderedToFunded.median.map(IndicatorValue.ratio),
            .medianDaysFundedToDelivered: f.fundedToDelivered.median.map(IndicatorValue.ratio),
            .medianDaysDeliveredToCommercialized: f.deliveredToCommercialized.median.map(IndicatorValue.ratio),
        ]
        indicators = IndicatorKey.allCases.map { key in
            Indicator(key: key, value: values[key] ?? nil, target: key.targetKey.flatMap { targets[$0] })
        }
    }
}

/// The indicators of one year: all fields together (with targets) and each field.
public struct YearIndicators: Sendable, Equatable {
    public var year: Int
    public var total: IndicatorSet
    /// Science, innovation, digital: the breakdown (no targets: the framework sets none per field).
    public var byField: [(field: Field, indicators: IndicatorSet)]
    /// The state money advanced, apart from the payments (nil where no advance was ever made: in
    /// the file, or in any source published into the national store).
    public var advances: AdvanceFigures? = nil

    public static func == (a: YearIndicators, b: YearIndicators) -> Bool {
        a.year == b.year && a.total == b.total && a.advances == b.advances
            && a.byField.map(\.field) == b.byField.map(\.field)
            && a.byField.map(\.indicators) == b.byField.map(\.indicators)
    }
}

/// What `report indicators` asks for.
public struct IndicatorRequest: Sendable {
    public var province: Province?
    public var field: Field?
    public var years: ClosedRange<Int>
    /// The day the orders past their contract's end are counted as of in its year (each earlier
    /// year: its last day); nil: today.
    public var asOf: Day?

    /// The longest span one report covers.
    public static let maxYears = 50

    public init(province: Province? = nil, field: Field? = nil, years: ClosedRange<Int>, asOf: Day? = nil) {
        self.province = province
        self.field = field
        self.years = years
        self.asOf = asOf
    }

    /// One year, or `from...to`; refuses a backwards or over-long span.
    public static func years(from: Int, to: Int) throws -> ClosedRange<Int> {
        for y in [from, to] where !Day.years.contains(y) {
            throw STOrdersError.invalidYearRange(
                from: from, to: to,
                reason: "a year is between \(Day.years.lowerBound) and \(Day.years.upperBound)")
        }
        guard from <= to else {
            throw STOrdersError.invalidYearRange(
                from: from, to: to, reason: "the first year must not be after the last")
        }
        guard to - from < maxYears else {
            throw STOrdersError.invalidYearRange(
                from: from, to: to, reason: "a report covers at most \(maxYears) years")
        }
        return from...to
    }
}

/// The indicators of a province (or all provinces) over one or more years.
public struct IndicatorReport: Sendable, Equatable {
    public var province: Province?
    public var field: Field?
    public var years: [YearIndicators]
    /// What a reader must know to read the figures right (proxies, what is not computable).
    public var notes: [String]

    /// The report of `request` from each year's figures (keyed by the year, `"2025"`), measured
    /// against the targets in force: the one assembly of the SQLite and the national reports.
    public init(_ request: IndicatorRequest, figures: [String: FieldedFigures], targets table: TargetTable) throws {
        let targets = try Store.targetsInForce(table, province: request.province, field: request.field)
        let fields = request.field.map { [$0] } ?? Field.allCases
        province = request.province
        field = request.field
        years = request.years.map { year -> YearIndicators in
            let f = figures[String(year)] ?? FieldedFigures()
            return YearIndicators(
                year: year, total: IndicatorSet(f.total, targets: targets),
                byField: fields.map { ($0, IndicatorSet(f.figures($0), targets: [:])) })
        }
        notes = Store.notes(province: request.province, field: request.field)
    }
}

/// One province's row of `report provinces`.
public struct ProvinceIndicators: Sendable, Equatable {
    public var province: Province
    public var indicators: IndicatorSet
    /// The state money advanced in the year, apart from the payments (zeros for a province
    /// without advances; nil only where a caller of `rows` gives no advance figures).
    public var advances: AdvanceFigures? = nil
    public var targetsMet: Int { indicators.targetsMet }

    /// One row per province (all 34) from the figures keyed by province code, each with its own
    /// targets, sorted by `sort` (missing values last, ties by province code): the one assembly
    /// of the SQLite and the national `report provinces`. `advances` are the advance figures by
    /// province code (a province absent has none), or nil where they are not known.
    public static func rows(
        figures: [String: FieldedFigures], advances: [String: AdvanceFigures]? = nil, field: Field?,
        targets table: TargetTable, sort: ProvinceSort, descending: Bool
    ) throws -> [ProvinceIndicators] {
        let rows = try Province.all.map { p in
            ProvinceIndicators(
                province: p,
                indicators: IndicatorSet(
                    (figures[p.code] ?? FieldedFigures()).total,
                    targets: try Store.targetsInForce(table, province: p, field: field)),
                advances: advances.map { $0[p.code] ?? .zero })
        }
        return rows.sorted { a, b in
            let order = Store.compare(a, b, by: sort)
            if order == 0 { return a.province.code < b.province.code }
            // Missing values (nil) go last in both directions.
            if order == 2 { return true }
            if order == -2 { return false }
            return descending ? order > 0 : order < 0
        }
    }
}

/// A column `report provinces` can sort by: the province, any indicator, or the targets met.
public enum ProvinceSort: Hashable, Sendable {
    case province
    case indicator(IndicatorKey)
    /// One of the advance figures (`advances_outstanding`, …).
    case advance(AdvanceFigures.Key)
    case targetsMet

    /// Parses `province`, `targets_met` or an indicator key.
    public static func parse(_ text: String) throws -> ProvinceSort {
        let t = text.trimmingSpaces().lowercased()
        if t == "province" || t == "province_code" { return .province }
        if t == "targets_met" { return .targetsMet }
        if let key = IndicatorKey(rawValue: t) { return .indicator(key) }
        if let key = AdvanceFigures.Key(rawValue: t) { return .advance(key) }
        throw STOrdersError.invalidValue(
            "sort column", text,
            accepted: ["province", "targets_met"] + IndicatorKey.allCases.map(\.rawValue)
                + AdvanceFigures.Key.allCases.map(\.rawValue))
    }
}

extension Store {
    /// The indicators of `request`: each year's figures computed with SQL aggregates, measured
    /// against the targets in force. Without a province, count targets are the sum of the 34
    /// provinces' targets (each a per-locality floor) and the share target is the national
    /// default; with a field, no targets apply (the framework sets none per field).
    public func indicators(_ request: IndicatorRequest) throws -> IndicatorReport {
        try prepareForLargeReads()
        return try read { db in
            let figures = try FigureQuery(
                grouping: .year, province: request.province, field: request.field,
                years: request.years, asOf: request.asOf ?? Day.today()
            ).run(db)
            var report = try IndicatorReport(request, figures: figures, targets: try targetTable(db))
            for i in report.years.indices {
                report.years[i].advances = try Store.advanceFigures(
                    db, year: report.years[i].year, province: request.province, field: request.field,
                    asOf: request.asOf ?? Day.today())
            }
            return report
        }
    }

    /// A year's advances, settlements and recoveries of the orders `province` and `field` select,
    /// and what was outstanding at the year's end (or on `asOf`, if earlier); nil when the
    /// database holds no advance at all (then nothing is read). `advanceFiguresByProvince`'s
    /// queries, not told apart by province (`AdvanceQuery.byProvince`), added up: one
    /// definition for both reports.
    static func advanceFigures(_ db: Database, year: Int, province: Province?, field: Field?, asOf: Day) throws
        -> AdvanceFigures?
    {
        AdvanceQuery.total(
            try advanceFigures(
                db, AdvanceQuery(year: year, province: province, field: field, asOf: asOf, byProvince: false)))
    }

    /// The advance figures of `advanceFigures` for each province that has any, keyed by province
    /// code (a province absent has none: zeros); nil when the database holds no advance at all.
    static func advanceFiguresByProvince(
        _ db: Database, year: Int, province: Province?, field: Field?, asOf: Day
    ) throws -> [String: AdvanceFigures]? {
        try advanceFigures(db, AdvanceQuery(year: year, province: province, field: field, asOf: asOf))
    }

    /// `AdvanceQuery`'s two queries, in SQLite (the national store runs the same in
    /// PostgreSQL), assembled by `AdvanceQuery.figures`; nil when the database holds no advance.
    static func advanceFigures(_ db: Database, _ query: AdvanceQuery) throws -> [String: AdvanceFigures]? {
        guard try Bool.fetchOne(db, sql: AdvanceQuery.anyAdvance) == true else { return nil }
        let arguments = FigureQuery.Value.arguments(query.values)
        var rows: [AdvanceQuery.Row] = []
        for sql in [query.advances, query.settlements] {
            let cursor = try Row.fetchCursor(db, sql: sql, arguments: arguments)
            while let row = try cursor.next() {
                rows.append((row[0], row[1], row[2], row[3]))
            }
        }
        return AdvanceQuery.figures(rows)
    }

    /// One row per province (all 34) for `year`, with its own targets, sorted by `sort`
    /// (missing values last, ties by province code).
    public func provinceIndicators(
        year: Int, field: Field? = nil, sort: ProvinceSort = .province,
        descending: Bool = false, asOf: Day? = nil
    ) throws -> [ProvinceIndicators] {
        let years = try IndicatorRequest.years(from: year, to: year)
        try prepareForLargeReads()
        return try read { db in
            let figures = try FigureQuery(
                grouping: .province, province: nil, field: field, years: years, asOf: asOf ?? Day.today()
            ).run(db)
            let advances = try Store.advanceFiguresByProvince(
                db, year: year, province: nil, field: field, asOf: asOf ?? Day.today())
            return try ProvinceIndicators.rows(
                figures: figures, advances: advances ?? [:], field: field, targets: try targetTable(db), sort: sort,
                descending: descending)
        }
    }

    /// -1/0/1 for a before/equal/after b, 2 when only a has a value, -2 when only b has.
    static func compare(_ a: ProvinceIndicators, _ b: ProvinceIndicators, by sort: ProvinceSort) -> Int {
        switch sort {
        case .province:
            return Text.collationOrder(a.province.name, b.province.name)
        case .targetsMet:
            return a.targetsMet < b.targetsMet ? -1 : a.targetsMet > b.targetsMet ? 1 : 0
        case .advance(let key):
            switch (a.advances?[key], b.advances?[key]) {
            case (nil, nil): return 0
            case (_?, nil): return 2
            case (nil, _?): return -2
            case (let x?, let y?): return x < y ? -1 : x > y ? 1 : 0
            }
        case .indicator(let key):
            switch (a.indicators[key]?.value, b.indicators[key]?.value) {
            case (nil, nil): return 0
            case (_?, nil): return 2
            case (nil, _?): return -2
            case (let x?, let y?):
                let (l, r) = (sortable(x), sortable(y))
                return l < r ? -1 : r < l ? 1 : 0
            }
        }
    }

    static func sortable(_ v: IndicatorValue) -> Ratio {
        switch v {
        case .count(let n), .money(let n): return Ratio(max(0, n), 1) ?? Ratio(basisPoints: 0)
        case .ratio(let r): return r
        }
    }

    static func targetsInForce(_ table: TargetTable, province: Province?, field: Field?) throws -> [TargetKey:
        TargetValue]
    {
        guard field == nil else { return [:] }
        var targets: [TargetKey: TargetValue] = [:]
        for key in TargetKey.allCases {
            if let province {
                targets[key] = table.value(key, province: province)
            } else if key.isShare {
                targets[key] = table.defaults[key]
            } else {
                var sum: Int64 = 0
                for p in Province.all {
                    if case .count(let n)? = table.value(key, province: p) { sum += n }
                }
                targets[key] = .count(sum)
            }
        }
        return targets
    }

    static func notes(province: Province?, field: Field?) -> [String] {
        var notes = [
            "orders_decided_share is a proxy for the framework's target of at least 80 % of dossiers completed within the year: the share of the year's registered orders that were funded or cancelled in the same year.",
            "Payments are net of reversals; money is whole đồng.",
            "GRDP contributions (5-7 % to 2030) cannot be computed from task data and are not shown.",
        ]
        if field != nil {
            notes.append("Limited to one field: the framework sets no targets per field, so none are shown.")
        } else if province == nil {
            notes.append(
                "All provinces: each count target is the sum of the 34 provinces' targets (each a per-locality floor); the share target is the national default."
            )
        }
        return notes
    }
}
