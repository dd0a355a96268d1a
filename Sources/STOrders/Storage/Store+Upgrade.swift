import Foundation
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
    /// Version 5 → 6 (docs/deadlines.md, docs/documents.md), one step in two places
    /// (`upgradeTablesToVersion6`, first, since later steps index its new columns; then the rules):
    /// outputs gain `due_on` and `extended_to`, fundings `starts_on`, `ends_on` and
    /// `ends_extended_to`, all NULL for the rows already there; the events table's CHECKs learn
    /// the documents' and the amendments' actions and record tables; the `amendments`, `blobs`,
    /// `documents` and `checklist` tables are created with their indexes and triggers. Last, once
    /// every table exists, every index and trigger version 6 adds or rewords (the deadlines') is
    /// made with schema.sql's text (`upgradeRulesFrom2`, which 2 → 3 runs at the same place).
    /// No record is touched: a record written before version 6 leaves the new NULL columns out
    /// (`HistoryChain`), so every event still matches its row; the checklist starts empty, so
    /// every step behaves as before.
    ///
    /// Version 6 → 7 (docs/requests.md, `upgradeTablesToVersion7`, right after the version 6
    /// tables, since the later rules' step creates every index and trigger schema.sql names): the
    /// running totals gain `outputs_due` and `outputs_on_time` (the deadline indicators'), the
    /// events table's CHECKs learn the payment requests' four actions and record table, and the
    /// `payment_requests` table is created with its indexes and triggers, from schema.sql's text;
    /// then the rules' step rewords the outputs' tally triggers, and `Tallies.rebuild` counts the
    /// two totals from the records. No record is touched.
    ///
    /// Version 7 → 8 (docs/advances.md, `upgradeTablesToVersion8`, after the version 7 tables):
    /// payments gain `settled` (0 in every row: no payment settled an advance before there were
    /// any, and a record leaves a 0 out, so every event still matches its row), the events table's
    /// CHECKs learn `advanced`, `advance_recovered` and the record table `advances`, and the
    /// `advances` and `advance_limits` tables are created with their index and triggers; then the
    /// rules' step adds the triggers on orders and payments that keep the settlement. No advance
    /// limit is set, so no advance is made until an officer sets one. Accounts gain an optional
    /// `email` (NULL for every account there; docs/notices.md), and the rules' step makes the index
    /// the notices read by day (`events_noticed_by_day`, built from the events there).
    ///
    /// Version 8 → 9 (docs/documents.md, `upgradeTablesToVersion9`): documents gain `request_id`
    /// (NULL in every row: no document was attached to a payment request before), and the
    /// documents' and the checklist's CREATE texts become schema.sql's (the CHECK that a document
    /// has at most one target; the step `request`), which every row there meets; then the rules'
    /// step adds the trigger that keeps a request's papers on a request of their own order. A
    /// record leaves a NULL `request` out, so every event still matches its row.
    ///
    /// Version 9 → 10 (docs/advances.md, `upgradeTablesToVersion10`): the advance limit's rows
    /// gain their hash chain (`chainAdvanceLimitsForVersion10`: each row hashed after the one
    /// before, as if it had been written now; `verify` walks the chain from here on); the
    /// `advance_balances` table is created and the index only the inbox's old advance query read (`advances_by_date`)
    /// dropped; the rules' step adds the open balances' index and the two triggers that keep the
    /// balances; then the table is filled from the records with the query `verify` compares it
    /// with (`advanceBalancesFromRecords`). No record is touched.
    func upgrade() throws {
        do {
            try writer.write { db in
                let version = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
                guard version < Store.schemaVersion else { return }
                if version < 6 { try Store.upgradeTablesToVersion6(db) }
                if version < 7 { try Store.upgradeTablesToVersion7(db) }
                if version < 8 { try Store.upgradeTablesToVersion8(db) }
                if version < 9 { try Store.upgradeTablesToVersion9(db) }
                if version < 10 { try Store.upgradeTablesToVersion10(db) }
                if version < 4 { try Store.addAccountTablesForVersion4(db) }
                if version < 5 { try Store.addSourceIdentityForVersion5(db) }
                if version == 1 { try Store.upgradeFrom1(db) }
                if version < 3 { try Store.sealEnterprisesAndTargetsForVersion3(db, actor: actor) }
                // 2 → 3 and 5 → 6 onwards add and reword indexes and triggers: once, after every
                // table exists.
                if version < 10 { try Store.upgradeRulesFrom2(db) }
                // Only files of versions 8 and 9 can hold advances: an older file's balances start
                // empty, as its advances do.
                if (8..<10).contains(version) {
                    try db.execute(sql: "INSERT INTO advance_balances \(Store.advanceBalancesFromRecords)")
                }
                // Version 7's two running totals count what the file already holds (a version-1
                // file was rebuilt whole by `upgradeFrom1`).
                if (2..<7).contains(version) { try Tallies.rebuild(db) }
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

    /// The columns version 6 adds, by table, in schema.sql's order (after every older column),
    /// each as ALTER TABLE adds it (its CHECKs come with schema.sql's text of the table).
    static let columnsAddedInVersion6: [(table: String, columns: [String])] = [
        ("outputs", ["due_on TEXT", "extended_to TEXT"]),
        ("fundings", ["starts_on TEXT", "ends_on TEXT", "ends_extended_to TEXT"]),
    ]

    /// The columns version 7 adds: the running totals' two deadline counts (outputs accepted with
    /// a due date, and of those on time), filled by `Tallies.rebuild` right after.
    static let columnsAddedInVersion7: [(table: String, columns: [String])] = [
        ("tallies", ["outputs_due INTEGER NOT NULL DEFAULT 0", "outputs_on_time INTEGER NOT NULL DEFAULT 0"])
    ]

    /// The columns version 8 adds: the part of a payment that settled advances, and an account's
    /// e-mail address, for its digests of notices.
    static let columnsAddedInVersion8: [(table: String, columns: [String])] = [
        ("payments", ["settled INTEGER NOT NULL DEFAULT 0"]), ("accounts", ["email TEXT"]),
    ]

    /// What version 8 adds to the events table's CHECKs: the advances' two actions and record table.
    static let eventsVocabularyAddedInVersion8 = [
        " OR action = 'advanced'", " OR action = 'advance_recovered'", " OR record_table = 'advances'",
    ]

    /// The tables version 8 adds.
    static let tablesOfVersion8: Set<String> = ["advances", "advance_limits"]

    /// Version 7 → 8: the payments' `settled` and the accounts' `email` columns, the events' vocabulary (`widenEvents`), then
    /// every object of schema.sql on one of `tablesOfVersion8` that the file lacks, in schema.sql's
    /// order.
    static func upgradeTablesToVersion8(_ db: Database) throws {
        try addColumns(db, columnsAddedInVersion8)
        try widenEvents(db)
        let made = Set(try schemaObjectsInOrder(db).map(\.key))
        for object in try expectedSchemaInOrder() where tablesOfVersion8.contains(object.table) {
            guard !made.contains(object.key), let sql = object.sql else { continue }
            try db.execute(sql: sql)
        }
    }

    /// The columns version 9 adds: the payment request a document is attached to. The checklist
    /// gains no column, only the step `request` in its CHECK (its text is widened with the
    /// documents').
    static let columnsAddedInVersion9: [(table: String, columns: [String])] = [
        ("documents", ["request_id INTEGER REFERENCES payment_requests (id)"]), ("checklist", []),
    ]

    /// Version 8 → 9: the documents' `request_id` and the two widened table texts.
    static func upgradeTablesToVersion9(_ db: Database) throws {
        try addColumns(db, columnsAddedInVersion9)
    }

    /// The index version 10 drops: the inbox now reads the open balances (`advance_balances_open`).
    static let droppedInVersion10 = "advances_by_date"

    /// Version 9 → 10: the advance limit's rows chained (`chainAdvanceLimitsForVersion10`),
    /// schema.sql's objects on `advance_balances` that the file lacks (the rules' step makes the
    /// index and triggers), and the old inbox index dropped.
    static func upgradeTablesToVersion10(_ db: Database) throws {
        try chainAdvanceLimitsForVersion10(db)
        try db.execute(sql: "DROP INDEX IF EXISTS \(droppedInVersion10)")
        let made = Set(try schemaObjectsInOrder(db).map(\.key))
        for object in try expectedSchemaInOrder() where object.table == "advance_balances" && object.type == "table" {
            guard !made.contains(object.key), let sql = object.sql else { continue }
            try db.execute(sql: sql)
        }
    }

    /// Version 8 or 9 → 10, the advance limit's rows (a file of an older version gets the table
    /// whole, from schema.sql): `hash` is added, each row's hash computed in id order after the one
    /// before, as a new row's would have been, then the table's text set to schema.sql's (which
    /// requires the hash). The rows are insert-only, so their trigger is dropped for this one
    /// update and made again by the rules' step. The settings are few: read whole.
    static func chainAdvanceLimitsForVersion10(_ db: Database) throws {
        let have = Set(try Row.fetchAll(db, sql: "PRAGMA table_info(advance_limits)").map { $0["name"] as String })
        guard !have.isEmpty, !have.contains("hash") else { return }
        try db.execute(sql: "ALTER TABLE advance_limits ADD COLUMN hash TEXT")
        try db.execute(sql: "DROP TRIGGER IF EXISTS advance_limits_never_changed")
        var prev = HistoryChain.genesis
        for row in try Row.fetchAll(db, sql: "SELECT id, share, set_at, set_by FROM advance_limits ORDER BY id") {
            let fields = (1...3).map { row[$0] as DatabaseValue }
            prev = HistoryChain.advanceLimitHash(prev: prev, fields: fields)
            try db.execute(sql: "UPDATE advance_limits SET hash = ? WHERE id = ?", arguments: [prev, row[0]])
        }
        try widenTableTexts(db, ["advance_limits"])
    }

    /// The tables version 6 adds.
    static let tablesOfVersion6: Set<String> = ["amendments", "blobs", "documents", "checklist"]

    /// Version 5 → 6, the tables: the deadlines' columns are added (plain, NULL in every row) and
    /// the outputs' and fundings' CREATE text set to schema.sql's own (`widenTableTexts`); the
    /// events table learns the new vocabulary (`widenEvents`); then every object of schema.sql on one of
    /// `tablesOfVersion6` that the file lacks is made, in schema.sql's order (each table before
    /// its indexes and triggers). The texts are replaced as SQLite's documentation describes for a
    /// change that leaves the stored rows as they are (writable_schema, then a new schema_version
    /// so every connection reads the text again). The new CHECKs hold for the rows already there:
    /// their new columns are NULL, and their actions and record tables are among the allowed.
    static func upgradeTablesToVersion6(_ db: Database) throws {
        try addColumns(db, columnsAddedInVersion6)
        try widenEvents(db)
        let made = Set(try schemaObjectsInOrder(db).map(\.key))
        for object in try expectedSchemaInOrder() where tablesOfVersion6.contains(object.table) {
            guard !made.contains(object.key), let sql = object.sql else { continue }
            try db.execute(sql: sql)
        }
    }

    /// Adds each column a table lacks (a table the file does not have yet is left to the step
    /// that creates it whole), then sets each widened table's CREATE text to schema.sql's.
    static func addColumns(_ db: Database, _ added: [(table: String, columns: [String])]) throws {
        for (table, columns) in added {
            let have = Set(try Row.fetchAll(db, sql: "PRAGMA table_info(\(table))").map { $0["name"] as String })
            guard !have.isEmpty else { continue }
            for column in columns where !have.contains(String(column.prefix { $0 != " " })) {
                try db.execute(sql: "ALTER TABLE \(table) ADD COLUMN \(column)")
            }
        }
        try widenTableTexts(db, added.map(\.table))
    }

    /// Sets the CREATE text of tables whose columns were added at the end to schema.sql's own.
    static func widenTableTexts(_ db: Database, _ tables: [String]) throws {
        let expected = try expectedSchema()
        let present = try schemaObjects(db)
        let texts = tables.compactMap { name -> (String, String)? in
            guard let sql = expected["table \(name)"]?.sql, let have = present["table \(name)"]?.sql, have != sql else {
                return nil
            }
            return (name, sql)
        }
        if !texts.isEmpty {
            let cookie = try Int.fetchOne(db, sql: "PRAGMA schema_version") ?? 0
            try db.execute(sql: "PRAGMA writable_schema = ON")
            for (name, sql) in texts {
                try db.execute(
                    sql: "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = ?", arguments: [sql, name])
            }
            try db.execute(sql: "PRAGMA schema_version = \(cookie + 1)")
            try db.execute(sql: "PRAGMA writable_schema = OFF")
            db.clearSchemaCache()
        }
    }

    /// What version 6 adds to the events table's CHECKs (each an alternative of an OR chain): the
    /// documents' action and record table, the amendments' four actions and record table.
    static let eventsVocabularyAddedInVersion6 = [
        " OR action = 'document_attached'", " OR action = 'amended'", " OR action = 'amendment_requested'",
        " OR action = 'amendment_approved'", " OR action = 'amendment_refused'", " OR record_table = 'documents'",
        " OR record_table = 'amendments'",
    ]

    /// What version 7 adds to the events table's CHECKs: the payment requests' four actions and
    /// record table.
    static let eventsVocabularyAddedInVersion7 = [
        " OR action = 'payment_requested'", " OR action = 'payment_request_approved'",
        " OR action = 'payment_request_returned'", " OR action = 'payment_request_paid'",
        " OR record_table = 'payment_requests'",
    ]

    /// The tables version 7 adds.
    static let tablesOfVersion7: Set<String> = ["payment_requests"]

    /// Version 6 → 7: the events table learns the new vocabulary (`widenEvents`, nothing to do when
    /// the 5 → 6 step already did), then every object of schema.sql on one of `tablesOfVersion7`
    /// that the file lacks is made, in schema.sql's order (the table before its indexes and
    /// triggers).
    static func upgradeTablesToVersion7(_ db: Database) throws {
        try addColumns(db, columnsAddedInVersion7)
        try widenEvents(db)
        let made = Set(try schemaObjectsInOrder(db).map(\.key))
        for object in try expectedSchemaInOrder() where tablesOfVersion7.contains(object.table) {
            guard !made.contains(object.key), let sql = object.sql else { continue }
            try db.execute(sql: sql)
        }
    }

    /// The events table's CHECKs on `action` and `record_table` gain the alternatives versions 6
    /// and 7 add (`eventsVocabularyAddedInVersion6`, `…7`). Widening a CHECK admits every row it
    /// admitted, so the table's text in sqlite_master is replaced with schema.sql's, by SQLite's
    /// documented procedure for changes that leave the stored rows as they are (writable_schema,
    /// then the schema cookie bumped so every connection reads the new text): instant at any
    /// size, where rebuilding the table would copy every event. The text is replaced only when it
    /// is exactly schema.sql's without the alternatives of the versions after the file's (version
    /// 5's or version 6's); any other text is refused, the file left as it was.
    static func widenEvents(_ db: Database) throws {
        guard let want = try expectedSchemaInOrder().first(where: { $0.key == "table events" })?.sql else { return }
        let have = try String.fetchOne(
            db, sql: "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'events'")
        guard have != want else { return }
        func without(_ added: [String], _ text: String) -> String {
            added.reduce(text) { $0.replacingOccurrences(of: $1, with: "") }
        }
        let version7 = without(eventsVocabularyAddedInVersion8, want)
        let version6 = without(eventsVocabularyAddedInVersion7, version7)
        let version5 = without(eventsVocabularyAddedInVersion6, version6)
        guard have == version7 || have == version6 || have == version5 else {
            throw STOrdersError.constraintViolated(
                "the events table is not as schema version 5, 6 or 7 defines it, so it cannot be upgraded; restore a backup or an export"
            )
        }
        let cookie = try Int.fetchOne(db, sql: "PRAGMA schema_version") ?? 0
        try db.execute(sql: "PRAGMA writable_schema = ON")
        try db.execute(
            sql: "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = 'events'", arguments: [want])
        try db.execute(sql: "PRAGMA schema_version = \(cookie + 1)")
        try db.execute(sql: "PRAGMA writable_schema = OFF")
        db.clearSchemaCache()
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
