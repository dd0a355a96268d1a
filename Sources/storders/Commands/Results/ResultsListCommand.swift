import ArgumentParser
import STOrders

struct ResultsListCommand: ListCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", _superCommandName: "storders results",
        abstract: "List commercialized results, by date, with what the state paid for each order.",
        discussion: "Example: storders results list --province \"Thái Nguyên\" --year 2026 --json")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var list: ListOptions
    @Option(help: "Only results of orders of this province.") var province: String?
    @Option(help: "Only results commercialized in this year.") var year: Int?
    @Option(help: ArgumentHelp("Only results of this enterprise's orders.", valueName: "tax-code")) var enterprise:
        String?
    @Option(help: "Only results through this channel.") var channel: Channel?

    func run(store: Store, console: Console) throws {
        let filter = ResultFilter(
            province: try Parse.province(province), year: try Parse.year(year),
            enterprise: try Parse.taxCode(enterprise), channel: channel)
        let writer = ListWriter<ResultLine>(
            format(),
            columns: Columns.results, console: console)
        try store.forEachResult(filter) { writer.add($0) }
        writer.finish(empty: "No commercialized results match.")
    }
}
