import GRDB
import Testing

@testable import STOrders

/// How schema.sql refuses a raw SQL statement: which kind of constraint, and the text SQLite
/// reports for it (a trigger's RAISE message, a named CHECK's name, an unnamed CHECK's
/// expression). A refusal of another kind (a NOT NULL, a missing column, a syntax error) does
/// not pass for the one a test means.
enum SQLRefusal: Sendable, CustomStringConvertible {
    case check(String)
    case trigger(String)
    case foreignKey
    case datatype(String)

    var code: ResultCode {
        switch self {
        case .check: return .SQLITE_CONSTRAINT_CHECK
        case .trigger: return .SQLITE_CONSTRAINT_TRIGGER
        case .foreignKey: return .SQLITE_CONSTRAINT_FOREIGNKEY
        case .datatype: return .SQLITE_CONSTRAINT_DATATYPE
        }
    }

    var message: String {
        switch self {
        case .check(let name): return "CHECK constraint failed: \(name)"
        case .trigger(let text): return text
        case .foreignKey: return "FOREIGN KEY constraint failed"
        case .datatype(let text): return text
        }
    }

    var description: String { "\(code): \(message)" }

    /// Whether `error` is exactly this refusal.
    func matches(_ error: any Error) -> Bool {
        guard let e = error as? DatabaseError else { return false }
        return e.extendedResultCode == code && e.message == message
    }
}

/// Runs `sql` in one transaction on `writer`, which must refuse it with exactly `expected`;
/// the transaction is rolled back, so nothing changes.
func expectSQLRefused(
    _ writer: any DatabaseWriter, _ sql: String, _ expected: SQLRefusal,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    do {
        try writer.write { db in try db.execute(sql: sql) }
        Issue.record("accepted: \(sql)", sourceLocation: sourceLocation)
    } catch {
        #expect(expected.matches(error), "\(sql): expected \(expected), got \(error)", sourceLocation: sourceLocation)
    }
}
