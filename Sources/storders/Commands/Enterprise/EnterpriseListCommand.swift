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
            columns: Columns.enterprises, console: console)
        try store.forEachEnterprise(province: try Parse.province(province)) { writer.add($0) }
        writer.finish(empty: "No enterprises.")
    }
}
