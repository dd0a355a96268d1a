import ArgumentParser
import STOrders

struct SourceShowCommand: StoreCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", _superCommandName: "storders source",
        abstract: "Show this database's source id, name and when the id was made.")

    @OptionGroup var global: GlobalOptions

    func run(store: Store, console: Console) throws {
        let source = try store.sourceIdentity()
        if global.json {
            console.line(Shape.source(source).serialized())
        } else {
            console.line("Source \(source.id): \(source.name) (since \(source.createdAt)).")
        }
    }
}
