import ArgumentParser
import Foundation
import STOrders

struct NoticesCommand: ListCommand {
    static let configuration = CommandConfiguration(
        commandName: "notices", _superCommandName: "storders",
        abstract: "What an account is told about, newest first: steps taken on its orders and deadlines near or past.",
        discussion: """
            Funded, output accepted, payment made or reversed, an amendment decided, cancelled; a deadline due within \(NoticeFilter.dueSoonDays) days (due_soon) or passed unmet (overdue). --login takes an account's scope (an enterprise account its orders, an officer its province); --province or --enterprise name it directly. With --mail-to, the notices are also sent as one e-mail through the SMTP relay of --smtp (default: $STORDERS_SMTP).

            Examples:
              storders notices --login lan.tn
              storders notices --enterprise 4601234560 --since 2026-11-01 --json
              storders notices --login lan.tn --mail-to lan@sokhcn.example.vn --smtp localhost:25
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var list: ListOptions
    @Option(help: "The notices of this account's scope.") var login: String?
    @Option(help: "Only orders of this province.") var province: String?
    @Option(help: ArgumentHelp("Only orders of this enterprise.", valueName: "tax-code")) var enterprise: String?
    @Option(help: ArgumentHelp("The first day told, YYYY-MM-DD (default: 30 days before --as-of).", valueName: "date"))
    var since: String?
    @Option(help: ArgumentHelp("The last day told, YYYY-MM-DD (default: today).", valueName: "date"))
    var asOf: String?
    @Option(help: "At most this many notices (1 to 1000).") var limit = 100
    @Option(help: ArgumentHelp("Also send them as one e-mail to this address.", valueName: "address"))
    var mailTo: String?
    @Option(help: ArgumentHelp("The sender's address (default: storders@ the relay's host).", valueName: "address"))
    var mailFrom: String?
    @Option(help: ArgumentHelp("The SMTP relay, HOST or HOST:PORT (default: $STORDERS_SMTP).", valueName: "relay"))
    var smtp: String?

    func validate() throws {
        try validateFormat()
        if [login, province, enterprise].compactMap({ $0 }).count > 1 {
            throw ValidationError("--login, --province and --enterprise cannot be combined; choose one")
        }
        if !(1...1000).contains(limit) { throw ValidationError("--limit takes 1 to 1000") }
        if mailTo == nil && (mailFrom != nil || smtp != nil) {
            throw ValidationError("--mail-from and --smtp go with --mail-to")
        }
    }

    func run(store: Store, console: Console) throws {
        let asOf = try asOf.map(Day.init(parsing:)) ?? Today.day()
        var scope = (province: try Parse.province(province), enterprise: try Parse.taxCode(enterprise))
        var whom = scope.province?.name ?? scope.enterprise?.value ?? "every order"
        if let login {
            let account = try store.account(login: login)
            scope = account.noticeScope
            whom = account.login
        }
        let filter = NoticeFilter(
            asOf: asOf, since: try since.map(Day.init(parsing:)), province: scope.province,
            enterprise: scope.enterprise, limit: limit)
        if filter.since > filter.asOf {
            throw ValidationError(
                "--since \(filter.since) is after --as-of \(filter.asOf); give a window forward in time")
        }
        let notices = try store.notices(filter)
        var sent: String?
        if let mailTo {
            guard let relayText = smtp ?? ProcessInfo.processInfo.environment["STORDERS_SMTP"], !relayText.isEmpty
            else {
                throw ValidationError("--mail-to needs an SMTP relay: pass --smtp HOST[:PORT] or set STORDERS_SMTP")
            }
            let relay = try SMTPRelay(parsing: relayText)
            let (subject, body) = Notice.digest(notices, for: whom, filter: filter)
            let message = try MailMessage(
                from: mailFrom ?? "storders@\(relay.host)", to: mailTo, subject: subject, body: body)
            try relay.send(message)
            sent =
                "Sent \(notices.count) notice\(notices.count == 1 ? "" : "s") to \(mailTo) through \(relay.description)."
        }
        let writer = ListWriter<Notice>(format(), columns: Columns.notices, console: console)
        for notice in notices { writer.add(notice) }
        writer.finish(empty: "Nothing to tell from \(filter.since) to \(filter.asOf).")
        // On stderr, so that --json and --csv stay one value or one table on stdout.
        if let sent { Storders.write(sent + "\n", to: 2) }
    }
}
