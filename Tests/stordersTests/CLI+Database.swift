import Foundation
import Testing

/// Looks inside a test's database with the sqlite3 program (installed by .ci/run), as an auditor
/// would, independent of the code under test.
extension CLI {
    /// Runs SQL with sqlite3 on this test's database (or another file) and returns its output.
    func sql(_ query: String, database path: String? = nil) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = ["-batch", "-bail", path ?? database]
        let input = Pipe()
        let out = Pipe()
        let err = Pipe()
        process.standardInput = input
        process.standardOutput = out
        process.standardError = err
        try process.run()
        input.fileHandleForWriting.write(Data((".timeout 30000\n" + query + "\n").utf8))
        try input.fileHandleForWriting.close()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        if process.terminationStatus != 0 {
            throw SQLFailure(message: String(decoding: errors, as: UTF8.self))
        }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .newlines)
    }

    struct SQLFailure: Error, CustomStringConvertible {
        let message: String
        var description: String { "sqlite3: \(message)" }
    }

    /// `PRAGMA integrity_check` and `PRAGMA foreign_key_check`: "ok" when the file is sound.
    func integrity(database path: String? = nil) throws -> String {
        let integrity = try sql("PRAGMA integrity_check;", database: path)
        let foreignKeys = try sql("PRAGMA foreign_key_check;", database: path)
        return foreignKeys.isEmpty ? integrity : integrity + "\nforeign keys: " + foreignKeys
    }

    /// The domain rules a database breaks (Tests/Support/consistency.sql); empty when consistent.
    func consistencyViolations(database path: String? = nil) throws -> [String] {
        try sql(CLI.consistencySQL + ";", database: path).split(separator: "\n").map(String.init)
    }

    static let consistencySQL: String = {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../Support/consistency.sql")
        return (try? String(contentsOf: file, encoding: .utf8)) ?? "SELECT 'cannot read Tests/Support/consistency.sql'"
    }()

    /// Valid tax codes (MST) that differ by `n`, to register many enterprises.
    static func taxCode(_ n: Int) -> String {
        let weights = [31, 29, 23, 19, 17, 13, 7, 5, 3]
        var candidate = 10_000_000 + n * 7
        while true {
            let nine = String(format: "%09d", candidate).compactMap { $0.wholeNumberValue }
            let s = zip(nine, weights).map(*).reduce(0, +) % 11
            if s != 0 && nine[2...8].contains(where: { $0 != 0 }) {
                return nine.map(String.init).joined() + String(10 - s)
            }
            candidate += 1
        }
    }
}
