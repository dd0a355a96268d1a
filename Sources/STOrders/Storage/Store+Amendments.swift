import GRDB

extension Store {
    /// An officer extends a date of a funded order, with a reason: an output's due date or the
    /// contract's end, to `proposed` (later than the date in force). Approved as made; one step
    /// (`amended`) of the order's history. Refused while an enterprise's request for the same
    /// date is open (that request is decided instead).
    @discardableResult
    public func amend(
        order code: String, _ target: AmendmentTarget, to proposed: Day, reason: String, on day: Day
    ) throws -> Amendment {
        try makeAmendment(order: code, target, to: proposed, reason: reason, by: .officer, on: day)
    }

    /// An enterprise asks for a date of a funded order to be extended, with a reason; an officer
    /// decides it later (`decideAmendment`). At most one request per date is open at a time.
    @discardableResult
    public func requestAmendment(
        order code: String, _ target: AmendmentTarget, to proposed: Day, reason: String, on day: Day
    ) throws -> Amendment {
        try makeAmendment(order: code, target, to: proposed, reason: reason, by: .enterprise, on: day)
    }

    /// An officer approves or refuses an open request, once, with a reason. An approval moves the
    /// date in force (the order must still be funded, the output not yet accepted); a refusal
    /// leaves it, whatever became of the order.
    @discardableResult
    public func decideAmendment(
        order code: String, number: Int, _ decision: AmendmentState.Decision, reason: String, on day: Day
    ) throws -> Amendment {
        let reason = try Text.validate(reason, what: "reason")
        return try write { db in
            let (id, order) = try findOrder(db, code: code)
            var a = try Store.amendment(db, orderID: id, orderCode: order.code, number: number)
            let next: AmendmentState
            switch a.state.next(after: decision) {
            case .success(let state): next = state
            case .failure:
                throw STOrdersError.amendmentAlreadyDecided(
                    order: order.code, number: number, state: a.state, on: a.decidedOn ?? a.requestedOn)
            }
            if next == .approved {
                _ = try order.next(after: .amend)
                try requireExtensible(db, orderID: id, order: order, a.target, to: a.proposedOn)
            }
            try Chronology.check(
                next == .approved ? .amendmentApproved : .amendmentRefused, on: day,
                after: Chronology.Dates(order, latest: nil),
                record: Chronology.Step(Chronology.name(of: .amendmentRequested, number: number), on: a.requestedOn))
            let rowID = try Int64.fetchOne(
                db,
                sql: """
                    UPDATE amendments SET state = ?, decided_on = ?, decision = ? WHERE order_id = ? AND number = ?
                    RETURNING id
                    """, arguments: [next.rawValue, day.description, reason, id, number])
            a.state = next
            a.decidedOn = day
            a.decision = reason
            try appendEvent(
                db, orderID: id, on: day, action: next == .approved ? .amendmentApproved : .amendmentRefused,
                details: EventDetails.amendmentDecided(a), record: rowID.map { (.amendments, $0) })
            return a
        }
    }

    private func makeAmendment(
        order code: String, _ target: AmendmentTarget, to proposed: Day, reason: String, by party: AmendmentParty,
        on day: Day
    ) throws -> Amendment {
        let reason = try Text.validate(reason, what: "reason")
        return try write { db in
            let (id, order) = try findOrder(db, code: code)
            _ = try order.next(after: .amend)
            let action: Event.Action = party == .officer ? .amended : .amendmentRequested
            try Chronology.check(action, on: day, after: Chronology.Dates(order, latest: nil))
            let (outputID, inForce) = try requireExtensible(db, orderID: id, order: order, target, to: proposed)
            if let open = try Int.fetchOne(
                db,
                sql: """
                    SELECT number FROM amendments WHERE order_id = ? AND output_id IS ? AND state = 'requested'
                    """, arguments: [id, outputID])
            {
                throw STOrdersError.amendmentRequestOpen(order: order.code, what: target.description, number: open)
            }
            let number =
                (try Int.fetchOne(db, sql: "SELECT max(number) FROM amendments WHERE order_id = ?", arguments: [id])
                    ?? 0) + 1
            let a = Amendment(
                orderCode: order.code, number: number, target: target, previousOn: inForce, proposedOn: proposed,
                reason: reason, requestedBy: party, requestedOn: day, state: party == .officer ? .approved : .requested,
                decidedOn: party == .officer ? day : nil)
            try db.execute(
                sql: """
                    INSERT INTO amendments (order_id, number, output_id, previous_on, proposed_on, reason, requested_by,
                                            requested_on, state, decided_on)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    id, number, outputID, inForce.description, proposed.description, reason, party.rawValue,
                    day.description, a.state.rawValue, a.decidedOn?.description,
                ])
            try appendEvent(
                db, orderID: id, on: day, action: action, details: EventDetails.amendment(a),
                record: (.amendments, db.lastInsertedRowID))
            return a
        }
    }

    /// The target's row id (nil for the contract's end) and its date in force, when it may be
    /// extended to `proposed`: it has a date, `proposed` is later, an output is not yet accepted
    /// and stays within the contract's end in force.
    @discardableResult
    private func requireExtensible(
        _ db: Database, orderID: Int64, order: Order, _ target: AmendmentTarget, to proposed: Day
    ) throws -> (outputID: Int64?, inForce: Day) {
        let funding = try Row.fetchOne(
            db, sql: "SELECT \(Store.fundingColumns) FROM \(Store.fundingTables) WHERE f.order_id = ?",
            arguments: [orderID]
        ).map(Store.fundingRow)
        guard let funding, let starts = funding.startsOn, let end = funding.endInForce else {
            throw STOrdersError.amendmentNoDate(order: order.code, what: target.description)
        }
        switch target {
        case .contractEnd:
            guard proposed > end else {
                throw STOrdersError.amendmentNotLater(
                    order: order.code, what: target.description, proposed: proposed, inForce: end)
            }
            return (nil, end)
        case .output(let number):
            let output = try Store.output(db, orderID: orderID, orderCode: order.code, number: number)
            if let accepted = output.acceptedOn {
                throw STOrdersError.outputAlreadyAccepted(order: order.code, number: number, on: accepted)
            }
            guard let due = output.dueInForce else {
                throw STOrdersError.amendmentNoDate(order: order.code, what: target.description)
            }
            guard proposed > due else {
                throw STOrdersError.amendmentNotLater(
                    order: order.code, what: target.description, proposed: proposed, inForce: due)
            }
            guard proposed <= end else {
                throw STOrdersError.dueOutsidePeriod(
                    order: order.code, number: number, due: proposed, starts: starts, ends: end)
            }
            let rowID = try Int64.fetchOne(
                db, sql: "SELECT id FROM outputs WHERE order_id = ? AND number = ?", arguments: [orderID, number])
            return (rowID, due)
        }
    }

    /// One amendment of an order, or a refusal naming the numbers that exist.
    static func amendment(_ db: Database, orderID: Int64, orderCode: String, number: Int) throws -> Amendment {
        let sql = "SELECT \(amendmentColumns) FROM \(amendmentTables) WHERE a.order_id = ? AND a.number = ?"
        guard let row = try Row.fetchOne(db.cachedStatement(sql: sql), arguments: [orderID, number]) else {
            let count =
                try Int.fetchOne(db, sql: "SELECT count(*) FROM amendments WHERE order_id = ?", arguments: [orderID])
                ?? 0
            throw STOrdersError.unknownAmendment(order: orderCode, number: number, count: count)
        }
        return try amendmentRow(row, orderCode: orderCode)
    }
}
