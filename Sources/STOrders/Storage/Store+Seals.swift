import GRDB

extension Store {
    // MARK: verify: the seals' chain and the enterprise and target rows against their seals

    /// Walks the seals oldest first, recomputing each hash (see `SealTable`).
    static func checkSealChain(_ db: Database, into v: inout Verification) throws {
        try checkChain(
            db,
            sql: "SELECT id, record_table, record_id, recorded_at, action, actor, record, hash FROM seals ORDER BY id",
            fields: 6, hash: HistoryChain.sealHash, entry: "seal", into: &v
        ) { row in
            "seal #\(shown(row[0] as DatabaseValue)) (\(shown(row[4] as DatabaseValue)) of \(sealedRow(row[1], record: row[6])))"
        }
    }

    /// Walks a chain kept beside the history (the seals, the checklist) oldest first: `sql`
    /// selects the id, the `fields` hashed in order, then the stored hash. Each row whose hash
    /// does not follow from the one before and its fields is a finding, named by `name`.
    static func checkChain(
        _ db: Database, sql: String, fields count: Int, hash: (String, [DatabaseValue]) -> String, entry: String,
        into v: inout Verification, name: (Row) -> String
    ) throws {
        let cursor = try Row.fetchCursor(db, sql: sql)
        var prev = HistoryChain.genesis
        while let row = try cursor.next() {
            let fields = (1...count).map { row[$0] as DatabaseValue }
            let stored = shown(row[count + 1] as DatabaseValue)
            if stored != hash(prev, fields) {
                v.findings.append(
                    .init(
                        check: .chain, order: nil,
                        message:
                            "\(name(row)) does not match its hash: it was edited, or a \(entry) before it was deleted, inserted or moved"
                    ))
            }
            prev = stored
        }
    }

    /// "enterprise 0100109106 (province 19)", "target innovative_startups (national)", "target … of province 19",
    /// from a seal's record (so a row that is gone is still named).
    static func sealedRow(_ table: DatabaseValue, record: DatabaseValue) -> String {
        var fields: [String: String] = [:]
        for (name, value) in decode(shown(record)) {
            let quoted = value.count >= 2 && value.hasPrefix("'") && value.hasSuffix("'")
            fields[name] = quoted ? String(value.dropFirst().dropLast()) : value
        }
        return name(table: shown(table), fields)
    }

    private static func name(table: String, _ fields: [String: String]) -> String {
        if table == SealTable.enterprises.rawValue {
            return "enterprise \(fields["tax_code"] ?? "?") (province \(fields["province_code"] ?? "?"))"
        }
        let province = fields["province_code"].flatMap { $0 == "none" ? nil : $0 }
        return "target \(fields["key"] ?? "?") (\(province.map { "province \($0)" } ?? "national"))"
    }

    /// Every enterprise and target row against its latest seal, and every seal's row still there.
    static func checkSealedRows(_ db: Database, into v: inout Verification) throws {
        for table in SealTable.allCases {
            // What a finding calls the row: its tax code or target key, and its province.
            func what(_ row: Row) -> String {
                var fields: [String: String] = [:]
                for (name, value) in zip(row.columnNames, row.databaseValues) { fields[name] = shown(value) }
                return name(table: table.rawValue, fields)
            }
            try compareWithLatestRecord(
                db, select: table.select, chain: .seals, recordTable: table.rawValue, orderedByID: true,
                missing: { row in
                    v.findings.append(
                        .init(
                            check: .records, order: nil,
                            message: "\(what(row)) has no seal: it was added outside storders"))
                },
                changed: { row, differences, sealID in
                    v.findings.append(
                        .init(
                            check: .records, order: nil,
                            message: "\(what(row)) was changed outside storders: \(differences) (seal #\(sealID))"))
                })
            let missing = try Row.fetchAll(
                db,
                sql: """
                    SELECT s.id, s.record_table, s.record FROM seals s
                    WHERE s.record_table = ? AND NOT EXISTS (SELECT 1 FROM \(table.rawValue) t WHERE t.id = s.record_id)
                      AND s.id = (SELECT max(u.id) FROM seals u WHERE u.record_table = s.record_table AND u.record_id = s.record_id)
                    ORDER BY s.id
                    """, arguments: [table.rawValue])
            for row in missing {
                v.findings.append(
                    .init(
                        check: .records, order: nil,
                        message:
                            "\(sealedRow(row[1], record: row[2])), sealed by seal #\(shown(row[0] as DatabaseValue)), is no longer there: it was deleted outside storders"
                    ))
            }
        }
    }

    // MARK: upgrade to schema version 3

    /// Version 2 → 3, the data step: creates the `seals` table (with schema.sql's own text) and seals
    /// every enterprise and target row already in the file, oldest first, as it stands (action
    /// `sealed_by_upgrade`, by `actor`, now). Those rows are vouched for from the upgrade on: an edit
    /// made before it cannot be told apart. Runs inside the upgrade's one transaction.
    static func sealEnterprisesAndTargetsForVersion3(_ db: Database, actor: String) throws {
        let present = Set(try schemaObjectsInOrder(db).map(\.key))
        for object in try expectedSchemaInOrder() where object.table == "seals" && !present.contains(object.key) {
            guard let sql = object.sql else { continue }
            try db.execute(sql: sql)
        }
        var head = try SealTable.head(db)
        let now = Store.timestamp()
        for table in SealTable.allCases {
            let ids = try Int64.fetchAll(
                db,
                sql: """
                    SELECT t.id FROM \(table.rawValue) t
                    WHERE NOT EXISTS (SELECT 1 FROM seals s WHERE s.record_table = ? AND s.record_id = t.id) ORDER BY t.id
                    """, arguments: [table.rawValue])
            for id in ids {
                head = try table.seal(db, id: id, action: .sealedByUpgrade, actor: actor, recordedAt: now, head: head)
            }
        }
    }
}
