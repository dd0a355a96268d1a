import GRDB

extension Store {
    /// Brings a file made by an earlier version of STOrders up to `schemaVersion`, in one write
    /// transaction (all of it or, on any failure, nothing). Opening such a file does it once;
    /// another process upgrading at the same moment is waited for and found done.
    ///
    /// Version 1 → 2: the indicators' running totals (`tallies`, `tally_durations`,
    /// `tally_enterprises` and the triggers that keep them) are created with schema.sql's own
    /// text and filled from the records; the three indexes only the old indicator queries used
    /// are dropped.
    ///
    /// Version 2 → 3: the enterprises and targets are sealed (`sealEnterprisesAndTargetsForVersion3`).
    func upgrade() throws {
        do {
            try writer.write { db in
                let version = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
                guard version < Store.schemaVersion else { return }
                if version == 1 { try Store.upgradeFrom1(db) }
                if version < 3 { try Store.sealEnterprisesAndTargetsForVersion3(db, actor: actor) }
                try db.execute(sql: "PRAGMA user_version = \(Store.schemaVersion)")
            }
        } catch let error as DatabaseError where error.resultCode == .SQLITE_READONLY {
            throw STOrdersError.databaseUnavailable(
                path: path, reason: "it was made by an earlier version of STOrders and must be upgraded once, which needs write access to it and its folder")
        } catch let error as DatabaseError {
            throw mapError(error)
        }
    }

    static let droppedInVersion2 = ["outputs_for_indicators", "payments_for_indicators", "results_for_indicators"]

    static func upgradeFrom1(_ db: Database) throws {
        for index in droppedInVersion2 { try db.execute(sql: "DROP INDEX IF EXISTS \(index)") }
        let present = Set(try schemaObjectsInOrder(db).map(\.key))
        // schema.sql's objects in the order it creates them (tables before their triggers), with
        // exactly the text `storders verify` compares with.
        for object in try expectedSchemaInOrder() where !present.contains(object.key) {
            guard let sql = object.sql else { continue }  // an automatic index comes with its table
            try db.execute(sql: sql)
        }
        try Tallies.rebuild(db)
    }
}
