import GRDB

extension Store {
    /// Sets the kinds of document `step` needs (an empty list: none). Adds a row to the
    /// checklist's chain: the earlier setting stays on record, the latest is in force.
    @discardableResult
    public func setChecklist(_ step: ChecklistStep, kinds: [DocumentKind]) throws -> ChecklistSetting {
        let setting = ChecklistSetting(
            step: step, kinds: Array(Set(kinds)).sorted(), setAt: Store.timestamp(), setBy: actor)
        try write { db in try Store.insertChecklistRow(db, setting, id: nil, hash: nil) }
        return setting
    }

    /// The checklist in force: for each step, its latest setting.
    public func checklist() throws -> Checklist {
        try read { db in try Store.checklist(db) }
    }

    /// The latest setting of each step that was ever set, in the steps' order.
    public func checklistSettings() throws -> [ChecklistSetting] {
        let all = try checklistHistory()
        return ChecklistStep.allCases.compactMap { step in all.last { $0.step == step } }
    }

    /// Every setting ever made, oldest first.
    public func checklistHistory() throws -> [ChecklistSetting] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT step, kinds, set_at, set_by FROM checklist ORDER BY id").map(
                Store.checklistSetting)
        }
    }

    static func checklistSetting(_ row: Row) throws -> ChecklistSetting {
        ChecklistSetting(
            step: try vocabulary(ChecklistStep.self, row[0]), kinds: try Checklist.kinds(stored: row[1]),
            setAt: row[2], setBy: row[3])
    }

    static func checklist(_ db: Database) throws -> Checklist {
        var checklist = Checklist()
        // In id order, so the latest row for a step is the one kept.
        for row in try Row.fetchAll(
            db.cachedStatement(sql: "SELECT step, kinds, set_at, set_by FROM checklist ORDER BY id"))
        {
            let setting = try checklistSetting(row)
            checklist.set(setting.step, setting.kinds)
        }
        return checklist
    }

    /// Appends one checklist row linked after the chain's head. A restore passes the id and hash
    /// its export gave (the chain is then checked as `verify` does); otherwise both are made here.
    static func insertChecklistRow(_ db: Database, _ setting: ChecklistSetting, id: Int64?, hash: String?) throws {
        let fields: [DatabaseValue] = [
            setting.step.rawValue.databaseValue, Checklist.stored(setting.kinds).databaseValue,
            setting.setAt.databaseValue, setting.setBy.databaseValue,
        ]
        let head = try checklistChainEnd(db).head
        try db.cachedStatement(
            sql: "INSERT INTO checklist (id, step, kinds, set_at, set_by, hash) VALUES (?, ?, ?, ?, ?, ?)"
        ).execute(
            arguments: StatementArguments(
                [id.databaseValue] + fields
                    + [(hash ?? HistoryChain.checklistHash(prev: head, fields: fields)).databaseValue]))
    }

    /// Refuses `step` of an order when its checklist is not met by the documents attached to its
    /// target (`target` numbers the output for `accept` and `pay`, the payment request for
    /// `request`; nil is the order itself) on or before `day`. Called inside the step's own
    /// transaction, after its state and dates are checked.
    static func requireChecklist(
        _ db: Database, _ step: ChecklistStep, orderID: Int64, order code: String, target: Int?, on day: Day
    ) throws {
        let checklist = try checklist(db)
        guard !checklist.kinds(for: step).isEmpty else { return }
        let attached = try attachedKinds(db, orderID: orderID, step: step, target: target, onOrBefore: day)
        try checklist.require(step, order: code, target: target, attached: attached)
    }

    /// verify: every checklist row's hash follows from the previous one and its content.
    static func checkChecklistChain(_ db: Database, into v: inout Verification) throws {
        try checkChain(
            db, sql: "SELECT id, step, kinds, set_at, set_by, hash FROM checklist ORDER BY id", fields: 4,
            hash: HistoryChain.checklistHash, entry: "row", into: &v
        ) { row in
            "checklist row #\(shown(row[0] as DatabaseValue)) (step \(shown(row[1] as DatabaseValue)))"
        }
    }

    /// The number of the checklist's rows and its chain's last hash (the genesis when none), as
    /// an export's end record gives them.
    static func checklistChainEnd(_ db: Database) throws -> (rows: Int64, head: String) {
        (
            try Int64.fetchOne(db.cachedStatement(sql: "SELECT count(*) FROM checklist")) ?? 0,
            try String.fetchOne(db.cachedStatement(sql: "SELECT hash FROM checklist ORDER BY id DESC LIMIT 1"))
                ?? HistoryChain.genesis
        )
    }
}
