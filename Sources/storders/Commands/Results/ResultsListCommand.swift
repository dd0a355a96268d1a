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
            columns: [
                .init("ORDER", "order_code") { .string($0.orderCode) },
                .init("", "order_title", inTable: false) { .string($0.orderTitle) },
                .init("DATE", "commercialized_on", .date) { .string($0.commercializedOn.description) },
                .init("CHANNEL", "channel") { .string($0.channel.rawValue) },
                .init("REVENUE", "revenue", .money) { .int($0.revenue) },
                .init("STATE PAID", "state_budget_paid", .money) { .int($0.stateBudgetPaid) },
                .init("OUTPUTS", "outputs", .count) { .int($0.outputs) },
                .init("PROVINCE", "province", max: 22) { .string($0.province.name) },
                .init("", "field", inTable: false) { .string($0.field.rawValue) },
                .init("", "enterprise_tax_code", inTable: false) { .string($0.enterpriseTaxCode) },
                .init("ENTERPRISE", "enterprise_name", max: 40) { .string($0.enterpriseName) },
                .init("", "result_number", .count, inTable: false) { .int($0.resultNumber) },
                .init("", "note", inTable: false) { .optional($0.note) },
            ], console: console)
        try store.forEachResult(filter) { writer.add($0) }
        writer.finish(empty: "No commercialized results match.")
    }
}
