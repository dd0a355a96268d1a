import ArgumentParser
import STOrders

struct OutputAddCommand: StoreCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", _superCommandName: "storders output",
        abstract: "Add an output to an order that is not yet funded.",
        discussion: """
            Example:
              storders output add 19-2026-0001 --title "Quy trình sản xuất mô-đun camera cải tiến" \\
                --type model --novelty improved --value 1.200.000.000 --due 2027-06-30
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The order's code.") var order: String
    @Option(help: "What is delivered.") var title: String
    @Option(help: "What kind of output it is.") var type: OutputType
    @Option(help: "Whether it is new or improves on something.") var novelty: Novelty
    @Option(
        parsing: .unconditional, help: ArgumentHelp("What is paid when it is accepted, in đồng.", valueName: "amount"))
    var value: String
    @Option(
        help: ArgumentHelp(
            "When it is due, YYYY-MM-DD; needed before the order is funded with a contract period.", valueName: "date"))
    var due: String?
    @OptionGroup var date: DateOption

    func run(store: Store, console: Console) throws {
        let output = try store.addOutput(
            order: order,
            NewOutput(
                title: title, type: type, novelty: novelty, value: try Parse.amount(value),
                dueOn: try due.map(Day.init(parsing:))),
            on: try date.day())
        if global.json {
            console.line(Shape.output(output, withOrder: true).serialized())
        } else {
            console.line(
                "Added output \(output.number) to order \(output.orderCode): \(output.title) (\(output.novelty) \(output.type)), value \(Render.money(output.value))\(output.dueOn.map { ", due \($0)" } ?? "")."
            )
        }
    }
}
