#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
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
        var info = stat()
        let existed = stat(path, &info) == 0 && info.st_size > 0
        let store = try Store.open(path: path, mode: .createIfNeeded, actor: GlobalOptions.actor)
        let console = Console()
        defer { console.flush() }
        if global.json {
            console.line(JSON.object([("path", .string(store.path)), ("schema_version", .int(Store.schemaVersion)),
                                      ("created", .bool(!existed))]).serialized())
        } else if existed {
            console.line("\(path) is already a STOrders database (schema version \(Store.schemaVersion)); nothing to do.")
        } else {
            console.line("Created STOrders database \(path) (schema version \(Store.schemaVersion)).")
        }
    }

    func run(store: Store, console: Console) throws {}
}
