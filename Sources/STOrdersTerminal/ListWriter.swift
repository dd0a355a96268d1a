import STOrders

/// How a list is written: a human table, one JSON array, or CSV with a header line.
public enum ListFormat: Sendable {
    case table, json, csv
}

/// How each format writes a cell of a library `Column`.
extension Column {
    public func tableCell(_ item: Item) -> String {
        if let text { return text(item) }
        switch value(item) {
        case .string(let s): return s
        case .int(let i): return kind == .money ? Money.format(i) : String(i)
        case .number(let n): return n
        case .bool(let b): return b ? "yes" : ""
        case .null: return kind == .money ? "" : "–"
        case .array, .object: return ""
        }
    }

    public func csvCell(_ item: Item) -> String {
        switch value(item) {
        case .string(let s): return s
        case .int(let i): return String(i)
        case .number(let n): return n
        case .bool(let b): return b ? "true" : "false"
        case .null, .array, .object: return ""
        }
    }
}

/// Writes a list as its items arrive, in the chosen format, never holding the whole list.
public final class ListWriter<Item> {
    private let format: ListFormat
    private let columns: [Column<Item>]
    private let console: Console
    private var table: Table?
    public private(set) var count = 0

    public init(_ format: ListFormat, columns: [Column<Item>], console: Console) {
        self.format = format
        self.columns = columns
        self.console = console
        switch format {
        case .table:
            table = Table(
                columns.filter(\.inTable).map {
                    Table.Column($0.title, right: $0.kind == .money || $0.kind == .count, max: $0.maxWidth)
                }, console: console)
        case .json, .csv:
            // The opening bracket or header line waits for the first row or the end: a list
            // refused before it starts (a bad filter value) prints nothing on stdout, so under
            // --json the refusal is the one JSON value.
            break
        }
    }

    private var started = false

    private func start() {
        guard !started else { return }
        started = true
        switch format {
        case .json: console.write("[")
        case .csv: console.line(CSV.line(columns.map(\.key)))
        case .table: break
        }
    }

    public func add(_ item: Item) {
        start()
        count += 1
        switch format {
        case .table:
            table?.add(columns.filter(\.inTable).map { $0.tableCell(item) })
        case .json:
            console.write(count == 1 ? "\n" : ",\n")
            console.write(Column.row(columns, item).serialized(indent: nil))
        case .csv:
            console.line(CSV.line(columns.map { $0.csvCell(item) }))
        }
    }

    /// Ends the list; a table with no rows says `empty` instead.
    public func finish(empty: String) {
        start()
        switch format {
        case .table: table?.finish(empty: empty)
        case .json: console.line(count == 0 ? "]" : "\n]")
        case .csv: break
        }
    }
}
