import GRDB

/// Whose notices, over which days: a province's office, one enterprise, or the whole database
/// (an account's scope, `Account.noticeScope`), from `since` to `asOf`.
public struct NoticeFilter: Sendable {
    public var asOf: Day
    /// The first day whose steps and deadlines are told (default: 30 days before `asOf`).
    public var since: Day
    public var province: Province?
    public var enterprise: TaxCode?
    /// At most this many notices, the newest (1 to 1,000).
    public var limit: Int

    /// How many days before a due date a `due_soon` notice is given.
    public static let dueSoonDays = 7
    /// The window when no `since` is given.
    public static let defaultDays = 30

    public init(
        asOf: Day, since: Day? = nil, province: Province? = nil, enterprise: TaxCode? = nil, limit: Int = 100
    ) {
        self.asOf = asOf
        self.since = since ?? asOf.adding(days: -NoticeFilter.defaultDays)
        self.province = province
        self.enterprise = enterprise
        self.limit = min(max(limit, 1), 1000)
    }
}

/// Something an account is told about (docs/deadlines.md, "Notices"): a step taken on one of its
/// orders, or a deadline near or past.
public struct Notice: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case funded
        case outputAccepted = "output_accepted"
        case paymentMade = "payment_made"
        case paymentReversed = "payment_reversed"
        /// An officer approved a payment request (it is to be disbursed).
        case requestApproved = "request_approved"
        /// An officer returned a payment request, with a reason.
        case requestReturned = "request_returned"
        /// An officer extended a date, or decided an enterprise's request.
        case amendmentDecided = "amendment_decided"
        case cancelled
        /// A deadline in force falls within `NoticeFilter.dueSoonDays` after the day.
        case dueSoon = "due_soon"
        /// A deadline in force passed, unmet, within the window.
        case overdue
    }

    public var kind: Kind
    /// When: the step's day; a due date for `due_soon`; the first day late for `overdue`.
    public var day: Day
    public var orderCode: String
    /// The order's title (for an output's deadline, the output's).
    public var title: String
    public var province: Province
    public var enterpriseTaxCode: String
    public var enterpriseName: String
    /// What happened or what is due, in words (a step's as its history says it).
    public var subject: String
}

extension Account {
    /// The notices an account sees: an enterprise account its enterprise's orders, an officer
    /// its province's, an auditor its province's (or all), an administrator all.
    public var noticeScope: (province: Province?, enterprise: TaxCode?) {
        switch role {
        case .enterprise: return (nil, enterprise)
        case .officer, .auditor: return (province, nil)
        case .admin: return (nil, nil)
        }
    }
}

extension Store {
    /// The history's actions a notice tells of, and their kind.
    static let noticeActions: [(Event.Action, Notice.Kind)] = [
        (.funded, .funded), (.outputAccepted, .outputAccepted), (.paymentRecorded, .paymentMade),
        (.paymentReversed, .paymentReversed),
        (.paymentRequestApproved, .requestApproved), (.paymentRequestReturned, .requestReturned),
        (.amended, .amendmentDecided), (.amendmentApproved, .amendmentDecided),
        (.amendmentRefused, .amendmentDecided), (.cancelled, .cancelled),
    ]

    /// The notices' steps as a condition on `events e`: the same terms, in the same order, as the
    /// WHERE of schema.sql's `events_noticed_by_day`, so that SQLite may read the window from it.
    static let noticedCondition =
        "(" + noticeActions.map { "e.action = '\($0.0.rawValue)'" }.joined(separator: " OR ") + ")"

