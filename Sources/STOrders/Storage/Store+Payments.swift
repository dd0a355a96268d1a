import GRDB

extension Store {
    /// Records a payment against one accepted output. The output's payments never exceed its
    /// value, and each source's payments never exceed what that source committed in the funding
    /// (so the order's payments never exceed its funding). Both count reversals: a reversed
    /// amount can be paid again; and both count what open payment requests hold (docs/requests.md).
    @discardableResult
    public func recordPayment(
        order code: String, output number: Int, amount: Int64, source: FundingSource = .state,
        reference: String? = nil, on day: Day
    ) throws -> Payment {
        let reference = try Text.validateOptional(reference, what: "reference")
        guard amount > 0 else { throw STOrdersError.invalidAmount(String(amount), reason: "must be greater than zero") }
        return try write { db in
            let (id, order) = try findOrder(db, code: code)
            return try pay(
                db, orderID: id, order: order, output: number, amount: amount, source: source, reference: reference,
                on: day, request: nil
            ).payment
        }
    }

    /// The one definition of a payment's rules, inside a write: the order may be paid, the output
    /// is accepted on or before `day`, the checklist is met, the amount is within what remains of
    /// the output and the source (`requireWithinRemaining`, leaving out the open payment request
    /// `request` this payment disburses); then the row, with the part of it that settles the
    /// order's outstanding advances first (`AdvanceRule.settlement`, docs/advances.md), and its
    /// `payment_recorded` event. Used by `recordPayment` and by a payment request's disbursement.
    func pay(
        _ db: Database, orderID id: Int64, order: Order, output number: Int, amount: Int64, source: FundingSource,
        reference: String?, on day: Day, request: Int64?
    ) throws -> (payment: Payment, rowID: Int64) {
        let outputID = try Store.requirePayable(
            db, orderID: id, order: order, output: number, amount: amount, source: source, step: .paymentRecorded,
            on: day, excluding: request)
        let paymentNumber =
            (try Int.fetchOne(
                db.cachedStatement(sql: "SELECT max(number) FROM payments WHERE order_id = ?"),
                arguments: [id]) ?? 0) + 1
        let settled =
            source == .state
            ? AdvanceRule.settlement(
                amount: amount, source: source, outstanding: try Store.advanceBalance(db, orderID: id).outstanding)
            : 0
        try db.cachedStatement(
            sql: """
                INSERT INTO payments (order_id, number, output_id, amount, source, reference, paid_on, settled)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(
            arguments: [id, paymentNumber, outputID, amount, source.rawValue, reference, day.description, settled])
        let rowID = db.lastInsertedRowID
        try appendEvent(
            db, orderID: id, on: day, action: .paymentRecorded,
            details: EventDetails.paymentRecorded(
                number: paymentNumber, amount: amount, source: source,
                output: number, reference: reference, settled: settled),
            record: (.payments, rowID))
        return (
            Payment(
                orderCode: order.code, number: paymentNumber, outputNumber: number, amount: amount,
                source: source, reference: reference, paidOn: day, settled: settled),
            rowID
        )
    }

    /// What a payment and a payment request both need, in one place: the order may be paid, the
    /// output is accepted on or before `day` (the step `step` is dated), the checklist's `pay`
    /// step is met, and the amount is within what remains (`requireWithinRemaining`, leaving out
    /// the request `excluding`). Returns the output's row id.
    static func requirePayable(
        _ db: Database, orderID id: Int64, order: Order, output number: Int, amount: Int64, source: FundingSource,
        step: Event.Action, on day: Day, excluding request: Int64?
    ) throws -> Int64 {
        _ = try order.next(after: .recordPayment)
        let output = try Store.output(db, orderID: id, orderCode: order.code, number: number)
        guard let acceptedOn = output.acceptedOn else {
            throw STOrdersError.outputNotAccepted(order: order.code, number: number)
        }
        try Chronology.check(
            step, on: day, after: Chronology.Dates(order, latest: nil),
            record: Chronology.Step("the output's acceptance", on: acceptedOn))
        try Store.requireChecklist(db, .pay, orderID: id, order: order.code, target: number, on: day)
        return try Store.requireWithinRemaining(
            db, orderID: id, orderCode: order.code, output: output, amount: amount, source: source, excluding: request)
    }

    /// The money rule, one definition for a payment, a payment request and its approval: `amount`
    /// is within what remains of the output's value and of the source's funding, where what remains
    /// is what was committed less the net payments and less what open payment requests (requested
    /// or approved, not yet paid) hold, leaving out the request `excluding` (the one being approved
    /// or paid). Returns the output's row id.
    @discardableResult
    static func requireWithinRemaining(
        _ db: Database, orderID id: Int64, orderCode: String, output: Output, amount: Int64, source: FundingSource,
        excluding request: Int64?
    ) throws -> Int64 {
        guard
            let outputID = try Int64.fetchOne(
                db.cachedStatement(sql: "SELECT id FROM outputs WHERE order_id = ? AND number = ?"),
                arguments: [id, output.number])
        else { throw STOrdersError.unknownOutput(order: orderCode, number: output.number, count: 0) }
        let heldOfOutput =
            try Int64.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT coalesce(sum(amount), 0) FROM payment_requests
                        WHERE output_id = ? AND (state = 'requested' OR state = 'approved') AND id IS NOT ?
                        """), arguments: [outputID, request]) ?? 0
        let remainingOfOutput = output.value - output.paid - heldOfOutput
        guard amount <= remainingOfOutput else {
            throw STOrdersError.paymentExceedsOutput(
                order: orderCode, number: output.number, amount: amount, remaining: max(0, remainingOfOutput),
                reserved: heldOfOutput)
        }
        let committed =
            try Int64.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT CASE ? WHEN 'state' THEN state_budget WHEN 'enterprise' THEN enterprise_funds ELSE other END
                        FROM fundings WHERE order_id = ?
                        """), arguments: [source.rawValue, id]) ?? 0
        let paidFromSource =
            try Int64.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT coalesce(sum(amount), 0) FROM payments WHERE order_id = ? AND source = ?
                        """), arguments: [id, source.rawValue]) ?? 0
        let heldOfSource =
            try Int64.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT coalesce(sum(amount), 0) FROM payment_requests
                        WHERE order_id = ? AND source = ? AND (state = 'requested' OR state = 'approved') AND id IS NOT ?
                        """), arguments: [id, source.rawValue, request]) ?? 0
        let remainingOfSource = committed - paidFromSource - heldOfSource
        guard amount <= remainingOfSource else {
            throw STOrdersError.paymentExceedsFunding(
                order: orderCode, source: source, amount: amount, remaining: max(0, remainingOfSource),
                reserved: heldOfSource)
        }
        return outputID
    }

    /// Reverses a payment recorded by mistake: records a further entry of minus `amount` (by
    /// default all of it) against the same output and source, linked to it, with a reason. A
    /// payment is reversed once; a reversal is never itself reversed. Every total counts it.
    @discardableResult
    public func reversePayment(
        order code: String, payment number: Int, amount: Int64? = nil, reason: String,
        on day: Day
    ) throws -> Payment {
        let reason = try Text.validate(reason, what: "reason")
        if let amount, amount <= 0 {
            throw STOrdersError.invalidAmount(String(amount), reason: "must be greater than zero")
        }
        return try write { db in
            let (id, order) = try findOrder(db, code: code)
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT p.id, p.amount, p.source, p.paid_on, p.output_id, x.number, r.number,
                               (SELECT v.number FROM payments v WHERE v.reverses = p.id), p.settled
                        FROM payments p JOIN outputs x ON x.id = p.output_id LEFT JOIN payments r ON r.id = p.reverses
                        WHERE p.order_id = ? AND p.number = ?
                        """, arguments: [id, number])
            else {
                let count =
                    try Int.fetchOne(db, sql: "SELECT count(*) FROM payments WHERE order_id = ?", arguments: [id]) ?? 0
                throw STOrdersError.unknownPayment(order: order.code, number: number, count: count)
            }
            let paymentID: Int64 = row[0]
            let paid: Int64 = row[1]
            let source = try Store.vocabulary(FundingSource.self, row[2])
            let paidOn = try Day(parsing: row[3])
            let outputID: Int64 = row[4]
            let outputNumber: Int = row[5]
            if let reversed: Int = row[6] {
                throw STOrdersError.reversalOfReversal(order: order.code, number: number, reverses: reversed)
            }
            if let by: Int = row[7] {
                throw STOrdersError.paymentAlreadyReversed(order: order.code, number: number, by: by)
            }
            let amount = amount ?? paid
            guard amount <= paid else {
                throw STOrdersError.reversalExceedsPayment(
                    order: order.code, number: number, amount: amount, paid: paid)
            }
            // The settlement it undoes, after the cash the payment sent (docs/advances.md).
            let undone = AdvanceRule.undone(reversed: amount, amount: paid, settled: row[8])
            _ = try order.next(after: .reversePayment)
            // On or after the payment, and after the cancellation of a cancelled order.
            try Chronology.check(
                .paymentReversed, on: day, after: Chronology.Dates(order, latest: nil),
                record: Chronology.Step("the payment", on: paidOn))
            let reversalNumber =
                (try Int.fetchOne(
                    db, sql: "SELECT max(number) FROM payments WHERE order_id = ?",
                    arguments: [id]) ?? 0) + 1
            try db.execute(
                sql: """
                    INSERT INTO payments (order_id, number, output_id, amount, source, reference, paid_on, reverses, reason, settled)
                    VALUES (?, ?, ?, ?, ?, NULL, ?, ?, ?, ?)
                    """,
                arguments: [
                    id, reversalNumber, outputID, -amount, source.rawValue, day.description, paymentID, reason, undone,
                ])
            try appendEvent(
                db, orderID: id, on: day, action: .paymentReversed,
                details:
                    "payment \(reversalNumber) reverses \(Money.format(amount)) đồng of payment \(number) (output \(outputNumber), \(source)): \(reason)"
                    + (undone == 0 ? "" : "; its settlement of \(Money.format(-undone)) đồng of advances is undone"),
                record: (.payments, db.lastInsertedRowID))
            return Payment(
                orderCode: order.code, number: reversalNumber, outputNumber: outputNumber, amount: -amount,
                source: source, reference: nil, paidOn: day, reverses: number, reason: reason, settled: undone)
        }
    }
}
