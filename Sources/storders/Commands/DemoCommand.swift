import ArgumentParser
import STOrders

struct Demo: StoreCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo", _superCommandName: "storders",
        abstract:
            "Fill the database with the seed's story and a few more orders, then show the commercialized results.",
        discussion: "Creates the database when it does not exist. Running it again only shows the results.")
    static var mayCreateDatabase: Bool { true }

    @OptionGroup var global: GlobalOptions

    func run(store: Store, console: Console) throws {
        let filled = try DemoData.populate(store)
        if !global.json {
            console.line(
                filled
                    ? "Filled \(store.path) with the demo: 5 enterprises, 6 orders in 5 provinces."
                    : "\(store.path) already holds the demo; showing its results.")
            console.line()
        }
        try ResultsListCommand.parse(global.json ? ["--json"] : []).run(store: store, console: console)
        if !global.json {
            console.line()
            console.line("Try: storders order list · storders order show 19-2025-0001 · storders history 19-2025-0001")
        }
    }
}
