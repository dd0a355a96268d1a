import GRDB

extension Store {
    /// Checks the whole file in one read snapshot, and returns every problem found (it never
    /// stops at the first): SQLite's integrity and foreign-key checks, the schema and its
    /// triggers against schema.sql, the hash chain of the history, every recorded row against
    /// its event, and the domain's rules recomputed from the rows. Reading a damaged file is
    /// reported, never trapped on. Events are streamed; memory does not grow with the history.
    public func verify() throws -> Verification {
        let expectedSchema = try Store.expectedSchema()
        return try read { db in
            var v = Verification()
            // A check that cannot run (a table or view of the schema dropped) is itself a finding;
            // the others still run.
            func run(_ check: Verification.Check, _ body: (inout Verification) throws -> Void) {
                do {
                    try body(&v)
                } catch let error as DatabaseError {
                    v.findings.append(
                        .init(
                            check: check, order: nil,
                            message:
                                "this check could not run on this file (\(error.message ?? "SQLite error \(error.resultCode.rawValue)"))"
                        ))
                } catch {
                    v.findings.append(
                        .init(check: check, order: nil, message: "this check could not run on this file (\(error))"))
                }
            }
            run(.integrity) { try Store.checkIntegrity(db, into: &$0) }
            run(.references) { try Store.checkReferences(db, into: &$0) }
            run(.schema) { try Store.checkSchema(db, expected: expectedSchema, into: &$0) }
            run(.chain) { try Store.checkChain(db, into: &$0) }
            run(.records) { try Store.checkRecords(db, into: &$0) }
            run(.chain) { try Store.checkSealChain(db, into: &$0) }
            run(.records) { try Store.checkSealedRows(db, into: &$0) }
            run(.chain) { try Store.checkChecklistChain(db, into: &$0) }
            run(.chain) { try Store.checkAdvanceLimitChain(db, into: &$0) }
            run(.documents) { try Store.checkDocuments(db, into: &$0) }
            run(.invariants) { try Store.checkHistories(db, into: &$0) }
            run(.invariants) { try Store.checkRules(db, into: &$0) }
            run(.totals) { try Store.checkTotals(db, into: &$0) }
            v.orders = (try? Int.fetchOne(db, sql: "SELECT count(*) FROM orders")) ?? 0
            v.payments = (try? Int.fetchOne(db, sql: "SELECT count(*) FROM payments")) ?? 0
            v.results = (try? Int.fetchOne(db, sql: "SELECT count(*) FROM results")) ?? 0
            return v
        }
    }

    /// Any stored value as a person reads it.
    static func shown(_ value: DatabaseValue) -> String {
        switch value.storage {
        case .null: return "none"
        case .int64(let i): return String(i)
        case .double(let d): return String(d)
        case .string(let s): return s
        case .blob(let b): return "\(b.count) bytes"
        }
    }

    static func money(_ value: DatabaseValue) -> String {
        if case .int64(let i) = value.storage { return Money.format(i) + " đồng" }
        return shown(value) + " đồng"
    }

    private static func text(_ row: Row, _ i: Int) -> String { shown(row[i] as DatabaseValue) }
    private static func code(_ row: Row, _ i: Int = 0) -> String? {
        let v = row[i] as DatabaseValue
        return v.isNull ? nil : shown(v)
    }

    // MARK: SQLite's own checks

    static func checkIntegrity(_ db: Database, into v: inout Verification) throws {
        let lines = try String.fetchAll(db, sql: "PRAGMA integrity_check")
        if lines != ["ok"] {
            for line in lines { v.findings.append(.init(check: .integrity, order: nil, message: line)) }
        }
    }

