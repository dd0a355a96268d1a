import GRDB

extension Store {
    /// Registers an enterprise. Refuses a tax code already on file.
    @discardableResult
    public func addEnterprise(
        name: String, taxCode: TaxCode, province: Province, innovativeStartup: Bool = false,
        on day: Day
    ) throws -> Enterprise {
        let name = try Text.validate(name, what: "enterprise name")
        return try write { db in
            if let existing = try String.fetchOne(
                db, sql: "SELECT name FROM enterprises WHERE tax_code = ?",
                arguments: [taxCode.value])
            {
                throw STOrdersError.duplicateTaxCode(taxCode.value, existing: existing)
            }
            try db.execute(
                sql: """
                    INSERT INTO enterprises (tax_code, name, province_code, innovative_startup, registered_on)
                    VALUES (?, ?, ?, ?, ?)
                    """, arguments: [taxCode.value, name, province.code, innovativeStartup ? 1 : 0, day.description])
            try SealTable.enterprises.seal(
                db, id: db.lastInsertedRowID, action: .enterpriseAdded, actor: actor,
                recordedAt: Store.timestamp())
            return Enterprise(
                taxCode: taxCode, name: name, province: province,
                innovativeStartup: innovativeStartup, registeredOn: day)
        }
    }

    /// One enterprise, by tax code.
    public func enterprise(taxCode: TaxCode) throws -> Enterprise {
        try read { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT tax_code, name, province_code, innovative_startup, registered_on
                        FROM enterprises WHERE tax_code = ?
                        """, arguments: [taxCode.value])
            else {
                throw STOrdersError.unknownEnterprise(taxCode: taxCode.value)
            }
            return try Store.enterprise(row)
        }
    }

    /// Streams the enterprises, by name (Vietnamese alphabetical order), optionally of one province, to `body`.
    public func forEachEnterprise(province: Province? = nil, _ body: (Enterprise) throws -> Void) throws {
        try read { db in
            var sql = "SELECT tax_code, name, province_code, innovative_startup, registered_on FROM enterprises"
            var arguments: StatementArguments = []
            if let province {
                sql += " WHERE province_code = ?"
                arguments += [province.code]
            }
            sql += " ORDER BY \(Store.sortKeyFunctionName)(name), tax_code"
            let rows = try Row.fetchCursor(db, sql: sql, arguments: arguments)
            while let row = try rows.next() { try body(try Store.enterprise(row)) }
        }
    }

    static func enterprise(_ row: Row) throws -> Enterprise {
        Enterprise(
            taxCode: try taxCode(row[0]), name: row[1], province: try province(code: row[2]),
            innovativeStartup: (row[3] as Int64) != 0, registeredOn: try Day(parsing: row[4]))
    }
}
