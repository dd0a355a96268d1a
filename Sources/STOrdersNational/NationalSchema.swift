/// The national store's schema (`national/schema.sql`, embedded at build time) and the one
/// version of it this program reads and writes.
public enum NationalSchema {
    /// The `schema_version` row this program expects; any other is refused before anything is written.
    public static let version = 4
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

    /// What version 3 added to version 2: the sources' `totals_pending` flag (the last column of
    /// `sources` in national/schema.sql, so an upgraded table has the same columns in the same order).
    public static let addedInVersion3 = [
        "ALTER TABLE sources ADD COLUMN totals_pending boolean NOT NULL DEFAULT false"
    ]

    /// What version 4 added to version 3 (the deadlines, docs/deadlines.md): the outputs' due
    /// dates, the fundings' contract periods and their extensions, the running totals' two
    /// counts of the deadlines (each the last columns of its table in national/schema.sql, so an
    /// upgraded table has the same columns in the same order as a new one), the contracts' index
    /// by their end in force, and the fundings' trigger that lets an amendment move the end in
    /// force and nothing else (instead of refusing every change). (A store of version 1 gets the
    /// totals' tables whole from `addedInVersion2`, so their two columns are added only if
    /// missing.) The sources that published
    /// before get `dates_pending`: their next publish sends the dates this store did not keep.
    public static var addedInVersion4: [String] {
        [
            "ALTER TABLE outputs ADD COLUMN due_on date, ADD COLUMN extended_to date",
            "ALTER TABLE fundings ADD COLUMN starts_on date, ADD COLUMN ends_on date, ADD COLUMN ends_extended_to date",
            """
            ALTER TABLE tallies ADD COLUMN IF NOT EXISTS outputs_due bigint NOT NULL DEFAULT 0,
                ADD COLUMN IF NOT EXISTS outputs_on_time bigint NOT NULL DEFAULT 0
            """,
            "ALTER TABLE sources ADD COLUMN dates_pending boolean NOT NULL DEFAULT false",
            "UPDATE sources SET dates_pending = true WHERE last_event_id > 0",
            "DROP TRIGGER fundings_never_changed ON fundings",
            "CREATE TRIGGER fundings_never_deleted BEFORE DELETE ON fundings FOR EACH ROW EXECUTE FUNCTION refuse_change()",
        ]
            + statements.filter { statement in
                let code = statement.split(separator: "\n").drop { $0.hasPrefix("--") }.joined(separator: "\n")
                return [
                    "CREATE INDEX fundings_by_end ", "CREATE FUNCTION funding_fixed(", "CREATE TRIGGER fundings_fixed ",
                ]
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
