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
            columns: [
                .init("ID", "id", .count) { .int($0.id) },
                .init("LOGIN", "login") { .string($0.login) },
                .init("NAME", "name", max: 40) { .string($0.name) },
                .init("PREFIX", "prefix") { .string($0.prefix) },
                .init("CREATED", "created_at") { .string($0.createdAt) },
                .init("REVOKED", "revoked_at") { .optional($0.revokedAt) },
            ], console: console)
        for item in tokens { writer.add(item) }
        writer.finish(empty: "No API tokens.")
    }
}
