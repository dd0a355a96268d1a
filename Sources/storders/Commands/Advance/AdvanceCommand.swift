import ArgumentParser
import STOrders

struct AdvanceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "advance",
        abstract:
            "Advances (tạm ứng) of the state budget: made after funding, settled by later payments, or recovered.",
        discussion: """
            An officer advances part of a funded order's state budget, within the advance limit the database sets (`storders advance-limit`; none is set in a new database, and then no advance is made). Every later state payment against an output settles what is outstanding first. What is not settled is recovered. An order with advances outstanding is not cancelled or commercialized.
            """,
        subcommands: [AdvancePayCommand.self, AdvanceRecoverCommand.self, AdvanceListCommand.self])
}

enum AdvanceText {
    static func line(_ a: Advance) -> String {
        switch a.kind {
        case .advance:
            return
                "Recorded advance \(a.number) of order \(a.orderCode): \(Render.money(a.amount)) of the state budget, reference \(a.reference ?? ""), on \(a.madeOn); later state payments settle it first."
        case .recovery:
            return
                "Recorded recovery \(a.number) of order \(a.orderCode): \(Render.money(a.amount)) of its advances returned, on \(a.madeOn): \(a.reason ?? "")"
        }
    }

    static func balance(_ b: AdvanceBalance) -> String {
        "Advanced \(Render.money(b.advanced)) · settled \(Render.money(b.settled)) · recovered \(Render.money(b.recovered)) · outstanding \(Render.money(b.outstanding))"
    }
}

/// The table `order show` prints of an order's advances and recoveries.
enum AdvanceTable {
    static func write(_ advances: [Advance], balance: AdvanceBalance, console: Console) {
        console.line(AdvanceText.balance(balance))
        let table = Table(
            [
                .init("NO", right: true), .init("DATE"), .init("KIND"), .init("AMOUNT", right: true),
                .init("REFERENCE"), .init("REASON"),
            ], console: console)
        for a in advances {
            table.add([
                String(a.number), a.madeOn.description, a.kind.rawValue, Money.format(a.amount), a.reference ?? "–",
                a.reason ?? "",
            ])
        }
        table.finish(empty: "")
    }
}

