import GRDB

extension Store {
    /// Registers an order for an enterprise, with its first outputs when given (all in one
    /// transaction: refused, nothing is registered). The province defaults to the enterprise's;
    /// the code, when not given, is generated as `PP-YYYY-NNNN` (province code, year, sequence).
    @discardableResult
    public func registerOrder(
        enterprise taxCode: TaxCode, title: String, field: Field, province: Province? = nil,
        code: String? = nil, outputs: [NewOutput] = [], on day: Day
    ) throws -> Order {
        let title = try Text.validate(title, what: "order title")
        let chosenCode = try code.map(Order.validateCode)
        let outputs = try outputs.map(Store.checked)
        return try write { db in
            guard
                let e = try Row.fetchOne(
                    db, sql: "SELECT id, name, province_code FROM enterprises WHERE tax_code = ?",
                    arguments: [taxCode.value])
            else {
                throw STOrdersError.unknownEnterprise(taxCode: taxCode.value)
            }
            let province = try province ?? Store.province(code: e[2])
            let code: String
            if let chosenCode {
                if try Bool.fetchOne(db, sql: "SELECT 1 FROM orders WHERE code = ?", arguments: [chosenCode]) == true {
                    throw STOrdersError.duplicateOrderCode(chosenCode)
                }
                code = chosenCode
            } else {
                code = try Store.nextOrderCode(db, province: province, year: day.year)
            }
            let enterpriseID: Int64 = e[0]
            try db.execute(
                sql: """
                    INSERT INTO orders (code, title, field, province_code, enterprise_id, ordered_on)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """, arguments: [code, title, field.rawValue, province.code, enterpriseID, day.description])
            let orderID = db.lastInsertedRowID
            let order = Order(
                code: code, title: title, field: field, province: province, enterpriseTaxCode: taxCode,
                enterpriseName: e[1], state: .ordered, orderedOn: day)
            try appendEvent(
                db, orderID: orderID, on: day, action: .registered, details: EventDetails.registered(order),
                record: (.orders, orderID))
            for new in outputs { _ = try insertOutput(db, orderID: orderID, order: order, new, on: day) }
            return order
        }
    }

