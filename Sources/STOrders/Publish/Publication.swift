import GRDB

/// Rows of one national table, as the text PostgreSQL's COPY reads (integers in decimal, dates
/// `YYYY-MM-DD`, booleans `0`/`1`, nil for NULL), in the order of `columns`: the national
/// table's columns without `source_id`, which the publisher adds.
public struct PublishTable: Sendable, Equatable {
    public let name: String
    public let columns: [String]
    public var rows: [[String?]]
    /// For a table of rows that change in the province (orders, outputs, enterprises): the
    /// columns a newer publish writes over. Empty for the rows that never change (inserted once).
    public let changing: [String]
}

/// One batch of a publish: the next events (or seals) of the chain, with the rows they wrote.
public struct PublishBatch: Sendable {
    /// The chain's ids this batch covers: after `afterID`, up to `lastID` (inclusive).
    public let afterID: Int64
    public let lastID: Int64
    /// The hash of the chain's entry `lastID`: the published position once this batch is in.
    public let lastHash: String
    /// How many chain entries (events or seals).
    public let count: Int
    /// The tables, in the order they are written.
    public var tables: [PublishTable]
}

/// What the published store says it holds of one chain, compared entry by entry with this file.
public struct ChainEntry: Sendable, Equatable {
    public let id: Int64
    public let hash: String
    /// For an event, its order's code, action and date; for a seal, what it sealed.
    public let summary: String

    public init(id: Int64, hash: String, summary: String) {
        self.id = id
        self.hash = hash
        self.summary = summary
    }
}

/// A consistent view of one STOrders file for a publish: every read sees the file as it was when
/// the publication was opened (one read transaction on a connection of its own, held until
/// `close`), so the batches of one publish never mix two states of the file while others write.
public final class Publication: Sendable {
    let queue: DatabaseQueue
    public let source: SourceIdentity
    /// The head of the history's chain at the snapshot (0 and 64 zeros when there is no event).
    public let lastEventID: Int64
    public let lastEventHash: String
    /// The head of the seals' chain at the snapshot.
    public let lastSealID: Int64
    public let lastSealHash: String
    /// The provinces of the file's orders: the national store gives each to one source.
    public let provinces: [String]

    /// Opens the snapshot of the database `store` has open (a file: a publish reads a file).
    public init(store: Store) throws {
        var config = Configuration()
        config.busyMode = .timeout(30)
        config.label = "storders-publication"
        // The snapshot is one read transaction kept open across accesses, on purpose.
        config.allowsUnsafeTransactions = true
        do {
            queue = try DatabaseQueue(path: store.path, configuration: config)
            let head = try queue.inDatabase { db in
                try db.execute(sql: "BEGIN DEFERRED")
                let source = try Store.sourceIdentity(db)
                let event = try Row.fetchOne(db, sql: "SELECT id, hash FROM events ORDER BY id DESC LIMIT 1")
                let seal = try Row.fetchOne(db, sql: "SELECT id, hash FROM seals ORDER BY id DESC LIMIT 1")
                // One seek per province in orders_by_province, not a walk through all of it
                // (1.5 s for a million orders read cold, against milliseconds).
                let provinces = try String.fetchAll(
                    db,
                    sql: """
                        WITH RECURSIVE p(code) AS (
                            SELECT min(province_code) FROM orders
                            UNION ALL
                            SELECT (SELECT min(province_code) FROM orders WHERE province_code > p.code)
                            FROM p WHERE p.code IS NOT NULL)
                        SELECT code FROM p WHERE code IS NOT NULL
                        """)
                return (source, event, seal, provinces)
            }
            source = head.0
            lastEventID = head.1?[0] ?? 0
            lastEventHash = head.1?[1] ?? HistoryChain.genesis
            lastSealID = head.2?[0] ?? 0
            lastSealHash = head.2?[1] ?? HistoryChain.genesis
            provinces = head.3
        } catch let error as DatabaseError {
            throw store.mapError(error)
        }
    }

    /// Ends the read transaction and closes the connection.
    public func close() {
        try? queue.inDatabase { db in try db.execute(sql: "ROLLBACK") }
        try? queue.close()
    }

    /// The genesis hash: what a chain's position is before its first entry.
    public static let genesis = HistoryChain.genesis

