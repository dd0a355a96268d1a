import STOrders

/// A human table written as rows arrive. Column widths are sized from the first rows (up to
/// `sizingRows`), then later rows are written with those widths, long cells cut with "…":
/// a large list streams instead of waiting for its last row.
public final class Table {
    public struct Column {
        let title: String
        let rightAligned: Bool
        let maxWidth: Int
        public init(_ title: String, right: Bool = false, max: Int = 48) {
            self.title = title
            self.rightAligned = right
            self.maxWidth = max
        }
    }

    private let columns: [Column]
    private let console: Console
    private var pending: [[String]] = []
    private var widths: [Int]? = nil
    private let sizingRows = 500
    public private(set) var count = 0

    public init(_ columns: [Column], console: Console) {
        self.columns = columns
        self.console = console
    }

    public func add(_ cells: [String]) {
        count += 1
        // Stored text written before the text rules may hold invisible or control characters:
        // shown escaped (`\u{202E}`), never raw, so they cannot reorder or hide a row.
        let cells = cells.map(Text.oneLine)
        if widths != nil {
            emit(cells)
        } else {
            pending.append(cells)
            if pending.count >= sizingRows { settle() }
        }
    }

    /// Writes what is pending; call once after the last row.
    public func finish(empty: String) {
        if count == 0 {
            console.line(empty)
            return
        }
        if widths == nil { settle() }
    }

    private func settle() {
        var w = columns.map { Table.width($0.title) }
        for row in pending {
            for (i, cell) in row.enumerated() where i < w.count {
                w[i] = min(max(w[i], Table.width(cell)), max(columns[i].maxWidth, Table.width(columns[i].title)))
            }
        }
        widths = w
        emit(columns.map(\.title))
        emit(w.map { String(repeating: "─", count: $0) })
        for row in pending { emit(row) }
        pending = []
    }

    private func emit(_ cells: [String]) {
        guard let widths else { return }
        var line = ""
        for (i, column) in columns.enumerated() {
            var cell = i < cells.count ? cells[i] : ""
            var width = Table.width(cell)
            if width > widths[i] {
                let kept = DisplayWidth.prefix(cell, fitting: max(0, widths[i] - 1))
                cell = kept.text + "…"
                width = kept.width + 1
            }
            let pad = String(repeating: " ", count: widths[i] - width)
            if i > 0 { line += "  " }
            if column.rightAligned {
                line += pad + cell
            } else if i == columns.count - 1 {
                line += cell
            } else {
                line += cell + pad
            }
        }
        // A row whose last cells are empty (a section heading) ends where its text does.
        while line.last == " " { line.removeLast() }
        console.line(line)
    }

    /// Display width in terminal columns (`DisplayWidth`).
    public static func width(_ s: String) -> Int { DisplayWidth.of(s) }
}
