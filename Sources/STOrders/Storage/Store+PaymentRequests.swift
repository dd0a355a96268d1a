import GRDB

extension Store {
    /// An enterprise asks to be paid `amount` from `source` against an accepted output
    /// (docs/requests.md): a request `requested`, numbered within the order, which an officer
    /// approves or returns. The payment's rules hold already: the order may be paid, the request
    /// is dated on or after the output's acceptance, the `pay` step's checklist is met (the papers
    /// come with the request), and the amount is within what remains of the output and the
    /// source counting the other open requests (`requirePayable`, the payment's own checks).
    @discardableResult
    public func requestPayment(
        order code: String, output number: Int, amount: Int64, source: FundingSource = .state, on day: Day
    ) throws -> PaymentRequest {
        guard amount > 0 else { throw STOrdersError.invalidAmount(String(amount), reason: "must be greater than zero") }
        return try write { db in
            let (id, order) = try findOrder(db, code: code)
            let outputID = try Store.requirePayable(
                db, orderID: id, order: order, output: number, amount: amount, source: source,
                step: .paymentRequested, on: day, excluding: nil)
            let requestNumber =
                (try Int.fetchOne(
                    db, sql: "SELECT max(number) FROM payment_requests WHERE order_id = ?", arguments: [id]) ?? 0) + 1
            try db.execute(
                sql: """
                    INSERT INTO payment_requests (order_id, number, output_id, amount, source, requested_on, state)
                    VALUES (?, ?, ?, ?, ?, ?, 'requested')
                    """,
                arguments: [id, requestNumber, outputID, amount, source.rawValue, day.description])
            let request = PaymentRequest(
                orderCode: order.code, number: requestNumber, outputNumber: number, amount: amount, source: source,
                requestedOn: day)
            try appendEvent(
                db, orderID: id, on: day, action: .paymentRequested, details: EventDetails.paymentRequested(request),
                record: (.paymentRequests, db.lastInsertedRowID))
            return request
        }
    }

    /// An officer approves a request (`requested` → `approved`): the order may still be paid, the
    /// `request` step's checklist is met by the papers attached to this request on or before the
    /// day (docs/documents.md), and the amount is still within what remains, counting the other
    /// open requests.
    @discardableResult
    public func approvePaymentRequest(order code: String, number: Int, on day: Day) throws -> PaymentRequest {
        try write { db in
            let (id, order) = try findOrder(db, code: code)
            let (rowID, found) = try Store.paymentRequest(db, orderID: id, orderCode: order.code, number: number)
            var request = found
            let next = try Store.requireStep(.approve, request)
            _ = try order.next(after: .recordPayment)
            try Chronology.check(
                .paymentRequestApproved, on: day, after: Chronology.Dates(order, latest: nil),
                record: Chronology.Step(
                    Chronology.name(of: .paymentRequested, number: number), on: request.requestedOn))
            try Store.requireChecklist(db, .request, orderID: id, order: order.code, target: number, on: day)
            let output = try Store.output(db, orderID: id, orderCode: order.code, number: request.outputNumber)
            try Store.requireWithinRemaining(
                db, orderID: id, orderCode: order.code, output: output, amount: request.amount,
                source: request.source, excluding: rowID)
            try db.execute(
                sql: "UPDATE payment_requests SET state = ?, approved_on = ? WHERE id = ?",
                arguments: [next.rawValue, day.description, rowID])
            request.state = next
            request.approvedOn = day
            try appendEvent(
                db, orderID: id, on: day, action: .paymentRequestApproved,
                details: EventDetails.paymentRequestStep(request), record: (.paymentRequests, rowID))
            return request
        }
    }

