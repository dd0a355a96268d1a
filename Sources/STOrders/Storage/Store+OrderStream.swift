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
        try forEachOrderDetail(db, chain: false) { _, detail, _ in try body(detail) }
    }

    /// Where one event stands in the hash chain: its id, the id of the row it wrote, and its hash.
    struct ChainLink: Sendable, Equatable {
        var id: Int64
        var recordID: Int64?
        var hash: String
    }

    /// The same, with each order's id and, with `chain`, its events' places in the chain (in the
    /// order of its events; empty without).
    static func forEachOrderDetail(
        _ db: Database, chain: Bool,
        _ body: (Int64, OrderDetail, [ChainLink]) throws -> Void
    ) throws {
        let links =
            !chain
            ? nil
            : try ChildCursor(db, sql: "SELECT order_id, id, record_id, hash FROM events ORDER BY order_id, id") {
                ChainLink(id: $0[1], recordID: $0[2], hash: $0[3])
            }
        let outputs = try ChildCursor(
            db,
            sql: """
                SELECT order_id, number, title, type, novelty, value, accepted_on, evidence, due_on, extended_to
                FROM outputs ORDER BY order_id, number
                """
        ) { row in
            Output(
                orderCode: "", number: row[1], title: row[2], type: try vocabulary(OutputType.self, row[3]),
                novelty: try vocabulary(Novelty.self, row[4]), value: row[5], acceptedOn: try day(row[6]),
                evidence: row[7], dueOn: try day(row[8]), extendedTo: try day(row[9]))
        }
        let amendments = try ChildCursor(
            db,
            sql: """
                SELECT \(amendmentColumns) FROM \(amendmentTables) ORDER BY a.order_id, a.number
                """
        ) { try amendmentRow($0, orderCode: "") }
        let fundings = try ChildCursor(db, sql: "SELECT \(fundingColumns) FROM \(fundingTables) ORDER BY f.order_id") {
            try fundingRow($0)
        }
        let payments = try ChildCursor(
            db,
            sql: """
                SELECT \(paymentColumns) FROM \(paymentTables) ORDER BY p.order_id, p.number
                """
        ) { try paymentRow($0, orderCode: "") }
        let results = try ChildCursor(
            db,
            sql: """
                SELECT \(resultColumns) FROM \(resultTables) ORDER BY r.order_id, r.number
                """
        ) { try resultRow($0, orderCode: "") }
        let events = try ChildCursor(db, sql: "SELECT \(eventColumns) FROM events ORDER BY order_id, id") {
            try eventRow($0, orderCode: "")
        }
        let documents = try ChildCursor(
            db,
            sql: """
                SELECT d.order_id, \(documentColumns) FROM \(documentTables) ORDER BY d.order_id, d.number
                """
        ) { try documentRow($0, orderCode: "", from: 1) }
        let requests = try ChildCursor(
            db,
            sql: """
                SELECT \(paymentRequestColumns) FROM \(paymentRequestTables) ORDER BY q.order_id, q.number
                """
        ) { try paymentRequestRow($0, orderCode: "") }
        let advances = try ChildCursor(
            db,
            sql: "SELECT v.order_id, \(advanceColumns) FROM advances v ORDER BY v.order_id, v.number"
        ) { try advanceRow($0, orderCode: "", from: 1) }
        let orders = try Row.fetchCursor(
            db,
            sql: """
                SELECT \(orderColumns) FROM orders o JOIN enterprises e ON e.id = o.enterprise_id ORDER BY o.id
                """)
        while let row = try orders.next() {
            let (id, order) = try orderRow(row)
            try body(
                id,
                OrderDetail(
                    order: order, outputs: try outputs.take(id), funding: try fundings.take(id).first,
                    payments: try payments.take(id), results: try results.take(id),
                    events: try events.take(id), amendments: try amendments.take(id), documents: try documents.take(id),
                    paymentRequests: try requests.take(id), advances: try advances.take(id)),
                try links?.take(id) ?? [])
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
