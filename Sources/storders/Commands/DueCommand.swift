import ArgumentParser
import STOrders

struct DueCommand: ListCommand {
    static let configuration = CommandConfiguration(
        commandName: "due", _superCommandName: "storders",
        abstract: "List the deadlines that are late or due soon: outputs awaiting acceptance and contracts' ends.",
        discussion: """
            Outputs not yet accepted of funded orders, and the ends of contracts whose order is still funded (not delivered, not cancelled), by due date, oldest first, with the days late (negative: days left). Without --overdue or --within, what is late or due within \(DueFilter.defaultWithinDays) days. A date an amendment extended shows its original date too.

            Examples:
              storders due --overdue --province "Thái Nguyên"
              storders due --within 14 --enterprise 4601234560 --as-of 2026-06-30 --csv
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var list: ListOptions
    @Flag(help: "Only what is late.") var overdue = false
    @Option(help: ArgumentHelp("What is late or due within this many days.", valueName: "days")) var within: Int?
    @Option(help: "Only orders of this province.") var province: String?
    @Option(help: ArgumentHelp("Only orders of this enterprise.", valueName: "tax-code")) var enterprise: String?
    @Option(help: ArgumentHelp("The day to count from, YYYY-MM-DD (default: today).", valueName: "date"))
    var asOf: String?

    func validate() throws {
        try validateFormat()
        if overdue && within != nil { throw ValidationError("--overdue and --within cannot be combined; choose one") }
        if let within, within < 0 || within > 3660 { throw ValidationError("--within takes 0 to 3660 days") }
    }

    func run(store: Store, console: Console) throws {
        let filter = DueFilter(
            asOf: try asOf.map(Day.init(parsing:)) ?? Today.day(),
            withinDays: overdue ? nil : (within ?? DueFilter.defaultWithinDays), province: try Parse.province(province),
            enterprise: try Parse.taxCode(enterprise))
        let writer = ListWriter<DueLine>(format(), columns: Columns.due, console: console)
        try store.forEachDue(filter) { writer.add($0) }
        writer.finish(empty: overdue ? "Nothing is late." : "Nothing is late or due soon.")
    }
}
