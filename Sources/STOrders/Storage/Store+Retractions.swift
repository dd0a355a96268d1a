import GRDB

extension Store {
    /// Retracts a result recorded by mistake: it stays on file, marked retracted with a reason,
    /// and counts nowhere after (results list, revenue, indicators). An order is commercialized
    /// only while it has a result that stands: retracting its last one returns it to
    /// `delivered` (said in the event), and a later `commercialize` records a new result as
    /// usual. Otherwise the order's commercialization date becomes that of its earliest
    /// remaining result. Returns the retracted result and the order's state afterwards.
    @discardableResult
    public func retractResult(
        order code: String, result number: Int, reason: String,
        on day: Day
    ) throws -> (result: Commercialization, orderState: OrderState) {
        let reason = try Text.validate(reason, what: "reason")
        return try write { db in
            let (id, order) = try findOrder(db, code: code)
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT r.id, r.channel, r.revenue, r.note, r.commercialized_on, t.retracted_on
                        FROM results r LEFT JOIN result_retractions t ON t.result_id = r.id
                        WHERE r.order_id = ? AND r.number = ?
                        """, arguments: [id, number])
            else {
                let count =
                    try Int.fetchOne(db, sql: "SELECT count(*) FROM results WHERE order_id = ?", arguments: [id]) ?? 0
                throw STOrdersError.unknownResult(order: order.code, number: number, count: count)
            }
            if let retracted = try Store.day(row[5]) {
                throw STOrdersError.resultAlreadyRetracted(order: order.code, number: number, on: retracted)
            }
            let resultID: Int64 = row[0]
            let commercializedOn = try Day(parsing: row[4])
            _ = try order.next(after: .retractResult)
            try Chronology.check(
                .resultRetracted, on: day, after: Chronology.Dates(order, latest: nil),
                record: Chronology.Step("the result", on: commercializedOn))
            try db.execute(
                sql: "INSERT INTO result_retractions (result_id, reason, retracted_on) VALUES (?, ?, ?)",
                arguments: [resultID, reason, day.description])
            let retractionID = db.lastInsertedRowID
            let earliestLive = try String.fetchOne(
                db, sql: "SELECT min(commercialized_on) FROM results_live WHERE order_id = ?",
                arguments: [id])
            let state: OrderState
            var details = "result \(number) retracted: \(reason)"
            if let earliestLive {
                state = .commercialized
                try db.execute(
                    sql: "UPDATE orders SET commercialized_on = ? WHERE id = ?", arguments: [earliestLive, id])
            } else {
                state = .delivered
                try db.execute(
                    sql: "UPDATE orders SET state = 'delivered', commercialized_on = NULL WHERE id = ?",
                    arguments: [id])
                details += "; no result stands, so the order returns to delivered"
            }
            try appendEvent(
                db, orderID: id, on: day, action: .resultRetracted, details: details,
                record: (.resultRetractions, retractionID))
            let result = Commercialization(
                orderCode: order.code, number: number, channel: try Store.vocabulary(Channel.self, row[1]),
                revenue: row[2],
                note: row[3], commercializedOn: commercializedOn, retractedOn: day, retractReason: reason)
            return (result, state)
        }
    }
}
