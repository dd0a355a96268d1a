/// One column of a list: its table title, its JSON and CSV key, and its value. A list's columns
/// are the one definition of its rows: the CLI writes them as a table, JSON or CSV, and the
/// server's API answers the same JSON objects.
public struct Column<Item>: Sendable {
    public enum Kind: Sendable { case text, money, count, date, flag }
    public let title: String
    public let key: String
    public let kind: Kind
    public let maxWidth: Int
    /// Shown in a human table (JSON and CSV carry every column).
    public let inTable: Bool
    public let value: @Sendable (Item) -> JSONValue
    /// How a human table shows the value, when it is not the value itself ("national default"
    /// for a target without a province, a share as "66.7 %").
    public let text: (@Sendable (Item) -> String)?

    public init(
        _ title: String, _ key: String, _ kind: Kind = .text, max: Int = 48, inTable: Bool = true,
        text: (@Sendable (Item) -> String)? = nil, _ value: @escaping @Sendable (Item) -> JSONValue
    ) {
        self.title = title
        self.key = key
        self.kind = kind
        self.maxWidth = max
        self.inTable = inTable
        self.text = text
        self.value = value
    }

    /// The JSON object of one row of a list with these columns.
    public static func row(_ columns: [Column<Item>], _ item: Item) -> JSONValue {
        .object(columns.map { ($0.key, $0.value(item)) })
    }
}

/// The columns of each list, for every interface.
public enum Columns {
    public static let orders: [Column<OrderSummary>] = [
        .init("CODE", "code") { .string($0.order.code) },
        .init("STATE", "state") { .string($0.order.state.rawValue) },
        .init("ORDERED", "ordered_on", .date) { .string($0.order.orderedOn.description) },
        .init("PROVINCE", "province", max: 22) { .string($0.order.province.name) },
        .init("", "province_code", inTable: false) { .string($0.order.province.code) },
        .init("FIELD", "field") { .string($0.order.field.rawValue) },
        .init("", "enterprise_tax_code", inTable: false) { .string($0.order.enterpriseTaxCode.value) },
        .init("ENTERPRISE", "enterprise_name", max: 30) { .string($0.order.enterpriseName) },
        .init("TITLE", "title", max: 40) { .string($0.order.title) },
        .init("OUTPUTS", "outputs", .count) { .int($0.outputs) },
        .init("VALUE", "outputs_value", .money) { .int($0.outputsValue) },
        .init("FUNDED", "funding_total", .money, inTable: false) { .int($0.fundingTotal) },
        .init("PAID", "paid_total", .money) { .int($0.paidTotal) },
    ]

    public static let results: [Column<ResultLine>] = [
        .init("ORDER", "order_code") { .string($0.orderCode) },
        .init("", "order_title", inTable: false) { .string($0.orderTitle) },
        .init("DATE", "commercialized_on", .date) { .string($0.commercializedOn.description) },
        .init("CHANNEL", "channel") { .string($0.channel.rawValue) },
        .init("REVENUE", "revenue", .money) { .int($0.revenue) },
        .init("STATE PAID", "state_budget_paid", .money) { .int($0.stateBudgetPaid) },
        .init("OUTPUTS", "outputs", .count) { .int($0.outputs) },
        .init("PROVINCE", "province", max: 22) { .string($0.province.name) },
        .init("", "province_code", inTable: false) { .string($0.province.code) },
        .init("", "field", inTable: false) { .string($0.field.rawValue) },
        .init("", "enterprise_tax_code", inTable: false) { .string($0.enterpriseTaxCode) },
        .init("ENTERPRISE", "enterprise_name", max: 40) { .string($0.enterpriseName) },
        .init("", "result_number", .count, inTable: false) { .int($0.resultNumber) },
        .init("", "note", inTable: false) { .optional($0.note) },
    ]

    public static let enterprises: [Column<Enterprise>] = [
        .init("TAX CODE", "tax_code") { .string($0.taxCode.value) },
        .init("NAME", "name", max: 50) { .string($0.name) },
        .init("PROVINCE", "province") { .string($0.province.name) },
        .init("", "province_code", inTable: false) { .string($0.province.code) },
        .init("STARTUP", "innovative_startup", .flag) { .bool($0.innovativeStartup) },
        .init("REGISTERED", "registered_on", .date) { .string($0.registeredOn.description) },
    ]

    public static let targets: [Column<Target>] = [
        .init("KEY", "key") { .string($0.key.rawValue) },
        .init("PROVINCE", "province", max: 22, text: { $0.province?.name ?? "national default" }) {
            .optional($0.province?.name)
        },
        .init("", "province_code", inTable: false) { .optional($0.province?.code) },
        .init("VALUE", "value", .count, text: { $0.value.description }) { Shape.targetValue($0.value) },
        .init("SET BY", "set_by") { .string($0.setBy) },
        .init("SET AT", "set_at") { .string($0.setAt) },
        .init("LABEL", "label", max: 60) { .string($0.key.label) },
    ]

    /// `report provinces` for one year: the province, every indicator by its key (the headline
    /// ones in the table), the advance figures (what is outstanding in the table), and the
    /// targets met.
    public static func provinces(year: Int) -> [Column<ProvinceIndicators>] {
        let headline: [IndicatorKey: String] = [
            .newOrImprovedOutputs: "OUTPUTS", .enterprisesInnovating: "ENTERPRISES", .innovativeStartups: "STARTUPS",
            .ordersRegistered: "ORDERS", .ordersDecidedShare: "DECIDED", .stateBudgetCommitted: "STATE COMMITTED",
            .stateBudgetPaid: "STATE PAID", .results: "RESULTS", .revenue: "REVENUE",
        ]
        var columns: [Column<ProvinceIndicators>] = [
            .init("PROVINCE", "province", max: 22) { .string($0.province.name) },
            .init("", "province_code", inTable: false) { .string($0.province.code) },
            .init("", "year", .count, inTable: false) { _ in .int(year) },
        ]
        for key in IndicatorKey.allCases {
            let kind: Column<ProvinceIndicators>.Kind = key.kind == .money ? .money : .count
            let title = headline[key]
            let asText = key.kind == .share || key.kind == .ratio || key.kind == .days
            var text: (@Sendable (ProvinceIndicators) -> String)? = nil
            if asText {
                text = { (row: ProvinceIndicators) -> String in
                    let value: IndicatorValue? = row.indicators[key]?.value
                    return Shape.indicatorText(key, value)
                }
            }
            let value: @Sendable (ProvinceIndicators) -> JSONValue = { row in
                Shape.indicatorValue(row.indicators[key]?.value)
            }
            columns.append(Column(title ?? "", key.rawValue, kind, inTable: title != nil, text: text, value))
        }
        // The state money advanced, apart from the payments (null where a caller gave none; both
        // the province's and the national report give them); the table shows what is outstanding.
        for key in AdvanceFigures.Key.allCases {
            columns.append(
                Column(
                    key == .outstanding ? "ADV. OUTSTANDING" : "", key.rawValue, .money, inTable: key == .outstanding,
                    text: { row in row.advances.map { Money.format($0[key]) } ?? "–" }
                ) { row in row.advances.map { .int($0[key]) } ?? .null })
        }
        columns.append(
            .init("MET", "targets_met", .count, text: { "\($0.targetsMet)/\(TargetKey.allCases.count)" }) {
                .int($0.targetsMet)
            })
        return columns
    }
}
