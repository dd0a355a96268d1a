import ArgumentParser
import STOrders

struct Backup: StoreCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup", _superCommandName: "storders",
        abstract: "Copy the database to FILE while others may go on writing (SQLite's online backup).",
        discussion: """
            The copy is one consistent snapshot, written beside FILE and moved into place when complete. An existing FILE is refused unless --force. Check the copy with `storders verify --db FILE`. Example:
              storders backup backups/storders-2026-06-30.sqlite
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Where to write the copy.") var file: String
    @Flag(help: "Replace FILE if it exists.") var force = false

    func run(store: Store, console: Console) throws {
        let s = try store.backup(to: file, replacing: force)
        if global.json {
            console.line(
                JSONValue.object([
                    ("backup", .string(s.path)), ("bytes", .int(s.bytes)), ("orders", .int(s.orders)),
                    ("events", .int(s.events)), ("chain_head", s.chainHead.isEmpty ? .null : .string(s.chainHead)),
                ]).serialized())
        } else {
            console.line(
                "Backed up \(store.path) to \(s.path): \(s.orders) orders, \(s.events) events, \(s.bytes) bytes.")
            if !s.chainHead.isEmpty { console.line("Chain head: \(s.chainHead)") }
        }
    }
}