    static func checkReferences(_ db: Database, into v: inout Verification) throws {
        let rows = try Row.fetchAll(db, sql: "PRAGMA foreign_key_check")
        for row in rows {
            let table = text(row, 0)
            let rowid = text(row, 1)
            let parent = text(row, 2)
            var order: String? = nil
            if ["outputs", "fundings", "payments", "results", "events", "payment_requests", "advances"].contains(table)
            {
                order = try String.fetchOne(
                    db, sql: "SELECT o.code FROM \(table) t JOIN orders o ON o.id = t.order_id WHERE t.rowid = ?",
                    arguments: [row[1] as DatabaseValue])
            } else if table == "documents" {
                order = try String.fetchOne(
                    db, sql: "SELECT o.code FROM documents t JOIN orders o ON o.id = t.order_id WHERE t.rowid = ?",
                    arguments: [row[1] as DatabaseValue])
            } else if table == "result_retractions" {
                order = try String.fetchOne(
                    db,
                    sql: """
                        SELECT o.code FROM result_retractions t JOIN results r ON r.id = t.result_id JOIN orders o ON o.id = r.order_id
                        WHERE t.rowid = ?
                        """, arguments: [row[1] as DatabaseValue])
            }
            v.findings.append(
                .init(
                    check: .references, order: order,
                    message: "\(table) row \(rowid) refers to a \(parent) row that does not exist"))
        }
    }

    // MARK: Schema

    /// An object of sqlite_master. Names are unique per type only (schema.sql has an index and a
    /// trigger both called payments_reversed_once), so objects are keyed by `key`, type and name.
    struct SchemaObject: Equatable {
        var type: String
        var name: String
        var table: String
        var sql: String?

        var key: String { "\(type) \(name)" }
    }

    /// What schema.sql makes, read from a fresh in-memory database.
    static func expectedSchema() throws -> [String: SchemaObject] {
        Dictionary(uniqueKeysWithValues: try expectedSchemaInOrder().map { ($0.key, $0) })
    }

    /// The same, in the order schema.sql creates the objects (tables before their indexes and
    /// triggers): what an upgrade runs to create the ones a file lacks.
    static func expectedSchemaInOrder() throws -> [SchemaObject] {
        do {
            let queue = try DatabaseQueue()
            try queue.write { db in try db.execute(sql: schemaSQL) }
            return try queue.read { db in try schemaObjectsInOrder(db) }
        } catch let error as DatabaseError {
            throw STOrdersError.constraintViolated("the embedded schema does not load: \(error.message ?? "")")
        }
    }

    static func schemaObjects(_ db: Database) throws -> [String: SchemaObject] {
        Dictionary(uniqueKeysWithValues: try schemaObjectsInOrder(db).map { ($0.key, $0) })
    }

    static func schemaObjectsInOrder(_ db: Database) throws -> [SchemaObject] {
        try Row.fetchAll(db, sql: "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY rowid").map { row in
            SchemaObject(type: text(row, 0), name: text(row, 1), table: text(row, 2), sql: row[3])
        }
    }

    static func checkSchema(_ db: Database, expected: [String: SchemaObject], into v: inout Verification) throws {
        let actual = try schemaObjects(db)
        for (key, want) in expected.sorted(by: { $0.key < $1.key }) {
            if let have = actual[key] {
                if have != want {
                    v.findings.append(
                        .init(
                            check: .schema, order: nil,
                            message: "\(want.type) \(want.name) differs from schema.sql (it was altered)"))
                }
            } else {
                let what = want.type == "trigger" ? "; the rule it enforces is not protected" : ""
                v.findings.append(
                    .init(check: .schema, order: nil, message: "\(want.type) \(want.name) is missing\(what)"))
            }
        }
        for (key, have) in actual.sorted(by: { $0.key < $1.key }) where expected[key] == nil {
            v.findings.append(
                .init(
                    check: .schema, order: nil,
                    message: "\(have.type) \(have.name) on \(have.table) is not part of schema.sql (it was added)"))
        }
    }

    // MARK: Running totals

    static func checkTotals(_ db: Database, into v: inout Verification) throws {
        for (table, shown, count) in try Tallies.differences(db) {
            let more = count > shown.count ? " (and \(count - shown.count) more)" : ""
            let keys = count == 1 ? "1 key" : "\(count) keys"
            v.findings.append(
                .init(
                    check: .totals, order: nil,
                    message:
                        "\(table.name) differs from the records for \(keys): \(shown.joined(separator: "; "))\(more)"))
        }
        let (orders, count) = try advanceBalanceDifferences(db)
        if count > 0 {
            let more = count > orders.count ? " (and \(count - orders.count) more)" : ""
            let which = count == 1 ? "1 order" : "\(count) orders"
            v.findings.append(
                .init(
                    check: .totals, order: count == 1 ? orders.first : nil,
                    message:
                        "advance_balances differs from the records for \(which): \(orders.joined(separator: ", "))\(more)"
                ))
        }
    }

