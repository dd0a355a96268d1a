import ArgumentParser
import STOrders

struct ReportIndicatorsCommand: ListCommand {
    static let configuration = CommandConfiguration(
        commandName: "indicators", _superCommandName: "storders report",
        abstract: "The framework's indicators for a province (or all) and year(s), each against its target.",
        discussion: """
            Computed from the records alone: outputs accepted, enterprises engaged, orders decided within the year, money committed and paid, commercialization and cycle times, with a breakdown by field. Targets are those in force (`storders target list`).

            Examples:
              storders report indicators --province "Thái Nguyên" --year 2025
              storders report indicators --from 2024 --to 2026 --json
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var list: ListOptions
    @Option(help: "Only this province's orders (default: all provinces).") var province: String?
    @OptionGroup var years: YearsOptions
    @Option(help: "Only orders of this field (no targets then: the framework sets none per field).") var field: Field?

    func run(store: Store, console: Console) throws {
        let format = format()
        let report = try store.indicators(
            IndicatorRequest(
                province: try Parse.province(province), field: field,
                years: try years.years(), asOf: try Today.day()))
        switch format {
        case .json: console.line(Shape.indicators(report).serialized())
        case .csv: IndicatorRendering.csv(report, console)
        case .table: IndicatorRendering.table(report, console)
        }
    }
}
