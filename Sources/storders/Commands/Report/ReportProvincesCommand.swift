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
        let rows = try store.provinceIndicators(
            year: year, field: field, sort: sortKey, descending: descending, asOf: try Today.day())
        let writer = ListWriter<ProvinceIndicators>(format, columns: Columns.provinces(year: year), console: console)
        for row in rows { writer.add(row) }
        writer.finish(empty: "No provinces.")
    }
}
