import ArgumentParser
import STOrders

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "The framework's indicators: a year's standing against the targets, provinces compared, an HTML dashboard.",
        subcommands: [ReportIndicatorsCommand.self, ReportProvincesCommand.self, ReportHTMLCommand.self])
}

/// `--year Y` or `--from Y1 --to Y2` (default: this year).
struct YearsOptions: ParsableArguments {
    @Option(help: "The year (default: this year).") var year: Int?
    @Option(help: "The first year of a span (with --to): one column per year.") var from: Int?
    @Option(help: "The last year of a span (with --from).") var to: Int?

    func years() throws -> ClosedRange<Int> {
        switch (year, from, to) {
        case (let y?, nil, nil): return try IndicatorRequest.years(from: y, to: y)
        case (nil, let a?, let b?): return try IndicatorRequest.years(from: a, to: b)
        case (nil, nil, nil):
            let y = Day.today().year
            return y...y
        case (_?, _, _): throw ValidationError("give either --year or --from and --to, not both")
        default: throw ValidationError("--from and --to go together: give both, or --year")
        }
    }
}

