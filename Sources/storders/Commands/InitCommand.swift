import ArgumentParser
import STOrders

struct Init: StoreCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", _superCommandName: "storders",
        abstract: "Create a new STOrders database (or check that an existing file is one).")
    static var mayCreateDatabase: Bool { true }

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let path = global.databasePath
        let store = try Store.open(path: path, mode: .createIfNeeded, actor: GlobalOptions.actor)
        // Said by the process that made the schema, not guessed from the file's size beforehand:
        // of several `init` of one new file at once, exactly one says "Created".
        let existed = !store.createdSchema
        let console = Console()
        defer { console.flush() }
        if global.json {
            console.line(
                JSONValue.object([
                    ("path", .string(store.path)), ("schema_version", .int(Store.schemaVersion)),
                    ("created", .bool(!existed)),
                ]).serialized())
        } else if existed {
            console.line(
                "\(path) is already a STOrders database (schema version \(Store.schemaVersion)); nothing to do.")
        } else {
            console.line("Created STOrders database \(path) (schema version \(Store.schemaVersion)).")
        }
    }

    func run(store: Store, console: Console) throws {}
}
