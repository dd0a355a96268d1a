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
    /// Version 2 → 3: the `seals` table is created and the enterprises and targets there are
    /// sealed as they stand (`sealEnterprisesAndTargetsForVersion3`); then the dates rule's
    /// triggers (a funding and a cancellation on or after every earlier step of the order, a
    /// reversal on a cancelled order on or after the cancellation) are added and every trigger
    /// whose text changed is replaced (`upgradeRulesFrom2`, which needs the `seals` table to
    /// exist before it creates that table's triggers). Records already written are never
    /// rewritten: `verify` names any order whose dates contradict the rule.
    ///
    /// Version 3 → 4: the accounts, sessions, API tokens and audit log tables (with their
    /// indexes and triggers) are created with schema.sql's own text (`addAccountTablesForVersion4`).
    /// They depend on nothing an earlier step changes and nothing earlier depends on them, so
    /// they are made first: the rules' step of 2 → 3 then finds their triggers already there.
    ///
    /// Version 4 → 5: the `source` table (the database's identity as a source of the national
    /// store) and its triggers are created with schema.sql's own text, and the file gets its
    /// identity: a new random id, named `source` and the id's first 8 characters, created now
    /// (`addSourceIdentityForVersion5`). No record is touched.
    ///
    /// Version 5 → 6 (docs/deadlines.md): outputs gain `due_on` and `extended_to`, fundings
    /// `starts_on`, `ends_on` and `ends_extended_to`, all NULL for the rows already there
    /// (`addDeadlineColumnsForVersion6`, first, since later steps create indexes on them); then
    /// the `amendments` table, its indexes and the deadlines' triggers are created and every
    /// trigger whose text changed is replaced (`addAmendmentsForVersion6`). No record is touched:
    /// a record written before version 6 leaves the new NULL columns out (`HistoryChain`), so
    /// every event still matches its row.
    func upgrade() throws {
        do {
            try writer.write { db in
                let version = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
                guard version < Store.schemaVersion else { return }
                if version < 6 { try Store.addDeadlineColumnsForVersion6(db) }
                if version < 4 { try Store.addAccountTablesForVersion4(db) }
                if version < 5 { try Store.addSourceIdentityForVersion5(db) }
                if version == 1 { try Store.upgradeFrom1(db) }
                if version < 3 {
                    try Store.sealEnterprisesAndTargetsForVersion3(db, actor: actor)
                    try Store.upgradeRulesFrom2(db)
                }
                if version < 6 { try Store.addAmendmentsForVersion6(db) }
                try db.execute(sql: "PRAGMA user_version = \(Store.schemaVersion)")
            }
        } catch let error as DatabaseError where error.resultCode == .SQLITE_READONLY {
            throw STOrdersError.databaseUnavailable(
                path: path,
                reason:
                    "it was made by an earlier version of STOrders and must be upgraded once, which needs write access to it and its folder"
            )
        } catch let error as DatabaseError {
            throw mapError(error)
        }
    }

    /// The tables version 4 adds, none holding an order record.
    static let accountTables: Set<String> = ["accounts", "sessions", "api_tokens", "audit_log"]

    /// Version 3 → 4: every object of schema.sql on one of `accountTables` that the file lacks,
    /// in schema.sql's order (each table before its indexes and triggers).
    static func addAccountTablesForVersion4(_ db: Database) throws {
        let present = Set(try schemaObjectsInOrder(db).map(\.key))
        for object in try expectedSchemaInOrder() where accountTables.contains(object.table) {
            guard !present.contains(object.key), let sql = object.sql else { continue }
            try db.execute(sql: sql)
        }
    }

    /// Version 4 → 5: schema.sql's objects on the `source` table that the file lacks, then its one
    /// row when it has none (the same values schema.sql's INSERT makes).
    static func addSourceIdentityForVersion5(_ db: Database) throws {
        let present = Set(try schemaObjectsInOrder(db).map(\.key))
        for object in try expectedSchemaInOrder() where object.table == "source" {
            guard !present.contains(object.key), let sql = object.sql else { continue }
            try db.execute(sql: sql)
        }
        guard try Int.fetchOne(db, sql: "SELECT count(*) FROM source") == 0 else { return }
        let id = SourceIdentity.newID()
        try db.execute(
            sql: "INSERT INTO source (only, id, name, created_at) VALUES (1, ?, ?, ?)",
            arguments: [id, SourceIdentity.defaultName(id: id), Store.timestamp()])
    }

    /// The columns version 6 adds, by table, in schema.sql's order (after every older column).
    static let columnsAddedInVersion6: [(table: String, columns: [String])] = [
        ("outputs", ["due_on", "extended_to"]), ("fundings", ["starts_on", "ends_on", "ends_extended_to"]),
    ]

    /// The tables whose CREATE text version 6 changes without changing how a row is stored:
    /// outputs and fundings (columns added at the end, with their CHECKs) and events (four more
    /// actions and one more record table in its CHECKs).
    static let tablesRewordedInVersion6 = ["outputs", "fundings", "events"]

    /// Version 5 → 6, the columns: each is added (plain, NULL in every row), then the three
    /// tables' CREATE text is set to schema.sql's own, as SQLite's documentation describes for a
    /// change that leaves the stored rows as they are (writable_schema, then a new schema_version
    /// so every connection reads the text again). The new CHECKs hold for the rows already there:
    /// their new columns are NULL, and their actions and record tables are among the allowed.
    static func addDeadlineColumnsForVersion6(_ db: Database) throws {
        for (table, columns) in columnsAddedInVersion6 {
            let have = Set(try Row.fetchAll(db, sql: "PRAGMA table_info(\(table))").map { $0["name"] as String })
            for column in columns where !have.contains(column) {
                try db.execute(sql: "ALTER TABLE \(table) ADD COLUMN \(column) TEXT")
            }
        }
        let expected = try expectedSchema()
        let present = try schemaObjects(db)
        let texts = tablesRewordedInVersion6.compactMap { name -> (String, String)? in
            guard let sql = expected["table \(name)"]?.sql, present["table \(name)"]?.sql != sql else { return nil }
            return (name, sql)
        }
        guard !texts.isEmpty else { return }
        let version = try Int.fetchOne(db, sql: "PRAGMA schema_version") ?? 0
        try db.execute(sql: "PRAGMA writable_schema = ON")
        for (name, sql) in texts {
            try db.execute(
                sql: "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = ?", arguments: [sql, name])
        }
        try db.execute(sql: "PRAGMA schema_version = \(version + 1)")
        try db.execute(sql: "PRAGMA writable_schema = OFF")
    }

    /// Version 5 → 6, the rules: schema.sql's tables the file lacks (amendments), then every
    /// index, view and trigger it lacks or holds with another text (`upgradeRulesFrom2`).
    static func addAmendmentsForVersion6(_ db: Database) throws {
        let present = Set(try schemaObjectsInOrder(db).map(\.key))
        for object in try expectedSchemaInOrder() where object.type == "table" && !present.contains(object.key) {
            guard let sql = object.sql else { continue }
            try db.execute(sql: sql)
        }
        try upgradeRulesFrom2(db)
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

    /// Version 2 → 3, the rules' part: every trigger, view and index of schema.sql that the file
    /// lacks is created, and every one whose text differs from schema.sql's is dropped and
    /// created again with schema.sql's text, in the order schema.sql creates them (a view before
    /// the triggers that read it). Tables are left as they are (no column changed in version 3).
    static func upgradeRulesFrom2(_ db: Database) throws {
        let present = try schemaObjects(db)
        for object in try expectedSchemaInOrder() where object.type != "table" {
            guard let sql = object.sql else { continue }  // an automatic index comes with its table
            if let have = present[object.key] {
                if have.sql == sql { continue }
                let dropped = try droppable(object)
                try db.execute(sql: "DROP \(dropped.type) IF EXISTS \(dropped.name)")
            }
            try db.execute(sql: sql)
        }
    }

    /// The type and name of a schema object to drop, checked to be plain words (they come from
    /// the embedded schema.sql, never from the file or a user).
    static func droppable(_ object: SchemaObject) throws -> (type: String, name: String) {
        let word = object.name.unicodeScalars.allSatisfy {
            $0 == "_" || ("a"..."z").contains($0) || ("0"..."9").contains($0)
        }
        guard ["trigger", "view", "index"].contains(object.type), word, !object.name.isEmpty else {
            throw STOrdersError.constraintViolated("schema.sql object '\(object.name)' cannot be replaced")
        }
        return (object.type.uppercased(), object.name)
    }
}
