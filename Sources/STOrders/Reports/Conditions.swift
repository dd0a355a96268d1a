import GRDB

/// The WHERE clause of a filtered list, built from optional filters: each condition is SQL with
/// `?` placeholders and its bound values (user values never enter the SQL text).
struct Conditions {
    private var clauses: [String] = []
    private(set) var arguments: StatementArguments = []

    mutating func add(_ sql: String, _ values: [any DatabaseValueConvertible]) {
        clauses.append(sql)
        arguments += StatementArguments(values)
    }

    /// Restricts a TEXT date column to one calendar year.
    mutating func add(year: Int?, column: String) {
        guard let year else { return }
        add("\(column) >= ? AND \(column) < ?", ["\(year)-01-01", "\(year + 1)-01-01"])
    }

    var whereClause: String { clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ") }
}
