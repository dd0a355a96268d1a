import GRDB

extension Store {
    /// This database's identity as a source of the national store.
    public func sourceIdentity() throws -> SourceIdentity {
        try read { db in try Store.sourceIdentity(db) }
    }

    /// Gives this database a new name (its id never changes). Returns the identity afterwards.
    @discardableResult
    public func renameSource(_ name: String) throws -> SourceIdentity {
        let name = try SourceIdentity.validName(name)
        return try write { db in
            try db.execute(sql: "UPDATE source SET name = ? WHERE only = 1", arguments: [name])
            return try Store.sourceIdentity(db)
        }
    }

    static func sourceIdentity(_ db: Database) throws -> SourceIdentity {
        guard let row = try Row.fetchOne(db, sql: "SELECT id, name, created_at FROM source WHERE only = 1") else {
            throw STOrdersError.constraintViolated("the database has no source identity (table source is empty)")
        }
        return SourceIdentity(id: row[0], name: row[1], createdAt: row[2])
    }
}
