import ArgumentParser

struct DocumentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "document",
        abstract: "Files attached to an order or one of its outputs: minutes, invoices, reports, contracts.",
        discussion: """
            A document's content is stored in the database once, by its SHA-256, at most 16 MiB; attaching it is a step of the order's history, and `storders verify` checks every content against its hash.
            """,
        subcommands: [DocumentAttachCommand.self, DocumentListCommand.self, DocumentExtractCommand.self])
}