    /// The next free generated code for a province and year: `19-2026-0001`, `19-2026-0002`, …
    static func nextOrderCode(_ db: Database, province: Province, year: Int) throws -> String {
        let prefix = "\(province.code)-\(year)-"
        // Codes of this form sort by length then text; the range scan uses the code index.
        let last = try String.fetchOne(
            db,
            sql: """
                SELECT code FROM orders
                WHERE code >= ? AND code < ? AND substr(code, 9) NOT GLOB '*[^0-9]*'
                ORDER BY length(code) DESC, code DESC LIMIT 1
                """, arguments: [prefix, "\(province.code)-\(year)."])
        var next = 1
        if let last, let n = Int(last.dropFirst(prefix.count)) { next = n + 1 }
        let digits = String(next)
        return prefix + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// Adds an output to an order that is still `ordered`, numbered after the existing ones.
    @discardableResult
    public func addOutput(order code: String, _ new: NewOutput, on day: Day) throws -> Output {
        let new = try Store.checked(new)
        return try write { db in
            let (id, order) = try findOrder(db, code: code)
            return try insertOutput(db, orderID: id, order: order, new, on: day)
        }
    }

    /// An output as given, its title validated and its value checked positive.
    static func checked(_ new: NewOutput) throws -> NewOutput {
        var new = new
        new.title = try Text.validate(new.title, what: "output title")
        guard new.value > 0 else {
            throw STOrdersError.invalidAmount(String(new.value), reason: "must be greater than zero")
        }
        return new
    }

    /// Adds a checked output to an order (inside the caller's transaction), numbered after the
    /// existing ones, if the order's state and dates allow it.
    func insertOutput(_ db: Database, orderID id: Int64, order: Order, _ new: NewOutput, on day: Day) throws -> Output {
        let title = new.title
        _ = try order.next(after: .addOutput)
        try Chronology.check(.outputAdded, on: day, after: Chronology.Dates(order, latest: nil))
        // Due on or after the day it is added (a deadline in the past is a typing mistake).
        if let due = new.dueOn, due < day {
            throw STOrdersError.dateBefore(what: "due", date: due, earlier: "the output's addition", earliest: day)
        }
        let number =
            (try Int.fetchOne(db, sql: "SELECT max(number) FROM outputs WHERE order_id = ?", arguments: [id]) ?? 0)
            + 1
        // The outputs' total must stay representable: it is what the funding must cover.
        _ = try Money.sum(
            try Int64.fetchAll(db, sql: "SELECT value FROM outputs WHERE order_id = ?", arguments: [id]) + [
                new.value
            ])
        try db.execute(
            sql: """
                INSERT INTO outputs (order_id, number, title, type, novelty, value, due_on) VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [id, number, title, new.type.rawValue, new.novelty.rawValue, new.value, new.dueOn?.description])
        let output = Output(
            orderCode: order.code, number: number, title: title, type: new.type, novelty: new.novelty,
            value: new.value, dueOn: new.dueOn)
        try appendEvent(
            db, orderID: id, on: day, action: .outputAdded, details: EventDetails.outputAdded(output),
            record: (.outputs, db.lastInsertedRowID))
        return output
    }

    /// Funds an `ordered` order that has outputs, with a commitment covering their total value.
    @discardableResult
    public func fund(order code: String, _ funding: Funding) throws -> Order {
        try write { db in
            var (id, order) = try findOrder(db, code: code)
            let next = try order.next(after: .fund)
            // On or after every earlier step: the registration and each output's addition.
            try Chronology.check(
                .funded, on: funding.fundedOn,
                after: Chronology.Dates(order, latest: try Store.latestStep(db, orderID: id)))
            let values = try Int64.fetchAll(db, sql: "SELECT value FROM outputs WHERE order_id = ?", arguments: [id])
            try Funding.requireCovers(order: order.code, funding: funding.total, outputValues: values)
            let dues = try Row.fetchAll(
                db, sql: "SELECT number, due_on FROM outputs WHERE order_id = ? ORDER BY number", arguments: [id]
            ).map { (number: $0[0] as Int, due: try Store.day($0[1])) }
            try Deadlines.requireWithinPeriod(order: order.code, funding: funding, dues: dues)
            try Store.requireChecklist(db, .fund, orderID: id, order: order.code, target: nil, on: funding.fundedOn)
            try db.execute(
                sql: """
                    INSERT INTO fundings (order_id, state_budget, enterprise_funds, other, other_source, funded_on,
                                          starts_on, ends_on)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    id, funding.stateBudget, funding.enterpriseFunds, funding.other, funding.otherSource,
                    funding.fundedOn.description, funding.startsOn?.description, funding.endsOn?.description,
                ])
            try db.execute(
                sql: "UPDATE orders SET state = ?, funded_on = ? WHERE id = ?",
                arguments: [next.rawValue, funding.fundedOn.description, id])
            try appendEvent(
                db, orderID: id, on: funding.fundedOn, action: .funded, details: EventDetails.funded(funding),
                record: (.fundings, id))
            order.state = next
            order.fundedOn = funding.fundedOn
            return order
        }
    }

    /// Accepts one output of a `funded` order; accepting the last one delivers the order.
    /// Returns the output and the order's state afterwards.
    @discardableResult
    public func acceptOutput(
        order code: String, number: Int, evidence: String? = nil,
        on day: Day
    ) throws -> (output: Output, orderState: OrderState) {
        let evidence = try Text.validateOptional(evidence, what: "evidence")
        return try write { db in
            let (id, order) = try findOrder(db, code: code)
            _ = try order.next(after: .acceptOutput)
            var output = try Store.output(db, orderID: id, orderCode: order.code, number: number)
            if let accepted = output.acceptedOn {
                throw STOrdersError.outputAlreadyAccepted(order: order.code, number: number, on: accepted)
            }
            try Chronology.check(.outputAccepted, on: day, after: Chronology.Dates(order, latest: nil))
            try Store.requireChecklist(db, .accept, orderID: id, order: order.code, target: number, on: day)
            let outputID = try Int64.fetchOne(
                db,
                sql: """
                    UPDATE outputs SET accepted_on = ?, evidence = ? WHERE order_id = ? AND number = ? RETURNING id
                    """, arguments: [day.description, evidence, id, number])
            try appendEvent(
                db, orderID: id, on: day, action: .outputAccepted,
                details: EventDetails.outputAccepted(number: number, title: output.title, evidence: evidence),
                record: outputID.map { (.outputs, $0) })
            output.acceptedOn = day
            output.evidence = evidence
            // Its outputs now: how many remain unaccepted, the last acceptance, how many in all.
            let outputs = try Row.fetchOne(
                db,
                sql: """
                    SELECT count(*) - count(accepted_on), max(accepted_on), count(*) FROM outputs WHERE order_id = ?
                    """, arguments: [id])
            let remaining: Int = outputs?[0] ?? 0
            let state = OrderState.afterAcceptance(remainingUnaccepted: remaining)
            if state == .delivered {
                // Delivered on the day the last of its outputs was accepted (dates may be entered late).
                let deliveredOn: String = outputs?[1] ?? day.description
                let count: Int = outputs?[2] ?? 0
                try db.execute(
                    sql: "UPDATE orders SET state = 'delivered', delivered_on = ? WHERE id = ?",
                    arguments: [deliveredOn, id])
                try appendEvent(
                    db, orderID: id, on: try Day(parsing: deliveredOn), action: .delivered,
                    details: EventDetails.delivered(outputs: count))
            }
            return (output, state)
        }
    }

    /// Records a commercialization result of a `delivered` order (which becomes
    /// `commercialized`), or a further result of a `commercialized` one.
    @discardableResult
    public func commercialize(
        order code: String, channel: Channel, revenue: Int64, note: String? = nil,
        on day: Day
    ) throws -> (result: Commercialization, orderState: OrderState) {
        let note = try Text.validateOptional(note, what: "note")
        guard revenue >= 0 else {
            throw STOrdersError.invalidAmount(String(revenue), reason: "revenue cannot be negative")
        }
        return try write { db in
            let (id, order) = try findOrder(db, code: code)
            let next = try order.next(after: .commercialize)
            try Chronology.check(.commercialized, on: day, after: Chronology.Dates(order, latest: nil))
            if order.state == .delivered {
                try Store.requireNoOutstandingAdvance(db, orderID: id, order: order.code, step: "commercialize")
            }
            try Store.requireChecklist(db, .commercialize, orderID: id, order: order.code, target: nil, on: day)
            let number =
                (try Int.fetchOne(db, sql: "SELECT max(number) FROM results WHERE order_id = ?", arguments: [id]) ?? 0)
                + 1
            // Keep the order's revenue total representable.
            _ = try Money.sum(
                try Int64.fetchAll(db, sql: "SELECT revenue FROM results WHERE order_id = ?", arguments: [id]) + [
                    revenue
                ])
            try db.execute(
                sql: """
                    INSERT INTO results (order_id, number, channel, revenue, note, commercialized_on) VALUES (?, ?, ?, ?, ?, ?)
                    """, arguments: [id, number, channel.rawValue, revenue, note, day.description])
            let resultID = db.lastInsertedRowID
            let first = order.state == .delivered
            // The order counts as commercialized from its earliest result that stands.
            try db.execute(
                sql: """
                    UPDATE orders SET state = 'commercialized',
                        commercialized_on = (SELECT min(commercialized_on) FROM results_live WHERE order_id = ?1)
                    WHERE id = ?1
                    """, arguments: [id])
            try appendEvent(
                db, orderID: id, on: day, action: first ? .commercialized : .resultRecorded,
                details: EventDetails.result(number: number, channel: channel, revenue: revenue, note: note),
                record: (.results, resultID))
            return (
                Commercialization(
                    orderCode: order.code, number: number, channel: channel, revenue: revenue,
                    note: note, commercializedOn: day), next
            )
        }
    }

    /// Cancels an `ordered` or `funded` order, with a reason.
    @discardableResult
    /// `onlyWhile`, when given, is the state the order must still be in (an enterprise withdraws
    /// only an `ordered` order): checked inside this transaction.
    public func cancel(order code: String, reason: String, on day: Day, onlyWhile: OrderState? = nil) throws -> Order {
        let reason = try Text.validate(reason, what: "reason")
        return try write { db in
            var (id, order) = try findOrder(db, code: code)
            if let onlyWhile, order.state != onlyWhile {
                throw STOrdersError.transitionRefused(
                    code: order.code, from: order.state, action: "withdraw", needs: onlyWhile.rawValue)
            }
            let next = try order.next(after: .cancel)
            // On or after every step of the order: its outputs, funding, acceptances and payments.
            try Chronology.check(
                .cancelled, on: day,
                after: Chronology.Dates(order, latest: try Store.latestStep(db, orderID: id)))
            try Store.requireNoOutstandingAdvance(db, orderID: id, order: order.code, step: "cancel")
            try db.execute(
                sql: "UPDATE orders SET state = 'cancelled', cancelled_on = ?, cancel_reason = ? WHERE id = ?",
                arguments: [day.description, reason, id])
            try appendEvent(
                db, orderID: id, on: day, action: .cancelled,
                details: EventDetails.cancelled(from: order.state, reason: reason))
            order.state = next
            order.cancelledOn = day
            order.cancelReason = reason
            return order
        }
    }

    /// The latest-dated step of an order's history (of equal dates, the first recorded), named
    /// with the number of its output, payment or result: the bound of its funding and its
    /// cancellation (`Chronology`).
    static func latestStep(_ db: Database, orderID: Int64) throws -> Chronology.Step? {
        guard
            let row = try Row.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT e.action, e.occurred_on,
                               CASE e.record_table
                                   WHEN 'outputs' THEN (SELECT x.number FROM outputs x WHERE x.id = e.record_id)
                                   WHEN 'payments' THEN (SELECT p.number FROM payments p WHERE p.id = e.record_id)
                                   WHEN 'results' THEN (SELECT r.number FROM results r WHERE r.id = e.record_id)
                                   WHEN 'documents' THEN (SELECT d.number FROM documents d WHERE d.id = e.record_id)
                                   WHEN 'payment_requests' THEN (SELECT q.number FROM payment_requests q WHERE q.id = e.record_id)
                               END
                        FROM events e WHERE e.order_id = ? ORDER BY e.occurred_on DESC, e.id ASC LIMIT 1
                        """), arguments: [orderID])
        else { return nil }
        let action = try Store.eventAction(row[0])
        return Chronology.Step(Chronology.name(of: action, number: row[2]), on: try Day(parsing: row[1]))
    }

    /// One output of an order, with what has been paid against it, or a refusal naming the
    /// numbers that exist.
    static func output(_ db: Database, orderID: Int64, orderCode: String, number: Int) throws -> Output {
        let sql = "SELECT \(outputColumns) FROM outputs x WHERE order_id = ? AND number = ?"
        guard let row = try Row.fetchOne(db.cachedStatement(sql: sql), arguments: [orderID, number]) else {
            let count =
                try Int.fetchOne(db, sql: "SELECT count(*) FROM outputs WHERE order_id = ?", arguments: [orderID]) ?? 0
            throw STOrdersError.unknownOutput(order: orderCode, number: number, count: count)
        }
        return try outputRow(row, orderCode: orderCode)
    }

    static func outputRow(_ row: Row, orderCode: String) throws -> Output {
        Output(
            orderCode: orderCode, number: row[0], title: row[1], type: try vocabulary(OutputType.self, row[2]),
            novelty: try vocabulary(Novelty.self, row[3]), value: row[4], acceptedOn: try day(row[5]),
            evidence: row[6], paid: row[7], dueOn: try day(row[8]), extendedTo: try day(row[9]))
    }
}
