import CSV

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reports how far a long job has come: `done` out of `total` units (bytes of a file, rows of a
/// table). Called now and then, never per row.
public typealias ProgressHandler = (_ done: Int64, _ total: Int64) -> Void

/// A CSV file read row by row with yaslab/CSV.swift: UTF-8 with or without a byte-order mark,
/// comma or semicolon (sniffed from the header line), quoted fields (with commas, quotes and
/// line breaks inside), LF or CRLF. The first line names the columns, in any order and case.
final class CSVTable {
    struct Row {
        /// The line of the file where the row starts.
        var line: Int
        var fields: [String]

        subscript(_ index: Int?) -> String {
            guard let index, index < fields.count else { return "" }
            return fields[index]
        }
    }

    /// The file's name as problems show it.
    let name: String
    let delimiter: UnicodeScalar
    /// The header's position of each known column.
    private(set) var positions: [String: Int] = [:]
    /// How many fields the header line has.
    private(set) var columnCount = 0
    private let chunks: RecordChunks
    private var reader: CSVReader?
    private var nextLine = 1
    let size: Int64
    /// How many bytes of the file have been handed to the parser, for progress.
    var bytesRead: Int64 { chunks.consumed }

    /// Opens `path` and checks its header: every column must be one of `columns`, and every one
    /// of `required` must be there.
    init(path: String, columns: [String], required: [String]) throws {
        name = path.split(separator: "/").last.map(String.init) ?? path
        chunks = try RecordChunks(path: path)
        size = chunks.size
        delimiter = CSVTable.sniffDelimiter(chunks.head)
        chunks.delimiter = UInt8(delimiter.value)
        let header = try nextFields() ?? []
        if header.isEmpty || (header.count == 1 && header[0].isEmpty) {
            throw STOrdersError.csvColumns(
                file: name,
                reason: "it is empty; expected a header line naming the columns \(columns.joined(separator: ", "))")
        }
        columnCount = header.count
        var unknown: [String] = []
        for (i, raw) in header.enumerated() {
            let column = raw.trimmingSpaces().lowercased()
            if column.isEmpty { continue }
            guard columns.contains(column) else {
                unknown.append(raw)
                continue
            }
            if positions[column] != nil {
                throw STOrdersError.csvColumns(
                    file: name, reason: "the column \(Text.excerpt(column)) appears twice in the header")
            }
            positions[column] = i
        }
        if !unknown.isEmpty {
            throw STOrdersError.csvColumns(
                file: name,
                reason:
                    "unknown column\(unknown.count == 1 ? "" : "s") \(unknown.prefix(5).map { "'\(Text.excerpt($0))'" }.joined(separator: ", "))\(unknown.count > 5 ? " and \(unknown.count - 5) more" : ""); the accepted columns are \(columns.joined(separator: ", "))"
            )
        }
        let missing = required.filter { positions[$0] == nil }
        if !missing.isEmpty {
            throw STOrdersError.csvColumns(
                file: name,
                reason:
                    "missing column\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", ")) (the header line has \(Text.excerpt(header.joined(separator: String(Character(delimiter))), limit: 200))); required: \(required.joined(separator: ", "))"
            )
        }
    }

    /// The header's position of a column, nil when the file lacks it.
    func position(_ column: String) -> Int? { positions[column] }

    /// The fields of the next record, parsed by CSV.swift from the current chunk of whole records.
    private func nextFields() throws -> [String]? {
        while true {
            if let reader, let fields = reader.next() { return fields }
            if let error = reader?.error {
                throw STOrdersError.fileUnreadable(path: name, reason: "\(error) near line \(nextLine)")
            }
            guard let chunk = try chunks.next() else { return nil }
            guard let text = String(validating: chunk, as: UTF8.self) else {
                throw STOrdersError.fileUnreadable(
                    path: name, reason: "it is not UTF-8 text (after line \(nextLine)); save it as CSV UTF-8")
            }
            reader = try CSVReader(string: text, hasHeaderRow: false, trimFields: false, delimiter: delimiter)
        }
    }

    /// The next row that is not blank, or nil at the end of the file.
    func next() throws -> Row? {
        if nextLine == 1 { nextLine = 2 }
        while let fields = try nextFields() {
            let line = nextLine
            var breaks = 0
            var blank = true
            for f in fields {
                breaks += CSVTable.lineBreaks(f)
                if blank && !f.isEmpty { blank = false }
            }
            nextLine += 1 + breaks
            if blank { continue }
            return Row(line: line, fields: fields)
        }
        return nil
    }

    static func lineBreaks(_ field: String) -> Int {
        var n = 0
        for b in field.utf8 where b == 10 { n += 1 }
        return n
    }

    /// `;` when the header line has more semicolons than commas outside quotes (the spreadsheet
    /// export of locales that write decimal commas), else `,`.
    static func sniffDelimiter(_ bytes: ArraySlice<UInt8>) -> UnicodeScalar {
        var commas = 0
        var semicolons = 0
        var quoted = false
        for b in bytes {
            if b == 34 {
                quoted.toggle()
                continue
            }
            if quoted { continue }
            if b == 10 || b == 13 { break }
            if b == 44 { commas += 1 } else if b == 59 { semicolons += 1 }
        }
        return semicolons > commas ? ";" : ","
    }
}

/// Reads a file in chunks of about a megabyte that end on a record boundary (a line break
/// outside quotes), so that each chunk can be handed whole to the CSV parser while the file
/// streams. The UTF-8 byte-order mark is dropped. The quote rules follow CSV.swift's: a quote
/// opens a quoted field only at the start of a field, and `""` inside one is a quote.
final class RecordChunks {
    private let file: UnsafeMutablePointer<FILE>
    private var pending: [UInt8] = []
    private var atEnd = false
    let size: Int64
    private(set) var consumed: Int64 = 0
    /// The start of the file (after any BOM), for sniffing the delimiter.
    private(set) var head: ArraySlice<UInt8> = []
    static let chunkSize = 1 << 20
    /// The field separator, once sniffed.
    var delimiter: UInt8 = 44

    init(path: String) throws {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw STOrdersError.fileUnreadable(path: path, reason: "no such file")
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            throw STOrdersError.fileUnreadable(path: path, reason: "it is a directory; expected a CSV file")
        }
        guard let f = fopen(path, "rb") else {
            throw STOrdersError.fileUnreadable(path: path, reason: String(cString: strerror(errno)))
        }
        file = f
        size = Int64(info.st_size)
        fill()
        if pending.starts(with: [0xEF, 0xBB, 0xBF]) { pending.removeFirst(3) }
        head = pending.prefix(1 << 16)
    }

    deinit { fclose(file) }

    private func fill() {
        guard !atEnd else { return }
        let start = pending.count
        pending.append(contentsOf: repeatElement(0, count: RecordChunks.chunkSize))
        let n = pending.withUnsafeMutableBytes { fread($0.baseAddress! + start, 1, RecordChunks.chunkSize, file) }
        pending.removeLast(RecordChunks.chunkSize - n)
        if n < RecordChunks.chunkSize { atEnd = true }
    }

    /// The next run of whole records, or nil at the end of the file.
    func next() throws -> ArraySlice<UInt8>? {
        while true {
            if pending.isEmpty {
                if atEnd { return nil }
                fill()
                continue
            }
            if let end = RecordChunks.lastBoundary(pending, delimiter: delimiter) {
                let chunk = pending[..<end]
                let rest = Array(pending[end...])
                defer { pending = rest }
                consumed += Int64(chunk.count)
                return chunk
            }
            if atEnd {  // the last record has no line break after it
                let chunk = pending[...]
                defer { pending = [] }
                consumed += Int64(chunk.count)
                return chunk
            }
            fill()  // one record longer than a chunk: read on
        }
    }

    /// The index just after the last record-ending line feed of `bytes`, nil when none.
    static func lastBoundary(_ bytes: [UInt8], delimiter: UInt8) -> Int? {
        var boundary: Int?
        var i = 0
        var fieldStart = true
        var quoted = false
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if quoted {
                if b == 34 {
                    if i + 1 < n && bytes[i + 1] == 34 {
                        i += 2
                        continue
                    }
                    if i + 1 >= n { return boundary }  // cannot tell yet
                    let c = bytes[i + 1]
                    if c == 10 || c == 13 || c == delimiter { quoted = false }
                }
                i += 1
                continue
            }
            switch b {
            case 10:
                boundary = i + 1
                fieldStart = true
            case delimiter:
                fieldStart = true
            case 34 where fieldStart:
                quoted = true
                fieldStart = false
            case 13:
                break
            default:
                fieldStart = false
            }
            i += 1
        }
        return boundary
    }
}
