import ArgumentParser
import STOrders

struct DocumentListCommand: ListCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", _superCommandName: "storders document",
        abstract: "List an order's documents, by number (--json and --csv add each one's SHA-256).")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var list: ListOptions
    @Argument(help: "The order's code.") var order: String

    func run(store: Store, console: Console) throws {
        let writer = ListWriter<Document>(format(), columns: Columns.documents, console: console)
        for d in try store.documents(order: order) { writer.add(d) }
        writer.finish(empty: "No documents.")
    }
}
