import GRDB

/// Writes many rows inside one transaction with prepared statements: the storage path of CSV
/// imports, dump restores and the generator. It inserts exactly what it is given; the callers
/// check every invariant first (the same rules the commands keep), and schema.sql's CHECKs and
/// foreign keys check each row again.
final class BulkWriter {
    let db: Database
    let actor: String
    private let enterprise: Statement
    private let order: Statement
    private let output: Statement
    private let funding: Statement
    private let payment: Statement
    private let result: Statement

    init(_ db: Database, actor: String) throws {
        self.db = db
        self.actor = actor
        enterprise = try db.makeStatement(sql: """
            INSERT INTO enterprises (tax_code, name, province_code, innovative_startup, registered_on)
            VALUES (?, ?, ?, ?, ?)
            """)
        order = try db.makeStatement(sql: """
            INSERT INTO orders (code, title, field, province_code, enterprise_id, state, ordered_on, funded_on,
                                delivered_on, commercialized_on, cancelled_on, cancel_reason)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        output = try db.makeStatement(sql: """
            INSERT INTO outputs (order_id, number, title, type, novelty, value, accepted_on, evidence)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        funding = try db.makeStatement(sql: """
            INSERT INTO fundings (order_id, state_budget, enterprise_funds, other, other_source, funded_on)
            VALUES (?, ?, ?, ?, ?, ?)
            """)
        payment = try db.makeStatement(sql: """
            INSERT INTO payments (order_id, number, output_id, amount, source, reference, paid_on)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
        result = try db.makeStatement(sql: """
            INSERT INTO results (order_id, number, channel, revenue, note, commercialized_on) VALUES (?, ?, ?, ?, ?, ?)
            """)
    }

    /// Makes SQLite fit for a large load: a big page cache for the duration of the transaction.
    static func tune(_ db: Database) throws {
        try db.execute(sql: "PRAGMA cache_size = -393216")  // 384 MiB, in KiB
    }

    @discardableResult
    func insertEnterprise(taxCode: String, name: String, provinceCode: String, innovativeStartup: Bool,
                          registeredOn: String) throws -> Int64 {
        enterprise.setUncheckedArguments([taxCode, name, provinceCode, innovativeStartup ? 1 : 0, registeredOn])
        try enterprise.execute()
        return db.lastInsertedRowID
    }

    @discardableResult
    func insertOrder(code: String, title: String, field: Field, provinceCode: String, enterpriseID: Int64,
                     state: OrderState, orderedOn: Day, fundedOn: Day?, deliveredOn: Day?, commercializedOn: Day?,
                     cancelledOn: Day?, cancelReason: String?) throws -> Int64 {
        order.setUncheckedArguments([code, title, field.rawValue, provinceCode, enterpriseID, state.rawValue,
                                     orderedOn.description, fundedOn?.description, deliveredOn?.description,
                                     commercializedOn?.description, cancelledOn?.description, cancelReason])
        try order.execute()
        return db.lastInsertedRowID
    }

    @discardableResult
    func insertOutput(orderID: Int64, number: Int, title: String, type: OutputType, novelty: Novelty, value: Int64,
                      acceptedOn: Day?, evidence: String?) throws -> Int64 {
        output.setUncheckedArguments([orderID, number, title, type.rawValue, novelty.rawValue, value,
                                      acceptedOn?.description, evidence])
        try output.execute()
        return db.lastInsertedRowID
    }

    func insertFunding(orderID: Int64, _ f: Funding) throws {
        funding.setUncheckedArguments([orderID, f.stateBudget, f.enterpriseFunds, f.other, f.otherSource,
                                       f.fundedOn.description])
        try funding.execute()
    }

    func insertPayment(orderID: Int64, number: Int, outputID: Int64, amount: Int64, source: FundingSource,
                       reference: String?, paidOn: Day) throws {
        payment.setUncheckedArguments([orderID, number, outputID, amount, source.rawValue, reference, paidOn.description])
        try payment.execute()
    }

    func insertResult(orderID: Int64, number: Int, channel: Channel, revenue: Int64, note: String?,
                      commercializedOn: Day) throws {
        result.setUncheckedArguments([orderID, number, channel.rawValue, revenue, note, commercializedOn.description])
        try result.execute()
    }

    /// Writes one whole order record: the order, its outputs, funding, payments, results and
    /// events exactly as given (events keep their recorded_at and actor). The caller has checked
    /// `invariantViolations()`.
    func insert(_ o: OrderDetail, enterpriseID: Int64) throws {
        let order = o.order
        let id = try insertOrder(code: order.code, title: order.title, field: order.field, provinceCode: order.province.code,
                                 enterpriseID: enterpriseID, state: order.state, orderedOn: order.orderedOn,
                                 fundedOn: order.fundedOn, deliveredOn: order.deliveredOn,
                                 commercializedOn: order.commercializedOn, cancelledOn: order.cancelledOn,
                                 cancelReason: order.cancelReason)
        var outputIDs: [Int: Int64] = [:]
        for x in o.outputs {
            outputIDs[x.number] = try insertOutput(orderID: id, number: x.number, title: x.title, type: x.type,
                                                   novelty: x.novelty, value: x.value, acceptedOn: x.acceptedOn,
                                                   evidence: x.evidence)
        }
        if let f = o.funding { try insertFunding(orderID: id, f) }
        for p in o.payments {
            guard let outputID = outputIDs[p.outputNumber] else {
                throw STOrdersError.constraintViolated("payment \(p.number) of order \(order.code) is against a missing output")
            }
            try insertPayment(orderID: id, number: p.number, outputID: outputID, amount: p.amount, source: p.source,
                              reference: p.reference, paidOn: p.paidOn)
        }
        for r in o.results {
            try insertResult(orderID: id, number: r.number, channel: r.channel, revenue: r.revenue, note: r.note,
                             commercializedOn: r.commercializedOn)
        }
        for e in o.events {
            try appendEvent(orderID: id, occurredOn: e.occurredOn.description, recordedAt: e.recordedAt, action: e.action,
                            details: e.details, actor: e.actor)
        }
    }

    /// Appends an event through the same function the commands use.
    func appendEvent(orderID: Int64, occurredOn: String, recordedAt: String, action: Event.Action, details: String,
                     actor: String? = nil) throws {
        try Store.insertEvent(db, orderID: orderID, occurredOn: occurredOn, recordedAt: recordedAt, action: action,
                              details: details, actor: actor ?? self.actor)
    }
}

extension Store {
    /// Runs `body` in one write transaction that is committed only when `commit` is true (a dry
    /// run rolls everything back), with SQLite tuned for a bulk load.
    func bulkWrite<T>(commit: Bool, _ body: (Database) throws -> T) throws -> T {
        do {
            return try writer.writeWithoutTransaction { db in
                var value: T?
                try db.inTransaction(.immediate) {
                    try BulkWriter.tune(db)
                    value = try body(db)
                    return commit ? .commit : .rollback
                }
                try db.execute(sql: "PRAGMA cache_size = -2000")
                guard let value else { throw STOrdersError.constraintViolated("the bulk write returned nothing") }
                return value
            }
        } catch let error as DatabaseError {
            throw mapError(error)
        }
    }
}
