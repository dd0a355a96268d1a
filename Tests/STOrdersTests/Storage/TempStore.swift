import Foundation
import GRDB

@testable import STOrders

/// A store in a temporary file (the demo's orders in it unless told otherwise), and a plain GRDB
/// connection to the same file: what anyone with sqlite3 could do to it.
struct TempStore {
    let directory: URL
    let path: String
    let store: Store

    init(demo: Bool = true) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("storders-lib-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        path = directory.appendingPathComponent("test.sqlite").path
        store = try Store.open(path: path, mode: .createIfNeeded, actor: "kiểm thử")
        if demo { try DemoData.populate(store) }
    }

    func cleanUp() { try? FileManager.default.removeItem(at: directory) }

    /// A plain connection, as a person with sqlite3 has: no help from the library.
    func raw() throws -> DatabaseQueue { try DatabaseQueue(path: path) }

    /// Runs raw SQL on the file (triggers dropped first when told), as tampering would.
    func tamper(_ sql: String) throws {
        let queue = try raw()
        try queue.writeWithoutTransaction { db in try db.execute(sql: sql) }
        try queue.close()
    }

    /// Every row of every table, to prove a refusal changed nothing.
    func fingerprint() throws -> String {
        let queue = try raw()
        defer { try? queue.close() }
        return try queue.read { db in try everyRow(db).joined(separator: "\n") }
    }
}
