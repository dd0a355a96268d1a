import ArgumentParser
import STOrders

struct UserAuditCommand: ListCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", _superCommandName: "storders user",
        abstract: "The audit log, newest first: accounts and roles changed, tokens, sign-ins and failed ones.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var list: ListOptions
    @Option(help: "At most this many lines.") var limit = 100

    func validate() throws {
        try validateFormat()
        if limit < 1 { throw ValidationError("--limit must be at least 1") }
    }

    func run(store: Store, console: Console) throws {
        // Read first: a refusal (an unknown login) is then the only output, even with --json.
        let entries = try store.auditLog(limit: limit)
        let writer = ListWriter<AuditEntry>(
            format(),
            columns: Columns.audit, console: console)
        for item in entries { writer.add(item) }
        writer.finish(empty: "The audit log is empty.")
    }
}
