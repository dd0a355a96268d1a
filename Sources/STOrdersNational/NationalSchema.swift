/// The national store's schema (`national/schema.sql`, embedded at build time) and the one
/// version of it this program reads and writes.
public enum NationalSchema {
    /// The `schema_version` row this program expects; any other is refused before anything is written.
    public static let version = 5
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
        statements(startingWith: [
            "CREATE TABLE tallies ", "CREATE TABLE tally_", "CREATE INDEX tallies_", "CREATE INDEX tally_",
        ])
    }

    /// The statements of national/schema.sql whose code (after the comment lines above it)
    /// starts with one of `prefixes`, in the file's order.
    static func statements(startingWith prefixes: [String]) -> [String] {
        statements.filter { statement in
            let code = statement.split(separator: "\n").drop { $0.hasPrefix("--") }.joined(separator: "\n")
            return prefixes.contains { code.hasPrefix($0) }
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
            + statements(startingWith: [
                "CREATE INDEX fundings_by_end ", "CREATE FUNCTION funding_fixed(", "CREATE TRIGGER fundings_fixed ",
            ])
    }

    /// What version 5 added to version 4 (the advances, docs/advances.md): the payments' `settled`
    /// part and the sources' `advances_pending` flag (each the last column of its table in
    /// national/schema.sql, so an upgraded table has the same columns in the same order as a new
    /// one), the `advances` table with its indexes, its 34 partitions and its insert-only
    /// trigger, the index of the settling payments, and the payments' trigger that lets the next
    /// publish of a source write, once, the settled part this store did not keep (in place of the
    /// one that refused every change). The sources that published before get `advances_pending`:
    /// their next publish sends the advances and settled parts of what they published.
    public static var addedInVersion5: [String] {
        [
            """
            ALTER TABLE payments ADD COLUMN settled bigint NOT NULL DEFAULT 0
                CHECK (settled = 0 OR (source = 'state' AND settled BETWEEN least(amount, 0) AND greatest(amount, 0)))
            """,
            "ALTER TABLE sources ADD COLUMN advances_pending boolean NOT NULL DEFAULT false",
            "UPDATE sources SET advances_pending = true WHERE last_event_id > 0",
            "DROP TRIGGER payments_never_changed ON payments",
            "CREATE TRIGGER payments_never_deleted BEFORE DELETE ON payments FOR EACH ROW EXECUTE FUNCTION refuse_change()",
        ]
            + statements(startingWith: [
                "CREATE TABLE advances ", "CREATE INDEX advances_", "CREATE INDEX payments_settling ",
                "CREATE FUNCTION payment_fixed(", "CREATE TRIGGER payments_fixed ",
            ])
            + [
                """
                CREATE TRIGGER advances_never_changed BEFORE UPDATE OR DELETE ON advances
                    FOR EACH ROW EXECUTE FUNCTION refuse_change()
                """,
                """
                DO $$
                DECLARE
                    p text;
                BEGIN
                    FOR p IN SELECT code FROM provinces ORDER BY code LOOP
                        EXECUTE format('CREATE TABLE %I PARTITION OF advances FOR VALUES IN (%L)', 'advances_' || p, p);
                    END LOOP;
                END $$
                """,
            ]
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