    // MARK: Hash chain

    static func checkChain(_ db: Database, into v: inout Verification) throws {
        let cursor = try Row.fetchCursor(
            db,
            sql: """
                SELECT e.id, o.code AS order_code, e.occurred_on, e.recorded_at, e.action, e.details, e.actor,
                       e.record_table, e.record_id, e.record, e.hash
                FROM events e LEFT JOIN orders o ON o.id = e.order_id ORDER BY e.id
                """)
        var prev = HistoryChain.genesis
        var count = 0
        while let row = try cursor.next() {
            count += 1
            let fields = (1...9).map { row[$0] as DatabaseValue }
            let stored = text(row, 10)
            let expected = HistoryChain.hash(prev: prev, fields: fields)
            if stored != expected {
                v.findings.append(
                    .init(
                        check: .chain, order: code(row, 1),
                        message:
                            "event #\(text(row, 0)) (\(text(row, 4)) on \(text(row, 2))) does not match its hash: it was edited, or an event before it was deleted, inserted or moved"
                    ))
            }
            prev = stored
        }
        v.events = count
        v.chainHead = count == 0 ? "" : prev
    }

    // MARK: Records against their events

    /// What a finding calls one row: "payment 3", "output 1", "funding", …
    static func describe(_ table: RecordTable, _ row: Row) -> String {
        switch table {
        case .orders: return "the order's own record (title, field, province, enterprise, date)"
        case .fundings: return "its funding"
        case .resultRetractions: return "the retraction of result \(shown(row["result"] as DatabaseValue))"
        default: return "\(table.noun) \(shown(row["number"] as DatabaseValue))"
        }
    }

    /// The two hash-chained tables whose records vouch for rows: events (orders' records) and
    /// seals (enterprises and targets).
    enum Chain: String {
        case events, seals
    }

    /// Each row of `select` (its id first, then the columns its record encodes) against the
    /// latest record the chain table `chain` (events or seals) holds for it: `missing` for a row
    /// that has none, `changed` with what differs and the record's id for one that no longer
    /// matches. The one walk behind the checks of order records and of enterprises and targets.
    static func compareWithLatestRecord(
        _ db: Database, select: String, chain: Chain, recordTable: String, orderedByID: Bool,
        missing: (Row) -> Void, changed: (Row, String, Int64) -> Void
    ) throws {
        let cursor = try Row.fetchCursor(
            db,
            sql: """
                SELECT q.*, c.id AS chain_id, c.record AS chain_record FROM (\(select)) q
                LEFT JOIN \(chain.rawValue) c ON c.id = (SELECT max(u.id) FROM \(chain.rawValue) u
                                              WHERE u.record_table = ? AND u.record_id = q.id)
                \(orderedByID ? "ORDER BY q.id" : "")
                """, arguments: [recordTable])
        while let row = try cursor.next() {
            let n = row.count
            guard let recordID = row[n - 2] as Int64? else {
                missing(row)
                continue
            }
            let now = HistoryChain.encode(row, from: 1, upTo: n - 2)
            let recorded: String? = row[n - 1]
            if recorded != now { changed(row, differences(recorded: recorded ?? "", now: now), recordID) }
        }
    }

