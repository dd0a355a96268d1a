import ArgumentParser
import STOrders

struct TokenCreateCommand: StoreCommand {
    static let configuration = CommandConfiguration(
        commandName: "create", _superCommandName: "storders token",
        abstract: "Create an API token for an account; it is shown this once.",
        discussion: """
            Example:
              storders token create kiem-toan --name "xuất dữ liệu hằng đêm"
            The database keeps only the token's SHA-256: store the token now, it cannot be shown again.
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The login of the account it acts as.") var login: String
    @Option(help: "What it is for, to recognise it in `token list`.") var name = "api"

    func run(store: Store, console: Console) throws {
        let issued = try store.createToken(login: login, name: name, by: GlobalOptions.actor)
        if global.json {
            console.line(Shape.issuedToken(issued).serialized())
        } else {
            console.line("API token \(issued.info.id) '\(issued.info.name)' for \(issued.info.login):")
            console.line(issued.token)
            console.line("It will not be shown again: store it now (the database keeps only its hash).")
        }
    }
}
