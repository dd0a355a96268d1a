/// Reads the cells of one CSV row through the domain's parsers, recording every refusal as a
/// problem (line, column, value, what is accepted) instead of stopping at the first.
struct RowCells {
    let row: CSVTable.Row
    let table: CSVTable
    let problems: ImportProblems
    /// Set when any cell of this row was refused.
    private(set) var failed = false

    init(_ row: CSVTable.Row, _ table: CSVTable, _ problems: ImportProblems) {
        self.row = row
        self.table = table
        self.problems = problems
    }

    var line: Int { row.line }

    /// The raw text of a column (empty when the file lacks the column).
    func text(_ column: String) -> String { row[table.position(column)] }

    func isBlank(_ column: String) -> Bool { Text.isBlank(text(column)) }

    /// A required cell: blank or refused is a problem.
    mutating func required<T>(_ column: String, _ parse: (String) throws -> T) -> T? {
        let raw = text(column)
        if Text.isBlank(raw) {
            fail(column, "is required", value: raw)
            return nil
        }
        do { return try parse(raw) } catch {
            failed = true
            problems.add(line: row.line, column: column, value: raw, error)
            return nil
        }
    }

    /// An optional cell: blank is nil, refused is a problem (and nil).
    mutating func optional<T>(_ column: String, _ parse: (String) throws -> T) -> T? {
        let raw = text(column)
        if Text.isBlank(raw) { return nil }
        do { return try parse(raw) } catch {
            failed = true
            problems.add(line: row.line, column: column, value: raw, error)
            return nil
        }
    }

    /// Records a problem with one cell.
    mutating func fail(_ column: String, _ message: String, value: String? = nil) {
        failed = true
        problems.add(ImportProblem(line: row.line, column: column, value: value ?? text(column), message: message))
    }

    /// Records a problem with the whole row.
    mutating func failRow(_ message: String) {
        failed = true
        problems.add(ImportProblem(line: row.line, column: "", value: "", message: message))
    }
}

/// Parsers for cells that have no domain type of their own.
enum Cell {
    static func day(_ text: String) throws -> Day { try Day(parsing: text.trimmingSpaces()) }

    static func flag(_ text: String) throws -> Bool {
        switch text.trimmingSpaces().lowercased() {
        case "", "0", "no", "n", "false", "không", "khong": return false
        case "1", "yes", "y", "true", "x", "có", "co": return true
        default:
            throw STOrdersError.invalidValue(
                "flag", text, accepted: ["yes", "no", "1", "0", "true", "false", "có", "không"])
        }
    }

    static func number(_ text: String) throws -> Int {
        guard let n = Int(text.trimmingSpaces()), n > 0, n <= 10_000 else {
            throw STOrdersError.invalidValue("number", text, accepted: ["a whole number from 1 to 10000"])
        }
        return n
    }
}
