import ArgumentParser

struct PaymentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "payment",
        abstract: "Output-based payments: money disbursed against accepted outputs.",
        subcommands: [PaymentRecordCommand.self, PaymentReverseCommand.self])
}
