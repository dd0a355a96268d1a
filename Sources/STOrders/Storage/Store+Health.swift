import GRDB

extension Store {
    /// The schema version written in the file, read now: a cheap question whose answer proves
    /// the database answers (a server's health check).
    public func storedSchemaVersion() throws -> Int {
        try read { db in try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0 }
    }
}
