import GRDB

/// Whose inbox: a province's office, or one enterprise (or the whole database), on a day.
public struct InboxFilter: Sendable {
    public var asOf: Day
    public var province: Province?
    public var enterprise: TaxCode?
    /// At most this many items, the oldest (1 to 1,000).
    public var limit: Int

    /// How soon an output's due date puts its acceptance in the inbox.
    public static let acceptanceWindowDays = 7

    public init(asOf: Day, province: Province? = nil, enterprise: TaxCode? = nil, limit: Int = 100) {
        self.asOf = asOf
        self.province = province
        self.enterprise = enterprise
        self.limit = min(max(limit, 1), 1000)
    }
}

/// One thing that waits for a decision (docs/deadlines.md), since a day.
public struct InboxItem: Sendable, Equatable {
    /// What waits. Each kind is one branch of the inbox's query (`Store.inboxBranches`).
    public enum Kind: String, Sendable, CaseIterable {
        /// An order registered and not yet funded (or cancelled).
        case funding
        /// An enterprise's request to extend a date, not yet decided.
        case amendment
        /// A payment request to decide (requested) or to disburse (approved).
        case paymentRequest = "payment_request"
        /// An output of a funded order due within 7 days or late, not yet accepted.
        case acceptance
        /// An order whose advances are outstanding, to settle by payments or recover
        /// (docs/advances.md), since its earliest advance.
        case advance
    }

    public var kind: Kind
    public var orderCode: String
    public var orderTitle: String
    public var province: Province
    public var enterpriseTaxCode: String
    public var enterpriseName: String
    /// Waiting since: the registration, the request (a payment request's approval, when it waits
    /// for its disbursement), or the output's due date in force.
    public var since: Day
    /// Days from `since` to the inbox's day (negative: an output due in that many days).
    public var daysWaited: Int
    /// The amendment's, the payment request's or the output's number; nil for an order waiting
    /// for funding.
    public var number: Int?
    /// What it is about, in words.
    public var subject: String
}

extension Store {
    /// One branch of the inbox: its kind and its query. Each query selects order code, order
    /// title, province code, tax code, enterprise name, since (a day), number, subject; orders by
    /// `since` then rowid so that an index on `since` serves it with the LIMIT; and takes the
    /// filter's values in the order `inboxArguments` gives them. A new kind of waiting item (a
    /// payment request, an advance to settle) is one more branch.
    struct InboxBranch: Sendable {
        var kind: InboxItem.Kind
        /// The SELECT … FROM … for a filter, and the WHERE conditions of the branch itself.
        var select: @Sendable (InboxFilter) -> String
        var conditions: @Sendable (InboxFilter) -> Conditions
        var order: String
    }

    static let inboxBranches: [InboxBranch] = [
        InboxBranch(
            kind: .funding,
            select: { filter in
                """
                SELECT o.code, o.title, o.province_code, e.tax_code, e.name, o.ordered_on, NULL,
                       'waits for funding since its registration'
                FROM orders o \(Store.waitingIndex(filter)) JOIN enterprises e ON e.id = o.enterprise_id
                """
            },
            conditions: { _ in
                var c = Conditions()
                c.add("o.state = 'ordered'", [])
                return c
            }, order: "o.ordered_on, o.id"),
        InboxBranch(
            kind: .amendment,
            select: { filter in
                """
                SELECT o.code, o.title, o.province_code, e.tax_code, e.name, a.requested_on, a.number,
                       'amendment ' || a.number || ': ' || coalesce('output ' || x.number, 'the contract''s end')
                       || ' from ' || a.previous_on || ' to ' || a.proposed_on || '; ' || a.reason
                FROM amendments a INDEXED BY amendments_open_by_date JOIN orders o ON o.id = a.order_id
                     JOIN enterprises e ON e.id = o.enterprise_id
                     LEFT JOIN outputs x ON x.id = a.output_id
                """
            },
            conditions: { _ in
                var c = Conditions()
                c.add("a.state = 'requested'", [])
                return c
            }, order: "a.requested_on, a.id"),
        InboxBranch(
            kind: .paymentRequest,
            select: { filter in
                """
                SELECT o.code, o.title, o.province_code, e.tax_code, e.name, coalesce(q.approved_on, q.requested_on),
                       q.number,
                       'payment request ' || q.number || ' to ' || CASE q.state WHEN 'approved' THEN 'disburse'
                       ELSE 'decide' END || ': ' || replace(printf('%,d', q.amount), ',', '.') || ' đồng from '
                       || q.source || ' against output ' || x.number
                FROM payment_requests q INDEXED BY payment_requests_open_by_date JOIN orders o
                     ON o.id = q.order_id JOIN enterprises e ON e.id = o.enterprise_id JOIN outputs x ON x.id = q.output_id
                """
            },
            conditions: { _ in
                var c = Conditions()
                c.add("(q.state = 'requested' OR q.state = 'approved')", [])
                return c
            }, order: "coalesce(q.approved_on, q.requested_on), q.id"),
        InboxBranch(
            kind: .acceptance,
            select: { filter in
                """
                SELECT o.code, o.title, o.province_code, e.tax_code, e.name, coalesce(x.extended_to, x.due_on), x.number,
                       'output ' || x.number || ' due on ' || coalesce(x.extended_to, x.due_on) || ': ' || x.title
                FROM outputs x \(Store.join(filter)) orders o ON o.id = x.order_id \(Store.join(filter)) enterprises e
                     ON e.id = o.enterprise_id
                """
            },
            conditions: { filter in
                var c = Conditions()
                let last = filter.asOf.adding(days: InboxFilter.acceptanceWindowDays)
                c.add(
                    "x.accepted_on IS NULL AND x.due_on IS NOT NULL AND coalesce(x.extended_to, x.due_on) <= ?",
                    [last.description])
                c.add("o.state = 'funded'", [])
                return c
            }, order: "coalesce(x.extended_to, x.due_on), x.id"),
        advanceBranch,
    ]

