import ArgumentParser

struct TargetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "target",
        abstract:
            "The yearly targets the indicators are measured against: the framework's defaults and a province's own.",
        subcommands: [TargetListCommand.self, TargetSetCommand.self])
}
