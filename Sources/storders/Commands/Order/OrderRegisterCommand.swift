import ArgumentParser
import STOrders

struct OrderRegisterCommand: StoreCommand {
    static let configuration = CommandConfiguration(
        commandName: "register", _superCommandName: "storders order",
        abstract: "Register an S&T task ordered by an enterprise.",
        discussion: """
            The province defaults to the enterprise's. Without --code a code is generated from the province code, the year and a sequence number: 19-2026-0001.

            Example:
              storders order register --enterprise 4601234560 --field innovation \\
                --title "Cải tiến quy trình sản xuất mô-đun camera"
            """)

    @OptionGroup var global: GlobalOptions
    @Option(help: ArgumentHelp("The ordering enterprise's tax code.", valueName: "tax-code")) var enterprise: String
    @Option(help: "What the task is.") var title: String
    @Option(help: "The framework's pillar.") var field: Field
    @Option(help: "The province the task is run in (default: the enterprise's).") var province: String?
    @Option(help: "The order's code (default: generated).") var code: String?
    @OptionGroup var date: DateOption

    func run(store: Store, console: Console) throws {
        let order = try store.registerOrder(
            enterprise: try TaxCode(parsing: enterprise), title: title, field: field,
            province: try Parse.province(province), code: code, on: try date.day())
        if global.json {
            console.line(Shape.order(order).serialized())
        } else {
            console.line(
                "Registered order \(order.code) for \(order.enterpriseName): \(order.title) (\(order.field), \(order.province.name))."
            )
            console.line("Next: add its outputs with `storders output add \(order.code) …`, then fund it.")
        }
    }
}
