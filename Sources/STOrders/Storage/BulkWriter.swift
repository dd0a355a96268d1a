import GRDB

/// Writes many rows inside one transaction with prepared statements: the storage path of CSV
/// imports, dump restores and the generator. It inserts exactly what it is given; the callers
/// check every invariant first (the same rules the commands keep), and schema.sql's CHECKs and
/// foreign keys check each row again.
final class BulkWriter {
    let db: Database
    let actor: String
    private let enterprise: Statement
    private let orderInsert: Statement
    private let orderFund: Statement
    private let orderDeliver: Statement
    private let orderCommercialize: Statement
    private let orderAfterRetraction: Statement
    private let orderCancel: Statement
    private let outputInsert: Statement
    private let outputAccept: Statement
    private let fundingInsert: Statement
    private let paymentInsert: Statement
    private let resultInsert: Statement
    private let retractionInsert: Statement
    /// The CSV import's rows, inserted in their final state (`writeWhole`).
    private let wholeOrderInsert: Statement
    private let wholeOutputInsert: Statement
    /// The hash chain's head, read once and then carried along (the bulk writer holds the
    /// write transaction, so no one else appends meanwhile).
    private var head: String

    init(_ db: Database, actor: String) throws {
        self.db = db
        self.actor = actor
        head = try HistoryChain.head(db)
        enterprise = try db.makeStatement(sql: """
            INSERT INTO enterprises (tax_code, name, province_code, innovative_startup, registered_on)
            VALUES (?, ?, ?, ?, ?)
            """)
        orderInsert = try db.makeStatement(sql: """
            INSERT INTO orders (code, title, field, province_code, enterprise_id, ordered_on) VALUES (?, ?, ?, ?, ?, ?)
            """)
        orderFund = try db.makeStatement(sql: "UPDATE orders SET state = 'funded', funded_on = ? WHERE id = ?")
        orderDeliver = try db.makeStatement(sql: "UPDATE orders SET state = 'delivered', delivered_on = ? WHERE id = ?")
        orderCommercialize = try db.makeStatement(sql: """
            UPDATE orders SET state = 'commercialized',
                commercialized_on = (SELECT min(commercialized_on) FROM results_live WHERE order_id = ?1)
            WHERE id = ?1
            """)
        orderAfterRetraction = try db.makeStatement(sql: """
            UPDATE orders SET
                state = CASE WHEN EXISTS (SELECT 1 FROM results_live WHERE order_id = ?1) THEN 'commercialized' ELSE 'delivered' END,
                commercialized_on = (SELECT min(commercialized_on) FROM results_live WHERE order_id = ?1)
            WHERE id = ?1
            """)
        orderCancel = try db.makeStatement(sql: """
            UPDATE orders SET state = 'cancelled', cancelled_on = ?, cancel_reason = ? WHERE id = ?
            """)
        outputInsert = try db.makeStatement(sql: """
            INSERT INTO outputs (order_id, number, title, type, novelty, value) VALUES (?, ?, ?, ?, ?, ?)
            """)
        outputAccept = try db.makeStatement(sql: "UPDATE outputs SET accepted_on = ?, evidence = ? WHERE id = ?")
        fundingInsert = try db.makeStatement(sql: """
            INSERT INTO fundings (order_id, state_budget, enterprise_funds, other, other_source, funded_on)
            VALUES (?, ?, ?, ?, ?, ?)
            """)
        paymentInsert = try db.makeStatement(sql: """
            INSERT INTO payments (order_id, number, output_id, amount, source, reference, paid_on, reverses, reason)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        resultInsert = try db.makeStatement(sql: """
            INSERT INTO results (order_id, number, channel, revenue, note, commercialized_on) VALUES (?, ?, ?, ?, ?, ?)
            """)
        retractionInsert = try db.makeStatement(sql: """
            INSERT INTO result_retractions (result_id, reason, retracted_on) VALUES (?, ?, ?)
            """)
        wholeOrderInsert = try db.makeStatement(sql: """
            INSERT INTO orders (code, title, field, province_code, enterprise_id, ordered_on, state, funded_on, delivered_on,
                                commercialized_on, cancelled_on, cancel_reason)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        wholeOutputInsert = try db.makeStatement(sql: """
            INSERT INTO outputs (order_id, number, title, type, novelty, value, accepted_on, evidence)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
    }

    /// Makes SQLite fit for a large load: a big page cache for the duration of the transaction.
    static func tune(_ db: Database) throws {
        try db.execute(sql: "PRAGMA cache_size = -393216")  // 384 MiB, in KiB
        // Statement journals (opened per statement once triggers can abort one) stay in memory.
        try db.execute(sql: "PRAGMA temp_store = MEMORY")
    }

    @discardableResult
    func insertEnterprise(taxCode: String, name: String, provinceCode: String, innovativeStartup: Bool,
                          registeredOn: String) throws -> Int64 {
        enterprise.setUncheckedArguments([taxCode, name, provinceCode, innovativeStartup ? 1 : 0, registeredOn])
        try enterprise.execute()
        return db.lastInsertedRowID
    }

    /// Writes one whole order by replaying its history: each event performs the step that
    /// wrote it (register, add an output, fund, accept, deliver, pay, reverse, commercialize,
    /// retract, cancel) as the commands do, so schema.sql's triggers check every step, and the
    /// event is appended right after its step through `Store.insertEvent`, hash chain and
    /// record included. Events keep their own dates, times, details and actors.
    func replay(_ o: OrderDetail, enterpriseID: Int64) throws {
        let order = o.order
        func refuse(_ why: String) -> STOrdersError { .constraintViolated("order \(order.code): \(why)") }
        var id: Int64 = 0
        var outputIDs: [Int: Int64] = [:]
        var paymentIDs: [Int: Int64] = [:]
        var resultIDs: [Int: Int64] = [:]
        var nextOutput = 0, nextPayment = 0, nextResult = 0
        var accepted: Set<Int> = []
        var retracted: Set<Int> = []
        for e in o.events {
            // Checked before the step, which would otherwise run against no order.
            guard id != 0 || e.action == .registered else { throw refuse("its history does not start with registered") }
            var record: (table: RecordTable, id: Int64)?
            switch e.action {
            case .registered:
                guard id == 0 else { throw refuse("registered twice") }
                try exec(orderInsert, [order.code, order.title, order.field.rawValue, order.province.code, enterpriseID,
                                       order.orderedOn.description])
                id = db.lastInsertedRowID
                record = (.orders, id)
            case .outputAdded:
                guard nextOutput < o.outputs.count else { throw refuse("more output_added events than outputs") }
                let x = o.outputs[nextOutput]
                nextOutput += 1
                try exec(outputInsert, [id, x.number, x.title, x.type.rawValue, x.novelty.rawValue, x.value])
                outputIDs[x.number] = db.lastInsertedRowID
                record = (.outputs, db.lastInsertedRowID)
            case .funded:
                guard let f = o.funding else { throw refuse("funded without a funding") }
                try exec(fundingInsert, [id, f.stateBudget, f.enterpriseFunds, f.other, f.otherSource, f.fundedOn.description])
                try exec(orderFund, [f.fundedOn.description, id])
                record = (.fundings, id)
            case .outputAccepted:
                // The output accepted that day (the lowest number first when several were).
                guard let x = o.outputs.first(where: { $0.acceptedOn == e.occurredOn && !accepted.contains($0.number) }),
                      let outputID = outputIDs[x.number] else {
                    throw refuse("an output_accepted event on \(e.occurredOn) matches no output accepted that day")
                }
                accepted.insert(x.number)
                try exec(outputAccept, [x.acceptedOn?.description, x.evidence, outputID])
                record = (.outputs, outputID)
            case .delivered:
                try exec(orderDeliver, [order.deliveredOn?.description, id])
            case .paymentRecorded, .paymentReversed:
                guard nextPayment < o.payments.count else { throw refuse("more payment events than payments") }
                let p = o.payments[nextPayment]
                nextPayment += 1
                guard (e.action == .paymentReversed) == p.isReversal, let outputID = outputIDs[p.outputNumber] else {
                    throw refuse("payment \(p.number) does not match its event")
                }
                let reverses = try p.reverses.map { n -> Int64 in
                    guard let r = paymentIDs[n] else { throw refuse("payment \(p.number) reverses an unknown payment") }
                    return r
                }
                try exec(paymentInsert, [id, p.number, outputID, p.amount, p.source.rawValue, p.reference,
                                         p.paidOn.description, reverses, p.reason])
                paymentIDs[p.number] = db.lastInsertedRowID
                record = (.payments, db.lastInsertedRowID)
            case .commercialized, .resultRecorded:
                guard nextResult < o.results.count else { throw refuse("more result events than results") }
                let r = o.results[nextResult]
                nextResult += 1
                try exec(resultInsert, [id, r.number, r.channel.rawValue, r.revenue, r.note, r.commercializedOn.description])
                resultIDs[r.number] = db.lastInsertedRowID
                record = (.results, db.lastInsertedRowID)
                try exec(orderCommercialize, [id])
            case .resultRetracted:
                guard let r = o.results.first(where: { $0.retractedOn == e.occurredOn && !retracted.contains($0.number) }),
                      let resultID = resultIDs[r.number], let reason = r.retractReason else {
                    throw refuse("a result_retracted event on \(e.occurredOn) matches no retracted result")
                }
                retracted.insert(r.number)
                try exec(retractionInsert, [resultID, reason, e.occurredOn.description])
                record = (.resultRetractions, db.lastInsertedRowID)
                try exec(orderAfterRetraction, [id])
            case .cancelled:
                try exec(orderCancel, [order.cancelledOn?.description, order.cancelReason, id])
            }
            head = try Store.insertEvent(db, orderID: id, occurredOn: e.occurredOn.description, recordedAt: e.recordedAt,
                                         action: e.action, details: e.details, actor: e.actor, record: record,
                                         code: order.code, head: head)
        }
        guard nextOutput == o.outputs.count, nextPayment == o.payments.count, nextResult == o.results.count,
              accepted.count == o.outputs.filter({ $0.acceptedOn != nil }).count,
              retracted.count == o.results.filter({ $0.retractedOn != nil }).count else {
            throw refuse("its history does not account for all its outputs, payments and results")
        }
    }

    // MARK: Whole orders, written in their final state (the CSV import)

    /// The INSERT triggers that admit a row only at the lifecycle step where the commands write it
    /// (an order only as `ordered`, outputs only while ordered and unaccepted, a funding only
    /// while ordered, a result only once delivered). `writeWhole` inserts each row directly in
    /// its final state, so these are set aside for the load by `withoutStepTriggers`.
    static let stepTriggers = ["orders_start_ordered", "outputs_added_while_ordered", "fundings_while_ordered",
                               "results_need_delivery"]

    /// Runs `body` with `stepTriggers` (and `more`) dropped, then creates them again with
    /// schema.sql's own text. The CSV import also sets aside `Tallies.triggers()`, which keep the
    /// indicators' totals, and adds its new orders' contributions set-wise in `body`
    /// (`Tallies.addOrders(after:_:)`); `verify` recomputes the totals from the records.
    ///
    /// Why this is sound: it happens inside the load's one IMMEDIATE write transaction, and DDL
    /// is transactional in SQLite. Readers (WAL) keep seeing the committed schema, triggers
    /// included; no other writer can run meanwhile; if anything fails, the rollback restores the
    /// triggers with everything else; on success they are re-created before the commit, from the
    /// text schema.sql gives SQLite (read from a fresh in-memory database, exactly what
    /// `storders verify` compares them with), so the file never exists without its protections.
    /// Only INSERT triggers of the four tables written here are set aside; the rules they stand
    /// for are checked in Swift first, for every order, by the import's row checks and by
    /// `OrderDetail.invariantViolations()` (funding covers the outputs, outputs accepted only
    /// once funded, a delivered order's outputs all accepted on or before its delivery, results
    /// only after delivery, dates in lifecycle order), and the tables' CHECKs (state ↔ dates,
    /// date order) and foreign keys still check every row as it is inserted.
    static func withoutStepTriggers<T>(_ db: Database, also more: [String] = [], _ body: () throws -> T) throws -> T {
        let expected = try Store.expectedSchema()
        var texts: [String] = []
        for stepTrigger in stepTriggers + more {
            guard let sql = expected["trigger \(stepTrigger)"]?.sql else {
                throw STOrdersError.constraintViolated("schema.sql has no trigger \(stepTrigger)")
            }
            texts.append(sql)
            try db.execute(sql: "DROP TRIGGER IF EXISTS \(stepTrigger)")
        }
        let value = try body()
        for sql in texts { try db.execute(sql: sql) }
        return value
    }

    /// Writes one whole order of the CSV import in its final state (one INSERT per row, inside
    /// `withoutStepTriggers`), then its history: the same events, in the same order, with the
    /// same records as `replay` writes, each record computed from the values just written
    /// instead of read back (`RecordTable.select`'s columns and `HistoryChain`'s encoding; an
    /// export → restore → export round trip, whose restore replays and reads back, proves them
    /// equal). Only the steps an imported history holds are accepted (no payments, no
    /// retractions).
    func writeWhole(_ o: OrderDetail, enterpriseID: Int64) throws {
        let order = o.order
        func refuse(_ why: String) -> STOrdersError { .constraintViolated("order \(order.code): \(why)") }
        try exec(wholeOrderInsert, [order.code, order.title, order.field.rawValue, order.province.code, enterpriseID,
                                    order.orderedOn.description, order.state.rawValue, order.fundedOn?.description,
                                    order.deliveredOn?.description, order.commercializedOn?.description,
                                    order.cancelledOn?.description, order.cancelReason])
        let id = db.lastInsertedRowID
        var outputIDs: [Int: Int64] = [:]
        for x in o.outputs {
            try exec(wholeOutputInsert, [id, x.number, x.title, x.type.rawValue, x.novelty.rawValue, x.value,
                                         x.acceptedOn?.description, x.evidence])
            outputIDs[x.number] = db.lastInsertedRowID
        }
        if let f = o.funding {
            try exec(fundingInsert, [id, f.stateBudget, f.enterpriseFunds, f.other, f.otherSource, f.fundedOn.description])
        }
        var resultIDs: [Int: Int64] = [:]
        for r in o.results {
            try exec(resultInsert, [id, r.number, r.channel.rawValue, r.revenue, r.note, r.commercializedOn.description])
            resultIDs[r.number] = db.lastInsertedRowID
        }

        // The records, as `RecordTable.select` reads them (column names and storage types).
        let code = order.code
        func encode(_ fields: [(String, DatabaseValue)]) -> String {
            var bytes: [UInt8] = []
            for (name, value) in fields { HistoryChain.encode(name, value, into: &bytes) }
            return String(decoding: bytes, as: UTF8.self)
        }
        func outputRecord(_ x: Output, accepted: Bool) -> String {
            encode([("order_code", code.databaseValue), ("number", Int64(x.number).databaseValue),
                    ("title", x.title.databaseValue), ("type", x.type.rawValue.databaseValue),
                    ("novelty", x.novelty.rawValue.databaseValue), ("value", x.value.databaseValue),
                    ("accepted_on", (accepted ? x.acceptedOn?.description : nil).databaseValue),
                    ("evidence", (accepted ? x.evidence : nil).databaseValue)])
        }
        var nextOutput = 0, nextResult = 0
        var accepted: Set<Int> = []
        for e in o.events {
            var record: (table: RecordTable, id: Int64)?
            var text: String?
            switch e.action {
            case .registered:
                record = (.orders, id)
                text = encode([("order_code", code.databaseValue), ("title", order.title.databaseValue),
                               ("field", order.field.rawValue.databaseValue),
                               ("province_code", order.province.code.databaseValue),
                               ("enterprise_tax_code", order.enterpriseTaxCode.value.databaseValue),
                               ("ordered_on", order.orderedOn.description.databaseValue)])
            case .outputAdded:
                guard nextOutput < o.outputs.count, let outputID = outputIDs[o.outputs[nextOutput].number] else {
                    throw refuse("more output_added events than outputs")
                }
                record = (.outputs, outputID)
                text = outputRecord(o.outputs[nextOutput], accepted: false)
                nextOutput += 1
            case .funded:
                guard let f = o.funding else { throw refuse("funded without a funding") }
                record = (.fundings, id)
                text = encode([("order_code", code.databaseValue), ("state_budget", f.stateBudget.databaseValue),
                               ("enterprise_funds", f.enterpriseFunds.databaseValue), ("other", f.other.databaseValue),
                               ("other_source", f.otherSource.databaseValue),
                               ("funded_on", f.fundedOn.description.databaseValue)])
            case .outputAccepted:
                guard let x = o.outputs.first(where: { $0.acceptedOn == e.occurredOn && !accepted.contains($0.number) }),
                      let outputID = outputIDs[x.number] else {
                    throw refuse("an output_accepted event on \(e.occurredOn) matches no output accepted that day")
                }
                accepted.insert(x.number)
                record = (.outputs, outputID)
                text = outputRecord(x, accepted: true)
            case .delivered, .cancelled:
                break
            case .commercialized, .resultRecorded:
                guard nextResult < o.results.count, let resultID = resultIDs[o.results[nextResult].number] else {
                    throw refuse("more result events than results")
                }
                let r = o.results[nextResult]
                nextResult += 1
                record = (.results, resultID)
                text = encode([("order_code", code.databaseValue), ("number", Int64(r.number).databaseValue),
                               ("channel", r.channel.rawValue.databaseValue), ("revenue", r.revenue.databaseValue),
                               ("note", r.note.databaseValue),
                               ("commercialized_on", r.commercializedOn.description.databaseValue)])
            case .paymentRecorded, .paymentReversed, .resultRetracted:
                throw refuse("an imported order's history has no \(e.action.rawValue) step")
            }
            head = try Store.writeEvent(db, orderID: id, code: code, occurredOn: e.occurredOn.description,
                                        recordedAt: e.recordedAt, action: e.action, details: e.details, actor: e.actor,
                                        record: record, recordText: text, head: head)
        }
        guard nextOutput == o.outputs.count, nextResult == o.results.count,
              accepted.count == o.outputs.filter({ $0.acceptedOn != nil }).count else {
            throw refuse("its history does not account for all its outputs and results")
        }
    }

    private func exec(_ statement: Statement, _ values: [(any DatabaseValueConvertible)?]) throws {
        statement.setUncheckedArguments(StatementArguments(values))
        try statement.execute()
    }
}

extension Store {
    /// Runs `body` in one write transaction that is committed only when `commit` is true (a dry
    /// run rolls everything back), with SQLite tuned for a bulk load.
    func bulkWrite<T>(commit: Bool, _ body: (Database) throws -> T) throws -> T {
        do {
            return try writer.writeWithoutTransaction { db in
                // Tuned outside the transaction, and reset even when the body throws: SQLite
                // refuses to change temp_store inside a transaction once the temporary database
                // is open (a second bulk write on the same connection after a refused one did).
                try BulkWriter.tune(db)
                defer { try? db.execute(sql: "PRAGMA cache_size = -2000; PRAGMA temp_store = DEFAULT") }
                var value: T?
                try db.inTransaction(.immediate) {
                    value = try body(db)
                    if commit { TestPause.reach("bulk") }
                    return commit ? .commit : .rollback
                }
                guard let value else { throw STOrdersError.constraintViolated("the bulk write returned nothing") }
                return value
            }
        } catch let error as DatabaseError {
            throw mapError(error)
        }
    }
}
