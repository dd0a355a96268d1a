import ArgumentParser
import STOrders

struct UserCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Accounts of storders-server: who may sign in, with which role.",
        discussion: """
            Roles: enterprise (one enterprise's own orders), officer (a province's orders and \
            targets), auditor (reads a province, or everything when national), admin (accounts, \
            the audit log, national targets). Passwords are read from standard input or asked for, \
            never given as an argument.
            """,
        subcommands: [
            UserAddCommand.self, UserListCommand.self, UserDisableCommand.self, UserEnableCommand.self,
            UserPasswordCommand.self, UserRoleCommand.self, UserEmailCommand.self, UserAuditCommand.self,
        ])
}

extension Role: ExpressibleByArgument {}

/// The role and its binding, as `user add` and `user role` take them.
struct RoleOptions: ParsableArguments {
    @Option(help: "enterprise, officer, auditor or admin.") var role: Role
    @Option(help: ArgumentHelp("With --role enterprise: its tax code.", valueName: "tax-code")) var enterprise: String?
    @Option(help: "With --role officer (required) or auditor (none: national): the province.") var province: String?

    func binding() throws -> (TaxCode?, Province?) {
        let binding = (try Parse.taxCode(enterprise), try Parse.province(province))
        try Account.checkBinding(role: role, enterprise: binding.0, province: binding.1)
        return binding
    }
}

/// Where a password may come from besides standard input or the prompt.
struct PasswordOption: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Read the password from the first line of this file (e.g. a mounted secret) instead of standard input.",
            valueName: "path"))
    var passwordFile: String?
}
