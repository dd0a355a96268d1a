import ArgumentParser
import STOrders

struct UserPasswordCommand: StoreCommand {
    static let configuration = CommandConfiguration(
        commandName: "password", _superCommandName: "storders user",
        abstract: "Set an account's password (read from standard input or asked for); its sessions end.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var passwordOption: PasswordOption
    @Argument(help: "The login.") var login: String

    func run(store: Store, console: Console) throws {
        let account = try store.account(login: login)  // an unknown login is refused before asking
        let password = try PasswordInput.read(for: account.login, file: passwordOption.passwordFile)
        try store.setPassword(login: account.login, password: password, by: GlobalOptions.actor)
        if global.json {
            console.line(Shape.account(try store.account(login: account.login)).serialized())
        } else {
            console.line("Password of \(account.login) changed; its sessions have ended.")
        }
    }
}
