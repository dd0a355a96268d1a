import GRDB

/// A cursor over rows ordered by order id, decoded one at a time, so that several child tables
/// can be merged with the orders in one pass (a merge join): each order's outputs, funding,
/// payments, results and events are read right after it, and nothing is held beyond one order.
private final class ChildCursor<T> {
    private let rows: RowCursor
    private let decode: (Row) throws -> T
    private var pending: (orderID: Int64, value: T)?

    init(_ db: Database, sql: String, decode: @escaping (Row) throws -> T) throws {
        rows = try Row.fetchCursor(db, sql: sql)
        self.decode = decode
        try advance()
    }

    private func advance() throws {
        if let row = try rows.next() {
            pending = (row[0], try decode(row))
        } else {
            pending = nil
        }
    }

    /// The values belonging to `orderID` (the rows before it, of orders that do not exist, are skipped).
    func take(_ orderID: Int64) throws -> [T] {
        var values: [T] = []
        while let p = pending, p.orderID <= orderID {
            if p.orderID == orderID { values.append(p.value) }
            try advance()
        }
        return values
    }
}

extension Store {
    /// Streams every order as one whole record, by id, inside the caller's read transaction.
    static func forEachOrderDetail(_ db: Database, _ body: (OrderDetail) throws -> Void) throws {
        let outputs = try ChildCursor(db, sql: """
            SELECT order_id, number, title, type, novelty, value, accepted_on, evidence FROM outputs ORDER BY order_id, number
            """) { row in
            Output(orderCode: "", number: row[1], title: row[2], type: try vocabulary(OutputType.self, row[3]),
                   novelty: try vocabulary(Novelty.self, row[4]), value: row[5], acceptedOn: try day(row[6]), evidence: row[7])
        }
        let fundings = try ChildCursor(db, sql: """
            SELECT order_id, state_budget, enterprise_funds, other, other_source, funded_on FROM fundings ORDER BY order_id
            """) { row in
            try Funding(stateBudget: row[1], enterpriseFunds: row[2], other: row[3], otherSource: row[4],
                        fundedOn: try Day(parsing: row[5]))
        }
        let payments = try ChildCursor(db, sql: """
            SELECT p.order_id, p.number, x.number, p.amount, p.source, p.reference, p.paid_on, r.number, p.reason
            FROM payments p JOIN outputs x ON x.id = p.output_id LEFT JOIN payments r ON r.id = p.reverses
            ORDER BY p.order_id, p.number
            """) { row in
            Payment(orderCode: "", number: row[1], outputNumber: row[2], amount: row[3],
                    source: try vocabulary(FundingSource.self, row[4]), reference: row[5], paidOn: try Day(parsing: row[6]),
                    reverses: row[7], reason: row[8])
        }
        let results = try ChildCursor(db, sql: """
            SELECT r.order_id, r.number, r.channel, r.revenue, r.note, r.commercialized_on, t.retracted_on, t.reason
            FROM results r LEFT JOIN result_retractions t ON t.result_id = r.id ORDER BY r.order_id, r.number
            """) { row in
            Commercialization(orderCode: "", number: row[1], channel: try vocabulary(Channel.self, row[2]), revenue: row[3],
                              note: row[4], commercializedOn: try Day(parsing: row[5]), retractedOn: try day(row[6]),
                              retractReason: row[7])
        }
        let events = try ChildCursor(db, sql: """
            SELECT order_id, occurred_on, recorded_at, action, details, actor FROM events ORDER BY order_id, id
            """) { row in
            let text: String = row[3]
            guard let action = Event.Action(rawValue: text) else {
                throw STOrdersError.constraintViolated("stored event action '\(text)' is unknown")
            }
            return Event(orderCode: "", occurredOn: try Day(parsing: row[1]), recordedAt: row[2], action: action,
                         details: row[4], actor: row[5])
        }
        let orders = try Row.fetchCursor(db, sql: """
            SELECT \(orderColumns) FROM orders o JOIN enterprises e ON e.id = o.enterprise_id ORDER BY o.id
            """)
        while let row = try orders.next() {
            let (id, order) = try orderRow(row)
            try body(OrderDetail(order: order, outputs: try outputs.take(id), funding: try fundings.take(id).first,
                                 payments: try payments.take(id), results: try results.take(id),
                                 events: try events.take(id)))
        }
    }

    /// Checks every order of the database against the lifecycle's invariants, in one pass.
    /// Returns up to `limit` violations (empty when the data is consistent).
    public func invariantViolations(limit: Int = 50) throws -> [String] {
        try read { db in try Store.violations(db, limit: limit) }
    }

    static func violations(_ db: Database, limit: Int) throws -> [String] {
        var found: [String] = []
        try forEachOrderDetail(db) { detail in
            if found.count < limit { found += detail.invariantViolations().prefix(limit - found.count) }
        }
        return found
    }
}
