import ArgumentParser
import STOrders

struct ResultRetractCommand: StoreCommand {
    static let configuration = CommandConfiguration(
        commandName: "retract", _superCommandName: "storders result",
        abstract: "Retract a result recorded by mistake: it stays on file, marked retracted, and counts nowhere.",
        discussion: """
            A result is retracted once, with a reason, never deleted. An order is commercialized only while one of its results stands: retracting the last one returns it to delivered.

            Example:
              storders result retract 19-2026-0001 2 --reason "Hợp đồng bị hủy, ghi nhầm"
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The order's code.") var order: String
    @Argument(help: "The result's number within the order (`storders order show` lists them).") var result: Int
    @Option(help: "Why the result is retracted.") var reason: String
    @OptionGroup var date: DateOption

    func run(store: Store, console: Console) throws {
        let (result, state) = try store.retractResult(order: order, result: result, reason: reason, on: try date.day())
        if global.json {
            console.line(Shape.recordedResult(result, orderState: state).serialized())
        } else {
            console.line(
                "Retracted result \(result.number) of order \(result.orderCode) (\(result.channel), revenue \(Render.money(result.revenue))) on \(result.retractedOn?.description ?? ""); the order is \(state)."
            )
        }
    }
}
