import ArgumentParser

struct SourceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "source",
        abstract: "This database's identity as a source of the national store: its id and its name.",
        discussion: """
            The id is made with the database and never changes; the national store knows which database published what by it. The name is what people call it (the province's office) and may change; the next publish carries it.
            """,
        subcommands: [SourceShowCommand.self, SourceRenameCommand.self],
        defaultSubcommand: SourceShowCommand.self)
}
