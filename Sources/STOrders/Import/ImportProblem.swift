/// One bad cell (or row) of an imported file: where it is, what it holds and what is accepted.
public struct ImportProblem: Equatable, Sendable, CustomStringConvertible {
    /// The line of the file where the row starts (the header is line 1).
    public var line: Int
    /// The column's header name, or empty for a problem with the whole row.
    public var column: String
    public var value: String
    public var message: String

    public init(line: Int, column: String, value: String, message: String) {
        self.line = line
        self.column = column
        self.value = value
        self.message = message
    }

    public var description: String {
        // The cell is quoted shortened and the line kept printable: a cell may hold a line
        // break, a NUL or a megabyte.
        Text.oneLine(
            column.isEmpty
                ? "line \(line): \(message)"
                : "line \(line), column \(Text.excerpt(column)) '\(Text.excerpt(value))': \(message)")
    }
}

/// Collects the problems of one import: the first `limit` are kept, the rest only counted.
final class ImportProblems {
    static let limit = 50
    private(set) var kept: [ImportProblem] = []
    private(set) var total = 0

    var isEmpty: Bool { total == 0 }

    func add(_ problem: ImportProblem) {
        total += 1
        if kept.count < ImportProblems.limit { kept.append(problem) }
    }

    func add(line: Int, column: String, value: String, _ error: Error) {
        add(ImportProblem(line: line, column: column, value: value, message: ImportProblems.message(error)))
    }

    /// The reason part of a refusal, without repeating the value the problem line already shows.
    static func message(_ error: Error) -> String {
        guard let e = error as? STOrdersError else { return "\(error)" }
        switch e {
        case .invalidDate(_, let reason): return reason
        case .invalidAmount(_, let reason): return reason
        case .invalidTaxCode(_, let reason): return reason
        case .invalidOrderCode(_, let reason): return reason
        case .invalidValue(_, _, let accepted): return "expected one of \(accepted.joined(separator: ", "))"
        case .invalidText(_, let reason): return reason
        default: return e.description
        }
    }

    func check(file: String) throws {
        if total > 0 { throw STOrdersError.importRejected(file: file, problems: kept, total: total) }
    }
}

/// What an import did (or, with `dryRun`, would do).
public struct ImportSummary: Sendable, Equatable {
    public var enterprises = 0
    public var orders = 0
    public var outputs = 0
    public var dryRun = false
    public init() {}
}