    /// The notices of `filter`, newest first (by day, then the order of the history): the latest
    /// `limit` steps recorded with a day from `since` to `asOf`, the deadlines falling due within the next
    /// `NoticeFilter.dueSoonDays` days, and those that passed unmet since `since`. A deadline is
    /// an output not yet accepted or a contract's end, of an order still funded, with the date
    /// in force (an amendment moves it).
    public func notices(_ filter: NoticeFilter) throws -> [Notice] {
        guard filter.since <= filter.asOf else { return [] }
        let kinds = Dictionary(uniqueKeysWithValues: Store.noticeActions.map { ($0.0.rawValue, $0.1) })
        var steps = Conditions()
        steps.add(Store.noticedCondition, [])
        steps.add("e.occurred_on BETWEEN ? AND ?", [filter.since.description, filter.asOf.description])
        if let p = filter.province { steps.add("o.province_code = ?", [p.code]) }
        if let t = filter.enterprise { steps.add("c.tax_code = ?", [t.value]) }
        // One enterprise's few orders are read first; otherwise the window's steps are read from
        // the newest day back through `events_noticed_by_day` (CROSS JOIN keeps SQLite to that
        // order), each joined to its order, up to the limit.
        let join = filter.enterprise == nil ? "CROSS JOIN" : "JOIN"
        let sql = """
            SELECT e.action, e.occurred_on, o.code, o.title, o.province_code, c.tax_code, c.name, e.details
            FROM events e \(join) orders o ON o.id = e.order_id JOIN enterprises c ON c.id = o.enterprise_id
            \(steps.whereClause)
            ORDER BY e.occurred_on DESC, e.id DESC LIMIT ?
            """
        // Overdue: the first late day within the window; due soon: within the next days.
        let deadlines = DueFilter(
            asOf: filter.asOf, withinDays: NoticeFilter.dueSoonDays, province: filter.province,
            enterprise: filter.enterprise, from: filter.since.adding(days: -1))
        let notices = try read { db in
            var notices: [Notice] = []
            let rows = try Row.fetchCursor(
                db.cachedStatement(sql: sql), arguments: steps.arguments + [filter.limit])
            while let row = try rows.next() {
                guard let kind = kinds[row[0]] else { continue }
                notices.append(
                    Notice(
                        kind: kind, day: try Day(parsing: row[1]), orderCode: row[2], title: row[3],
                        province: try Store.province(code: row[4]), enterpriseTaxCode: row[5], enterpriseName: row[6],
                        subject: row[7]))
            }
            try Store.forEachDue(db, deadlines) { line in
                let what = line.outputNumber.map { "output \($0)" } ?? "the contract's end"
                notices.append(
                    Notice(
                        kind: line.isLate ? .overdue : .dueSoon, day: line.isLate ? line.due.adding(days: 1) : line.due,
                        orderCode: line.orderCode, title: line.title, province: line.province,
                        enterpriseTaxCode: line.enterpriseTaxCode, enterpriseName: line.enterpriseName,
                        subject: line.isLate
                            ? "\(what) was due on \(line.due): \(line.daysLate) day\(line.daysLate == 1 ? "" : "s") late"
                            : "\(what) is due on \(line.due)"))
            }
            return notices
        }
        // Newest first; on one day, the history's order, then the deadlines by due date.
        return notices.enumerated().sorted { ($0.element.day, $1.offset) > ($1.element.day, $0.offset) }
            .prefix(filter.limit).map(\.element)
    }
}

extension Notice {
    /// A digest of notices as an e-mail's subject and body (plain text, one notice per
    /// paragraph, newest first), for `whom` (an account's login, a province, an enterprise).
    public static func digest(_ notices: [Notice], for whom: String, filter: NoticeFilter) -> (
        subject: String, body: String
    ) {
        let subject =
            "STOrders: \(notices.count) notice\(notices.count == 1 ? "" : "s") for \(whom), \(filter.since) to \(filter.asOf)"
        var lines = ["Notices for \(whom), from \(filter.since) to \(filter.asOf), newest first:", ""]
        for n in notices {
            lines.append("\(n.day)  \(n.kind.rawValue)  \(n.orderCode)  \(n.subject)")
            lines.append("    \(n.title) — \(n.enterpriseName), \(n.province.name)")
        }
        if notices.isEmpty { lines.append("Nothing to tell.") }
        lines += ["", "Sent by storders notices."]
        return (subject, lines.joined(separator: "\n") + "\n")
    }
}
