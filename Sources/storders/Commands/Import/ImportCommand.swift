import ArgumentParser
import STOrders

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import enterprises, orders and outputs from CSV files, or restore an export.",
        discussion: """
            CSV files: UTF-8 with or without a byte-order mark, comma- or semicolon-separated, quoted fields, LF or CRLF line ends, a header line naming the columns (see docs/import-export.md, "Importing spreadsheets"). All or nothing: a file with any bad row imports nothing and lists the problems (line, column, value, what is accepted). --dry-run checks everything and writes nothing.

            Examples:
              storders import enterprises enterprises.csv
              storders import orders orders.csv --outputs outputs.csv --dry-run
              storders import dump export.jsonl --db restored.sqlite
            """,
        subcommands: [
            ImportEnterprisesCommand.self, ImportOrdersCommand.self, ImportOutputsCommand.self,
            ImportDumpCommand.self,
        ])
}

/// The flag every CSV import takes.
struct DryRunOption: ParsableArguments {
    @Flag(name: .long, help: "Check every row and report, but write nothing.")
    var dryRun = false
}

/// How an import reports what it did.
enum ImportReport {
    static func render(_ s: ImportSummary, console: Console, json: Bool) {
        if json {
            console.line(
                JSONValue.object([
                    ("enterprises", .int(s.enterprises)), ("orders", .int(s.orders)),
                    ("outputs", .int(s.outputs)), ("dry_run", .bool(s.dryRun)),
                ]).serialized())
            return
        }
        var parts: [String] = []
        if s.enterprises > 0 { parts.append("\(s.enterprises) enterprise\(s.enterprises == 1 ? "" : "s")") }
        if s.orders > 0 { parts.append("\(s.orders) order\(s.orders == 1 ? "" : "s")") }
        if s.outputs > 0 { parts.append("\(s.outputs) output\(s.outputs == 1 ? "" : "s")") }
        let what = parts.isEmpty ? "no rows" : parts.joined(separator: ", ")
        console.line(s.dryRun ? "Checked \(what): all valid. Nothing was written (--dry-run)." : "Imported \(what).")
    }
}

struct ImportEnterprisesCommand: StoreCommand {
    static let configuration = CommandConfiguration(
        commandName: "enterprises", _superCommandName: "storders import",
        abstract: "Import enterprises: tax_code, name, province, innovative_startup, registered_on.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var dry: DryRunOption
    @Argument(help: ArgumentHelp("The CSV file.", valueName: "file")) var file: String

    func run(store: Store, console: Console) throws {
        let summary = try ProgressBar.run("importing \(file)") {
            try store.importEnterprises(file: file, dryRun: dry.dryRun, progress: $0)
        }
        ImportReport.render(summary, console: console, json: global.json)
    }
}

struct ImportOrdersCommand: StoreCommand {
    static let configuration = CommandConfiguration(
        commandName: "orders", _superCommandName: "storders import",
        abstract: "Import orders (one row each, in any state) with their outputs from a second file.",
        discussion: """
            orders.csv: code, enterprise_tax_code, title, field, province, ordered_on, state, funded_on, state_budget, enterprise_funds, other, other_source, delivered_on, commercialized_on, channel, revenue, result_note, cancelled_on, cancel_reason. outputs.csv: order_code, number, title, type, novelty, value, accepted_on, evidence. The enterprises must be on file already (storders import enterprises).
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var dry: DryRunOption
    @Argument(help: ArgumentHelp("The orders CSV file.", valueName: "file")) var file: String
    @Option(
        help: ArgumentHelp(
            "The outputs CSV file of these orders (needed for every order past `ordered`).",
            valueName: "file")) var outputs: String?

    func run(store: Store, console: Console) throws {
        let summary = try ProgressBar.run("importing \(file)") {
            try store.importOrders(file: file, outputs: outputs, dryRun: dry.dryRun, progress: $0)
        }
        ImportReport.render(summary, console: console, json: global.json)
    }
}

struct ImportOutputsCommand: StoreCommand {
    static let configuration = CommandConfiguration(
        commandName: "outputs", _superCommandName: "storders import",
        abstract: "Add outputs to orders already on file that are still `ordered` (as `output add` does).",
        discussion: "Columns: order_code, number (optional), title, type, novelty, value.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var dry: DryRunOption
    @OptionGroup var date: DateOption
    @Argument(help: ArgumentHelp("The outputs CSV file.", valueName: "file")) var file: String

    func run(store: Store, console: Console) throws {
        let summary = try ProgressBar.run("importing \(file)") {
            try store.importOutputs(file: file, on: try date.day(), dryRun: dry.dryRun, progress: $0)
        }
        ImportReport.render(summary, console: console, json: global.json)
    }
}

struct ImportDumpCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dump", _superCommandName: "storders import",
        abstract: "Restore a file written by `storders export` into a new (or freshly initialised, empty) database.",
        discussion: """
            The restore is built in a temporary file beside the database and put in place only when it succeeded: a refused restore leaves no file behind. The history must hash exactly as the export says (an edited or damaged file is refused, naming its first record that disagrees).

            Example: storders import dump all.jsonl --db restored.sqlite
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("The export file (json or jsonl).", valueName: "file")) var file: String

    func run() throws {
        let console = Console()
        defer { console.flush() }
        let summary = try ProgressBar.run("restoring \(file)") {
            try Store.restore(file: file, into: global.databasePath, actor: GlobalOptions.actor, progress: $0)
        }
        ImportReport.render(summary, console: console, json: global.json)
    }
}
