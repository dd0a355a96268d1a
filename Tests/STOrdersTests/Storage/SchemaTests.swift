import Foundation
import GRDB
import Testing

@testable import STOrders

@Suite struct SchemaTests {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "storders-schema-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// sqlite_master plus the header pragmas: what "the same schema" means.
    static func schema(of path: String) throws -> [String] {
        let queue = try DatabaseQueue(path: path)
        return try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name").map {
                "\($0)"
            }
                + [
                    "application_id \(try Int.fetchOne(db, sql: "PRAGMA application_id") ?? 0)",
                    "user_version \(try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0)",
                ]
        }
    }

    static func sqlite3(_ database: String, stdin: String) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [database]
        let input = Pipe()
        process.standardInput = input
        try process.run()
        input.fileHandleForWriting.write(Data(stdin.utf8))
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        return process.terminationStatus
    }

    @Test func theProgramCreatesExactlyWhatSchemaSQLDoes() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        // The repository's schema.sql, not the embedded copy: the test proves the two agree.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let schemaFile = try String(contentsOf: root.appendingPathComponent("schema.sql"), encoding: .utf8)
        #expect(schemaFile == Store.schemaSQL)
        #expect(try Self.sqlite3(path("cli.db"), stdin: schemaFile) == 0)
        _ = try Store.open(path: path("program.db"), mode: .createIfNeeded, actor: "test")
        let expected = try Self.schema(of: path("cli.db"))
        #expect(try Self.schema(of: path("program.db")) == expected)
        #expect(expected.count > 10)
    }

    @Test func provincesTableMatchesTheDomain() throws {
        let store = try Store.inMemory()
        let rows = try store.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT code, name, is_city FROM provinces ORDER BY code")
        }
        #expect(rows.map { Province(code: $0[0], name: $0[1], isCity: ($0[2] as Int) == 1) } == Province.all)
    }

    @Test func aNewFileIsWALAndPrivate() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try Store.open(path: path("new.db"), mode: .createIfNeeded, actor: "test")
        let mode = try store.writer.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
        let attributes = try FileManager.default.attributesOfItem(atPath: path("new.db"))
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let fk = try store.writer.read { db in try Int.fetchOne(db, sql: "PRAGMA foreign_keys") }
        #expect(fk == 1)
    }

    @Test func refusesFilesThatAreNotSTOrdersDatabases() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        // Missing.
        #expect(throws: STOrdersError.databaseMissing(path: path("none.db"))) {
            try Store.open(path: path("none.db"), actor: "t")
        }
        #expect(!FileManager.default.fileExists(atPath: path("none.db")))
        // A text file.
        try "không phải cơ sở dữ liệu\n".write(toFile: path("text.db"), atomically: true, encoding: .utf8)
        #expect(
            throws: STOrdersError.notAStoreDatabase(
                path: path("text.db"), reason: "it is not an SQLite database, or it is damaged")
        ) {
            try Store.open(path: path("text.db"), mode: .createIfNeeded, actor: "t")
        }
        // Another program's SQLite file: refused, and left as it was.
        #expect(try Self.sqlite3(path("other.db"), stdin: "CREATE TABLE notes (x); INSERT INTO notes VALUES (1);") == 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: path("other.db")))
        #expect(
            throws: STOrdersError.notAStoreDatabase(path: path("other.db"), reason: "it holds another program's tables")
        ) {
            try Store.open(path: path("other.db"), mode: .createIfNeeded, actor: "t")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path("other.db"))) == before)
        // An empty file needs init; init makes it a STOrders database.
        _ = FileManager.default.createFile(atPath: path("empty.db"), contents: Data())
        #expect(throws: STOrdersError.notInitialized(path: path("empty.db"))) {
            try Store.open(path: path("empty.db"), actor: "t")
        }
        _ = try Store.open(path: path("empty.db"), mode: .createIfNeeded, actor: "t")
        _ = try Store.open(path: path("empty.db"), actor: "t")
        // A directory.
        #expect(
            throws: STOrdersError.databaseUnavailable(
                path: directory.path, reason: "it is a directory; expected a database file")
        ) {
            try Store.open(path: directory.path, actor: "t")
        }
    }

    @Test func refusesADatabaseNewerThanTheProgram() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try Store.open(path: path("future.db"), mode: .createIfNeeded, actor: "t")
        #expect(try Self.sqlite3(path("future.db"), stdin: "PRAGMA user_version = \(Store.schemaVersion + 1);") == 0)
        #expect(
            throws: STOrdersError.databaseNewer(
                path: path("future.db"), version: Store.schemaVersion + 1,
                supported: Store.schemaVersion)
        ) {
            try Store.open(path: path("future.db"), actor: "t")
        }
    }

    @Test func checkConstraintsGuardRawSQL() throws {
        let store = try Store.inMemory()
        let enterprise = "INSERT INTO enterprises (tax_code, name, province_code, registered_on) VALUES "
        let attempts: [(String, SQLRefusal)] = [
            (enterprise + "('0100233480', 'X', '01', '2025-01-01')", .check("tax_code_valid")),
            (
                enterprise + "('0100233488', 'X', '01', '2026-02-30')",
                .check("date(registered_on, '+0 days') IS registered_on")
            ),
            (enterprise + "('0100233488', 'X', '99', '2025-01-01')", .foreignKey),
            (enterprise + "('0314409058-000', 'X', '01', '2025-01-01')", .check("tax_code_valid")),
        ]
        for (sql, refusal) in attempts { expectSQLRefused(store.writer, sql, refusal) }
        try store.writer.write { db in
            try db.execute(
                sql:
                    "INSERT INTO enterprises (tax_code, name, province_code, registered_on) VALUES ('0100233488', 'X', '01', '2025-01-01')"
            )
        }
        for (sql, refusal) in [
            (
                "INSERT INTO orders (code, title, field, province_code, enterprise_id, ordered_on) VALUES ('A', 'T', 'art', '01', 1, '2025-01-01')",
                SQLRefusal.check("(field = 'science' OR field = 'innovation' OR field = 'digital')")
            ),
            (
                "INSERT INTO orders (code, title, field, province_code, enterprise_id, ordered_on, state) VALUES ('A', 'T', 'science', '01', 1, '2025-01-01', 'funded')",
                .trigger("a new order starts in state ordered")
            ),
            (
                "INSERT INTO orders (code, title, field, province_code, enterprise_id, ordered_on) VALUES ('A', 'T', 'science', '01', 7, '2025-01-01')",
                .foreignKey
            ),
        ] {
            expectSQLRefused(store.writer, sql, refusal)
        }
        try store.writer.write { db in
            try db.execute(
                sql:
                    "INSERT INTO orders (code, title, field, province_code, enterprise_id, ordered_on) VALUES ('A', 'T', 'science', '01', 1, '2025-01-01')"
            )
        }
        let output = "INSERT INTO outputs (order_id, number, title, type, novelty, value) VALUES "
        let funding = "INSERT INTO fundings (order_id, state_budget, enterprise_funds, other, funded_on) VALUES "
        for (sql, refusal) in [
            (output + "(1, 1, 'O', 'product', 'new', 0)", SQLRefusal.check("value > 0")),
            (
                output + "(1, 1, 'O', 'product', 'new', 1.5)",
                .datatype("cannot store REAL value in INTEGER column outputs.value")
            ),
            (
                output + "(1, 1, 'O', 'gadget', 'new', 5)",
                .check("(type = 'product' OR type = 'service' OR type = 'model')")
            ),
            (
                funding + "(1, 9223372036854775807, 1, 0, '2025-02-01')",
                .check("typeof(state_budget + enterprise_funds + other) = 'integer'")
            ),
            (funding + "(1, 0, 0, 0, '2025-02-01')", .check("state_budget + enterprise_funds + other > 0")),
        ] {
            expectSQLRefused(store.writer, sql, refusal)
        }
    }
}
