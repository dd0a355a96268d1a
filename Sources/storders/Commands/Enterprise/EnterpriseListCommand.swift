import ArgumentParser
import STOrders

struct EnterpriseListCommand: ListCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", _superCommandName: "storders enterprise", abstract: "List enterprises, by name.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var list: ListOptions
    @Option(help: "Only enterprises of this province.") var province: String?

    func run(store: Store, console: Console) throws {
        let writer = ListWriter<Enterprise>(
            format(),
            columns: [
                .init("TAX CODE", "tax_code") { .string($0.taxCode.value) },
                .init("NAME", "name", max: 50) { .string($0.name) },
                .init("PROVINCE", "province") { .string($0.province.name) },
                .init("STARTUP", "innovative_startup", .flag) { .bool($0.innovativeStartup) },
                .init("REGISTERED", "registered_on", .date) { .string($0.registeredOn.description) },
            ], console: console)
        try store.forEachEnterprise(province: try Parse.province(province)) { writer.add($0) }
        writer.finish(empty: "No enterprises.")
    }
}
