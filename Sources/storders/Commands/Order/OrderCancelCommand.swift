import ArgumentParser
import STOrders

struct OrderCancelCommand: StoreCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel", _superCommandName: "storders order",
        abstract: "Cancel an ordered or funded order, with a reason.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The order's code.") var order: String
    @Option(help: "Why it is cancelled.") var reason: String
    @OptionGroup var date: DateOption

    func run(store: Store, console: Console) throws {
        let cancelled = try store.cancel(order: order, reason: reason, on: try date.day())
        if global.json {
            console.line(Shape.order(cancelled).serialized())
        } else {
            console.line(
                "Cancelled order \(cancelled.code) on \(cancelled.cancelledOn.map(String.init(describing:)) ?? ""): \(reason)"
            )
        }
    }
}
