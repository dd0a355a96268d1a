import ArgumentParser
import STOrders

struct UserListCommand: ListCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", _superCommandName: "storders user", abstract: "List accounts, by login.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var list: ListOptions

    func run(store: Store, console: Console) throws {
        // Read first: a refusal (an unknown login) is then the only output, even with --json.
        let accounts = try store.accounts()
        let writer = ListWriter<Account>(
            format(),
            columns: [
                .init("LOGIN", "login") { .string($0.login) },
                .init("ROLE", "role") { .string($0.role.rawValue) },
                .init("ENTERPRISE", "enterprise") { .optional($0.enterprise?.value) },
                .init("PROVINCE", "province") { .optional($0.province?.name) },
                .init("PROVINCE CODE", "province_code", inTable: false) { .optional($0.province?.code) },
                .init("DISABLED", "disabled", .flag) { .bool($0.disabled) },
                .init("CREATED", "created_at") { .string($0.createdAt) },
            ], console: console)
        for item in accounts { writer.add(item) }
        writer.finish(empty: "No accounts.")
    }
}
