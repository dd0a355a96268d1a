import ArgumentParser
import STOrders

struct TokenListCommand: ListCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", _superCommandName: "storders token",
        abstract: "List API tokens (their first 8 characters only), revoked ones included.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var list: ListOptions
    @Option(help: "Only the tokens of this account.") var login: String?

    func run(store: Store, console: Console) throws {
        // Read first: a refusal (an unknown login) is then the only output, even with --json.
        let tokens = try store.tokens(login: login)
        let writer = ListWriter<APIToken>(
            format(),
            columns: Columns.tokens, console: console)
        for item in tokens { writer.add(item) }
        writer.finish(empty: "No API tokens.")
    }
}
