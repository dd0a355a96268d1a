import ArgumentParser

struct ResultCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "result",
        abstract:
            "Correct one commercialization result (record results with `storders order commercialize`, list them with `storders results list`).",
        subcommands: [ResultRetractCommand.self])
}
