import ArgumentParser
import STOrders

@main
struct Storders: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "storders",
        abstract: "Run science-and-technology tasks ordered by enterprises: register, fund, accept, pay, commercialize.",
        discussion: """
            The database is --db PATH, else $STORDERS_DB, else ./storders.sqlite.
            Money is whole đồng (1200000000, 1,200,000,000 or 1.200.000.000); dates are YYYY-MM-DD.
            Provinces may be typed with or without diacritics, or by code: "Thái Nguyên", "thai nguyen", 19, HCMC.

            First steps:
              storders demo                      fill ./storders.sqlite with example orders and show the results
              storders order list                the orders, one line each
              storders order show 19-2025-0001   one order with its outputs, money and history
            """,
        version: "0.1.0",
        subcommands: [
            Init.self, Demo.self, EnterpriseCommand.self, OrderCommand.self, OutputCommand.self,
            PaymentCommand.self, ResultsCommand.self, History.self, ReportCommand.self, TargetCommand.self,
        ]
    )
}
