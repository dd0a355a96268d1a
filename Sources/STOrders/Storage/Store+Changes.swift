import GRDB

/// How far the records have come: the last event (every change of an order, its outputs,
/// funding, payments and results appends one) and the last seal (every enterprise added and
/// every target set appends one). Both only grow (neither table may be changed or deleted
/// from), so a different version means the records changed; a page showing figures compares
/// it with the one it was drawn at.
public struct ChangeVersion: Sendable, Equatable, CustomStringConvertible {
    public let lastEvent: Int64
    public let lastSeal: Int64

    public init(lastEvent: Int64, lastSeal: Int64) {
        self.lastEvent = lastEvent
        self.lastSeal = lastSeal
    }

    /// `"<last event>.<last seal>"`, e.g. `"46.9"`.
    public var description: String { "\(lastEvent).\(lastSeal)" }
}

extension Store {
    /// The version of the records a reader of `province` sees (nil: every province). For a
    /// province it counts only that province's orders and enterprises, its targets and the
    /// national ones (which apply to it unless it has its own), so the version says nothing of
    /// what happens elsewhere.
    public func changeVersion(province: Province? = nil) throws -> ChangeVersion {
        try read { db in
            guard let province else {
                return ChangeVersion(
                    lastEvent: try Int64.fetchOne(db, sql: "SELECT max(id) FROM events") ?? 0,
                    lastSeal: try Int64.fetchOne(db, sql: "SELECT max(id) FROM seals") ?? 0)
            }
            // Each subquery is one step down an index (events_by_order, seals_by_record).
            let events = try Int64.fetchOne(
                db,
                sql: """
                    SELECT max((SELECT max(e.id) FROM events e WHERE e.order_id = o.id))
                    FROM orders o WHERE o.province_code = ?
                    """, arguments: [province.code])
            let seals = try Int64.fetchOne(
                db,
                sql: """
                    SELECT max(id) FROM (
                      SELECT (SELECT max(s.id) FROM seals s WHERE s.record_table = 'enterprises' AND s.record_id = n.id) AS id
                      FROM enterprises n WHERE n.province_code = :p
                      UNION ALL
                      SELECT (SELECT max(s.id) FROM seals s WHERE s.record_table = 'targets' AND s.record_id = t.id)
                      FROM targets t WHERE t.province_code IS NULL OR t.province_code = :p)
                    """, arguments: ["p": province.code])
            return ChangeVersion(lastEvent: events ?? 0, lastSeal: seals ?? 0)
        }
    }
}
