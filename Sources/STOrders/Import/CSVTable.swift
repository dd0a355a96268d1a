import CSV
import Foundation

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
    private let reader: CSVReader
    private var nextLine: Int
    let size: Int64
    /// Roughly how many bytes the rows read so far took, for progress.
    private(set) var bytesRead: Int64 = 0

    /// Opens `path` and checks its header: every column must be one of `columns`, and every one
    /// of `required` must be there.
    init(path: String, columns: [String], required: [String]) throws {
        name = path.split(separator: "/").last.map(String.init) ?? path
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw STOrdersError.fileUnreadable(path: path, reason: "no such file, or not readable")
        }
        let head = (try? handle.read(upToCount: 1 << 16)) ?? Data()
        try? handle.close()
        var attributes = stat()
        size = stat(path, &attributes) == 0 ? Int64(attributes.st_size) : 0
        delimiter = CSVTable.sniffDelimiter(Array(head))
        guard let stream = InputStream(fileAtPath: path) else {
            throw STOrdersError.fileUnreadable(path: path, reason: "no such file, or not readable")
        }
        do {
            reader = try CSVReader(stream: stream, hasHeaderRow: true, trimFields: false, delimiter: delimiter)
        } catch {
            throw STOrdersError.csvColumns(file: name, reason: "it is empty; expected a header line naming the columns \(columns.joined(separator: ", "))")
        }
        let header = reader.headerRow ?? []
        columnCount = header.count
        nextLine = 2 + header.reduce(0) { $0 + CSVTable.lineBreaks($1) }
        var unknown: [String] = []
        for (i, raw) in header.enumerated() {
            let column = raw.trimmingSpaces().lowercased()
            if column.isEmpty { continue }
            guard columns.contains(column) else { unknown.append(raw); continue }
            if positions[column] != nil {
                throw STOrdersError.csvColumns(file: name, reason: "the column \(column) appears twice in the header")
            }
            positions[column] = i
        }
        if !unknown.isEmpty {
            throw STOrdersError.csvColumns(file: name, reason: "unknown column\(unknown.count == 1 ? "" : "s") \(unknown.map { "'\($0)'" }.joined(separator: ", ")); the accepted columns are \(columns.joined(separator: ", "))")
        }
        let missing = required.filter { positions[$0] == nil }
        if !missing.isEmpty {
            throw STOrdersError.csvColumns(file: name, reason: "missing column\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", ")) (the header line has \(header.joined(separator: String(Character(delimiter))))); required: \(required.joined(separator: ", "))")
        }
    }

    /// The header's position of a column, nil when the file lacks it.
    func position(_ column: String) -> Int? { positions[column] }

    /// The next row that is not blank, or nil at the end of the file.
    func next() throws -> Row? {
        while let fields = reader.next() {
            let line = nextLine
            var bytes = 1
            var breaks = 0
            var blank = true
            for f in fields {
                bytes += f.utf8.count + 1
                breaks += CSVTable.lineBreaks(f)
                if blank && !f.isEmpty { blank = false }
            }
            bytesRead += Int64(bytes)
            nextLine += 1 + breaks
            if blank { continue }
            return Row(line: line, fields: fields)
        }
        // On Linux, Foundation's InputStream reports bytes available at the end of a file, so
        // CSV.swift's last read finds none and records `cannotReadFile`: that is the end, not a
        // failure. Invalid UTF-8 and stream errors are real.
        if let error = reader.error, !CSVTable.isEndOfFile(error) {
            throw STOrdersError.fileUnreadable(path: name, reason: "\(error) near line \(nextLine); expected UTF-8 text")
        }
        return nil
    }

    static func isEndOfFile(_ error: Error) -> Bool {
        if let e = error as? CSVError, case .cannotReadFile = e { return true }
        return false
    }

    static func lineBreaks(_ field: String) -> Int {
        var n = 0
        for b in field.utf8 where b == 10 { n += 1 }
        return n
    }

    /// `;` when the header line has more semicolons than commas outside quotes (the spreadsheet
    /// export of locales that write decimal commas), else `,`.
    static func sniffDelimiter(_ bytes: [UInt8]) -> UnicodeScalar {
        var commas = 0, semicolons = 0, quoted = false
        for b in bytes {
            if b == 34 { quoted.toggle(); continue }
            if quoted { continue }
            if b == 10 || b == 13 { break }
            if b == 44 { commas += 1 } else if b == 59 { semicolons += 1 }
        }
        return semicolons > commas ? ";" : ","
    }
}
