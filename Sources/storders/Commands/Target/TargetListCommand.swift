import ArgumentParser
import STOrders

struct TargetListCommand: ListCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", _superCommandName: "storders target",
        abstract: "List the targets: the national defaults, then each province's own.",
        discussion: """
            With --province, the targets that apply to it: its own where set, else the default. With --history, every target ever set, oldest first (setting a target never erases the earlier one).
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var list: ListOptions
    @Option(help: "Show the targets in force for this province.") var province: String?
    @Flag(help: "Show every target ever set, oldest first.") var history = false

    func validate() throws {
        try validateFormat()
        if history && province != nil { throw ValidationError("--history lists every province; leave out --province") }
    }

    func run(store: Store, console: Console) throws {
        let format = format()
        let targets = history ? try store.targetHistory() : try store.targets(province: try Parse.province(province))
        let writer = ListWriter<Target>(
            format,
            columns: [
                .init("KEY", "key") { .string($0.key.rawValue) },
                .init("PROVINCE", "province", max: 22) { t in
                    format == .table ? .string(t.province?.name ?? "national default") : .optional(t.province?.name)
                },
                .init("", "province_code", inTable: false) { .optional($0.province?.code) },
                .init("VALUE", "value", .count) { t in
                    format == .table ? .string(t.value.description) : Render.targetValue(t.value)
                },
                .init("SET BY", "set_by") { .string($0.setBy) },
                .init("SET AT", "set_at") { .string($0.setAt) },
                .init("LABEL", "label", max: 60) { .string($0.key.label) },
            ], console: console)
        for t in targets { writer.add(t) }
        writer.finish(empty: "No targets.")
    }
}
