import ArgumentParser

struct ResultsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "results",
        abstract: "Commercialization results.",
        subcommands: [ResultsListCommand.self])
}
