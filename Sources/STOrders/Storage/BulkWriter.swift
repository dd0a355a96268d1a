import Foundation
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
    private let documentInsert: Statement
    private let contentInsert: Statement
    private let amendmentInsert: Statement
    private let amendmentDecide: Statement
    /// The CSV import's rows, inserted in their final state (`writeWhole`).
    private let wholeOrderInsert: Statement
    private let wholeOutputInsert: Statement
    /// A restore's events, rows and seals, each with the id (and hash) its export gave.
    private let chainedEventInsert: Statement
    private let idEnterpriseInsert: Statement
    private let idTargetInsert: Statement
    private let idSealInsert: Statement
    /// The hash chain's head, read once and then carried along (the bulk writer holds the
    /// write transaction, so no one else appends meanwhile).
    private var head: String
    /// The seals' chain head and the moment the enterprises written here are sealed at (one per
    /// load), carried along the same way.
    private var sealHead: String
    private let sealedAt: String

    init(_ db: Database, actor: String) throws {
        self.db = db
        self.actor = actor
        head = try HistoryChain.head(db)
        sealHead = try SealTable.head(db)
        sealedAt = Store.timestamp()
        enterprise = try db.makeStatement(
            sql: """
                INSERT INTO enterprises (tax_code, name, province_code, innovative_startup, registered_on)
                VALUES (?, ?, ?, ?, ?)
                """)
        orderInsert = try db.makeStatement(
            sql: """
                INSERT INTO orders (id, code, title, field, province_code, enterprise_id, ordered_on) VALUES (?, ?, ?, ?, ?, ?, ?)
                """)
        orderFund = try db.makeStatement(sql: "UPDATE orders SET state = 'funded', funded_on = ? WHERE id = ?")
        orderDeliver = try db.makeStatement(sql: "UPDATE orders SET state = 'delivered', delivered_on = ? WHERE id = ?")
        orderCommercialize = try db.makeStatement(
            sql: """
                UPDATE orders SET state = 'commercialized',
                    commercialized_on = (SELECT min(commercialized_on) FROM results_live WHERE order_id = ?1)
                WHERE id = ?1
                """)
        orderAfterRetraction = try db.makeStatement(
            sql: """
                UPDATE orders SET
                    state = CASE WHEN EXISTS (SELECT 1 FROM results_live WHERE order_id = ?1) THEN 'commercialized' ELSE 'delivered' END,
                    commercialized_on = (SELECT min(commercialized_on) FROM results_live WHERE order_id = ?1)
                WHERE id = ?1
                """)
        orderCancel = try db.makeStatement(
            sql: """
                UPDATE orders SET state = 'cancelled', cancelled_on = ?, cancel_reason = ? WHERE id = ?
                """)
        outputInsert = try db.makeStatement(
            sql: """
                INSERT INTO outputs (id, order_id, number, title, type, novelty, value, due_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """)
        outputAccept = try db.makeStatement(sql: "UPDATE outputs SET accepted_on = ?, evidence = ? WHERE id = ?")
        fundingInsert = try db.makeStatement(
            sql: """
                INSERT INTO fundings (order_id, state_budget, enterprise_funds, other, other_source, funded_on, starts_on, ends_on)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """)
        amendmentInsert = try db.makeStatement(
            sql: """
                INSERT INTO amendments (id, order_id, number, output_id, previous_on, proposed_on, reason, requested_by,
                                        requested_on, state, decided_on)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        amendmentDecide = try db.makeStatement(
            sql:
                "UPDATE amendments SET state = ?, decided_on = ?, decision = ? WHERE order_id = ? AND number = ? RETURNING id"
        )
        paymentInsert = try db.makeStatement(
            sql: """
                INSERT INTO payments (id, order_id, number, output_id, amount, source, reference, paid_on, reverses, reason, settled)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        resultInsert = try db.makeStatement(
            sql: """
                INSERT INTO results (id, order_id, number, channel, revenue, note, commercialized_on) VALUES (?, ?, ?, ?, ?, ?, ?)
                """)
        retractionInsert = try db.makeStatement(
            sql: """
                INSERT INTO result_retractions (id, result_id, reason, retracted_on) VALUES (?, ?, ?, ?)
                """)
        documentInsert = try db.makeStatement(
            sql: """
                INSERT INTO documents
                    (id, order_id, number, output_id, kind, file_name, title, sha256, size, attached_on, request_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        contentInsert = try db.makeStatement(
            sql: "INSERT INTO blobs (sha256, size, content) VALUES (?, ?, ?) ON CONFLICT (sha256) DO NOTHING")
        wholeOrderInsert = try db.makeStatement(
            sql: """
                INSERT INTO orders (code, title, field, province_code, enterprise_id, ordered_on, state, funded_on, delivered_on,
                                    commercialized_on, cancelled_on, cancel_reason)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        wholeOutputInsert = try db.makeStatement(
            sql: """
                INSERT INTO outputs (order_id, number, title, type, novelty, value, accepted_on, evidence, due_on)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        chainedEventInsert = try db.makeStatement(
            sql: """
                INSERT INTO events (id, order_id, occurred_on, recorded_at, action, details, actor, record_table, record_id, record, hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        idEnterpriseInsert = try db.makeStatement(
            sql: """
                INSERT INTO enterprises (id, tax_code, name, province_code, innovative_startup, registered_on) VALUES (?, ?, ?, ?, ?, ?)
                """)
        idTargetInsert = try db.makeStatement(
            sql: """
                INSERT INTO targets (id, key, province_code, value, set_at, set_by) VALUES (?, ?, ?, ?, ?, ?)
                """)
        idSealInsert = try db.makeStatement(
            sql: """
                INSERT INTO seals (id, record_table, record_id, recorded_at, action, actor, record, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """)
    }

    /// Makes SQLite fit for a large load: a big page cache for the duration of the transaction.
    static func tune(_ db: Database) throws {
        try db.execute(sql: "PRAGMA cache_size = -393216")  // 384 MiB, in KiB
        // Statement journals (opened per statement once triggers can abort one) stay in memory.
        try db.execute(sql: "PRAGMA temp_store = MEMORY")
    }

    @discardableResult
    func insertEnterprise(
        taxCode: String, name: String, provinceCode: String, innovativeStartup: Bool,
        registeredOn: String, sealedAt: String? = nil
    ) throws -> Int64 {
        enterprise.setUncheckedArguments([taxCode, name, provinceCode, innovativeStartup ? 1 : 0, registeredOn])
        try enterprise.execute()
        let id = db.lastInsertedRowID
        // Sealed from the values just written (the encoding `SealTable.select` reads back).
        let record = SealTable.enterpriseRecord(
            taxCode: taxCode, name: name, provinceCode: provinceCode,
            innovativeStartup: innovativeStartup, registeredOn: registeredOn)
        let values = SealTable.enterprises.sealValues(
            id: id, action: .enterpriseAdded, actor: actor,
            recordedAt: sealedAt ?? self.sealedAt, record: record, head: sealHead)
        idSealInsert.setUncheckedArguments(StatementArguments([DatabaseValue.null] + values))
        try idSealInsert.execute()
        sealHead = String.fromDatabaseValue(values[6]) ?? ""
        return id
    }

    /// Writes one whole order by replaying its history: each event performs the step that
    /// wrote it (register, add an output, fund, accept, deliver, pay, reverse, commercialize,
    /// retract, cancel) as the commands do, so schema.sql's triggers check every step, and the
    /// event is appended right after its step through `Store.insertEvent`, hash chain and
    /// record included. Events keep their own dates, times, details and actors.
    ///
    /// With `chain` (a restore: each event's place in the chain as the export gave it), each row is
    /// written with the id its event names, each event with its own id and the hash the export
    /// gave (checked afterwards by `Store.checkRestoredChains`), and the order's columns no record
    /// covers (delivery date, cancellation date and reason) must agree with its events.
    /// Stores a document's content once, by its SHA-256 (the same bytes again store nothing
    /// more), before the order whose history attaches it.
    func insertContent(_ content: DocumentContent) throws {
        try contentInsert.execute(arguments: [content.sha256, content.size, Data(content.bytes)])
    }

    func replay(_ o: OrderDetail, enterpriseID: Int64, chain: [Store.ChainLink]? = nil) throws {
        let order = o.order
        func refuse(_ why: String) -> STOrdersError { .constraintViolated("order \(order.code): \(why)") }
        if let chain, chain.count != o.events.count {
            throw refuse("its events and their chain links differ in number")
        }
        var funded = false
        var id: Int64 = 0
        var outputIDs: [Int: Int64] = [:]
        var paymentIDs: [Int: Int64] = [:]
        var resultIDs: [Int: Int64] = [:]
        var nextOutput = 0
        var nextPayment = 0
        var nextResult = 0
        var nextDocument = 0
        var accepted: Set<Int> = []
        var retracted: Set<Int> = []
        var nextAmendment = 0
        var decided: Set<Int> = []
        var requests = PaymentRequestReplay()
        var nextAdvance = 0
        for (index, e) in o.events.enumerated() {
            // Checked before the step, which would otherwise run against no order.
            guard id != 0 || e.action == .registered else { throw refuse("its history does not start with registered") }
            var record: (table: RecordTable, id: Int64)?
            let link = chain?[index]
            switch e.action {
            case .registered:
                guard id == 0 else { throw refuse("registered twice") }
                try exec(
                    orderInsert,
                    [
                        link?.recordID, order.code, order.title, order.field.rawValue, order.province.code,
                        enterpriseID, order.orderedOn.description,
                    ])
                id = db.lastInsertedRowID
                record = (.orders, id)
            case .outputAdded:
                guard nextOutput < o.outputs.count else { throw refuse("more output_added events than outputs") }
                let x = o.outputs[nextOutput]
                nextOutput += 1
                try exec(
                    outputInsert,
                    [
                        link?.recordID, id, x.number, x.title, x.type.rawValue, x.novelty.rawValue, x.value,
                        x.dueOn?.description,
                    ])
                outputIDs[x.number] = db.lastInsertedRowID
                record = (.outputs, db.lastInsertedRowID)
            case .funded:
                guard let f = o.funding else { throw refuse("funded without a funding") }
                try exec(
                    fundingInsert,
                    [
                        id, f.stateBudget, f.enterpriseFunds, f.other, f.otherSource, f.fundedOn.description,
                        f.startsOn?.description, f.endsOn?.description,
                    ])
                try exec(orderFund, [f.fundedOn.description, id])
                record = (.fundings, id)
                funded = true
            case .outputAccepted:
                // The output the event names (a restore), else the one accepted that day (the lowest
                // number first when several were).
                let named = link?.recordID.flatMap { r in outputIDs.first { $0.value == r }?.key }
                guard
                    let x = o.outputs.first(where: {
                        $0.acceptedOn == e.occurredOn && !accepted.contains($0.number)
                            && (named == nil || $0.number == named)
                    }),
                    let outputID = outputIDs[x.number]
                else {
                    throw refuse("an output_accepted event on \(e.occurredOn) matches no output accepted that day")
                }
                accepted.insert(x.number)
                try exec(outputAccept, [x.acceptedOn?.description, x.evidence, outputID])
                record = (.outputs, outputID)
            case .delivered:
                if chain != nil && order.deliveredOn != e.occurredOn {
                    throw refuse(
                        "it is delivered on \(order.deliveredOn?.description ?? "no day") but its history says \(e.occurredOn)"
                    )
                }
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
                try exec(
                    paymentInsert,
                    [
                        link?.recordID, id, p.number, outputID, p.amount, p.source.rawValue, p.reference,
                        p.paidOn.description, reverses, p.reason, p.settled,
                    ])
                paymentIDs[p.number] = db.lastInsertedRowID
                record = (.payments, db.lastInsertedRowID)
            case .commercialized, .resultRecorded:
                guard nextResult < o.results.count else { throw refuse("more result events than results") }
                let r = o.results[nextResult]
                nextResult += 1
                try exec(
                    resultInsert,
                    [
                        link?.recordID, id, r.number, r.channel.rawValue, r.revenue, r.note,
                        r.commercializedOn.description,
                    ])
                resultIDs[r.number] = db.lastInsertedRowID
                record = (.results, db.lastInsertedRowID)
                try exec(orderCommercialize, [id])
            case .resultRetracted:
                guard
                    let r = o.results.first(where: { $0.retractedOn == e.occurredOn && !retracted.contains($0.number) }
                    ),
                    let resultID = resultIDs[r.number], let reason = r.retractReason
                else {
                    throw refuse("a result_retracted event on \(e.occurredOn) matches no retracted result")
                }
                retracted.insert(r.number)
                try exec(retractionInsert, [link?.recordID, resultID, reason, e.occurredOn.description])
                record = (.resultRetractions, db.lastInsertedRowID)
                try exec(orderAfterRetraction, [id])
            case .cancelled:
                if chain != nil {
                    if order.cancelledOn != e.occurredOn {
                        throw refuse(
                            "it is cancelled on \(order.cancelledOn?.description ?? "no day") but its history says \(e.occurredOn)"
                        )
                    }
                    let said = EventDetails.cancelled(
                        from: funded ? .funded : .ordered, reason: order.cancelReason ?? "")
                    if said != e.details {
                        throw refuse(
                            "its cancel reason '\(order.cancelReason ?? "")' is not the one its history records ('\(e.details)')"
                        )
                    }
                }
                try exec(orderCancel, [order.cancelledOn?.description, order.cancelReason, id])
            case .documentAttached:
                // Its content is already stored (a restore writes the contents before the orders).
                guard nextDocument < o.documents.count else { throw refuse("more document events than documents") }
                let d = o.documents[nextDocument]
                nextDocument += 1
                guard d.attachedOn == e.occurredOn else {
                    throw refuse("document \(d.number) is dated \(d.attachedOn) but its event \(e.occurredOn)")
                }
                let outputID = try d.output.map { n -> Int64 in
                    guard let x = outputIDs[n] else {
                        throw refuse("document \(d.number) names an unknown output \(n)")
                    }
                    return x
                }
                // A request's papers come after the request (the history is replayed in order).
                let requestID = try d.request.map { n -> Int64 in
                    guard let q = requests.rowID(of: n) else {
                        throw refuse("document \(d.number) names payment request \(n), not made before it")
                    }
                    return q
                }
                try exec(
                    documentInsert,
                    [
                        link?.recordID, id, d.number, outputID, d.kind.rawValue, d.fileName, d.title, d.sha256, d.size,
                        d.attachedOn.description, requestID,
                    ])
                record = (.documents, db.lastInsertedRowID)
            case .amended, .amendmentRequested:
                // The amendments in number order, each as it was made (a request still open).
                guard nextAmendment < o.amendments.count else { throw refuse("more amendment events than amendments") }
                let a = o.amendments[nextAmendment]
                nextAmendment += 1
                guard (e.action == .amended) == (a.requestedBy == .officer), a.requestedOn == e.occurredOn else {
                    throw refuse("amendment \(a.number) does not match its event")
                }
                let outputID: Int64?
                switch a.target {
                case .contractEnd: outputID = nil
                case .output(let n):
                    guard let x = outputIDs[n] else { throw refuse("amendment \(a.number) names an unknown output") }
                    outputID = x
                }
                try exec(
                    amendmentInsert,
                    [
                        link?.recordID, id, a.number, outputID, a.previousOn.description, a.proposedOn.description,
                        a.reason, a.requestedBy.rawValue, a.requestedOn.description,
                        a.requestedBy == .officer
                            ? AmendmentState.approved.rawValue : AmendmentState.requested.rawValue,
                        a.requestedBy == .officer ? a.requestedOn.description : nil,
                    ])
                record = (.amendments, db.lastInsertedRowID)
            case .amendmentApproved, .amendmentRefused:
                // The request the event names (a restore), else the lowest-numbered one decided that day.
                let state: AmendmentState = e.action == .amendmentApproved ? .approved : .refused
                guard
                    let a = o.amendments.first(where: {
                        $0.requestedBy == .enterprise && $0.state == state && $0.decidedOn == e.occurredOn
                            && !decided.contains($0.number) && $0.number <= nextAmendment
                    })
                else {
                    throw refuse("an \(e.action.rawValue) event on \(e.occurredOn) matches no request decided that day")
                }
                decided.insert(a.number)
                let values: [(any DatabaseValueConvertible)?] = [
                    state.rawValue, e.occurredOn.description, a.decision, id, a.number,
                ]
                guard let rowID = try Int64.fetchOne(amendmentDecide, arguments: StatementArguments(values)) else {
                    throw refuse("amendment \(a.number) is not there to decide")
                }
                record = (.amendments, rowID)
            case .paymentRequested, .paymentRequestApproved, .paymentRequestReturned, .paymentRequestPaid:
                record = try requests.step(
                    e, in: o, orderID: id, rowID: link?.recordID, outputIDs: outputIDs, paymentIDs: paymentIDs, db: db)
            case .advanced, .advanceRecovered:
                // The advances in number order, each at its own event (the triggers check the rules).
                guard nextAdvance < o.advances.count else { throw refuse("more advance events than advances") }
                let a = o.advances[nextAdvance]
                nextAdvance += 1
                guard (e.action == .advanced) == (a.kind == .advance), a.madeOn == e.occurredOn else {
                    throw refuse("\(a.kind) \(a.number) does not match its event")
                }
                try Store.insertAdvance(db, a, orderID: id, rowID: link?.recordID)
                record = (.advances, db.lastInsertedRowID)
            }
            if let link {
                // The event as the export gave it: its id and hash (the chain is checked once all is written).
                let text = try record.flatMap { try $0.table.record(db, id: $0.id) }
                try exec(
                    chainedEventInsert,
                    [
                        link.id, id, e.occurredOn.description, e.recordedAt, e.action.rawValue,
                        e.details, e.actor, text == nil ? nil : record?.table.rawValue,
                        text == nil ? nil : record?.id, text, link.hash,
                    ])
                continue
            }
            head = try Store.insertEvent(
                db, orderID: id, occurredOn: e.occurredOn.description, recordedAt: e.recordedAt,
                action: e.action, details: e.details, actor: e.actor, record: record,
                code: order.code, head: head)
        }
        guard nextOutput == o.outputs.count, nextPayment == o.payments.count, nextResult == o.results.count,
            nextDocument == o.documents.count,
            accepted.count == o.outputs.filter({ $0.acceptedOn != nil }).count,
            retracted.count == o.results.filter({ $0.retractedOn != nil }).count,
            nextAmendment == o.amendments.count, nextAdvance == o.advances.count,
            decided.count == o.amendments.filter({ $0.requestedBy == .enterprise && $0.state != .requested }).count,
            requests.accountsFor(o.paymentRequests)
        else {
            throw refuse(
                "its history does not account for all its outputs, payments, results, documents, amendments, payment requests and advances"
            )
        }
    }

    // MARK: Whole orders, written in their final state (the CSV import)

    /// The INSERT triggers that admit a row only at the lifecycle step where the commands write it
    /// (an order only as `ordered`, outputs only while ordered and unaccepted, a funding only
    /// while ordered, a result only once delivered). `writeWhole` inserts each row directly in
    /// its final state, so these are set aside for the load by `withoutStepTriggers`.
    static let stepTriggers = [
        "orders_start_ordered", "outputs_added_while_ordered", "fundings_while_ordered",
        "results_need_delivery",
    ]

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
        try withoutTriggers(db, stepTriggers + more, body)
    }

    /// Runs `body` with the named triggers of schema.sql dropped, then creates them again with
    /// schema.sql's own text (see `withoutStepTriggers` for why this is sound).
    static func withoutTriggers<T>(_ db: Database, _ names: [String], _ body: () throws -> T) throws -> T {
        let expected = try Store.expectedSchema()
        var texts: [String] = []
        for stepTrigger in names {
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
        try exec(
            wholeOrderInsert,
            [
                order.code, order.title, order.field.rawValue, order.province.code, enterpriseID,
                order.orderedOn.description, order.state.rawValue, order.fundedOn?.description,
                order.deliveredOn?.description, order.commercializedOn?.description,
                order.cancelledOn?.description, order.cancelReason,
            ])
        let id = db.lastInsertedRowID
        var outputIDs: [Int: Int64] = [:]
        for x in o.outputs {
            try exec(
                wholeOutputInsert,
                [
                    id, x.number, x.title, x.type.rawValue, x.novelty.rawValue, x.value,
                    x.acceptedOn?.description, x.evidence, x.dueOn?.description,
                ])
            outputIDs[x.number] = db.lastInsertedRowID
        }
        if let f = o.funding {
            try exec(
                fundingInsert,
                [
                    id, f.stateBudget, f.enterpriseFunds, f.other, f.otherSource, f.fundedOn.description,
                    f.startsOn?.description, f.endsOn?.description,
                ])
        }
        var resultIDs: [Int: Int64] = [:]
        for r in o.results {
            try exec(
                resultInsert,
                [nil, id, r.number, r.channel.rawValue, r.revenue, r.note, r.commercializedOn.description])
            resultIDs[r.number] = db.lastInsertedRowID
        }

        // The records, as `RecordTable.select` reads them (column names and storage types).
        let code = order.code
        func encode(_ fields: [(String, DatabaseValue)]) -> String { HistoryChain.encode(fields) }
        func outputRecord(_ x: Output, accepted: Bool) -> String {
            encode([
                ("order_code", code.databaseValue), ("number", Int64(x.number).databaseValue),
                ("title", x.title.databaseValue), ("type", x.type.rawValue.databaseValue),
                ("novelty", x.novelty.rawValue.databaseValue), ("value", x.value.databaseValue),
                ("accepted_on", (accepted ? x.acceptedOn?.description : nil).databaseValue),
                ("evidence", (accepted ? x.evidence : nil).databaseValue),
                ("due_on", x.dueOn?.description.databaseValue ?? .null),
            ])
        }
        var nextOutput = 0
        var nextResult = 0
        var accepted: Set<Int> = []
        for e in o.events {
            var record: (table: RecordTable, id: Int64)?
            var text: String?
            switch e.action {
            case .registered:
                record = (.orders, id)
                text = encode([
                    ("order_code", code.databaseValue), ("title", order.title.databaseValue),
                    ("field", order.field.rawValue.databaseValue),
                    ("province_code", order.province.code.databaseValue),
                    ("enterprise_tax_code", order.enterpriseTaxCode.value.databaseValue),
                    ("ordered_on", order.orderedOn.description.databaseValue),
                ])
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
                text = encode([
                    ("order_code", code.databaseValue), ("state_budget", f.stateBudget.databaseValue),
                    ("enterprise_funds", f.enterpriseFunds.databaseValue), ("other", f.other.databaseValue),
                    ("other_source", f.otherSource.databaseValue),
                    ("funded_on", f.fundedOn.description.databaseValue),
                    ("starts_on", f.startsOn?.description.databaseValue ?? .null),
                    ("ends_on", f.endsOn?.description.databaseValue ?? .null),
                ])
            case .outputAccepted:
                guard
                    let x = o.outputs.first(where: { $0.acceptedOn == e.occurredOn && !accepted.contains($0.number) }),
                    let outputID = outputIDs[x.number]
                else {
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
                text = encode([
                    ("order_code", code.databaseValue), ("number", Int64(r.number).databaseValue),
                    ("channel", r.channel.rawValue.databaseValue), ("revenue", r.revenue.databaseValue),
                    ("note", r.note.databaseValue),
                    ("commercialized_on", r.commercializedOn.description.databaseValue),
                ])
            case .paymentRecorded, .paymentReversed, .resultRetracted, .documentAttached, .amended,
                .amendmentRequested, .amendmentApproved, .amendmentRefused, .paymentRequested,
                .paymentRequestApproved, .paymentRequestReturned, .paymentRequestPaid, .advanced, .advanceRecovered:
                throw refuse("an imported order's history has no \(e.action.rawValue) step")
            }
            head = try Store.writeEvent(
                db, orderID: id, code: code, occurredOn: e.occurredOn.description,
                recordedAt: e.recordedAt, action: e.action, details: e.details, actor: e.actor,
                record: record, recordText: text, head: head)
        }
        guard nextOutput == o.outputs.count, nextResult == o.results.count,
            accepted.count == o.outputs.filter({ $0.acceptedOn != nil }).count
        else {
            throw refuse("its history does not account for all its outputs and results")
        }
    }

    // MARK: A restore's enterprises, targets and seals, with their own ids

    /// An enterprise as the export gave it, with its id and unsealed (its seals follow, `restoreSeal`).
    func restoreEnterprise(
        id: Int64, taxCode: String, name: String, provinceCode: String, innovativeStartup: Bool,
        registeredOn: String
    ) throws {
        try exec(idEnterpriseInsert, [id, taxCode, name, provinceCode, innovativeStartup ? 1 : 0, registeredOn])
    }

    /// A target row as the export gave it, with its id.
    func restoreTarget(id: Int64, key: String, provinceCode: String?, value: Int64, setAt: String, setBy: String) throws
    {
        try exec(idTargetInsert, [id, key, provinceCode, value, setAt, setBy])
    }

    /// A seal as the export gave it (id, hash), its record read back from the row just restored.
    func restoreSeal(
        id: Int64, table: SealTable, rowID: Int64, recordedAt: String, action: String, actor: String,
        hash: String
    ) throws {
        let record = try table.record(db, id: rowID)
        try exec(idSealInsert, [id, table.rawValue, rowID, recordedAt, action, actor, record, hash])
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

/// A replay's payment requests (docs/requests.md): each `payment_requested` event inserts the
/// next request in number order as it was made; each later step finds the request it moved (the
/// row its event names in a restore, else the lowest-numbered one that took that step that day)
/// and takes it, so schema.sql's triggers check every step as the commands made it.
struct PaymentRequestReplay {
    private var made = 0
    private var approved: Set<Int> = []
    private var returned: Set<Int> = []
    private var paid: Set<Int> = []
    private var rowIDs: [Int: Int64] = [:]

    /// The row of a request already replayed, by its number.
    func rowID(of number: Int) -> Int64? { rowIDs[number] }

    mutating func step(
        _ e: Event, in o: OrderDetail, orderID id: Int64, rowID: Int64?, outputIDs: [Int: Int64],
        paymentIDs: [Int: Int64], db: Database
    ) throws -> (table: RecordTable, id: Int64) {
        func refuse(_ why: String) -> STOrdersError { .constraintViolated("order \(o.order.code): \(why)") }
        let named = rowID.flatMap { r in rowIDs.first { $0.value == r }?.key }
        func find(_ done: Set<Int>, _ matches: (PaymentRequest) -> Bool) throws -> (PaymentRequest, Int64) {
            guard
                let r = o.paymentRequests.first(where: {
                    $0.number <= made && !done.contains($0.number) && matches($0)
                        && (named == nil || $0.number == named)
                }), let rowID = rowIDs[r.number]
            else {
                throw refuse("a \(e.action.rawValue) event on \(e.occurredOn) matches no payment request")
            }
            return (r, rowID)
        }
        switch e.action {
        case .paymentRequested:
            guard made < o.paymentRequests.count else { throw refuse("more payment_requested events than requests") }
            let r = o.paymentRequests[made]
            made += 1
            guard r.requestedOn == e.occurredOn, let outputID = outputIDs[r.outputNumber] else {
                throw refuse("payment request \(r.number) does not match its event")
            }
            try db.execute(
                sql: """
                    INSERT INTO payment_requests (id, order_id, number, output_id, amount, source, requested_on, state)
                    VALUES (?, ?, ?, ?, ?, ?, ?, 'requested')
                    """,
                arguments: [rowID, id, r.number, outputID, r.amount, r.source.rawValue, r.requestedOn.description])
            rowIDs[r.number] = db.lastInsertedRowID
            return (.paymentRequests, db.lastInsertedRowID)
        case .paymentRequestApproved:
            let (r, rowID) = try find(approved) { $0.approvedOn == e.occurredOn }
            approved.insert(r.number)
            try db.execute(
                sql: "UPDATE payment_requests SET state = 'approved', approved_on = ? WHERE id = ?",
                arguments: [e.occurredOn.description, rowID])
            return (.paymentRequests, rowID)
        case .paymentRequestReturned:
            let (r, rowID) = try find(returned) { $0.state == .returned && $0.returnedOn == e.occurredOn }
            returned.insert(r.number)
            try db.execute(
                sql: "UPDATE payment_requests SET state = 'returned', returned_on = ?, return_reason = ? WHERE id = ?",
                arguments: [e.occurredOn.description, r.returnReason, rowID])
            return (.paymentRequests, rowID)
        default:
            let (r, rowID) = try find(paid) { $0.state == .paid && $0.paidOn == e.occurredOn }
            paid.insert(r.number)
            guard let number = r.paymentNumber, let paymentID = paymentIDs[number] else {
                throw refuse("payment request \(r.number) names a payment its history has not recorded before it")
            }
            try db.execute(
                sql: "UPDATE payment_requests SET state = 'paid', payment_id = ? WHERE id = ?",
                arguments: [paymentID, rowID])
            return (.paymentRequests, rowID)
        }
    }

    /// Whether every request and each of its steps had its event.
    func accountsFor(_ requests: [PaymentRequest]) -> Bool {
        made == requests.count && approved.count == requests.filter({ $0.approvedOn != nil }).count
            && returned.count == requests.filter({ $0.state == .returned }).count
            && paid.count == requests.filter({ $0.state == .paid }).count
    }
}
