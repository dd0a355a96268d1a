import GRDB

/// Which deadlines `due` lists (docs/deadlines.md): those past on `asOf` (`overdue`), or also
/// those falling within `withinDays` after it. Province and enterprise narrow it.
public struct DueFilter: Sendable {
    public var asOf: Day
    /// nil: only what is late; otherwise also what falls due up to this many days after `asOf`.
    public var withinDays: Int?
    public var province: Province?
    public var enterprise: TaxCode?
    /// nil: every late deadline, however old; otherwise only those due on or after this day.
    public var from: Day?

    /// What `due` shows when neither window is asked for: late, or due within 30 days.
    public static let defaultWithinDays = 30

    public init(
        asOf: Day, withinDays: Int? = DueFilter.defaultWithinDays, province: Province? = nil,
        enterprise: TaxCode? = nil, from: Day? = nil
    ) {
        self.asOf = asOf
        self.withinDays = withinDays
        self.province = province
        self.enterprise = enterprise
        self.from = from
    }

    /// The last due date listed: the day before `asOf` (overdue), else `asOf` plus the window.
    var lastDue: String {
        asOf.adding(days: withinDays ?? -1).description
    }
}

/// One deadline of `due`: an output awaiting acceptance, or a funded contract's end.
public struct DueLine: Sendable, Equatable {
    public enum Kind: String, Sendable { case output, contract }
    public var kind: Kind
    public var orderCode: String
    /// The output's number; nil for a contract.
    public var outputNumber: Int?
    /// The output's title, or the order's for a contract.
    public var title: String
    public var province: Province
    public var enterpriseTaxCode: String
    public var enterpriseName: String
    /// As set when added / funded, and the date in force (later when an amendment extended it).
    public var originalDue: Day
    public var due: Day
    /// Days from the date in force to `asOf`: positive when late, negative for days left.
    public var daysLate: Int

    public var isLate: Bool { daysLate > 0 }
    public var isAmended: Bool { due != originalDue }
}

extension Store {
    /// Streams the deadlines `filter` selects, oldest due date first (then order code, the
    /// contract's end after its outputs), one row at a time: outputs not yet accepted of funded
    /// orders, and the ends of contracts whose order is still funded (not delivered, not
    /// cancelled). Orders funded without deadlines (before schema version 6) have none.
    public func forEachDue(_ filter: DueFilter, _ body: (DueLine) throws -> Void) throws {
        try read { db in try Store.forEachDue(db, filter, body) }
    }

    /// `forEachDue` inside a read the caller holds.
    static func forEachDue(_ db: Database, _ filter: DueFilter, _ body: (DueLine) throws -> Void) throws {
        var outputs = Conditions()
        outputs.add(
            "x.accepted_on IS NULL AND x.due_on IS NOT NULL AND coalesce(x.extended_to, x.due_on) <= ?",
            [filter.lastDue])
        outputs.add("o.state = 'funded'", [])
        var contracts = Conditions()
        contracts.add("f.ends_on IS NOT NULL AND coalesce(f.ends_extended_to, f.ends_on) <= ?", [filter.lastDue])
        contracts.add("o.state = 'funded'", [])
        if let from = filter.from {
            outputs.add("coalesce(x.extended_to, x.due_on) >= ?", [from.description])
            contracts.add("coalesce(f.ends_extended_to, f.ends_on) >= ?", [from.description])
        }
        if let p = filter.province {
            outputs.add("o.province_code = ?", [p.code])
            contracts.add("o.province_code = ?", [p.code])
        }
        if let t = filter.enterprise {
            outputs.add("e.tax_code = ?", [t.value])
            contracts.add("e.tax_code = ?", [t.value])
        }
        let sql = """
            SELECT 'output', o.code, x.number, x.title, o.province_code, e.tax_code, e.name, x.due_on,
                   coalesce(x.extended_to, x.due_on) AS due, 0
            FROM outputs x JOIN orders o ON o.id = x.order_id JOIN enterprises e ON e.id = o.enterprise_id
            \(outputs.whereClause)
            UNION ALL
            SELECT 'contract', o.code, NULL, o.title, o.province_code, e.tax_code, e.name, f.ends_on,
                   coalesce(f.ends_extended_to, f.ends_on) AS due, 1
            FROM fundings f JOIN orders o ON o.id = f.order_id JOIN enterprises e ON e.id = o.enterprise_id
            \(contracts.whereClause)
            ORDER BY 9, 2, 10, 3
            """
        var arguments = outputs.arguments
        arguments += contracts.arguments
        let rows = try Row.fetchCursor(db, sql: sql, arguments: arguments)
        while let row = try rows.next() {
            let due = try Day(parsing: row[8])
            try body(
                DueLine(
                    kind: (row[0] as String) == "output" ? .output : .contract, orderCode: row[1],
                    outputNumber: row[2],
                    title: row[3], province: try Store.province(code: row[4]), enterpriseTaxCode: row[5],
                    enterpriseName: row[6], originalDue: try Day(parsing: row[7]), due: due,
                    daysLate: Deadlines.daysLate(due: due, on: filter.asOf)))
        }
    }
}
