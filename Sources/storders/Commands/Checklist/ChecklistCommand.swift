import ArgumentParser
import STOrders

struct ChecklistCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checklist",
        abstract: "The documents each step needs before it is taken: a setting of the database.",
        discussion: """
            Steps: fund and commercialize (the order's own documents count), accept and pay (the documents of the output concerned count); a document counts when it is dated on or before the step. A new database needs nothing: every step is taken as before until a list is set.
            """,
        subcommands: [ChecklistShowCommand.self, ChecklistSetCommand.self, ChecklistClearCommand.self],
        defaultSubcommand: ChecklistShowCommand.self)
}

struct ChecklistShowCommand: ListCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", _superCommandName: "storders checklist",
        abstract: "Show what each step needs (with --history, every setting ever made, oldest first).")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var list: ListOptions
    @Flag(help: "Show every setting ever made, oldest first.") var history = false

    func run(store: Store, console: Console) throws {
        let settings = history ? try store.checklistHistory() : try store.checklistSettings()
        let writer = ListWriter<ChecklistSetting>(format(), columns: Columns.checklist, console: console)
        for s in settings { writer.add(s) }
        writer.finish(empty: "The checklist is empty: no step needs a document.")
    }
}

struct ChecklistSetCommand: StoreCommand {
    static let configuration = CommandConfiguration(
        commandName: "set", _superCommandName: "storders checklist",
        abstract: "Set the kinds of document a step needs (replacing what it needed).",
        discussion: """
            Example:
              storders checklist set accept minutes
              storders checklist set fund contract report
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The step: fund, accept, pay, commercialize or request.") var step: ChecklistStep
    @Argument(help: "The kinds it needs: minutes, invoice, report, contract, other.") var kinds: [DocumentKind]

    func validate() throws {
        if kinds.isEmpty { throw ValidationError("name at least one kind; `storders checklist clear` needs none") }
    }

    func run(store: Store, console: Console) throws {
        render(try store.setChecklist(step, kinds: kinds), json: global.json, console: console)
    }
}

struct ChecklistClearCommand: StoreCommand {
    static let configuration = CommandConfiguration(
        commandName: "clear", _superCommandName: "storders checklist",
        abstract: "Make a step need no document.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The step: fund, accept, pay, commercialize or request.") var step: ChecklistStep

    func run(store: Store, console: Console) throws {
        render(try store.setChecklist(step, kinds: []), json: global.json, console: console)
    }
}

private func render(_ setting: ChecklistSetting, json: Bool, console: Console) {
    if json {
        console.line(Shape.checklistSetting(setting).serialized())
    } else if setting.kinds.isEmpty {
        console.line("Checklist: \(setting.step) needs no document.")
    } else {
        console.line(
            "Checklist: \(setting.step) needs \(setting.kinds.map(\.rawValue).joined(separator: ", ")).")
    }
}
