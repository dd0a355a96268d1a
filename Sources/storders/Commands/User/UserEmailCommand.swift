import ArgumentParser
import STOrders

struct UserEmailCommand: StoreCommand {
    static let configuration = CommandConfiguration(
        commandName: "email", _superCommandName: "storders user",
        abstract: "Set or remove the address an account's digest of notices is sent to.",
        discussion: """
            storders notices --digests sends each enabled account that has an address its own notices.

            Examples:
              storders user email can-bo.tn lan.tn@sokhcn.example.vn
              storders user email can-bo.tn --remove
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The login.") var login: String
    @Argument(help: ArgumentHelp("The address, local@domain.", valueName: "address")) var address: String?
    @Flag(help: "Remove the account's address: it gets no digest.") var remove = false

    func validate() throws {
        if (address == nil) == !remove {
            throw ValidationError("give an address, or --remove to remove the account's address; not both")
        }
    }

    func run(store: Store, console: Console) throws {
        let account = try store.setEmail(login: login, remove ? nil : address, by: GlobalOptions.actor)
        if global.json {
            console.line(Shape.account(account).serialized())
        } else if let email = account.email {
            console.line("Account \(account.login)'s digests go to \(email).")
        } else {
            console.line("Account \(account.login) has no address: it gets no digest.")
        }
    }
}
