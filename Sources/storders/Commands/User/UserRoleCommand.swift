import ArgumentParser
import STOrders

struct UserRoleCommand: StoreCommand {
    static let configuration = CommandConfiguration(
        commandName: "role", _superCommandName: "storders user",
        abstract: "Give an account another role or binding; it applies to its next request.",
        discussion: """
            Example:
              storders user role can-bo.tn --role auditor --province "Thái Nguyên"
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The login.") var login: String
    @OptionGroup var role: RoleOptions

    func run(store: Store, console: Console) throws {
        let (enterprise, province) = try role.binding()
        let account = try store.setRole(
            login: login, role: role.role, enterprise: enterprise, province: province, by: GlobalOptions.actor)
        if global.json {
            console.line(Shape.account(account).serialized())
        } else {
            console.line("Account \(account.login) is now \(Render.binding(account)).")
        }
    }
}
