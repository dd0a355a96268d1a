import Crypto
import GRDB

/// The tamper-evident history: one SHA-256 hash chain over every event of the database.
///
/// ## Why one chain per database
/// Writes are serialised (one write transaction at a time), so there is always one last event to
/// link to. One chain orders every event of every order: deleting a whole order's history, moving
/// an event from one order to another, or reordering events across orders all break it, which
/// separate per-order chains would not show. Verifying walks the events once, oldest first.
///
/// ## The canonical encoding (version 1)
/// A list of named fields is encoded as UTF-8 bytes, each field on its own line:
///
///     name=null\n                      for NULL
///     name=i<L>:<digits>\n             for an integer: its decimal form (leading '-' if negative),
///                                      L = its length in bytes
///     name=t<L>:<text>\n               for text: its UTF-8 bytes as stored, L = their count
///     name=b<L>:<hex>\n                for a blob: lowercase hex, L = hex length
///
/// The length prefix makes the encoding unambiguous whatever the text holds (newlines, '=').
///
/// An event's hash is the lowercase hex SHA-256 of
///
///     "storders-event-v1\n" + encode(prev, order_code, occurred_on, recorded_at, action, details,
///                                    actor, record_table, record_id, record)
///
/// where `prev` is the previous event's hash (by id) as text, or 64 zeros for the first event,
/// and `order_code` is the code of the event's order. `record` is itself the encoding of the
/// row the event wrote (`RecordTable`'s columns, in order, as read back after the write): an
/// edit of that row no longer matches its latest event, and an edit of the event's `record`
/// breaks the chain.
enum HistoryChain {
    static let genesis = String(repeating: "0", count: 64)
    static let prefix = "storders-event-v1\n"

    /// The names of the hashed event fields after `prev`, in order.
    static let eventFields = [
        "order_code", "occurred_on", "recorded_at", "action", "details", "actor",
        "record_table", "record_id", "record",
    ]

    static func encode(_ name: String, _ value: DatabaseValue, into bytes: inout [UInt8]) {
        bytes.append(contentsOf: name.utf8)
        bytes.append(UInt8(ascii: "="))
        func put(_ tag: Character, _ text: String) {
            bytes.append(contentsOf: String(tag).utf8)
            bytes.append(contentsOf: String(text.utf8.count).utf8)
            bytes.append(UInt8(ascii: ":"))
            bytes.append(contentsOf: text.utf8)
        }
        switch value.storage {
        case .null: bytes.append(contentsOf: "null".utf8)
        case .int64(let i): put("i", String(i))
        case .double(let d): put("r", String(d))
        case .string(let s): put("t", s)
        case .blob(let data):
            put(
                "b",
                data.map { byte in
                    let h = String(byte, radix: 16)
                    return h.count == 1 ? "0" + h : h
                }.joined())
        }
        bytes.append(UInt8(ascii: "\n"))
    }

    /// The columns schema version 6 added to recorded rows (outputs' due date, the funding's
    /// contract period). A record leaves each out while it is NULL, so a record written before
    /// version 6 (which had no such column) still matches its row in an upgraded file, and a row
    /// given a date outside storders no longer matches its record. Version 8's `settled` of a
    /// payment is recorded as NULL while it is 0 (`nullif`), so it is left out the same way, and
    /// so is version 9's `request` of a document not attached to a payment request.
    static let omittedWhenNull: Set<String> = ["due_on", "starts_on", "ends_on", "settled", "request"]