struct AdvancePayCommand: StoreCommand {
    static let configuration = CommandConfiguration(
        commandName: "pay", _superCommandName: "storders advance",
        abstract: "Advance part of a funded order's state budget, with the treasury's reference.",
        discussion: """
            The advance stays within the advance limit (what was advanced and not recovered, at most that share of the state budget) and within what remains of the state budget after its state payments and outstanding advances.

            Example:
              storders advance pay 19-2026-0001 --amount 300.000.000 --reference "UNC 0142/KBNN"
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The order's code.") var order: String
    @Option(parsing: .unconditional, help: ArgumentHelp("How much, in đồng.", valueName: "amount")) var amount: String
    @Option(help: "The transfer's reference (treasury voucher).") var reference: String
    @OptionGroup var date: DateOption

    func run(store: Store, console: Console) throws {
        let a = try store.makeAdvance(
            order: order, amount: try Parse.amount(amount), reference: reference, on: try date.day())
        console.line(global.json ? Shape.advance(a, withOrder: true).serialized() : AdvanceText.line(a))
    }
}

struct AdvanceRecoverCommand: StoreCommand {
    static let configuration = CommandConfiguration(
        commandName: "recover", _superCommandName: "storders advance",
        abstract: "Record that the enterprise returned what is outstanding of an order's advances (or part of it).",
        discussion: """
            By default all that is outstanding is recovered.

            Example:
              storders advance recover 19-2026-0001 --reason "Doanh nghiệp hoàn trả tạm ứng" --reference "GNT 0415/KBNN"
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The order's code.") var order: String
    @Option(
        parsing: .unconditional,
        help: ArgumentHelp("How much, in đồng (default: all that is outstanding).", valueName: "amount"))
    var amount: String?
    @Option(help: "Why the money is returned.") var reason: String
    @Option(help: "The return's reference (treasury voucher).") var reference: String?
    @OptionGroup var date: DateOption

    func run(store: Store, console: Console) throws {
        let a = try store.recoverAdvance(
            order: order, amount: try amount.map(Parse.amount), reason: reason, reference: reference,
            on: try date.day())
        console.line(global.json ? Shape.advance(a, withOrder: true).serialized() : AdvanceText.line(a))
    }
}

struct AdvanceListCommand: ListCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", _superCommandName: "storders advance",
        abstract: "List advances and recoveries, by order and number, with each order's outstanding advances.",
        discussion: """
            Examples:
              storders advance list --outstanding --province "Thái Nguyên"
              storders advance list --enterprise 4601234560 --csv
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var list: ListOptions
    @Flag(help: "Only orders with advances outstanding.") var outstanding = false
    @Option(help: "Only orders of this province.") var province: String?
    @Option(help: ArgumentHelp("Only orders of this enterprise.", valueName: "tax-code")) var enterprise: String?

    func run(store: Store, console: Console) throws {
        let filter = AdvanceFilter(
            province: try Parse.province(province), enterprise: try Parse.taxCode(enterprise),
            outstandingOnly: outstanding)
        let writer = ListWriter<AdvanceLine>(format(), columns: Columns.advances, console: console)
        try store.forEachAdvance(filter) { writer.add($0) }
        writer.finish(empty: "No advances.")
    }
}

struct AdvanceLimitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "advance-limit",
        abstract: "The share of an order's state budget that may be advanced: a setting of the database.",
        discussion: """
            A new database sets none, and then no advance is made: the framework fixes no share, so the office sets its own (e.g. from its regulations). Each setting is kept with who set it and when; the latest is in force.
            """,
        subcommands: [AdvanceLimitShowCommand.self, AdvanceLimitSetCommand.self, AdvanceLimitClearCommand.self],
        defaultSubcommand: AdvanceLimitShowCommand.self)
}

struct AdvanceLimitShowCommand: ListCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", _superCommandName: "storders advance-limit",
        abstract: "Show the advance limit in force (with --history, every setting ever made, oldest first).")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var list: ListOptions
    @Flag(help: "Show every setting ever made, oldest first.") var history = false

    func run(store: Store, console: Console) throws {
        let settings = history ? try store.advanceLimitHistory() : try store.advanceLimit().map { [$0] } ?? []
        let writer = ListWriter<AdvanceLimitSetting>(format(), columns: Columns.advanceLimits, console: console)
        for s in settings { writer.add(s) }
        writer.finish(empty: "No advance limit is set: no advance may be made.")
    }
}

struct AdvanceLimitSetCommand: StoreCommand {
    static let configuration = CommandConfiguration(
        commandName: "set", _superCommandName: "storders advance-limit",
        abstract: "Set the share of an order's state budget that may be advanced.",
        discussion: """
            Example:
              storders advance-limit set 30%
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "A percentage from 0% to 100%, up to 2 decimals.") var share: String

    func run(store: Store, console: Console) throws {
        render(try store.setAdvanceLimit(basisPoints: try AdvanceLimitSetting.parse(share)), json: global.json, console)
    }
}

struct AdvanceLimitClearCommand: StoreCommand {
    static let configuration = CommandConfiguration(
        commandName: "clear", _superCommandName: "storders advance-limit",
        abstract: "Set no advance limit: no further advance may be made.")

    @OptionGroup var global: GlobalOptions

    func run(store: Store, console: Console) throws {
        render(try store.setAdvanceLimit(basisPoints: nil), json: global.json, console)
    }
}

private func render(_ s: AdvanceLimitSetting, json: Bool, _ console: Console) {
    if json {
        console.line(Shape.advanceLimit(s).serialized())
    } else if s.basisPoints == nil {
        console.line("Advance limit: none; no advance may be made.")
    } else {
        console.line("Advance limit: \(s.shown) of an order's state budget.")
    }
}
