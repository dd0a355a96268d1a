import ArgumentParser
import STOrders
import STOrdersNational
import STOrdersTerminal

/// `storders-national report`: the framework's indicators computed by PostgreSQL from every
/// published source, written exactly as `storders report` writes them (the same table, CSV and
/// JSON: STOrdersTerminal and the library's Shape and Columns).
struct NationalReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "The framework's indicators for the whole country, computed from the national store.",
        subcommands: [NationalIndicatorsCommand.self, NationalProvincesCommand.self])
}

/// Where the national store is and how to write the report.
struct NationalReportOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The national store: postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE (default: $STORDERS_NATIONAL_URL).",
            valueName: "url"))
    var national: String?

    @Flag(name: .long, help: "Print one JSON value on stdout instead of a table.") var json = false
    @Flag(name: .long, help: "Print CSV with a header line instead of a table.") var csv = false

    func validate() throws {
        if json && csv { throw ValidationError("--json and --csv cannot be combined; choose one") }
    }

    var format: ListFormat { json ? .json : csv ? .csv : .table }

    func url() throws -> NationalURL {
        guard let text = national ?? NationalOptions.environment("STORDERS_NATIONAL_URL") else {
            throw ValidationError("give the national store with --national postgresql://… (or $STORDERS_NATIONAL_URL)")
        }
        return try NationalURL(parsing: text)
    }

    /// Connects, runs `body`, and closes the connection whatever happens.
    func withConnection<T>(_ body: (NationalConnection) async throws -> T) async throws -> T {
        let national = try await NationalConnection.connect(try url())
        do {
            let value = try await body(national)
            await national.close()
            return value
        } catch {
            await national.close()
            throw error
        }
    }
}

struct NationalIndicatorsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "indicators", _superCommandName: "storders-national report",
        abstract: "The framework's indicators for the country (or a province) and year(s), each against its target.",
        discussion: """
            The same report as `storders report indicators`, over every province's published records: the figures are aggregated by PostgreSQL, and the targets are those published (a province's own, else the national default).

            Examples:
              storders-national report indicators --national postgresql://storders@db.example/storders_national --year 2025
              storders-national report indicators --national URL --province "Thái Nguyên" --from 2024 --to 2026 --json
            """)

    @OptionGroup var options: NationalReportOptions
    @Option(help: "Only this province's orders (default: all provinces).") var province: String?
    @Option(help: "The year (default: this year).") var year: Int?
    @Option(help: "The first year of a span (with --to): one column per year.") var from: Int?
    @Option(help: "The last year of a span (with --from).") var to: Int?
    @Option(help: "Only orders of this field (no targets then: the framework sets none per field).") var field: Field?

    func validate() throws {
        try options.validate()
        if year != nil && (from != nil || to != nil) {
            throw ValidationError("give either --year or --from and --to, not both")
        }
        if (from == nil) != (to == nil) { throw ValidationError("--from and --to go together: give both, or --year") }
    }

    func run() async throws {
        let years: ClosedRange<Int>
        if let from, let to {
            years = try IndicatorRequest.years(from: from, to: to)
        } else {
            let y = year ?? Day.today().year
            years = try IndicatorRequest.years(from: y, to: y)
        }
        let request = IndicatorRequest(province: try province.map(Province.named), field: field, years: years)
        let report = try await options.withConnection { try await $0.indicators(request) }
        let console = Console()
        switch options.format {
        case .json: console.line(Shape.indicators(report).serialized())
        case .csv: IndicatorRendering.csv(report, console)
        case .table: IndicatorRendering.table(report, console)
        }
        console.flush()
    }
}

struct NationalProvincesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "provinces", _superCommandName: "storders-national report",
        abstract: "One row per province for a year, from the national store: the headline indicators and targets met.",
        discussion: """
            The same report as `storders report provinces`, over every province's published records. --sort takes any column key: province, targets_met or an indicator key; missing values sort last.

            Example:
              storders-national report provinces --national URL --year 2025 --sort new_or_improved_outputs --descending
            """)

    @OptionGroup var options: NationalReportOptions
    @Option(help: "The year (default: this year).") var year: Int?
    @Option(help: "Only orders of this field (no targets then).") var field: Field?
    @Option(help: ArgumentHelp("The column to sort by (default: province).", valueName: "key")) var sort: String?
    @Flag(help: "Sort from the largest value down.") var descending = false

    func run() async throws {
        let sortKey = try sort.map(ProvinceSort.parse) ?? .province
        let year = year ?? Day.today().year
        let rows = try await options.withConnection {
            try await $0.provinceIndicators(year: year, field: field, sort: sortKey, descending: descending)
        }
        let console = Console()
        let writer = ListWriter<ProvinceIndicators>(
            options.format, columns: Columns.provinces(year: year), console: console)
        for row in rows { writer.add(row) }
        writer.finish(empty: "No provinces.")
        console.flush()
    }
}

extension Field: ExpressibleByArgument {}

/// `storders-national verify`: the store's running totals against its records.
struct NationalVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check that the national store's running totals equal what its published records say.",
        discussion: """
            The national reports read running totals that every publish batch adjusts for the orders it moves. This recomputes each table of totals from the records (the province's own definitions, in PostgreSQL) and compares both ways, in one read-only snapshot; exit status 1 when any key differs.

            Example:
              storders-national verify --national postgresql://storders@db.example/storders_national
            """)

    @OptionGroup var options: NationalReportOptions

    func run() async throws {
        let url = try options.url()
        let found = try await options.withConnection { try await $0.verifyTotals() }
        let differing = found.reduce(Int64(0)) { $0 + $1.differences }
        if options.json {
            print(
                JSONValue.object([
                    ("url", .string(url.description)), ("clean", .bool(differing == 0)),
                    (
                        "tables",
                        .array(
                            found.map {
                                .object([("table", .string($0.table)), ("differing_keys", .int($0.differences))])
                            })
                    ),
                ]).serialized())
        } else {
            for (table, differences) in found {
                print(
                    differences == 0
                        ? "\(table): equal to the records."
                        : "\(table): \(differences) \(differences == 1 ? "key differs" : "keys differ") from the records."
                )
            }
        }
        if differing > 0 {
            throw STOrdersError.verificationFailed(path: url.description, findings: Int(differing))
        }
    }
}
