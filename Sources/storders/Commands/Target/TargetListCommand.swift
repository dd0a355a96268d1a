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
        let targets = history ? try store.targetHistory() : try store.targets(province: try Parse.province(province))
        let writer = ListWriter<Target>(
            format(),
            columns: Columns.targets, console: console)
        for t in targets { writer.add(t) }
        writer.finish(empty: "No targets.")
    }
}
