import ArgumentParser

struct EnterpriseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enterprise",
        abstract: "Enterprises: the orderers of S&T tasks.",
        subcommands: [EnterpriseAddCommand.self, EnterpriseListCommand.self])
}