    /// Event `id` of this file as a chain entry, or nil when the file has no such event.
    public func event(_ id: Int64) throws -> ChainEntry? {
        try read { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT e.hash, o.code, e.action, e.occurred_on FROM events e LEFT JOIN orders o ON o.id = e.order_id
                        WHERE e.id = ?
                        """, arguments: [id])
            else { return nil }
            let code: String? = row[1]
            let action: String = row[2]
            let day: String = row[3]
            return ChainEntry(id: id, hash: row[0], summary: Publication.eventSummary(code ?? "?", action, day))
        }
    }

    /// Seal `id` of this file as a chain entry, or nil when the file has no such seal.
    public func seal(_ id: Int64) throws -> ChainEntry? {
        try read { db in
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT hash, record_table, record_id, action FROM seals WHERE id = ?", arguments: [id])
            else { return nil }
            let table: String = row[1]
            let recordID: Int64 = row[2]
            let action: String = row[3]
            return ChainEntry(id: id, hash: row[0], summary: Publication.sealSummary(table, recordID, action))
        }
    }

    /// How an event is named in a refusal: its order, what happened and when.
    public static func eventSummary(_ orderCode: String, _ action: String, _ day: String) -> String {
        "order \(orderCode): \(action) on \(day)"
    }

    /// How a seal is named in a refusal: the row it sealed and why.
    public static func sealSummary(_ table: String, _ recordID: Int64, _ action: String) -> String {
        "\(table) row \(recordID): \(action)"
    }

    /// The events after `afterID` (at most `limit`, up to the snapshot's head) with the rows they
    /// wrote and the orders they moved, or nil when there is none. `afterHash` is the hash of
    /// event `afterID` (the genesis value for 0): each event carries the previous one's hash.
    public func events(after afterID: Int64, hash afterHash: String, limit: Int) throws -> PublishBatch? {
        try read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT o.province_code, e.id, e.order_id, o.code, e.occurred_on, e.recorded_at, e.action,
                           e.details, e.actor, e.record_table, e.record_id, e.record, e.hash
                    FROM events e JOIN orders o ON o.id = e.order_id
                    WHERE e.id > ? AND e.id <= ? ORDER BY e.id LIMIT ?
                    """, arguments: [afterID, lastEventID, max(1, limit)])
            guard let last = rows.last else { return nil }
            let events = Publication.chained(rows, hashAt: 12, after: afterHash)
            let upTo: Int64 = last[1]
            let range: StatementArguments = [afterID, upTo]
            // The batch's events by their id range (`+` keeps SQLite from reading them through
            // events_by_record instead: every event of the table, 0.84 s for a 1,000-event batch
            // of a 1,000,000-order file, against 0.01 s).
            let writtenIDs = { (table: String) in
                "SELECT record_id FROM events WHERE id > ?1 AND id <= ?2 AND +record_table = '\(table)'"
            }
            let written = { (table: String) in "(\(writtenIDs(table)))" }
            var tables = [
                PublishTable(
                    name: "events",
                    columns: [
                        "province_code", "id", "order_id", "order_code", "occurred_on", "recorded_at", "action",
                        "details", "actor", "record_table", "record_id", "record", "prev", "hash",
                    ], rows: events, changing: [])
            ]
            tables.append(
                try Publication.table(
                    db, "orders",
                    sql: """
                        SELECT o.province_code, o.id, o.code, o.title, o.field, o.enterprise_id, n.tax_code AS enterprise_tax_code,
                               o.ordered_on, o.state, o.funded_on, o.delivered_on, o.commercialized_on, o.cancelled_on,
                               o.cancel_reason
                        FROM orders o JOIN enterprises n ON n.id = o.enterprise_id
                        WHERE o.id IN (SELECT order_id FROM events WHERE id > ?1 AND id <= ?2)
                        """, arguments: range,
                    changing: [
                        "state", "funded_on", "delivered_on", "commercialized_on", "cancelled_on", "cancel_reason",
                    ]))
            // An amendment's events write its amendment row, and an approved one moves the date
            // in force of its output or its funding: those rows go again with the batch.
            tables.append(
                try Publication.table(
                    db, "outputs",
                    sql: """
                        SELECT o.province_code, x.id, x.order_id, x.number, x.title, x.type, x.novelty, x.value,
                               x.accepted_on, x.evidence, x.due_on, x.extended_to
                        FROM outputs x JOIN orders o ON o.id = x.order_id
                        WHERE x.id IN (\(writtenIDs("outputs"))
                                       UNION SELECT output_id FROM amendments WHERE id IN \(written("amendments")) AND output_id IS NOT NULL)
                        """, arguments: range,
                    changing: [
                        "title", "type", "novelty", "value", "accepted_on", "evidence", "due_on", "extended_to",
                    ]))
            tables.append(
                try Publication.table(
                    db, "fundings",
                    sql: """
                        SELECT o.province_code, f.order_id, f.state_budget, f.enterprise_funds, f.other, f.other_source,
                               f.funded_on, f.starts_on, f.ends_on, f.ends_extended_to
                        FROM fundings f JOIN orders o ON o.id = f.order_id
                        WHERE f.order_id IN (\(writtenIDs("fundings"))
                                             UNION SELECT order_id FROM amendments WHERE id IN \(written("amendments")) AND output_id IS NULL)
                        """, arguments: range, changing: ["ends_extended_to"]))
            tables.append(
                try Publication.table(
                    db, "payments",
                    sql: """
                        SELECT o.province_code, p.id, p.order_id, p.number, p.output_id, p.amount, p.source, p.reference,
                               p.paid_on, p.reverses, p.reason, p.settled
                        FROM payments p JOIN orders o ON o.id = p.order_id WHERE p.id IN \(written("payments"))
                        """, arguments: range))
            tables.append(
                try Publication.table(
                    db, "advances",
                    sql: Publication.advanceColumns + " WHERE a.id IN \(written("advances"))", arguments: range))
            tables.append(
                try Publication.table(
                    db, "results",
                    sql: """
                        SELECT o.province_code, r.id, r.order_id, r.number, r.channel, r.revenue, r.note, r.commercialized_on
                        FROM results r JOIN orders o ON o.id = r.order_id WHERE r.id IN \(written("results"))
                        """, arguments: range))
            tables.append(
                try Publication.table(
                    db, "result_retractions",
                    sql: """
                        SELECT o.province_code, t.id, t.result_id, t.reason, t.retracted_on
                        FROM result_retractions t JOIN results r ON r.id = t.result_id JOIN orders o ON o.id = r.order_id
                        WHERE t.id IN \(written("result_retractions"))
                        """, arguments: range))
            return PublishBatch(
                afterID: afterID, lastID: upTo, lastHash: (last["hash"] as String?) ?? "", count: rows.count,
                tables: tables)
        }
    }

    /// The due dates (`outputs`: `province_code, id, due_on, extended_to`) or the contract
    /// periods (`fundings`: `province_code, order_id, starts_on, ends_on, ends_extended_to`) of the
    /// file's outputs or fundings that have one, after the row `afterID` (an output's id, a
    /// funding's order id), at most `limit`, in that order; nil when there is none left. What a
    /// national store of version 3 or older did not keep of what was published before.
    public func dates(of table: String, after afterID: Int64, limit: Int) throws -> PublishTable? {
        let sql: String
        switch table {
        case "outputs":
            sql = """
                SELECT o.province_code, x.id, x.due_on, x.extended_to FROM outputs x JOIN orders o ON o.id = x.order_id
                WHERE x.id > ? AND x.due_on IS NOT NULL ORDER BY x.id LIMIT ?
                """
        case "fundings":
            sql = """
                SELECT o.province_code, f.order_id, f.starts_on, f.ends_on, f.ends_extended_to
                FROM fundings f JOIN orders o ON o.id = f.order_id
                WHERE f.order_id > ? AND f.ends_on IS NOT NULL ORDER BY f.order_id LIMIT ?
                """
        default: return nil
        }
        let found = try read { db in
            try Publication.table(db, table, sql: sql, arguments: [afterID, max(1, limit)])
        }
        return found.rows.isEmpty ? nil : found
    }

    /// The advances and recoveries as the national `advances` table holds them, from `advances a`
    /// joined to its order `o` (a condition on `a` follows).
    static let advanceColumns = """
        SELECT o.province_code, a.id, a.order_id, a.number, a.kind, a.amount, a.made_on, a.reference, a.reason,
               a.limit_share
        FROM advances a JOIN orders o ON o.id = a.order_id
        """

    /// What a national store of version 4 or older did not keep of what a file published.
    public enum AdvanceRecords: Sendable {
        /// The advances and recoveries, every column of the national `advances` table.
        case advances
        /// The settled part of the payments that have one: `province_code, id, settled`.
        case settled

        /// The table of the file they are read from.
        var table: String { self == .advances ? "advances" : "payments" }

        var sql: String {
            switch self {
            case .advances:
                return Publication.advanceColumns + """
                     WHERE a.id > ?1 AND EXISTS (SELECT 1 FROM events e WHERE e.record_table = 'advances'
                                                AND e.record_id = a.id AND e.id <= ?2)
                    ORDER BY a.id LIMIT ?3
                    """
            case .settled:
                return """
                    SELECT o.province_code, p.id, p.settled FROM payments p JOIN orders o ON o.id = p.order_id
                    WHERE p.id > ?1 AND p.settled <> 0
                      AND EXISTS (SELECT 1 FROM events e WHERE e.record_table = 'payments' AND e.record_id = p.id AND e.id <= ?2)
                    ORDER BY p.id LIMIT ?3
                    """
            }
        }
    }

    /// The `records` of the rows this file's events up to `upTo` wrote, after the row `afterID`,
    /// at most `limit`, by id; nil when there is none left. (The rows written by later events go
    /// with their events.)
    public func advanceRecords(_ records: AdvanceRecords, upTo eventID: Int64, after afterID: Int64, limit: Int)
        throws -> PublishTable?
    {
        let found = try read { db in
            try Publication.table(
                db, records.table, sql: records.sql, arguments: [afterID, eventID, max(1, limit)])
        }
        return found.rows.isEmpty ? nil : found
    }

    /// The seals after `afterID` (at most `limit`, up to the snapshot's head) with the enterprises
    /// and targets they sealed, or nil when there is none.
    public func seals(after afterID: Int64, hash afterHash: String, limit: Int) throws -> PublishBatch? {
        try read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT id, record_table, record_id, recorded_at, action, actor, record, hash FROM seals
                    WHERE id > ? AND id <= ? ORDER BY id LIMIT ?
                    """, arguments: [afterID, lastSealID, max(1, limit)])
            guard let last = rows.last else { return nil }
            let seals = Publication.chained(rows, hashAt: 7, after: afterHash)
            let upTo: Int64 = last[0]
            let range: StatementArguments = [afterID, upTo]
            // By the id range, as for the events (not through seals_by_record).
            let sealed = { (table: String) in
                "(SELECT record_id FROM seals WHERE id > ?1 AND id <= ?2 AND +record_table = '\(table)')"
            }
            let tables = [
                PublishTable(
                    name: "seals",
                    columns: [
                        "id", "record_table", "record_id", "recorded_at", "action", "actor", "record", "prev", "hash",
                    ], rows: seals, changing: []),
                try Publication.table(
                    db, "enterprises",
                    sql: """
                        SELECT n.province_code, n.id, n.tax_code, n.name, n.innovative_startup, n.registered_on,
                               (SELECT max(s.id) FROM seals s WHERE s.record_table = 'enterprises' AND s.record_id = n.id
                                                                   AND s.id <= ?2) AS seal_id
                        FROM enterprises n WHERE n.id IN \(sealed("enterprises"))
                        """, arguments: range,
                    changing: ["name", "innovative_startup", "registered_on", "seal_id"]),
                try Publication.table(
                    db, "targets",
                    sql: """
                        SELECT id, key, province_code, value, set_at, set_by FROM targets WHERE id IN \(sealed("targets"))
                        """, arguments: range),
            ]
            return PublishBatch(
                afterID: afterID, lastID: upTo, lastHash: (last["hash"] as String?) ?? "", count: rows.count,
                tables: tables)
        }
    }

    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try queue.inDatabase(body)
        } catch let error as DatabaseError {
            throw STOrdersError.databaseUnavailable(path: queue.path, reason: error.message ?? "\(error.resultCode)")
        }
    }

    /// A table of rows read by `sql` (its column names are the national table's, in order).
    static func table(
        _ db: Database, _ name: String, sql: String, arguments: StatementArguments, changing: [String] = []
    ) throws -> PublishTable {
        let statement = try db.makeStatement(sql: sql)
        var rows: [[String?]] = []
        let cursor = try Row.fetchCursor(statement, arguments: arguments)
        while let row = try cursor.next() { rows.append(texts(row)) }
        return PublishTable(name: name, columns: statement.columnNames, rows: rows, changing: changing)
    }

    /// A row's values as text (integers in decimal, NULL as nil).
    /// Each row's texts with the previous row's hash inserted just before its own (at `hashAt`),
    /// the first row's previous hash being `afterHash`: a chain as the national store keeps it.
    static func chained(_ rows: [Row], hashAt index: Int, after afterHash: String) -> [[String?]] {
        var prev = afterHash
        return rows.map { row in
            var values = texts(row)
            let hash = values[index] ?? ""
            values.insert(prev, at: index)
            prev = hash
            return values
        }
    }

    static func texts(_ row: Row) -> [String?] {
        row.databaseValues.map { value in
            switch value.storage {
            case .null: return nil
            case .int64(let i): return String(i)
            case .double(let d): return String(d)
            case .string(let s): return s
            case .blob(let data): return HistoryChain.hex(data)
            }
        }
    }
}