    /// An officer returns a request with a reason, from `requested` or `approved` (an approved
    /// request the treasury refused, or found wrong before the money left): it holds nothing any
    /// more. Possible whatever became of the order since, so a request never stays open for ever.
    @discardableResult
    public func returnPaymentRequest(order code: String, number: Int, reason: String, on day: Day) throws
        -> PaymentRequest
    {
        let reason = try Text.validate(reason, what: "reason")
        return try write { db in
            let (id, order) = try findOrder(db, code: code)
            let (rowID, found) = try Store.paymentRequest(db, orderID: id, orderCode: order.code, number: number)
            var request = found
            let next = try Store.requireStep(.return, request)
            try Chronology.check(
                .paymentRequestReturned, on: day, after: Chronology.Dates(order, latest: nil),
                record: Store.lastStep(of: request))
            try db.execute(
                sql: "UPDATE payment_requests SET state = ?, returned_on = ?, return_reason = ? WHERE id = ?",
                arguments: [next.rawValue, day.description, reason, rowID])
            request.state = next
            request.returnedOn = day
            request.returnReason = reason
            try appendEvent(
                db, orderID: id, on: day, action: .paymentRequestReturned,
                details: EventDetails.paymentRequestStep(request), record: (.paymentRequests, rowID))
            return request
        }
    }

    /// An officer disburses an approved request with the State Treasury's reference: a payment is
    /// recorded by the same rules as `recordPayment` (`pay`), dated on or after the approval, and
    /// the request is `paid` by it. Two steps of the history: `payment_recorded`, then
    /// `payment_request_paid`.
    @discardableResult
    public func disbursePaymentRequest(order code: String, number: Int, reference: String, on day: Day) throws
        -> (request: PaymentRequest, payment: Payment)
    {
        let reference = try Text.validate(reference, what: "reference")
        return try write { db in
            let (id, order) = try findOrder(db, code: code)
            let (rowID, found) = try Store.paymentRequest(db, orderID: id, orderCode: order.code, number: number)
            var request = found
            let next = try Store.requireStep(.disburse, request)
            try Chronology.check(
                .paymentRequestPaid, on: day, after: Chronology.Dates(order, latest: nil),
                record: Store.lastStep(of: request))
            let (payment, paymentID) = try pay(
                db, orderID: id, order: order, output: request.outputNumber, amount: request.amount,
                source: request.source, reference: reference, on: day, request: rowID)
            try db.execute(
                sql: "UPDATE payment_requests SET state = ?, payment_id = ? WHERE id = ?",
                arguments: [next.rawValue, paymentID, rowID])
            request.state = next
            request.paymentNumber = payment.number
            request.paidOn = day
            request.reference = reference
            try appendEvent(
                db, orderID: id, on: day, action: .paymentRequestPaid,
                details: EventDetails.paymentRequestStep(request), record: (.paymentRequests, rowID))
            return (request, payment)
        }
    }

    /// The state a step leads the request to, or the refusal naming where it stands.
    static func requireStep(_ step: PaymentRequestState.Step, _ r: PaymentRequest) throws -> PaymentRequestState {
        switch r.state.next(after: step) {
        case .success(let next): return next
        case .failure(let refusal):
            throw STOrdersError.paymentRequestStateRefused(
                order: r.orderCode, number: r.number, state: r.state, step: step.rawValue, needs: refusal.needs)
        }
    }

    /// A request's latest step, the lower bound of its next one.
    static func lastStep(of r: PaymentRequest) -> Chronology.Step {
        if let approved = r.approvedOn {
            return Chronology.Step(Chronology.name(of: .paymentRequestApproved, number: r.number), on: approved)
        }
        return Chronology.Step(Chronology.name(of: .paymentRequested, number: r.number), on: r.requestedOn)
    }

    /// One payment request of an order with its row id, or a refusal naming the numbers that exist.
    static func paymentRequest(_ db: Database, orderID: Int64, orderCode: String, number: Int) throws -> (
        Int64, PaymentRequest
    ) {
        let sql = """
            SELECT \(paymentRequestColumns), q.id FROM \(paymentRequestTables) WHERE q.order_id = ? AND q.number = ?
            """
        guard let row = try Row.fetchOne(db.cachedStatement(sql: sql), arguments: [orderID, number]) else {
            let count =
                try Int.fetchOne(
                    db, sql: "SELECT count(*) FROM payment_requests WHERE order_id = ?", arguments: [orderID]) ?? 0
            throw STOrdersError.unknownPaymentRequest(order: orderCode, number: number, count: count)
        }
        return (row[13], try paymentRequestRow(row, orderCode: orderCode))
    }
}
