import ArgumentParser

struct OrderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "order",
        abstract: "Orders: S&T tasks ordered by enterprises, through their lifecycle.",
        discussion: """
            ordered ──fund──▶ funded ──(last output accepted)──▶ delivered ──commercialize──▶ commercialized
               └────────cancel───────┴──▶ cancelled
            """,
        subcommands: [
            OrderRegisterCommand.self, OrderFundCommand.self, OrderCommercializeCommand.self,
            OrderCancelCommand.self, OrderShowCommand.self, OrderListCommand.self,
        ])
}
