import GRDB

extension Store {
    /// An officer advances `amount` đồng of a funded order's state budget (tạm ứng,
    /// docs/advances.md), with the State Treasury's reference, dated on or after the funding. The
    /// database's advance limit must be set, and the advance stays within it (what was advanced and
    /// not recovered, plus this one, at most that share of the state budget) and within what
    /// remains of the state budget after the state payments and the outstanding advances
    /// (`AdvanceRule.room`). Later state payments settle it first (`pay`).
    @discardableResult
    public func makeAdvance(order code: String, amount: Int64, reference: String, on day: Day) throws -> Advance {
        let reference = try Text.validate(reference, what: "reference")
        guard amount > 0 else { throw STOrdersError.invalidAmount(String(amount), reason: "must be greater than zero") }
        return try write { db in
            let (id, order) = try findOrder(db, code: code)
            _ = try order.next(after: .advance)
            try Chronology.check(.advanced, on: day, after: Chronology.Dates(order, latest: nil))
            let limit = try Store.advanceLimit(db)
            guard let share = limit?.basisPoints else { throw STOrdersError.advanceLimitUnset(order: order.code) }
            let stateBudget =
                try Int64.fetchOne(
                    db.cachedStatement(sql: "SELECT state_budget FROM fundings WHERE order_id = ?"), arguments: [id])
                ?? 0
            let balance = try Store.advanceBalance(db, orderID: id)
            let room = AdvanceRule.room(
                stateBudget: stateBudget, paidFromState: try Store.paidFromState(db, orderID: id), balance: balance,
                limit: share)
            if let byLimit = room.limit, amount > byLimit {
                throw STOrdersError.advanceExceedsLimit(
                    order: order.code, amount: amount, room: byLimit, limit: Ratio.percentText(basisPoints: share),
                    cap: AdvanceRule.cap(stateBudget: stateBudget, basisPoints: share))
            }
            guard amount <= room.budget else {
                throw STOrdersError.advanceExceedsBudget(order: order.code, amount: amount, remaining: room.budget)
            }
            let advance = Advance(
                orderCode: order.code, number: try Store.nextAdvanceNumber(db, orderID: id), kind: .advance,
                amount: amount, madeOn: day, reference: reference, limitShare: share)
            try Store.insertAdvance(db, advance, orderID: id, rowID: nil)
            try appendEvent(
                db, orderID: id, on: day, action: .advanced, details: EventDetails.advance(advance),
                record: (.advances, db.lastInsertedRowID))
            return advance
        }
    }

    /// The enterprise returns what is outstanding of an order's advances, or `amount` of it
    /// (by default all): a recovery, with a reason and an optional reference, dated on or after
    /// the order's latest advance or recovery (and its cancellation, when a reversal left an
    /// advance outstanding on a cancelled order).
    @discardableResult
    public func recoverAdvance(
        order code: String, amount: Int64? = nil, reason: String, reference: String? = nil, on day: Day
    ) throws -> Advance {
        let reason = try Text.validate(reason, what: "reason")
        let reference = try Text.validateOptional(reference, what: "reference")
        if let amount, amount <= 0 {
            throw STOrdersError.invalidAmount(String(amount), reason: "must be greater than zero")
        }
        return try write { db in
            let (id, order) = try findOrder(db, code: code)
            let outstanding = try Store.advanceBalance(db, orderID: id).outstanding
            let amount = amount ?? outstanding
            guard amount > 0, amount <= outstanding else {
                throw STOrdersError.recoveryExceedsOutstanding(
                    order: order.code, amount: amount, outstanding: outstanding)
            }
            let last = try Row.fetchOne(
                db.cachedStatement(
                    sql: "SELECT kind, number, made_on FROM advances WHERE order_id = ? ORDER BY made_on DESC, id DESC"),
                arguments: [id])
            let lastStep = try last.map { row -> Chronology.Step in
                let kind = try Store.vocabulary(AdvanceKind.self, row[0])
                return Chronology.Step(
                    Chronology.name(of: kind == .advance ? .advanced : .advanceRecovered, number: row[1]),
                    on: try Day(parsing: row[2]))
            }
            try Chronology.check(
                .advanceRecovered, on: day, after: Chronology.Dates(order, latest: nil), record: lastStep)
            let recovery = Advance(
                orderCode: order.code, number: try Store.nextAdvanceNumber(db, orderID: id), kind: .recovery,
                amount: amount, madeOn: day, reference: reference, reason: reason)
            try Store.insertAdvance(db, recovery, orderID: id, rowID: nil)
            try appendEvent(
                db, orderID: id, on: day, action: .advanceRecovered, details: EventDetails.advance(recovery),
                record: (.advances, db.lastInsertedRowID))
            return recovery
        }
    }

