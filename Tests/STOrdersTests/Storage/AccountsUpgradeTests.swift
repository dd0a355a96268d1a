import GRDB
import Testing

@testable import STOrders

/// Version 3 → 4: the accounts tables are added, the file then has exactly schema.sql's schema,
/// and no record is touched.
@Suite struct AccountsUpgradeTests {
    static let dropped = "DROP TABLE audit_log; DROP TABLE api_tokens; DROP TABLE sessions; DROP TABLE accounts;"

    func upgradeGivesTheFreshSchema(from version: Int, extra: String = "") throws {
        let t = try TempStore()
        defer { t.cleanUp() }
        try t.tamper(Self.dropped + extra + "PRAGMA user_version = \(version);")
        let names = try t.raw().read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE tbl_name IN ('accounts', 'audit_log')")
        }
        #expect(names.isEmpty)
        let rows = try t.raw().read { db in try everyRow(db) }

        let store = try Store.open(path: t.path, actor: "nâng cấp")
        let (upgraded, now, schema) = try t.raw().read { db in
            (try Int.fetchOne(db, sql: "PRAGMA user_version"), try everyRow(db), try Store.schemaObjects(db))
        }
        #expect(upgraded == Store.schemaVersion)
        #expect(schema == (try Store.expectedSchema()))
        if version == 3 { #expect(now == rows) }  // no record rewritten (a version 2 file also gets its seals)
        #expect(try store.verify().findings.isEmpty)
        // And the new tables work.
        try store.addAccount(
            NewAccount(login: "admin", role: .admin), password: "mật-khẩu-đủ-dài", cost: 4, by: "nâng cấp")
        #expect(try store.authenticate(login: "admin", password: "mật-khẩu-đủ-dài", address: nil).role == .admin)
        // Opening again changes nothing more.
        let again = try t.fingerprint()
        _ = try Store.open(path: t.path, actor: "nâng cấp")
        #expect(try t.fingerprint() == again)
    }

    @Test func aVersion3FileGetsTheAccountTablesAndNothingElseChanges() throws {
        try upgradeGivesTheFreshSchema(from: 3)
    }

    /// A version 2 file lacks them too: they are made before the rules' step, which would
    /// otherwise try to create the audit log's triggers on a table not there yet.
    @Test func aVersion2FileGetsThemBeforeItsRules() throws {
        try upgradeGivesTheFreshSchema(from: 2, extra: "DROP TABLE seals;")
    }

    @Test func schemaSQLDeclaresVersion4OrLater() {
        #expect(Store.schemaVersion >= 4)
        #expect(Store.schemaSQL.contains("PRAGMA user_version = \(Store.schemaVersion);"))
    }
}
