import ArgumentParser
import STOrders

struct TargetSetCommand: StoreCommand {
    static let configuration = CommandConfiguration(
        commandName: "set", _superCommandName: "storders target",
        abstract: "Set a target: the national default, or with --province that province's own.",
        discussion: """
            Keys: new_or_improved_outputs, enterprises_innovating, innovative_startups (whole numbers) and orders_decided_share (a percentage such as 85% or a fraction such as 0.85).

            Examples:
              storders target set new_or_improved_outputs 40 --province "Thái Nguyên"
              storders target set orders_decided_share 85%
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The target's key.") var key: String
    @Argument(help: "Its value: a whole number, or for the share a percentage (85%) or fraction (0.85).") var value:
        String
    @Option(help: "The province whose own target this is (default: the national default).") var province: String?

    func run(store: Store, console: Console) throws {
        let key = try TargetKey.parse(key)
        let value = try TargetValue.parse(value, for: key)
        let target = try store.setTarget(key, value, province: try Parse.province(province))
        if global.json {
            console.line(Shape.target(target).serialized())
        } else {
            console.line(
                "Target \(key.rawValue) set to \(value.description)"
                    + (target.province.map { " for \($0.name)." } ?? " as the national default."))
        }
    }
}
