import ArgumentParser
import STOrders

struct OrderListCommand: ListCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", _superCommandName: "storders order",
        abstract: "List orders, by registration date.",
        discussion: "Filters combine: storders order list --state funded --province \"Thái Nguyên\" --year 2026")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var list: ListOptions
    @Option(help: "Only orders in this state.") var state: OrderState?
    @Option(help: "Only orders of this province.") var province: String?
    @Option(help: ArgumentHelp("Only orders of this enterprise.", valueName: "tax-code")) var enterprise: String?
    @Option(help: "Only orders of this field.") var field: Field?
    @Option(help: "Only orders registered in this year.") var year: Int?

    func run(store: Store, console: Console) throws {
        let filter = OrderFilter(
            state: state, province: try Parse.province(province), enterprise: try Parse.taxCode(enterprise),
            field: field, year: try Parse.year(year))
        let writer = ListWriter<OrderSummary>(
            format(),
            columns: Columns.orders, console: console)
        try store.forEachOrder(filter) { writer.add($0) }
        writer.finish(empty: "No orders match.")
    }
}