    static func checkRecords(_ db: Database, into v: inout Verification) throws {
        for table in RecordTable.allCases {
            try compareWithLatestRecord(
                db, select: table.select, chain: .events, recordTable: table.rawValue, orderedByID: false,
                missing: { row in
                    v.findings.append(
                        .init(
                            check: .records, order: code(row, 1),
                            message:
                                "\(describe(table, row)) has no event in the history: it was added outside storders"))
                },
                changed: { row, differences, eventID in
                    v.findings.append(
                        .init(
                            check: .records, order: code(row, 1),
                            message:
                                "\(describe(table, row)) was changed outside storders: \(differences) (event #\(eventID))"
                        ))
                })
            let missing = try Row.fetchAll(
                db,
                sql: """
                    SELECT e.id, o.code, e.action, e.occurred_on FROM events e LEFT JOIN orders o ON o.id = e.order_id
                    WHERE e.record_table = ? AND NOT EXISTS (SELECT 1 FROM \(table.rawValue) t WHERE t.\(table.idInTable) = e.record_id)
                    """, arguments: [table.rawValue])
            for row in missing {
                v.findings.append(
                    .init(
                        check: .records, order: code(row, 1),
                        message:
                            "event #\(text(row, 0)) (\(text(row, 2)) on \(text(row, 3))) wrote a \(table.noun) record that is no longer there: it was deleted outside storders"
                    ))
            }
        }
    }

    /// The fields that differ between two canonical records, as "amount is 7 now but 6 was recorded".
    static func differences(recorded: String, now: String) -> String {
        let before = decode(recorded)
        let after = decode(now)
        var parts: [String] = []
        for (name, value) in after {
            let old = before.first { $0.name == name }?.value
            if old != value { parts.append("\(name) is \(value) now but \(old ?? "nothing") was recorded") }
        }
        for (name, value) in before where !after.contains(where: { $0.name == name }) {
            parts.append("\(name) was recorded as \(value)")
        }
        return parts.isEmpty ? "its record differs" : parts.joined(separator: "; ")
    }

    /// Reads a canonical encoding back into (name, value as shown) pairs; stops at anything malformed.
    static func decode(_ text: String) -> [(name: String, value: String)] {
        let bytes = Array(text.utf8)
        var out: [(String, String)] = []
        var i = 0
        while i < bytes.count {
            guard let eq = bytes[i...].firstIndex(of: UInt8(ascii: "=")) else { break }
            let name = String(decoding: bytes[i..<eq], as: UTF8.self)
            i = eq + 1
            if bytes[i...].starts(with: Array("null\n".utf8)) {
                out.append((name, "none"))
                i += 5
                continue
            }
            guard i < bytes.count, let colon = bytes[i...].firstIndex(of: UInt8(ascii: ":")),
                let length = Int(String(decoding: bytes[(i + 1)..<colon], as: UTF8.self)),
                colon + 1 + length <= bytes.count
            else { break }
            let tag = bytes[i]
            let value = String(decoding: bytes[(colon + 1)..<(colon + 1 + length)], as: UTF8.self)
            out.append((name, tag == UInt8(ascii: "t") ? "'\(value)'" : value))
            i = colon + 1 + length + 1
        }
        return out
    }

    // MARK: Each order's history against its state

    static func checkHistories(_ db: Database, into v: inout Verification) throws {
        let cursor = try Row.fetchCursor(
            db,
            sql: """
                SELECT o.id, o.code, o.state, o.funded_on, o.delivered_on, o.cancelled_on, e.action, e.occurred_on
                FROM orders o LEFT JOIN events e ON e.order_id = o.id ORDER BY o.id, e.id
                """)
        var fold: HistoryFold? = nil
        while let row = try cursor.next() {
            let id: Int64 = row[0]
            if fold?.orderID != id {
                if let done = fold { v.findings += done.finish() }
                fold = HistoryFold(
                    orderID: id, code: text(row, 1), state: text(row, 2), fundedOn: text(row, 3),
                    deliveredOn: text(row, 4), cancelledOn: text(row, 5))
            }
            let action = row[6] as DatabaseValue
            if !action.isNull { fold?.apply(action: shown(action), on: text(row, 7)) }
        }
        if let done = fold { v.findings += done.finish() }
    }

    /// Replays one order's events through the lifecycle (`OrderState.Replay`, built on
    /// `OrderState.next(after:)`) and the dates rule (`Chronology.Fold`): the state its history
    /// implies, any step the lifecycle does not allow where it stands, and any step dated
    /// before an earlier one. Stored text is read as it is: what does not parse is reported.
    struct HistoryFold {
        let orderID: Int64
        let code: String
        let state: String
        let fundedOn: String
        let deliveredOn: String
        let cancelledOn: String
        var replay = OrderState.Replay()
        var chronology = Chronology.Fold()
        var dates: [Event.Action: String] = [:]
        var findings: [Verification.Finding] = []

