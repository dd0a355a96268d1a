import ArgumentParser
import STOrders

struct InboxCommand: ListCommand {
    static let configuration = CommandConfiguration(
        commandName: "inbox", _superCommandName: "storders",
        abstract: "What waits for a decision, oldest first, with the days waited.",
        discussion: """
            Orders waiting for funding, enterprises' amendment requests to decide, and outputs due for acceptance (due within \(InboxFilter.acceptanceWindowDays) days or late; negative days: due in that many days). An officer opens it for the province, an enterprise for its own orders.

            Examples:
              storders inbox --province "Thái Nguyên"
              storders inbox --enterprise 4601234560 --as-of 2026-06-30 --json
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var list: ListOptions
    @Option(help: "Only orders of this province.") var province: String?
    @Option(help: ArgumentHelp("Only orders of this enterprise.", valueName: "tax-code")) var enterprise: String?
    @Option(help: ArgumentHelp("The day to count from, YYYY-MM-DD (default: today).", valueName: "date"))
    var asOf: String?
    @Option(help: "At most this many items (1 to 1000).") var limit = 100

    func validate() throws {
        try validateFormat()
        if province != nil && enterprise != nil {
            throw ValidationError("--province and --enterprise cannot be combined; choose one")
        }
        if !(1...1000).contains(limit) { throw ValidationError("--limit takes 1 to 1000") }
    }

    func run(store: Store, console: Console) throws {
        let filter = InboxFilter(
            asOf: try asOf.map(Day.init(parsing:)) ?? Today.day(), province: try Parse.province(province),
            enterprise: try Parse.taxCode(enterprise), limit: limit)
        let writer = ListWriter<InboxItem>(format(), columns: Columns.inbox, console: console)
        for item in try store.inbox(filter) { writer.add(item) }
        writer.finish(empty: "Nothing waits for a decision.")
    }
}
