import ArgumentParser

struct OutputCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "output",
        abstract: "Outputs: the market-oriented deliverables of an order, paid for when accepted.",
        subcommands: [OutputAddCommand.self, OutputAcceptCommand.self])
}