        init(orderID: Int64, code: String, state: String, fundedOn: String, deliveredOn: String, cancelledOn: String) {
            self.orderID = orderID
            self.code = code
            self.state = state
            self.fundedOn = fundedOn
            self.deliveredOn = deliveredOn
            self.cancelledOn = cancelledOn
        }

        mutating func apply(action text: String, on dayText: String) {
            // An action this version does not know (added by a later one) moves no state.
            guard let action = Event.Action(rawValue: text) else { return }
            let current = replay.state?.rawValue ?? "unregistered"
            if let refusal = replay.apply(action) {
                findings.append(
                    .init(
                        check: .invariants, order: code,
                        message:
                            "its history records \(text) on \(dayText) while the order was \(current), which the lifecycle does not allow (it needs \(refusal.needs); an event is missing, moved or added)"
                    ))
                return
            }
            if action == .funded || action == .delivered || action == .cancelled { dates[action] = dayText }
            // A malformed day breaks the CHECK on occurred_on, which the integrity check reports.
            guard let day = try? Day(parsing: dayText) else { return }
            if let problem = chronology.apply(action, on: day) {
                findings.append(.init(check: .invariants, order: code, message: problem))
            }
        }

        func finish() -> [Verification.Finding] {
            var out = findings
            let implied = replay.state?.rawValue ?? "unregistered"
            if implied != state {
                out.append(
                    .init(
                        check: .invariants, order: code,
                        message: "it is \(state) but its history says \(implied)"))
            }
            for (action, stored) in [
                (Event.Action.funded, fundedOn), (.delivered, deliveredOn), (.cancelled, cancelledOn),
            ] {
                if let day = dates[action], stored != "none", day != stored {
                    out.append(
                        .init(
                            check: .invariants, order: code,
                            message: "it was \(action.rawValue) on \(stored) but its history says \(day)"))
                }
            }
            return out
        }
    }

    // MARK: The domain's rules, recomputed from the rows

    /// One rule: a query selecting the order code first, then what the message shows.
    struct Rule: Sendable {
        let sql: String
        let message: @Sendable (Row) -> String
    }