    /// The inbox's advances: each order whose advances are outstanding, once, at its earliest
    /// advance, read in that date's order from the open balances (`advance_balances_open`, which
    /// holds only the orders with something outstanding).
    static let advanceBranch = InboxBranch(
        kind: .advance,
        select: { _ in
            """
            SELECT o.code, o.title, o.province_code, e.tax_code, e.name, b.first_on, b.first_number,
                   'advances to settle: ' || replace(printf('%,d', \(Store.outstandingSQL)), ',', '.')
                   || ' đồng outstanding'
            FROM advance_balances b INDEXED BY advance_balances_open JOIN orders o ON o.id = b.order_id
                 JOIN enterprises e ON e.id = o.enterprise_id
            """
        },
        conditions: { _ in
            var c = Conditions()
            c.add(Store.openBalanceSQL, [])
            return c
        }, order: "b.first_on, b.order_id")

    /// How the acceptance branch joins its tables: read in the order of its index (CROSS JOIN
    /// keeps SQLite from starting with the orders and sorting them all), except for one
    /// enterprise, whose few orders are best read first.
    static func join(_ filter: InboxFilter) -> String { filter.enterprise == nil ? "CROSS JOIN" : "JOIN" }

    /// Which index the funding branch reads its orders through: the orders waiting, by date (a
    /// province's, or all), which SQLite without statistics would pass over for `orders_by_state`
    /// and a sort of every waiting order; for one enterprise, its own orders (no hint).
    static func waitingIndex(_ filter: InboxFilter) -> String {
        if filter.enterprise != nil { return "" }
        return filter.province == nil ? "INDEXED BY orders_waiting" : "INDEXED BY orders_waiting_by_province"
    }

    /// The SQL of one branch for `filter`, with its arguments (for `inbox` and for EXPLAIN).
    static func inboxQuery(_ branch: InboxBranch, _ filter: InboxFilter) -> (sql: String, arguments: StatementArguments)
    {
        var c = branch.conditions(filter)
        if let p = filter.province { c.add("o.province_code = ?", [p.code]) }
        if let t = filter.enterprise { c.add("e.tax_code = ?", [t.value]) }
        return ("\(branch.select(filter)) \(c.whereClause) ORDER BY \(branch.order) LIMIT \(filter.limit)", c.arguments)
    }

    /// What waits for a decision, oldest first (by `since`, then order code and number): at most
    /// `filter.limit` items, each branch read through its index with the same limit and merged.
    public func inbox(_ filter: InboxFilter) throws -> [InboxItem] {
        let items = try read { db in
            try Store.inboxBranches.flatMap { branch -> [InboxItem] in
                let (sql, arguments) = Store.inboxQuery(branch, filter)
                return try Row.fetchAll(db.cachedStatement(sql: sql), arguments: arguments).map { row in
                    let since = try Day(parsing: row[5])
                    return InboxItem(
                        kind: branch.kind, orderCode: row[0], orderTitle: row[1],
                        province: try Store.province(code: row[2]), enterpriseTaxCode: row[3], enterpriseName: row[4],
                        since: since, daysWaited: Day.days(from: since, to: filter.asOf), number: row[6],
                        subject: row[7])
                }
            }
        }
        let rank = Dictionary(uniqueKeysWithValues: InboxItem.Kind.allCases.enumerated().map { ($1, $0) })
        return Array(
            items.sorted {
                ($0.since, rank[$0.kind] ?? 0, $0.orderCode, $0.number ?? 0)
                    < ($1.since, rank[$1.kind] ?? 0, $1.orderCode, $1.number ?? 0)
            }.prefix(filter.limit))
    }

    /// SQLite's plan for each branch of the inbox (EXPLAIN QUERY PLAN), for the benchmark notes.
    public func inboxPlans(_ filter: InboxFilter) throws -> [(kind: InboxItem.Kind, plan: [String])] {
        try read { db in
            try Store.inboxBranches.map { branch in
                let (sql, arguments) = Store.inboxQuery(branch, filter)
                let plan = try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments).map {
                    $0["detail"] as String
                }
                return (branch.kind, plan)
            }
        }
    }
}
