import ArgumentParser
import STOrders

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension ExportFormat: ExpressibleByArgument {}

struct Export: StoreCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", _superCommandName: "storders",
        abstract:
            "Write the whole database as JSON: enterprises, orders with outputs, funding, payments, results, events.",
        discussion: """
            The format is versioned ("format": "storders-export", "version": 2) and documented in docs/import-export.md; it carries each event's hash and the chain heads. `storders import dump FILE` restores it, reproducing the history exactly or refusing; export → import dump → export gives identical bytes. Example: storders export --format jsonl --output all.jsonl
            """)

    @OptionGroup var global: GlobalOptions
    @Option(help: "json: one document; jsonl: one record per line.") var format: ExportFormat = .json
    @Option(help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file")) var output: String?

    func run(store: Store, console: Console) throws {
        func export(to fd: Int32, path: String) throws {
            _ = try ProgressBar.run("exporting") {
                try store.export(
                    format: format, sink: { bytes in try FileOutput.writeAll(fd, bytes, path: path) }, progress: $0)
            }
        }
        if let output {
            try FileOutput.replace(output, of: store, mode: 0o600) { fd in try export(to: fd, path: output) }
        } else {
            try export(to: 1, path: "standard output")
        }
    }
}