    static let rules: [Rule] = [
        // The dates rule on a cancelled order's records (its history is read by `HistoryFold`).
        Rule(
            sql: """
                SELECT o.code, o.cancelled_on, s.step, s.on_day FROM orders o JOIN (
                    SELECT order_id, 'the order''s funding' AS step, funded_on AS on_day FROM fundings
                    UNION ALL SELECT order_id, 'the acceptance of output ' || number, accepted_on FROM outputs
                        WHERE accepted_on IS NOT NULL
                    UNION ALL SELECT order_id, 'payment ' || number, paid_on FROM payments WHERE reverses IS NULL
                ) s ON s.order_id = o.id
                WHERE o.cancelled_on IS NOT NULL AND s.on_day > o.cancelled_on
                """
        ) {
            "its cancellation on \(text($0, 1)) is dated before \(text($0, 2)) on \(text($0, 3)); no step of an order is dated before an earlier one"
        },
        Rule(
            sql: """
                SELECT o.code, o.state FROM orders o
                WHERE o.state IN ('funded', 'delivered', 'commercialized') AND NOT EXISTS (SELECT 1 FROM outputs x WHERE x.order_id = o.id)
                """
        ) { "it is \(text($0, 1)) but has no outputs" },
        Rule(
            sql: """
                SELECT o.code, o.state FROM orders o
                WHERE o.funded_on IS NOT NULL AND NOT EXISTS (SELECT 1 FROM fundings f WHERE f.order_id = o.id)
                """
        ) { "it is \(text($0, 1)) but has no funding" },
        Rule(
            sql: """
                SELECT o.code, o.state FROM orders o JOIN fundings f ON f.order_id = o.id WHERE o.funded_on IS NULL
                """
        ) { "it is \(text($0, 1)) and was never funded, yet a funding is recorded for it" },
        Rule(
            sql: """
                SELECT o.code, o.funded_on, f.funded_on FROM orders o JOIN fundings f ON f.order_id = o.id
                WHERE o.funded_on IS NOT NULL AND o.funded_on IS NOT f.funded_on
                """
        ) { "it was funded on \(text($0, 1)) but its funding is dated \(text($0, 2))" },
        Rule(
            sql: """
                SELECT o.code, o.state, count(*) FROM orders o JOIN outputs x ON x.order_id = o.id AND x.accepted_on IS NULL
                WHERE o.state IN ('delivered', 'commercialized') GROUP BY o.id
                """
        ) { "it is \(text($0, 1)) but \(text($0, 2)) of its outputs are not accepted" },
        Rule(
            sql: """
                SELECT o.code FROM orders o
                WHERE o.state = 'funded' AND EXISTS (SELECT 1 FROM outputs x WHERE x.order_id = o.id)
                  AND NOT EXISTS (SELECT 1 FROM outputs x WHERE x.order_id = o.id AND x.accepted_on IS NULL)
                """
        ) { _ in "every output is accepted, yet it is still funded, not delivered" },
        Rule(
            sql: """
                SELECT o.code, o.state, x.number FROM orders o JOIN outputs x ON x.order_id = o.id
                WHERE x.accepted_on IS NOT NULL AND (o.funded_on IS NULL OR x.accepted_on < o.funded_on)
                """
        ) { "output \(text($0, 2)) is accepted although the order was not funded by then" },
        Rule(
            sql: """
                SELECT o.code, o.delivered_on, (SELECT max(x.accepted_on) FROM outputs x WHERE x.order_id = o.id) FROM orders o
                WHERE o.delivered_on IS NOT NULL
                  AND o.delivered_on IS NOT (SELECT max(x.accepted_on) FROM outputs x WHERE x.order_id = o.id)
                """
        ) { "it was delivered on \(text($0, 1)) but its last output was accepted on \(text($0, 2))" },
        Rule(
            sql: """
                SELECT o.code, o.state FROM orders o
                WHERE o.state = 'commercialized' AND NOT EXISTS (SELECT 1 FROM results_live r WHERE r.order_id = o.id)
                """
        ) { _ in "it is commercialized but has no result that stands" },
        Rule(
            sql: """
                SELECT o.code, o.state, (SELECT count(*) FROM results_live r WHERE r.order_id = o.id) FROM orders o
                WHERE o.state <> 'commercialized' AND EXISTS (SELECT 1 FROM results_live r WHERE r.order_id = o.id)
                """
        ) { "it is \(text($0, 1)) but \(text($0, 2)) of its results stand (it should be commercialized)" },
        Rule(
            sql: """
                SELECT o.code, o.commercialized_on, (SELECT min(r.commercialized_on) FROM results_live r WHERE r.order_id = o.id)
                FROM orders o WHERE o.state = 'commercialized'
                  AND EXISTS (SELECT 1 FROM results_live r WHERE r.order_id = o.id)
                  AND o.commercialized_on IS NOT (SELECT min(r.commercialized_on) FROM results_live r WHERE r.order_id = o.id)
                """
        ) { "it is commercialized from \(text($0, 1)) but its earliest standing result is dated \(text($0, 2))" },
        Rule(
            sql: """
                SELECT o.code, r.number, r.commercialized_on, o.delivered_on FROM results r JOIN orders o ON o.id = r.order_id
                WHERE o.delivered_on IS NULL OR r.commercialized_on < o.delivered_on
                """
        ) { "result \(text($0, 1)) is dated \(text($0, 2)), before the order was delivered (\(text($0, 3)))" },
        Rule(
            sql: """
                SELECT o.code, t.retracted_on, r.number, r.commercialized_on
                FROM result_retractions t JOIN results r ON r.id = t.result_id JOIN orders o ON o.id = r.order_id
                WHERE t.retracted_on < r.commercialized_on
                """
        ) { "result \(text($0, 2)) is retracted on \(text($0, 1)), before it was recorded (\(text($0, 3)))" },
        Rule(
            sql: """
                SELECT o.code, x.number, x.value, sum(p.amount)
                FROM payments p JOIN outputs x ON x.id = p.output_id JOIN orders o ON o.id = x.order_id
                GROUP BY x.id HAVING sum(p.amount) > x.value OR sum(p.amount) < 0
                """
        ) {
            "output \(text($0, 1)) has \(money($0[3])) paid against it (net of reversals), outside 0 to its value of \(money($0[2]))"
        },
        Rule(
            sql: """
                SELECT o.code, p.source, sum(p.amount),
                       coalesce(CASE p.source WHEN 'state' THEN f.state_budget WHEN 'enterprise' THEN f.enterprise_funds
                                              ELSE f.other END, 0)
                FROM payments p JOIN orders o ON o.id = p.order_id LEFT JOIN fundings f ON f.order_id = p.order_id
                GROUP BY p.order_id, p.source
                HAVING sum(p.amount) > coalesce(CASE p.source WHEN 'state' THEN f.state_budget
                                                          WHEN 'enterprise' THEN f.enterprise_funds ELSE f.other END, 0)
                """
        ) {
            "\(money($0[2])) is paid from source '\(text($0, 1))' (net of reversals), more than its funding of \(money($0[3]))"
        },
        Rule(
            sql: """
                SELECT o.code, p.number FROM payments p JOIN orders o ON o.id = p.order_id JOIN outputs x ON x.id = p.output_id
                WHERE x.order_id IS NOT p.order_id
                """
        ) { "payment \(text($0, 1)) is against an output of another order" },
        Rule(
            sql: """
                SELECT o.code, p.number, p.paid_on, x.number, x.accepted_on
                FROM payments p JOIN orders o ON o.id = p.order_id JOIN outputs x ON x.id = p.output_id
                WHERE p.reverses IS NULL AND (x.accepted_on IS NULL OR p.paid_on < x.accepted_on)
                """
        ) {
            "payment \(text($0, 1)) on \(text($0, 2)) is against output \(text($0, 3)), which was not accepted by then (accepted: \(text($0, 4)))"
        },
        Rule(
            sql: """
                SELECT o.code, p.number, r.number FROM payments p JOIN orders o ON o.id = p.order_id
                LEFT JOIN payments r ON r.id = p.reverses
                WHERE p.reverses IS NOT NULL
                  AND (r.id IS NULL OR r.reverses IS NOT NULL OR r.order_id IS NOT p.order_id OR r.output_id IS NOT p.output_id
                       OR r.source IS NOT p.source OR -p.amount > r.amount OR p.paid_on < r.paid_on)
                """
        ) {
            "payment \(text($0, 1)) reverses payment \(text($0, 2)) but does not match it (same order, output and source, at most its amount, not before it)"
        },
        // Payment requests (docs/requests.md): what open requests hold fits in what remains of the
        // output, and a paid request's payment is its own.
        Rule(
            sql: """
                SELECT o.code, x.number, x.value, sum(q.amount),
                       (SELECT coalesce(sum(p.amount), 0) FROM payments p WHERE p.output_id = x.id)
                FROM payment_requests q JOIN outputs x ON x.id = q.output_id JOIN orders o ON o.id = x.order_id
                WHERE q.state = 'requested' OR q.state = 'approved'
                GROUP BY x.id
                HAVING sum(q.amount) + (SELECT coalesce(sum(p.amount), 0) FROM payments p WHERE p.output_id = x.id)
                       > x.value
                """
        ) {
            "output \(text($0, 1)) has \(money($0[3])) held by open payment requests and \(money($0[4])) paid, more than its value of \(money($0[2]))"
        },
        Rule(
            sql: """
                SELECT o.code, q.number FROM payment_requests q JOIN orders o ON o.id = q.order_id
                LEFT JOIN payments p ON p.id = q.payment_id
                WHERE q.state = 'paid' AND (p.id IS NULL OR p.order_id IS NOT q.order_id OR p.output_id IS NOT q.output_id
                                            OR p.amount IS NOT q.amount OR p.source IS NOT q.source)
                """
        ) { "payment request \(text($0, 1)) is paid by a payment that is not its own (order, output, amount, source)" },
        // Deadlines (docs/deadlines.md): the date in force is the latest approved amendment's.
        Rule(
            sql: """
                SELECT o.code, x.number, x.extended_to,
                       (SELECT max(a.proposed_on) FROM amendments a WHERE a.output_id = x.id AND a.state = 'approved')
                FROM outputs x JOIN orders o ON o.id = x.order_id
                WHERE x.extended_to IS NOT (SELECT max(a.proposed_on) FROM amendments a
                                            WHERE a.output_id = x.id AND a.state = 'approved')
                """
        ) {
            "output \(text($0, 1)) is extended to \(text($0, 2)) but its latest approved amendment says \(text($0, 3))"
        },
        Rule(
            sql: """
                SELECT o.code, f.ends_extended_to,
                       (SELECT max(a.proposed_on) FROM amendments a
                        WHERE a.order_id = f.order_id AND a.output_id IS NULL AND a.state = 'approved')
                FROM fundings f JOIN orders o ON o.id = f.order_id
                WHERE f.ends_extended_to IS NOT (SELECT max(a.proposed_on) FROM amendments a
                                                 WHERE a.order_id = f.order_id AND a.output_id IS NULL AND a.state = 'approved')
                """
        ) {
            "its contract's end is extended to \(text($0, 1)) but its latest approved amendment says \(text($0, 2))"
        },
        Rule(
            sql: """
                SELECT o.code, x.number, x.due_on, f.starts_on, f.ends_on
                FROM outputs x JOIN orders o ON o.id = x.order_id JOIN fundings f ON f.order_id = x.order_id
                WHERE (f.ends_on IS NULL) <> (x.due_on IS NULL) OR x.due_on < f.starts_on OR x.due_on > f.ends_on
                """
        ) {
            "output \(text($0, 1)) is due on \(text($0, 2)), which does not fit its contract's period (\(text($0, 3)) to \(text($0, 4)))"
        },
    ]