    /// Sets the advance limit (basis points of an order's state budget; nil: none, so no advance
    /// may be made). A new row: the earlier settings stay on record, the latest is in force.
    @discardableResult
    public func setAdvanceLimit(basisPoints: Int64?) throws -> AdvanceLimitSetting {
        if let bp = basisPoints, !(0...10_000).contains(bp) {
            throw STOrdersError.invalidValue("advance limit", String(bp), accepted: ["0 to 10000 basis points"])
        }
        let setting = AdvanceLimitSetting(basisPoints: basisPoints, setAt: Store.timestamp(), setBy: actor)
        try write { db in try Store.insertAdvanceLimit(db, setting, id: nil, hash: nil) }
        return setting
    }

    /// The advance limit in force, or nil when none was ever set.
    public func advanceLimit() throws -> AdvanceLimitSetting? {
        try read { db in try Store.advanceLimit(db) }
    }

    /// Every setting of the advance limit, oldest first.
    public func advanceLimitHistory() throws -> [AdvanceLimitSetting] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT share, set_at, set_by FROM advance_limits ORDER BY id").map {
                AdvanceLimitSetting(basisPoints: $0[0], setAt: $0[1], setBy: $0[2])
            }
        }
    }

    /// An order's advances and recoveries, by number, with its balance.
    public func advances(order code: String) throws -> (advances: [Advance], balance: AdvanceBalance) {
        try read { db in
            let (id, order) = try findOrder(db, code: code)
            return (
                try Store.advances(db, orderID: id, orderCode: order.code), try Store.advanceBalance(db, orderID: id)
            )
        }
    }

    // MARK: Inside a transaction

    static func advanceLimit(_ db: Database) throws -> AdvanceLimitSetting? {
        try Row.fetchOne(
            db.cachedStatement(sql: "SELECT share, set_at, set_by FROM advance_limits ORDER BY id DESC LIMIT 1")
        ).map { AdvanceLimitSetting(basisPoints: $0[0], setAt: $0[1], setBy: $0[2]) }
    }

    /// Appends one row of the advance limit linked after the chain's head. A restore passes the id
    /// and hash its export gave (the chain is then checked as `verify` does); otherwise both are
    /// made here.
    static func insertAdvanceLimit(_ db: Database, _ setting: AdvanceLimitSetting, id: Int64?, hash: String?) throws {
        let fields: [DatabaseValue] = [
            setting.basisPoints.databaseValue, setting.setAt.databaseValue, setting.setBy.databaseValue,
        ]
        let head = try advanceLimitChainEnd(db).head
        try db.cachedStatement(
            sql: "INSERT INTO advance_limits (id, share, set_at, set_by, hash) VALUES (?, ?, ?, ?, ?)"
        )
        .execute(
            arguments: StatementArguments(
                [id.databaseValue] + fields
                    + [(hash ?? HistoryChain.advanceLimitHash(prev: head, fields: fields)).databaseValue]))
    }

    /// verify: every row of the advance limit's hash follows from the previous one and its content.
    static func checkAdvanceLimitChain(_ db: Database, into v: inout Verification) throws {
        try checkChain(
            db, sql: "SELECT id, share, set_at, set_by, hash FROM advance_limits ORDER BY id", fields: 3,
            hash: HistoryChain.advanceLimitHash, entry: "row", into: &v
        ) { row in
            "advance limit row #\(shown(row[0] as DatabaseValue)) (set at \(shown(row[2] as DatabaseValue)))"
        }
    }

    /// The number of the advance limit's rows and its chain's last hash (the genesis when none),
    /// as an export's end record gives them.
    static func advanceLimitChainEnd(_ db: Database) throws -> (rows: Int64, head: String) {
        (
            try Int64.fetchOne(db.cachedStatement(sql: "SELECT count(*) FROM advance_limits")) ?? 0,
            try String.fetchOne(db.cachedStatement(sql: "SELECT hash FROM advance_limits ORDER BY id DESC LIMIT 1"))
                ?? HistoryChain.genesis
        )
    }

    /// What was advanced, settled and recovered of an order (its outstanding is the difference):
    /// its row of `advance_balances`, which schema.sql's triggers keep as its advances, recoveries
    /// and settling payments are written (none before its first advance).
    static func advanceBalance(_ db: Database, orderID: Int64) throws -> AdvanceBalance {
        let row = try Row.fetchOne(
            db.cachedStatement(
                sql: "SELECT advanced, settled, recovered FROM advance_balances WHERE order_id = ?"),
            arguments: [orderID])
        return AdvanceBalance(advanced: row?[0] ?? 0, settled: row?[1] ?? 0, recovered: row?[2] ?? 0)
    }

    /// What is outstanding of the advances of the order whose `advance_balances` row is `b`, as SQL.
    static let outstandingSQL = "(b.advanced - b.recovered - b.settled)"
    /// The condition that the order whose balance is `b` has advances outstanding: the text of the
    /// partial index `advance_balances_open`, so a query with it reads the open balances only.
    static let openBalanceSQL = "b.advanced > b.recovered + b.settled"

    /// Every order's advance balance computed from the records alone, in `advance_balances`'
    /// columns: what `verify` compares the kept table with, and what an upgrade to version 10
    /// fills it with. An order's earliest advance is the first by date, then number.
    static let advanceBalancesFromRecords = """
        SELECT a.order_id, sum(iif(a.kind = 'advance', a.amount, 0)), sum(iif(a.kind = 'recovery', a.amount, 0)),
               (SELECT coalesce(sum(p.settled), 0) FROM payments p WHERE p.order_id = a.order_id),
               (SELECT g.made_on FROM advances g WHERE g.order_id = a.order_id AND g.kind = 'advance'
                ORDER BY g.made_on, g.number LIMIT 1),
               (SELECT g.number FROM advances g WHERE g.order_id = a.order_id AND g.kind = 'advance'
                ORDER BY g.made_on, g.number LIMIT 1)
        FROM advances a GROUP BY a.order_id
        """

    /// The orders whose kept balance is missing, extra or differs from `advanceBalancesFromRecords`,
    /// by code: the first `limit` of them and how many in all.
    static func advanceBalanceDifferences(_ db: Database, limit: Int = 10) throws -> (shown: [String], count: Int) {
        let rows = try String.fetchCursor(
            db,
            sql: """
                WITH r AS MATERIALIZED (\(advanceBalancesFromRecords)),
                     k AS MATERIALIZED (SELECT order_id, advanced, recovered, settled, first_on, first_number
                                        FROM advance_balances)
                SELECT coalesce(o.code, 'order id ' || d.order_id) FROM (
                    SELECT DISTINCT order_id FROM (
                        SELECT * FROM (SELECT * FROM r EXCEPT SELECT * FROM k)
                        UNION ALL SELECT * FROM (SELECT * FROM k EXCEPT SELECT * FROM r))) d
                LEFT JOIN orders o ON o.id = d.order_id
                ORDER BY o.code
                """)
        var shown: [String] = []
        var count = 0
        while let code = try rows.next() {
            count += 1
            if shown.count < limit { shown.append(code) }
        }
        return (shown, count)
    }

    /// The net state payments of an order.
    static func paidFromState(_ db: Database, orderID: Int64) throws -> Int64 {
        try Int64.fetchOne(
            db.cachedStatement(
                sql: "SELECT coalesce(sum(amount), 0) FROM payments WHERE order_id = ? AND source = 'state'"),
            arguments: [orderID]) ?? 0
    }

    /// Refuses `step` (cancel, commercialize) of an order while its advances are outstanding.
    static func requireNoOutstandingAdvance(_ db: Database, orderID: Int64, order code: String, step: String) throws {
        let outstanding = try advanceBalance(db, orderID: orderID).outstanding
        guard outstanding <= 0 else {
            throw STOrdersError.advanceOutstanding(order: code, step: step, outstanding: outstanding)
        }
    }

    static func nextAdvanceNumber(_ db: Database, orderID: Int64) throws -> Int {
        (try Int.fetchOne(
            db.cachedStatement(sql: "SELECT max(number) FROM advances WHERE order_id = ?"), arguments: [orderID]) ?? 0)
            + 1
    }

    /// Writes one row of `advances` (a restore passes the row id its export recorded).
    static func insertAdvance(_ db: Database, _ a: Advance, orderID: Int64, rowID: Int64?) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO advances (id, order_id, number, kind, amount, made_on, reference, reason, limit_share)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(
            arguments: [
                rowID, orderID, a.number, a.kind.rawValue, a.amount, a.madeOn.description, a.reference, a.reason,
                a.limitShare,
            ])
    }

    static let advanceColumns = "v.number, v.kind, v.amount, v.made_on, v.reference, v.reason, v.limit_share"

    static func advanceRow(_ row: Row, orderCode: String, from i: Int = 0) throws -> Advance {
        Advance(
            orderCode: orderCode, number: row[i], kind: try vocabulary(AdvanceKind.self, row[i + 1]),
            amount: row[i + 2], madeOn: try Day(parsing: row[i + 3]), reference: row[i + 4], reason: row[i + 5],
            limitShare: row[i + 6])
    }

    static func advances(_ db: Database, orderID: Int64, orderCode: String) throws -> [Advance] {
        try Row.fetchAll(
            db.cachedStatement(
                sql: "SELECT \(advanceColumns) FROM advances v WHERE v.order_id = ? ORDER BY v.number"),
            arguments: [orderID]
        ).map { try advanceRow($0, orderCode: orderCode) }
    }
}
