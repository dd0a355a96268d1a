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
            columns: [
                .init("CODE", "code") { .string($0.order.code) },
                .init("STATE", "state") { .string($0.order.state.rawValue) },
                .init("ORDERED", "ordered_on", .date) { .string($0.order.orderedOn.description) },
                .init("PROVINCE", "province", max: 22) { .string($0.order.province.name) },
                .init("FIELD", "field") { .string($0.order.field.rawValue) },
                .init("", "enterprise_tax_code", inTable: false) { .string($0.order.enterpriseTaxCode.value) },
                .init("ENTERPRISE", "enterprise_name", max: 30) { .string($0.order.enterpriseName) },
                .init("TITLE", "title", max: 40) { .string($0.order.title) },
                .init("OUTPUTS", "outputs", .count) { .int($0.outputs) },
                .init("VALUE", "outputs_value", .money) { .int($0.outputsValue) },
                .init("FUNDED", "funding_total", .money, inTable: false) { .int($0.fundingTotal) },
                .init("PAID", "paid_total", .money) { .int($0.paidTotal) },
            ], console: console)
        try store.forEachOrder(filter) { writer.add($0) }
        writer.finish(empty: "No orders match.")
    }
}
