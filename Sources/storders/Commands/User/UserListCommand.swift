import ArgumentParser
import STOrders

struct UserListCommand: ListCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", _superCommandName: "storders user", abstract: "List accounts, by login.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var list: ListOptions

    func run(store: Store, console: Console) throws {
        // Read first: a refusal (an unknown login) is then the only output, even with --json.
        let accounts = try store.accounts()
        let writer = ListWriter<Account>(
            format(),
            columns: Columns.accounts, console: console)
        for item in accounts { writer.add(item) }
        writer.finish(empty: "No accounts.")
    }
}
