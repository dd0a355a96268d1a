import ArgumentParser
import STOrders

struct UserDisableCommand: StoreCommand {
    static let configuration = CommandConfiguration(
        commandName: "disable", _superCommandName: "storders user",
        abstract: "Disable an account: it can no longer sign in, its sessions end and its API tokens stop working.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The login.") var login: String

    func run(store: Store, console: Console) throws {
        let account = try store.setAccountDisabled(login: login, true, by: GlobalOptions.actor)
        if global.json {
            console.line(Shape.account(account).serialized())
        } else {
            console.line(
                "Account \(account.login) is disabled; its sessions have ended and its API tokens do not work.")
        }
    }
}

struct UserEnableCommand: StoreCommand {
    static let configuration = CommandConfiguration(
        commandName: "enable", _superCommandName: "storders user",
        abstract:
            "Enable a disabled account again (its API tokens work again; its sessions ended when it was disabled).")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The login.") var login: String

    func run(store: Store, console: Console) throws {
        let account = try store.setAccountDisabled(login: login, false, by: GlobalOptions.actor)
        if global.json {
            console.line(Shape.account(account).serialized())
        } else {
            console.line("Account \(account.login) is enabled.")
        }
    }
}
