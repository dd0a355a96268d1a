import ArgumentParser
import STOrders

struct SourceRenameCommand: StoreCommand {
    static let configuration = CommandConfiguration(
        commandName: "rename", _superCommandName: "storders source",
        abstract: "Give this database a new name as a source (its id does not change).",
        discussion: """
            Example:
              storders source rename "Sở KH&CN Thái Nguyên"
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The new name (at most 200 characters).") var name: String

    func run(store: Store, console: Console) throws {
        let source = try store.renameSource(name)
        if global.json {
            console.line(Shape.source(source).serialized())
        } else {
            console.line("Source \(source.id) is now named \(source.name).")
        }
    }
}
