import ArgumentParser
import Foundation
import STOrders

struct NoticesCommand: ListCommand {
    static let configuration = CommandConfiguration(
        commandName: "notices", _superCommandName: "storders",
        abstract: "What an account is told about, newest first: steps taken on its orders and deadlines near or past.",
        discussion: """
            Funded, output accepted, payment made or reversed, an amendment decided, cancelled; a deadline due within \(NoticeFilter.dueSoonDays) days (due_soon) or passed unmet (overdue). --login takes an account's scope (an enterprise account its orders, an officer its province); --province or --enterprise name it directly. With --mail-to, the notices are also sent as one e-mail through the SMTP relay of --smtp (default: $STORDERS_SMTP).

            With --digests, each enabled account that has an address (storders user email) is sent its own notices, one message each (none when it has nothing to tell), and the list says what became of each; by default the window is --as-of's day alone, for a run once a day. When any digest could not be sent, the error says how many and why, and the exit is non-zero.

            Examples:
              storders notices --login lan.tn
              storders notices --enterprise 4601234560 --since 2026-11-01 --json
              storders notices --login lan.tn --mail-to lan@sokhcn.example.vn --smtp localhost:25
              storders notices --digests --smtp localhost:25 --mail-from storders@sokhcn.example.vn
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
    @Flag(help: "Send each account with an address its own notices; list what became of each.") var digests = false

    func validate() throws {
        try validateFormat()
        if [login, province, enterprise].compactMap({ $0 }).count > 1 {
            throw ValidationError("--login, --province and --enterprise cannot be combined; choose one")
        }
        if !(1...1000).contains(limit) { throw ValidationError("--limit takes 1 to 1000") }
        if digests && (login != nil || province != nil || enterprise != nil || mailTo != nil) {
            throw ValidationError(
                "--digests sends each account its own scope; it takes no --login, --province, --enterprise or --mail-to"
            )
        }
        if mailTo == nil && !digests && (mailFrom != nil || smtp != nil) {
            throw ValidationError("--mail-from and --smtp go with --mail-to or --digests")
        }
    }

    /// The relay of --smtp, else of $STORDERS_SMTP.
    func relay(for what: String) throws -> SMTPRelay {
        guard let text = smtp ?? ProcessInfo.processInfo.environment["STORDERS_SMTP"], !text.isEmpty else {
            throw ValidationError("\(what) needs an SMTP relay: pass --smtp HOST[:PORT] or set STORDERS_SMTP")
        }
        return try SMTPRelay(parsing: text)
    }

    /// --digests: every account's own notices, sent; a list of what became of each.
    func sendDigests(store: Store, console: Console, asOf: Day) throws {
        let relay = try relay(for: "--digests")
        let since = try since.map(Day.init(parsing:)) ?? asOf
        if since > asOf {
            throw ValidationError("--since \(since) is after --as-of \(asOf); give a window forward in time")
        }
        let digests = try store.sendNoticeDigests(
            asOf: asOf, since: since, limit: limit, relay: relay, from: mailFrom ?? "storders@\(relay.host)")
        let failed = digests.filter { if case .failed = $0.outcome { return true } else { return false } }
        let sent = digests.filter { $0.outcome == .sent }.count
        if let first = failed.first, case .failed(let reason) = first.outcome {
            throw STOrdersError.mailFailed(
                relay: relay.description,
                reason:
                    "\(failed.count) of \(failed.count + sent) digests were not sent, \(sent) were (\(first.login): \(reason))"
            )
        }
        let writer = ListWriter<NoticeDigest>(format(), columns: Columns.digests, console: console)
        for digest in digests { writer.add(digest) }
        writer.finish(empty: "No enabled account has an address: see storders user email.")
        Storders.write("Sent \(sent) digest\(sent == 1 ? "" : "s") through \(relay.description).\n", to: 2)
    }

    func run(store: Store, console: Console) throws {
        let asOf = try asOf.map(Day.init(parsing:)) ?? Today.day()
        if digests { return try sendDigests(store: store, console: console, asOf: asOf) }
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
            let relay = try relay(for: "--mail-to")
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
