import ArgumentParser
import STOrders

struct OrderFundCommand: StoreCommand {
    static let configuration = CommandConfiguration(
        commandName: "fund", _superCommandName: "storders order",
        abstract: "Fund an ordered order: commit money that covers its outputs' value.",
        discussion: """
            Give one or more sources; together they must cover the sum of the outputs' values. With --starts and --ends, the contract's period: every output must then have a due date within it (docs/deadlines.md).

            Example:
              storders order fund 19-2026-0001 --state-budget 1.500.000.000 --enterprise-funds 900.000.000 \\
                --starts 2026-04-01 --ends 2027-09-30
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The order's code.") var order: String
    @Option(parsing: .unconditional, help: ArgumentHelp("State budget committed, in đồng.", valueName: "amount"))
    var stateBudget: String?
    @Option(
        parsing: .unconditional, help: ArgumentHelp("The enterprise's counterpart funds, in đồng.", valueName: "amount")
    ) var enterpriseFunds: String?
    @Option(
        parsing: .unconditional,
        help: ArgumentHelp("Other funds (PPP, venture fund), in đồng; needs --other-source.", valueName: "amount"))
    var other: String?
    @Option(help: ArgumentHelp("Where the other funds come from.", valueName: "text")) var otherSource: String?
    @Option(help: ArgumentHelp("The contract's first day, YYYY-MM-DD; needs --ends.", valueName: "date"))
    var starts: String?
    @Option(help: ArgumentHelp("The contract's last day, YYYY-MM-DD; needs --starts.", valueName: "date"))
    var ends: String?
    @OptionGroup var date: DateOption

    func validate() throws {
        if (starts == nil) != (ends == nil) { throw ValidationError("--starts and --ends go together; give both") }
    }

    func run(store: Store, console: Console) throws {
        let funding = try Funding.commitment(
            order: order, stateBudget: try stateBudget.map(Parse.amount),
            enterpriseFunds: try enterpriseFunds.map(Parse.amount),
            other: try other.map(Parse.amount), otherSource: otherSource, fundedOn: try date.day(),
            startsOn: try starts.map(Day.init(parsing:)), endsOn: try ends.map(Day.init(parsing:)))
        _ = try store.fund(order: order, funding)
        let detail = try store.orderDetail(code: order)
        if global.json {
            console.line(Shape.detail(detail).serialized())
        } else {
            var sources: [String] = []
            if funding.stateBudget > 0 { sources.append("state budget \(Money.format(funding.stateBudget))") }
            if funding.enterpriseFunds > 0 { sources.append("enterprise \(Money.format(funding.enterpriseFunds))") }
            if let other = funding.otherSource { sources.append("\(other) \(Money.format(funding.other))") }
            console.line(
                "Funded order \(detail.order.code) with \(Render.money(funding.total)) (\(sources.joined(separator: " + "))); its \(detail.outputs.count) output(s) are worth \(Render.money(detail.outputsValue))\(funding.endsOn.map { "; contract \(funding.startsOn.map(\.description) ?? "") to \($0)" } ?? "")."
            )
        }
    }
}