    /// The canonical encoding of `row`'s columns from `from` on, named by the row's column names
    /// (those of `omittedWhenNull` left out while NULL).
    static func encode(_ row: Row, from: Int = 0, upTo end: Int? = nil) -> String {
        var bytes: [UInt8] = []
        let names = Array(row.columnNames)
        let values = Array(row.databaseValues)
        for i in from..<(end ?? values.count) {
            if values[i].isNull && omittedWhenNull.contains(names[i]) { continue }
            encode(names[i], values[i], into: &bytes)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The hash of an event given the previous hash and its fields (named as `eventFields`).
    static func hash(prev: String, fields: [DatabaseValue]) -> String {
        hash(prefix: prefix, names: eventFields, prev: prev, fields: fields)
    }

    /// The seals' chain (see `SealTable`): the same encoding and hash, its own prefix and fields.
    static let sealPrefix = "storders-seal-v1\n"
    static let sealFields = ["record_table", "record_id", "recorded_at", "action", "actor", "record"]

    /// The hash of a seal given the previous seal's hash and its fields (named as `sealFields`).
    static func sealHash(prev: String, fields: [DatabaseValue]) -> String {
        hash(prefix: sealPrefix, names: sealFields, prev: prev, fields: fields)
    }

    /// The checklist's chain (schema.sql, table `checklist`): the same encoding, its own prefix and fields.
    static let checklistPrefix = "storders-checklist-v1\n"
    static let checklistFields = ["step", "kinds", "set_at", "set_by"]

    /// The hash of a checklist row given the previous row's hash and its fields (named as `checklistFields`).
    static func checklistHash(prev: String, fields: [DatabaseValue]) -> String {
        hash(prefix: checklistPrefix, names: checklistFields, prev: prev, fields: fields)
    }

    /// The advance limit's chain (schema.sql, table `advance_limits`, version 10): the same
    /// encoding, its own prefix and fields.
    static let advanceLimitPrefix = "storders-advance-limit-v1\n"
    static let advanceLimitFields = ["share", "set_at", "set_by"]

    /// The hash of an advance limit's row given the previous row's hash and its fields (named as
    /// `advanceLimitFields`).
    static func advanceLimitHash(prev: String, fields: [DatabaseValue]) -> String {
        hash(prefix: advanceLimitPrefix, names: advanceLimitFields, prev: prev, fields: fields)
    }

    private static func hash(prefix: String, names: [String], prev: String, fields: [DatabaseValue]) -> String {
        var bytes = Array(prefix.utf8)
        encode("prev", prev.databaseValue, into: &bytes)
        for (name, value) in zip(names, fields) { encode(name, value, into: &bytes) }
        return hex(SHA256.hash(data: bytes))
    }

    /// The canonical encoding of named fields (what `encode(_ row:)` gives for a row of them).
    static func encode(_ fields: [(String, DatabaseValue)]) -> String {
        var bytes: [UInt8] = []
        for (name, value) in fields where !(value.isNull && omittedWhenNull.contains(name)) {
            encode(name, value, into: &bytes)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Lowercase hex of the bytes (a table lookup: the bulk paths hash millions of events).
    static func hex<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The hash the last event carries (the chain's head), or the genesis value for an empty one.
    static func head(_ db: Database) throws -> String {
        try String.fetchOne(db.cachedStatement(sql: "SELECT hash FROM events ORDER BY id DESC LIMIT 1")) ?? genesis
    }
}

/// The rows an event can write, and how each is read back for its canonical record. Each query
/// selects the row id first, then the recorded columns (the first of them `order_code`). LEFT
/// JOINs keep a row whose references were tampered with, so it shows as a mismatch.
enum RecordTable: String, CaseIterable, Sendable {
    case orders, outputs, fundings, payments, results
    case resultRetractions = "result_retractions"
    case documents
    case amendments
    case paymentRequests = "payment_requests"
    case advances

    /// What a finding calls one row of this table.
    var noun: String {
        switch self {
        case .orders: return "order"
        case .outputs: return "output"
        case .fundings: return "funding"
        case .payments: return "payment"
        case .results: return "result"
        case .resultRetractions: return "result retraction"
        case .documents: return "document"
        case .amendments: return "amendment"
        case .paymentRequests: return "payment request"
        case .advances: return "advance"
        }
    }

    /// The id column, to add `WHERE <idColumn> = ?`.
    var idColumn: String {
        switch self {
        case .orders: return "o.id"
        case .outputs: return "x.id"
        case .fundings: return "f.order_id"
        case .payments: return "p.id"
        case .results: return "r.id"
        case .resultRetractions: return "t.id"
        case .documents: return "d.id"
        case .amendments: return "a.id"
        case .paymentRequests: return "q.id"
        case .advances: return "v.id"
        }
    }

    /// The query reading rows of this table for their records: id, then the recorded columns.
    var select: String {
        switch self {
        case .orders:
            return """
                SELECT o.id, o.code AS order_code, o.title AS title, o.field AS field,
                       o.province_code AS province_code, e.tax_code AS enterprise_tax_code, o.ordered_on AS ordered_on
                FROM orders o LEFT JOIN enterprises e ON e.id = o.enterprise_id
                """
        case .outputs:
            return """
                SELECT x.id, o.code AS order_code, x.number AS number, x.title AS title, x.type AS type,
                       x.novelty AS novelty, x.value AS value, x.accepted_on AS accepted_on, x.evidence AS evidence,
                       x.due_on AS due_on
                FROM outputs x LEFT JOIN orders o ON o.id = x.order_id
                """
        case .fundings:
            return """
                SELECT f.order_id AS id, o.code AS order_code, f.state_budget AS state_budget,
                       f.enterprise_funds AS enterprise_funds, f.other AS other, f.other_source AS other_source,
                       f.funded_on AS funded_on, f.starts_on AS starts_on, f.ends_on AS ends_on
                FROM fundings f LEFT JOIN orders o ON o.id = f.order_id
                """
        case .payments:
            return """
                SELECT p.id, o.code AS order_code, p.number AS number, x.number AS output, p.amount AS amount,
                       p.source AS source, p.reference AS reference, p.paid_on AS paid_on, r.number AS reverses,
                       p.reason AS reason, nullif(p.settled, 0) AS settled
                FROM payments p LEFT JOIN orders o ON o.id = p.order_id LEFT JOIN outputs x ON x.id = p.output_id
                     LEFT JOIN payments r ON r.id = p.reverses
                """
        case .results:
            return """
                SELECT r.id, o.code AS order_code, r.number AS number, r.channel AS channel, r.revenue AS revenue,
                       r.note AS note, r.commercialized_on AS commercialized_on
                FROM results r LEFT JOIN orders o ON o.id = r.order_id
                """
        case .resultRetractions:
            return """
                SELECT t.id, o.code AS order_code, r.number AS result, t.reason AS reason, t.retracted_on AS retracted_on
                FROM result_retractions t LEFT JOIN results r ON r.id = t.result_id LEFT JOIN orders o ON o.id = r.order_id
                """
        case .documents:
            return """
                SELECT d.id, o.code AS order_code, d.number AS number, x.number AS output, d.kind AS kind,
                       d.file_name AS file_name, d.title AS title, d.sha256 AS sha256, d.size AS size,
                       d.attached_on AS attached_on, q.number AS request
                FROM documents d LEFT JOIN orders o ON o.id = d.order_id LEFT JOIN outputs x ON x.id = d.output_id
                     LEFT JOIN payment_requests q ON q.id = d.request_id
                """
        case .amendments:
            return """
                SELECT a.id, o.code AS order_code, a.number AS number, x.number AS output, a.previous_on AS previous_on,
                       a.proposed_on AS proposed_on, a.reason AS reason, a.requested_by AS requested_by,
                       a.requested_on AS requested_on, a.state AS state, a.decided_on AS decided_on,
                       a.decision AS decision
                FROM amendments a LEFT JOIN orders o ON o.id = a.order_id LEFT JOIN outputs x ON x.id = a.output_id
                """
        case .paymentRequests:
            return """
                SELECT q.id, o.code AS order_code, q.number AS number, x.number AS output, q.amount AS amount,
                       q.source AS source, q.requested_on AS requested_on, q.state AS state,
                       q.approved_on AS approved_on, q.returned_on AS returned_on, q.return_reason AS return_reason,
                       p.number AS payment
                FROM payment_requests q LEFT JOIN orders o ON o.id = q.order_id LEFT JOIN outputs x ON x.id = q.output_id
                     LEFT JOIN payments p ON p.id = q.payment_id
                """
        case .advances:
            return """
                SELECT v.id, o.code AS order_code, v.number AS number, v.kind AS kind, v.amount AS amount,
                       v.made_on AS made_on, v.reference AS reference, v.reason AS reason,
                       v.limit_share AS limit_share
                FROM advances v LEFT JOIN orders o ON o.id = v.order_id
                """
        }
    }

    /// The row id's column in the table itself, for finding events whose row is gone.
    var idInTable: String { self == .fundings ? "order_id" : "id" }

    /// The canonical record of one row as it is now, or nil when there is no such row.
    func record(_ db: Database, id: Int64) throws -> String? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: select + " WHERE \(idColumn) = ?"), arguments: [id])
        else {
            return nil
        }
        return HistoryChain.encode(row, from: 1)
    }
}

/// The rows no order's history covers, yet which change a figure: enterprises (the innovative
/// startups indicator counts `innovative_startup`) and targets (what the indicators are measured
/// against). Each write of such a row appends a seal (table `seals`) carrying the row's canonical
/// record; the seals form a second chain, in id order, hashed as
///
///     "storders-seal-v1\n" + encode(prev, record_table, record_id, recorded_at, action, actor, record)
///
/// with `HistoryChain`'s encoding (`prev` is the previous seal's hash, or 64 zeros for the first).
/// `verify` checks the chain and every row against its latest seal.
enum SealTable: String, CaseIterable, Sendable {
    case enterprises, targets

    /// Why a seal was written.
    enum Action: String, Sendable {
        case enterpriseAdded = "enterprise_added"
        case targetSet = "target_set"
        /// The upgrade to schema version 3 sealed the rows already there (vouched for from then on).
        case sealedByUpgrade = "sealed_by_upgrade"
    }

    /// The query reading rows of this table for their records: id, then the recorded columns.
    var select: String {
        switch self {
        case .enterprises:
            return "SELECT id, tax_code, name, province_code, innovative_startup, registered_on FROM enterprises"
        case .targets:
            return "SELECT id, key, province_code, value, set_at, set_by FROM targets"
        }
    }

    /// The canonical record of an enterprise from its values (as `select` reads it back).
    static func enterpriseRecord(
        taxCode: String, name: String, provinceCode: String, innovativeStartup: Bool,
        registeredOn: String
    ) -> String {
        HistoryChain.encode([
            ("tax_code", taxCode.databaseValue), ("name", name.databaseValue),
            ("province_code", provinceCode.databaseValue),
            ("innovative_startup", Int64(innovativeStartup ? 1 : 0).databaseValue),
            ("registered_on", registeredOn.databaseValue),
        ])
    }

    /// The canonical record of one row as it is now, or nil when there is no such row.
    func record(_ db: Database, id: Int64) throws -> String? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: select + " WHERE id = ?"), arguments: [id]) else {
            return nil
        }
        return HistoryChain.encode(row, from: 1)
    }

    /// The last seal's hash, or the genesis value when there is none.
    static func head(_ db: Database) throws -> String {
        try String.fetchOne(db.cachedStatement(sql: "SELECT hash FROM seals ORDER BY id DESC LIMIT 1"))
            ?? HistoryChain.genesis
    }

    /// Appends one seal for row `id` of this table, whose record is `record` (read back when nil),
    /// linked after `head` (read when nil). Returns the new head.
    @discardableResult
    func seal(
        _ db: Database, id: Int64, action: Action, actor: String, recordedAt: String, record: String? = nil,
        head: String? = nil
    ) throws -> String {
        guard let text = try record ?? self.record(db, id: id) else {
            throw STOrdersError.constraintViolated("there is no \(rawValue) row \(id) to seal")
        }
        let values = sealValues(
            id: id, action: action, actor: actor, recordedAt: recordedAt, record: text,
            head: try head ?? SealTable.head(db))
        try db.cachedStatement(
            sql: """
                INSERT INTO seals (record_table, record_id, recorded_at, action, actor, record, hash) VALUES (?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: StatementArguments(values))
        return String.fromDatabaseValue(values[6]) ?? ""
    }

    /// A seal's column values (record_table … record, then hash), linked after `head`.
    func sealValues(
        id: Int64, action: Action, actor: String, recordedAt: String, record: String,
        head: String
    ) -> [DatabaseValue] {
        let fields: [DatabaseValue] = [
            rawValue.databaseValue, id.databaseValue, recordedAt.databaseValue,
            action.rawValue.databaseValue, actor.databaseValue, record.databaseValue,
        ]
        return fields + [HistoryChain.sealHash(prev: head, fields: fields).databaseValue]
    }
}
