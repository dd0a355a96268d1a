import ArgumentParser
import STOrders

struct ReportProvincesCommand: ListCommand {
    static let configuration = CommandConfiguration(
        commandName: "provinces", _superCommandName: "storders report",
        abstract: "One row per province for a year: the headline indicators and how many targets each met.",
        discussion: """
            Every province appears, each measured against its own targets. --sort takes any column key: province, targets_met or an indicator key (see --json); missing values sort last. Example: storders report provinces --year 2025 --sort new_or_improved_outputs --descending
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var list: ListOptions
    @Option(help: "The year (default: this year).") var year: Int?
    @Option(help: "Only orders of this field (no targets then).") var field: Field?
    @Option(help: ArgumentHelp("The column to sort by (default: province).", valueName: "key")) var sort: String?
    @Flag(help: "Sort from the largest value down.") var descending = false

    func run(store: Store, console: Console) throws {
        let format = format()
        let sortKey = try sort.map(ProvinceSort.parse) ?? .province
        let year = try Parse.year(year) ?? Today.day().year
        let rows = try store.provinceIndicators(year: year, field: field, sort: sortKey, descending: descending)
        let headline: [IndicatorKey: String] = [
            .newOrImprovedOutputs: "OUTPUTS", .enterprisesInnovating: "ENTERPRISES", .innovativeStartups: "STARTUPS",
            .ordersRegistered: "ORDERS", .ordersDecidedShare: "DECIDED", .stateBudgetCommitted: "STATE COMMITTED",
            .stateBudgetPaid: "STATE PAID", .results: "RESULTS", .revenue: "REVENUE",
        ]
        var columns: [ListColumn<ProvinceIndicators>] = [
            .init("PROVINCE", "province", max: 22) { .string($0.province.name) },
            .init("", "province_code", inTable: false) { .string($0.province.code) },
            .init("", "year", .count, inTable: false) { _ in .int(year) },
        ]
        for key in IndicatorKey.allCases {
            let kind: ListColumn<ProvinceIndicators>.Kind = key.kind == .money ? .money : .count
            let title = headline[key]
            columns.append(
                .init(title ?? "", key.rawValue, kind, inTable: title != nil) { row in
                    let value = row.indicators[key]?.value
                    if format == .table, key.kind == .share || key.kind == .ratio || key.kind == .days {
                        return .string(Render.indicatorText(key, value))
                    }
                    return Render.indicatorValue(value)
                })
        }
        columns.append(
            .init("MET", "targets_met", .count) { row in
                format == .table ? .string("\(row.targetsMet)/\(TargetKey.allCases.count)") : .int(row.targetsMet)
            })
        let writer = ListWriter<ProvinceIndicators>(format, columns: columns, console: console)
        for row in rows { writer.add(row) }
        writer.finish(empty: "No provinces.")
    }
}
