import GRDB
import Testing

@testable import STOrders

/// Version 5: every database has a stable source id (a random UUID made with it) and a name.
@Suite struct SourceIdentityTests {
    static func isVersion4UUID(_ id: String) -> Bool {
        let parts = id.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        guard parts.map(\.count) == [8, 4, 4, 4, 12] else { return false }
        guard id.allSatisfy({ $0 == "-" || "0123456789abcdef".contains($0) }) else { return false }
        return parts[2].hasPrefix("4") && "89ab".contains(parts[3].first ?? "x")
    }

    @Test func aNewDatabaseHasItsOwnRandomIdAndADefaultName() throws {
        let a = try TempStore(demo: false)
        let b = try TempStore(demo: false)
        defer {
            a.cleanUp()
            b.cleanUp()
        }
        let one = try a.store.sourceIdentity()
        let two = try b.store.sourceIdentity()
        #expect(Self.isVersion4UUID(one.id) && Self.isVersion4UUID(two.id))
        #expect(one.id != two.id)
        #expect(one.name == "source " + one.id.prefix(8))
        // Opening the file again gives the same identity.
        #expect(try Store.open(path: a.path, actor: "kiểm thử").sourceIdentity() == one)
    }

    @Test func theIdsOfSQLiteAndOfTheLibraryHaveTheSameForm() {
        for _ in 0..<200 { #expect(Self.isVersion4UUID(SourceIdentity.newID())) }
    }

    @Test func renamingKeepsTheIdAndRefusesAnEmptyName() throws {
        let t = try TempStore(demo: false)
        defer { t.cleanUp() }
        let before = try t.store.sourceIdentity()
        let renamed = try t.store.renameSource("  Sở KH&CN Thái Nguyên ")
        #expect(renamed.id == before.id && renamed.createdAt == before.createdAt)
        #expect(renamed.name == "Sở KH&CN Thái Nguyên")
        let print = try t.fingerprint()
        #expect(throws: STOrdersError.invalidText(what: "source name", reason: "it is empty; expected some text")) {
            try t.store.renameSource("   ")
        }
        #expect(try t.fingerprint() == print)
    }

    @Test func theIdNeverChangesEvenFromRawSQL() throws {
        let t = try TempStore(demo: false)
        defer { t.cleanUp() }
        let before = try t.store.sourceIdentity()
        for sql in [
            "UPDATE source SET id = '00000000-0000-4000-8000-000000000000'", "DELETE FROM source",
            "INSERT INTO source (only, id, name, created_at) VALUES (2, '00000000-0000-4000-8000-000000000000', 'x', 'y')",
        ] {
            #expect(throws: DatabaseError.self) { try t.tamper(sql) }
        }
        #expect(try t.store.sourceIdentity() == before)
    }

    /// A version 4 file gets an identity on upgrade, the schema is then exactly schema.sql's, and
    /// no record is touched.
    @Test func aVersion4FileGetsAnIdentityOnUpgrade() throws {
        let t = try TempStore()
        defer { t.cleanUp() }
        try t.tamper("DROP TABLE source; PRAGMA user_version = 4;")
        let names = try t.raw().read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE tbl_name = 'source'")
        }
        #expect(names.isEmpty)
        let tables = ["orders", "outputs", "payments", "results", "events", "seals", "enterprises", "targets"]
        func rows() throws -> [[String]] {
            try t.raw().read { db in
                try tables.map { table in
                    try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY rowid").map { $0.description }
                }
            }
        }
        let before = try rows()
        let store = try Store.open(path: t.path, actor: "nâng cấp")
        let (version, schema) = try t.raw().read { db in
            (try Int.fetchOne(db, sql: "PRAGMA user_version"), try Store.schemaObjects(db))
        }
        #expect(version == Store.schemaVersion)
        #expect(schema == (try Store.expectedSchema()))
        #expect(try rows() == before)
        let identity = try store.sourceIdentity()
        #expect(Self.isVersion4UUID(identity.id))
        #expect(identity.name == "source " + identity.id.prefix(8))
        #expect(try store.verify().findings.isEmpty)
        // Opening again changes nothing more: the identity stays.
        let again = try t.fingerprint()
        #expect(try Store.open(path: t.path, actor: "nâng cấp").sourceIdentity() == identity)
        #expect(try t.fingerprint() == again)
    }

    @Test func schemaSQLDeclaresTheCurrentVersion() {
        #expect(Store.schemaSQL.contains("PRAGMA user_version = \(Store.schemaVersion);"))
    }
}
