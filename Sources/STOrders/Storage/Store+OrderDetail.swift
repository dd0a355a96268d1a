import GRDB

extension Store {
    /// An order with its outputs, funding, payments, results and history, read in one snapshot.
    public func orderDetail(code: String) throws -> OrderDetail {
        try read { db in
            let (id, order) = try findOrder(db, code: code)
            let outputs = try Row.fetchAll(db, sql: """
                SELECT number, title, type, novelty, value, accepted_on, evidence,
                       (SELECT coalesce(sum(amount), 0) FROM payments p WHERE p.output_id = x.id)
                FROM outputs x WHERE order_id = ? ORDER BY number
                """, arguments: [id]).map { try Store.outputRow($0, orderCode: order.code) }
            var funding: Funding? = nil
            if let row = try Row.fetchOne(db, sql: """
                SELECT state_budget, enterprise_funds, other, other_source, funded_on FROM fundings WHERE order_id = ?
                """, arguments: [id]) {
                funding = try Funding(stateBudget: row[0], enterpriseFunds: row[1], other: row[2], otherSource: row[3],
                                      fundedOn: try Day(parsing: row[4]))
            }
            let payments = try Row.fetchAll(db, sql: """
                SELECT p.number, x.number, p.amount, p.source, p.reference, p.paid_on, r.number, p.reason,
                       (SELECT v.number FROM payments v WHERE v.reverses = p.id)
                FROM payments p JOIN outputs x ON x.id = p.output_id LEFT JOIN payments r ON r.id = p.reverses
                WHERE p.order_id = ? ORDER BY p.number
                """, arguments: [id]).map { row in
                Payment(orderCode: order.code, number: row[0], outputNumber: row[1], amount: row[2],
                        source: try Store.vocabulary(FundingSource.self, row[3]), reference: row[4],
                        paidOn: try Day(parsing: row[5]), reverses: row[6], reason: row[7], reversedBy: row[8])
            }
            let results = try Row.fetchAll(db, sql: """
                SELECT r.number, r.channel, r.revenue, r.note, r.commercialized_on, t.retracted_on, t.reason
                FROM results r LEFT JOIN result_retractions t ON t.result_id = r.id
                WHERE r.order_id = ? ORDER BY r.number
                """, arguments: [id]).map { row in
                Commercialization(orderCode: order.code, number: row[0], channel: try Store.vocabulary(Channel.self, row[1]),
                                  revenue: row[2], note: row[3], commercializedOn: try Day(parsing: row[4]),
                                  retractedOn: try Store.day(row[5]), retractReason: row[6])
            }
            let events = try Store.events(db, orderID: id, orderCode: order.code)
            return OrderDetail(order: order, outputs: outputs, funding: funding, payments: payments,
                               results: results, events: events)
        }
    }

    /// An order's history, oldest first (by business date, then by the order of recording).
    public func history(code: String) throws -> [Event] {
        try read { db in
            let (id, order) = try findOrder(db, code: code)
            return try Store.events(db, orderID: id, orderCode: order.code)
        }
    }

    static func events(_ db: Database, orderID: Int64, orderCode: String) throws -> [Event] {
        try Row.fetchAll(db, sql: """
            SELECT occurred_on, recorded_at, action, details, actor FROM events WHERE order_id = ? ORDER BY occurred_on, id
            """, arguments: [orderID]).map { row in
            let actionText: String = row[2]
            guard let action = Event.Action(rawValue: actionText) else {
                throw STOrdersError.constraintViolated("stored event action '\(actionText)' is unknown")
            }
            return Event(orderCode: orderCode, occurredOn: try Day(parsing: row[0]), recordedAt: row[1], action: action,
                         details: row[3], actor: row[4])
        }
    }
}
