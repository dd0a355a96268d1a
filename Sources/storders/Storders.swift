import ArgumentParser
import STOrders

@main
struct Storders: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "storders",
        abstract:
            "Run science-and-technology tasks ordered by enterprises: register, fund, accept, pay, commercialize.",
        discussion: """
            The database is --db PATH, else $STORDERS_DB, else ./storders.sqlite. Money is whole đồng: 1200000000, 1,200,000,000 or 1.200.000.000. Dates are YYYY-MM-DD. Provinces by name, with or without diacritics, or by code: "Thái Nguyên", "thai nguyen", 19, HCMC.

            First steps:
              storders demo                     example orders, then the results
              storders order list               every order, one line each
              storders order show 19-2025-0001  one order: outputs, money, history
            """,
        version: "0.1.0",
        subcommands: [
            Init.self, Demo.self, EnterpriseCommand.self, OrderCommand.self, OutputCommand.self,
            PaymentCommand.self, ResultsCommand.self, History.self,
            ImportCommand.self, Export.self, Generate.self,
            ResultCommand.self, Verify.self, Backup.self,
            ReportCommand.self, DueCommand.self, InboxCommand.self, NoticesCommand.self, AmendCommand.self,
            RequestCommand.self, AdvanceCommand.self, AdvanceLimitCommand.self,
            TargetCommand.self,
            UserCommand.self, TokenCommand.self, SourceCommand.self, DocumentCommand.self, ChecklistCommand.self,
        ]
    )
}
