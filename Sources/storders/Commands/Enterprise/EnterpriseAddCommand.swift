import ArgumentParser
import STOrders

struct EnterpriseAddCommand: StoreCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", _superCommandName: "storders enterprise",
        abstract: "Register an enterprise.",
        discussion: """
            Example:
              storders enterprise add --name "Công ty TNHH Quang học Yên Bình" --tax-code 4601234560 --province "Thái Nguyên"
            """)

    @OptionGroup var global: GlobalOptions
    @Option(help: "The enterprise's name, in Vietnamese.") var name: String
    @Option(help: "Its tax code (MST): 10 digits, or 10 digits and -NNN for a dependent unit.") var taxCode: String
    @Option(help: "Its province or centrally run city (name or code).") var province: String
    @Flag(help: "It is an innovative startup (counted by the framework's indicators).") var innovativeStartup = false
    @OptionGroup var date: DateOption

    func run(store: Store, console: Console) throws {
        let enterprise = try store.addEnterprise(
            name: name, taxCode: try TaxCode(parsing: taxCode), province: try Province.named(province),
            innovativeStartup: innovativeStartup, on: try date.day())
        if global.json {
            console.line(Shape.enterprise(enterprise).serialized())
        } else {
            console.line(
                "Added enterprise \(enterprise.name) (tax code \(enterprise.taxCode)), \(enterprise.province.name)"
                    + (enterprise.innovativeStartup ? ", innovative startup." : "."))
        }
    }
}
