import GRDB

extension Store {
    /// An order with its outputs, funding, payments, results and history, read in one snapshot.
    public func orderDetail(code: String) throws -> OrderDetail {
        try read { db in
            let (id, order) = try findOrder(db, code: code)
            let outputs = try Row.fetchAll(
                db.cachedStatement(
                    sql: "SELECT \(Store.outputColumns) FROM outputs x WHERE order_id = ? ORDER BY number"),
                arguments: [id]
            ).map { try Store.outputRow($0, orderCode: order.code) }
            let funding = try Row.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT \(Store.fundingColumns) FROM \(Store.fundingTables) WHERE f.order_id = ?
                        """), arguments: [id]
            ).map { try Store.fundingRow($0) }
            let payments = try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT \(Store.paymentColumns), (SELECT v.number FROM payments v WHERE v.reverses = p.id)
                        FROM \(Store.paymentTables) WHERE p.order_id = ? ORDER BY p.number
                        """), arguments: [id]
            ).map { try Store.paymentRow($0, orderCode: order.code, reversedBy: $0[10]) }
            let results = try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT \(Store.resultColumns) FROM \(Store.resultTables) WHERE r.order_id = ? ORDER BY r.number
                        """), arguments: [id]
            ).map { try Store.resultRow($0, orderCode: order.code) }
            let amendments = try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT \(Store.amendmentColumns) FROM \(Store.amendmentTables) WHERE a.order_id = ? ORDER BY a.number
                        """), arguments: [id]
            ).map { try Store.amendmentRow($0, orderCode: order.code) }
            let events = try Store.events(db, orderID: id, orderCode: order.code)
            let documents = try Row.fetchAll(
                db,
                sql:
                    "SELECT \(Store.documentColumns) FROM \(Store.documentTables) WHERE d.order_id = ? ORDER BY d.number",
                arguments: [id]
            ).map { try Store.documentRow($0, orderCode: order.code) }
            let requests = try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT \(Store.paymentRequestColumns) FROM \(Store.paymentRequestTables)
                        WHERE q.order_id = ? ORDER BY q.number
                        """), arguments: [id]
            ).map { try Store.paymentRequestRow($0, orderCode: order.code) }
            return OrderDetail(
                order: order, outputs: outputs, funding: funding, payments: payments,
                results: results, events: events, amendments: amendments, documents: documents,
                paymentRequests: requests, advances: try Store.advances(db, orderID: id, orderCode: order.code))
        }
    }

    /// An order's history, oldest first (by business date, then by the order of recording).
    public func history(code: String) throws -> [Event] {
        try read { db in
            let (id, order) = try findOrder(db, code: code)
            return try Store.events(db, orderID: id, orderCode: order.code)
        }
    }

    /// An order's history as `history` shows it, each event with its id and hash in the chain
    /// (what an auditor compares with `verify`'s chain head and an export's records).
    public func chainedHistory(code: String) throws -> [ChainedEvent] {
        try read { db in
            let (id, order) = try findOrder(db, code: code)
            return try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT \(Store.eventColumns), id, hash FROM events WHERE order_id = ? ORDER BY occurred_on, id
                        """), arguments: [id]
            ).map { ChainedEvent(event: try Store.eventRow($0, orderCode: order.code), id: $0[6], hash: $0[7]) }
        }
    }

    static func events(_ db: Database, orderID: Int64, orderCode: String) throws -> [Event] {
        try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT \(eventColumns) FROM events WHERE order_id = ? ORDER BY occurred_on, id
                    """), arguments: [orderID]
        ).map { try eventRow($0, orderCode: orderCode) }
    }
}
