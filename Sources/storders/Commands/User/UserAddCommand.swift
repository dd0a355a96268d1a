import ArgumentParser
import STOrders

struct UserAddCommand: StoreCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", _superCommandName: "storders user",
        abstract: "Create an account; its password is read from standard input or asked for.",
        discussion: """
            Examples:
              storders user add dn.yenbinh --role enterprise --enterprise 4601234560
              storders user add can-bo.tn --role officer --province "Thái Nguyên" --email lan.tn@sokhcn.example.vn
              storders user add kiem-toan --role auditor
              printf '%s\\n' "$PASSWORD" | storders user add quan-tri --role admin
              storders user add quan-tri.2 --role admin --password-file /run/secrets/quan-tri
            A login is 3 to 64 lowercase letters, digits, '.', '-' or '_'; a password at least 10 \
            characters and at most 72 bytes.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var passwordOption: PasswordOption
    @Argument(help: "The login.") var login: String
    @OptionGroup var role: RoleOptions
    @Option(
        help: ArgumentHelp("Where its digest of notices is sent (storders notices --digests).", valueName: "address"))
    var email: String?

    func run(store: Store, console: Console) throws {
        let login = try Account.parseLogin(login)
        let (enterprise, province) = try role.binding()
        let password = try PasswordInput.read(for: login, file: passwordOption.passwordFile)
        let account = try store.addAccount(
            NewAccount(login: login, role: role.role, enterprise: enterprise, province: province, email: email),
            password: password, by: GlobalOptions.actor)
        if global.json {
            console.line(Shape.account(account).serialized())
        } else {
            console.line("Added account \(account.login): \(Render.binding(account)).")
        }
    }
}
