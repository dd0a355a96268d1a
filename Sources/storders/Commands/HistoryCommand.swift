import ArgumentParser
import STOrders

struct History: StoreCommand {
    static let configuration = CommandConfiguration(
        commandName: "history", _superCommandName: "storders",
        abstract: "Show an order's history, oldest first: date, action, details and who acted.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The order's code.") var order: String

    func run(store: Store, console: Console) throws {
        let events = try store.chainedHistory(code: order)
        if global.json {
            console.line(JSONValue.array(events.map(Shape.chainedEvent)).serialized())
        } else {
            HistoryTable.write(events.map(\.event), console: console)
        }
    }
}

enum HistoryTable {
    static func write(_ events: [Event], console: Console) {
        let table = Table(
            [.init("DATE"), .init("ACTION"), .init("BY", max: 20), .init("DETAILS", max: 200)], console: console)
        for e in events { table.add([e.occurredOn.description, e.action.rawValue, e.actor, e.details]) }
        table.finish(empty: "  no events")
    }
}
