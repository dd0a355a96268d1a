import ArgumentParser
import STOrders

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract:
            "The framework's indicators: a year's standing against the targets, provinces compared, an HTML dashboard.",
        subcommands: [ReportIndicatorsCommand.self, ReportProvincesCommand.self, ReportHTMLCommand.self])
}

/// `--year Y` or `--from Y1 --to Y2` (default: this year).
struct YearsOptions: ParsableArguments {
    @Option(help: "The year (default: this year).") var year: Int?
    @Option(help: "The first year of a span (with --to): one column per year.") var from: Int?
    @Option(help: "The last year of a span (with --from).") var to: Int?

    /// Checked when the arguments are parsed, before any database is opened (exit 64).
    func validate() throws {
        if year != nil && (from != nil || to != nil) {
            throw ValidationError("give either --year or --from and --to, not both")
        }
        if (from == nil) != (to == nil) { throw ValidationError("--from and --to go together: give both, or --year") }
    }

    func years() throws -> ClosedRange<Int> {
        if let year = try Parse.year(year) { return year...year }  // one wording for --year in every command
        if let from, let to { return try IndicatorRequest.years(from: from, to: to) }
        let y = try Today.day().year
        return y...y
    }
}
