import ArgumentParser
import STOrders

struct TokenRevokeCommand: StoreCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke", _superCommandName: "storders token",
        abstract: "Revoke an API token: from now on it authenticates nothing.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The token's id (`storders token list`).") var id: Int64

    func run(store: Store, console: Console) throws {
        let token = try store.revokeToken(id: id, by: GlobalOptions.actor)
        if global.json {
            console.line(Shape.token(token).serialized())
        } else {
            console.line("Revoked API token \(token.id) '\(token.name)' of \(token.login).")
        }
    }
}