    /// The money rule of funding (`Funding.requireCovers`) on every funded order's records.
    static func checkFundingCovers(_ db: Database, into v: inout Verification) throws {
        let cursor = try Row.fetchCursor(
            db,
            sql: """
                SELECT o.code, f.state_budget + f.enterprise_funds + f.other, x.value
                FROM orders o JOIN fundings f ON f.order_id = o.id LEFT JOIN outputs x ON x.order_id = o.id
                ORDER BY o.id, x.number
                """)
        var current: (code: String, funding: Int64, values: [Int64])?
        func judge(_ order: (code: String, funding: Int64, values: [Int64])) {
            do {
                try Funding.requireCovers(order: order.code, funding: order.funding, outputValues: order.values)
            } catch let refusal as STOrdersError {
                let message: String
                switch refusal {
                case .noOutputs: return  // named by the rule on its state, with the state
                case .fundingInsufficient(_, let funding, let worth):
                    message =
                        "its funding of \(Money.format(funding)) đồng does not cover its outputs, worth \(Money.format(worth)) đồng"
                default: message = refusal.description
                }
                v.findings.append(.init(check: .invariants, order: order.code, message: message))
            } catch {
                v.findings.append(.init(check: .invariants, order: order.code, message: "\(error)"))
            }
        }
        while let row = try cursor.next() {
            let code = text(row, 0)
            if current?.code != code {
                if let done = current { judge(done) }
                // STRICT tables hold integers here; anything else is read as nothing, never trapped on.
                current = (code, Int64.fromDatabaseValue(row[1] as DatabaseValue) ?? 0, [])
            }
            if let value = Int64.fromDatabaseValue(row[2] as DatabaseValue) { current?.values.append(value) }
        }
        if let done = current { judge(done) }
    }

    static func checkRules(_ db: Database, into v: inout Verification) throws {
        try checkFundingCovers(db, into: &v)
        for rule in rules {
            let cursor = try Row.fetchCursor(db, sql: rule.sql)
            while let row = try cursor.next() {
                v.findings.append(.init(check: .invariants, order: code(row), message: rule.message(row)))
            }
        }
    }
}
