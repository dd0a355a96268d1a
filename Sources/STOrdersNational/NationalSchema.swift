/// The national store's schema (`national/schema.sql`, embedded at build time) and the one
/// version of it this program reads and writes.
public enum NationalSchema {
    /// The `schema_version` row this program expects; any other is refused before anything is written.
    public static let version = 2
    /// national/schema.sql, exactly as in the repository.
    public static var sql: String { String(decoding: PackageResources.national_schema_sql, as: UTF8.self) }
}

extension NationalSchema {
    /// The schema's statements, one by one (the extended protocol runs one at a time): split at
    /// each `;` outside quotes ('…', "…"), dollar-quoted bodies ($$…$$) and `--` comments.
    public static var statements: [String] { split(sql) }

    /// The statements version 2 added to version 1 (the running totals' tables and indexes),
    /// as they are in national/schema.sql.
    public static var addedInVersion2: [String] {
        statements.filter { statement in
            // A statement's text starts with the comment lines above it.
            let code = statement.split(separator: "\n").drop { $0.hasPrefix("--") }.joined(separator: "\n")
            return ["CREATE TABLE tallies ", "CREATE TABLE tally_", "CREATE INDEX tallies_", "CREATE INDEX tally_"]
                .contains { code.hasPrefix($0) }
        }
    }

    static func split(_ sql: String) -> [String] {
        var statements: [String] = []
        var current: [Character] = []
        let characters = Array(sql)
        var i = 0
        func flush() {
            let text = String(current).trimmingWhitespace()
            if !text.isEmpty && !text.split(separator: "\n").allSatisfy({ $0.trimmingWhitespace().hasPrefix("--") }) {
                statements.append(text)
            }
            current.removeAll()
        }
        while i < characters.count {
            let c = characters[i]
            if c == "-" && i + 1 < characters.count && characters[i + 1] == "-" {
                while i < characters.count && characters[i] != "\n" {
                    current.append(characters[i])
                    i += 1
                }
                continue
            }
            if c == "'" || c == "\"" {
                current.append(c)
                i += 1
                while i < characters.count && characters[i] != c {
                    current.append(characters[i])
                    i += 1
                }
                if i < characters.count { current.append(characters[i]) }
                i += 1
                continue
            }
            if c == "$" && i + 1 < characters.count && characters[i + 1] == "$" {
                current.append(contentsOf: "$$")
                i += 2
                while i + 1 < characters.count && !(characters[i] == "$" && characters[i + 1] == "$") {
                    current.append(characters[i])
                    i += 1
                }
                if i + 1 < characters.count { current.append(contentsOf: "$$") }
                i += 2
                continue
            }
            if c == ";" {
                flush()
                i += 1
                continue
            }
            current.append(c)
            i += 1
        }
        flush()
        return statements
    }
}

extension StringProtocol {
    fileprivate func trimmingWhitespace() -> String {
        var text = Substring(self)
        while let first = text.first, first.isWhitespace { text = text.dropFirst() }
        while let last = text.last, last.isWhitespace { text = text.dropLast() }
        return String(text)
    }
}
