import ArgumentParser
import STOrders

struct OrderCommercializeCommand: StoreCommand {
    static let configuration = CommandConfiguration(
        commandName: "commercialize", _superCommandName: "storders order",
        abstract: "Record a commercialization result of a delivered order (or a further one).",
        discussion: """
            Example:
              storders order commercialize 19-2026-0001 --channel sale --revenue 4.200.000.000 --note "Hợp đồng với Samsung"
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The order's code.") var order: String
    @Option(help: "How it reached the market.") var channel: Channel
    @Option(
        parsing: .unconditional,
        help: ArgumentHelp("Revenue in đồng (0 allowed, e.g. for internal use).", valueName: "amount")) var revenue:
        String
    @Option(help: "A note (customer, contract).") var note: String?
    @OptionGroup var date: DateOption

    func run(store: Store, console: Console) throws {
        let (result, state) = try store.commercialize(
            order: order, channel: channel, revenue: try Money.parse(revenue, allowZero: true), note: note,
            on: try date.day())
        if global.json {
            console.line(Shape.recordedResult(result, orderState: state).serialized())
        } else {
            console.line(
                "Recorded result \(result.number) of order \(result.orderCode): \(result.channel), revenue \(Render.money(result.revenue)); the order is \(state)."
            )
        }
    }
}
