import GRDB

extension Store {
    /// Records a payment against one accepted output. The output's payments never exceed its
    /// value, and each source's payments never exceed what that source committed in the funding
    /// (so the order's payments never exceed its funding).
    @discardableResult
    public func recordPayment(order code: String, output number: Int, amount: Int64, source: FundingSource = .state,
                              reference: String? = nil, on day: Day) throws -> Payment {
        let reference = try Text.validateOptional(reference, what: "reference", maxLength: 200)
        guard amount > 0 else { throw STOrdersError.invalidAmount(String(amount), reason: "must be greater than zero") }
        return try write { db in
            let (id, order) = try findOrder(db, code: code)
            _ = try Store.guardAction(.recordPayment, on: order)
            let output = try Store.output(db, orderID: id, orderCode: order.code, number: number)
            guard let acceptedOn = output.acceptedOn else {
                throw STOrdersError.outputNotAccepted(order: order.code, number: number)
            }
            try Store.requireNotBefore(day, acceptedOn, what: "payment", earlier: "the output's acceptance")
            let remainingOfOutput = output.value - output.paid
            guard amount <= remainingOfOutput else {
                throw STOrdersError.paymentExceedsOutput(order: order.code, number: number, amount: amount,
                                                         remaining: remainingOfOutput)
            }
            let committed = try Int64.fetchOne(db, sql: """
                SELECT CASE ? WHEN 'state' THEN state_budget WHEN 'enterprise' THEN enterprise_funds ELSE other END
                FROM fundings WHERE order_id = ?
                """, arguments: [source.rawValue, id]) ?? 0
            let paidFromSource = try Int64.fetchOne(db, sql: """
                SELECT coalesce(sum(amount), 0) FROM payments WHERE order_id = ? AND source = ?
                """, arguments: [id, source.rawValue]) ?? 0
            let remainingOfSource = committed - paidFromSource
            guard amount <= remainingOfSource else {
                throw STOrdersError.paymentExceedsFunding(order: order.code, source: source, amount: amount,
                                                          remaining: max(0, remainingOfSource))
            }
            let paymentNumber = (try Int.fetchOne(db, sql: "SELECT max(number) FROM payments WHERE order_id = ?",
                                                  arguments: [id]) ?? 0) + 1
            let outputID = try Int64.fetchOne(db, sql: "SELECT id FROM outputs WHERE order_id = ? AND number = ?",
                                              arguments: [id, number])
            try db.execute(sql: """
                INSERT INTO payments (order_id, number, output_id, amount, source, reference, paid_on)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [id, paymentNumber, outputID, amount, source.rawValue, reference, day.description])
            try appendEvent(db, orderID: id, on: day, action: .paymentRecorded,
                            details: "payment \(paymentNumber): \(Money.format(amount)) đồng from \(source) against output \(number)"
                                + (reference.map { "; reference \($0)" } ?? ""))
            return Payment(orderCode: order.code, number: paymentNumber, outputNumber: number, amount: amount,
                           source: source, reference: reference, paidOn: day)
        }
    }
}
