import Foundation
import Testing

@testable import STOrders

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Who may read the file, and how user values reach SQL.
@Suite("file safety")
struct FileSafetyTests {
    static func mode(_ path: String) -> mode_t? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return info.st_mode & 0o777
    }

    /// A database the tool creates is the owner's only (0600), and so are the WAL and
    /// shared-memory files SQLite makes beside it while it is open (under this test process's
    /// umask; stordersTests' FileModeTests checks them under umask 000, 022 and 077).
    @Test func aNewDatabaseAndItsWALAndSHMAreReadableByTheOwnerOnly() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("storders-mode-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("sở.sqlite").path

        let store = try Store.open(path: path, mode: .createIfNeeded, actor: "kiểm thử")
        try store.addEnterprise(
            name: "Công ty TNHH Bảo mật", taxCode: try TaxCode(parsing: "0100233488"),
            province: try Province.named("Hà Nội"), on: try Day(parsing: "2026-01-02"))
        // The store is still open: the WAL and SHM files exist now.
        #expect(Self.mode(path) == 0o600)
        #expect(Self.mode(path + "-wal") == 0o600)
        #expect(Self.mode(path + "-shm") == 0o600)
        #expect(try store.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") } == "wal")
    }

    /// Every SQL text in the library is a constant: values are bound with `?` (or `?1`), never
    /// spliced in. The test reads the sources: any string literal that looks like SQL may
    /// interpolate only the program's own fragments listed here, each of which is itself built
    /// from constants. The CLI holds no SQL at all.
    @Test func userValuesReachSQLOnlyAsBoundParameters() throws {
        let allowed: [String: String] = [
            "Store.orderColumns": "a constant column list (Store+Decoding.swift)",
            "orderColumns": "the same constant, named from inside a Store extension",
            "Store.fundingColumns": "a constant of Store+Decoding.swift",
            "fundingColumns": "the same, from inside a Store extension",
            "Store.fundingTables": "a constant of Store+Decoding.swift",
            "fundingTables": "the same, from inside a Store extension",
            "Store.paymentColumns": "a constant of Store+Decoding.swift",
            "paymentColumns": "the same, from inside a Store extension",
            "Store.paymentTables": "a constant of Store+Decoding.swift",
            "paymentTables": "the same, from inside a Store extension",
            "Store.resultColumns": "a constant of Store+Decoding.swift",
            "resultColumns": "the same, from inside a Store extension",
            "Store.resultTables": "a constant of Store+Decoding.swift",
            "resultTables": "the same, from inside a Store extension",
            "Store.eventColumns": "a constant of Store+Decoding.swift",
            "Store.outputColumns": "a constant of Store+Decoding.swift",
            "outputColumns": "the same, from inside a Store extension",
            "Store.amendmentColumns": "a constant of Store+Decoding.swift",
            "amendmentColumns": "the same, from inside a Store extension",
            "Store.amendmentTables": "a constant of Store+Decoding.swift",
            "amendmentTables": "the same, from inside a Store extension",
            "outputs.whereClause": "DueList: Conditions of constant clauses; values go to its arguments",
            "contracts.whereClause": "the same",
            "steps.whereClause": "Notices: Conditions of constant clauses; values go to its arguments",
            "Store.join(filter)": "Inbox: the literal CROSS JOIN or JOIN",
            "Store.waitingIndex(filter)": "Inbox: a literal INDEXED BY clause or nothing",
            "version + 1":
                "Store+Upgrade: the file's PRAGMA schema_version plus one, an integer (PRAGMA binds no value)",
            "eventColumns": "the same, from inside a Store extension",
            "conditions.whereClause":
                "joins the constant clauses callers pass to Conditions.add; values go to its arguments",
            "column": "Conditions.add(year:column:), called with literal column names only (checked below)",
            "idColumn": "RecordTable.idColumn: a constant per case of the enum (HistoryChain.swift)",
            "table.select": "RecordTable.select: a constant query per case",
            "select": "Store.compareWithLatestRecord: RecordTable.select or SealTable.select, constant queries",
            "chain.rawValue": "Store.Chain: events or seals",
            "table.rawValue": "RecordTable's raw value: one of six table names",
            "table.idInTable": "RecordTable.idInTable: a constant column per case",
            "table": "Store+Verify checkReferences: interpolated only after matching a literal list of table names",
            "join":
                "Dashboard: a literal JOIN clause or nothing (the province is bound as :province); FigureQuery.enterprises: one of two literal JOIN clauses; Notices: CROSS JOIN or JOIN",
            "stepTrigger": "BulkWriter.withoutStepTriggers: one of the constant BulkWriter.stepTriggers names",
            // Tallies.swift: the set-wise recomputation of the running totals is assembled from the
            // three `Table` constants declared in that file (table and column names, source clauses);
            // nothing it interpolates comes from outside the file, and it binds no value at all.
            "name": "Tallies.Table.name: one of three constant table names",
            "table.name": "the same", "table.recomputed": "Tallies.Table.recomputed, built from the constants",
            "table.kept": "Tallies.Table.kept, built from the constants",
            "keys": "Tallies.differences: a constant key column list",
            "columns": "Tallies.Table.recomputed: constant columns",
            "source.from": "a constant FROM clause of a Tallies.Source",
            "to": "Tallies.days(_:_:), called with literal column names",
            "key.joined(separator: \", \")": "constant key columns",
            "(key + counts).joined(separator: \", \")": "constant columns",
            "(table.key + table.counts).joined(separator: \", \")": "constant columns",
            "(key + counts.map { \"sum(\\($0))\" }).joined(separator: \", \")": "constant columns, summed",
            "branches.joined(separator: \"\\nUNION ALL \")": "the constant sources",
            "counts.map { \"\\($0) <> 0\" }.joined(separator: \" OR \")": "constant columns",
            "counts.map { \"sum(\\($0)) <> 0\" }.joined(separator: \" OR \")": "constant columns",
            "condition":
                "Tallies.Table.recomputed: a Source's constant condition and the literal `o.id > :after` (bound)",
            "table.recomputed(orders: \"o.id > :after\")": "the same, for new orders; :after is bound",
            "$0.recomputed(orders: \"o.province_code = $1\")":
                "the same, for one province of the national store; $1 is bound",
            "table.key.joined(separator: \", \")": "constant key columns",
            "sums": "Tallies.addOrders: constant columns",
            "inner": "FigureQuery: one of two literal GROUP BY lists",
            "Tallies.totals.kept": "Tallies.Table.kept of the constant totals table",
            // Figures.swift reads the totals: the same constant column list, and a choice of literal fragments.
            "counts.map { \"sum(t.\\($0)) <> 0\" }.joined(separator: \" OR \")":
                "Tallies.totals.counts: constant columns",
            "group": "FigureQuery.group: one of two literal column expressions",
            "scope":
                "FigureQuery.scope, AdvanceQuery.scope: literal clauses; the years (or days), province and field are bound (SQLDialect.placeholder 1-4)",
            // Tallies.adjustment and differenceCount, NationalFigureSQL.fills: the national store's
            // totals kept and checked with the same Tallies constants, in the PostgreSQL dialect.
            "counts.map { \"sum(c.\\($0)) <> 0\" }.joined(separator: \" OR \")": "constant columns",
            "add": "Tallies.adjustment: constant columns, `c = table.c + EXCLUDED.c`",
            "recomputed": "Tallies.Table.recomputed, built from the constants",
            "kept": "Tallies.Table.kept, built from the constants",
            "$0.name": "Tallies.Table.name: one of three constant table names",
            "($0.key + $0.counts).joined(separator: \", \")": "constant columns",
            "$0.recomputed": "Tallies.Table.recomputed, built from the constants",
            "NationalSchema.version": "a constant integer (the schema_version row of an upgrade)",
            "flag(startup)": "FigureQuery.enterprises: SQLDialect.flag of one of two literal expressions",
            "counts.map { sum(\"t.\\($0)\") + \" AS \\($0)\" }.joined(separator: \", \")":
                "FigureQuery.totals: Tallies.totals.counts, constant columns, summed",
            // Store+Upgrade.swift.
            "dateBound":
                "FigureQuery.pastContractEnd: SQLDialect.day(1), the placeholder ?1 or $1::date (the day is bound)",
            "fundingsWithOrders": "FigureQuery.pastContractEnd: SQLDialect.withOrder of literal names, a constant join",
            "Store.schemaVersion": "a constant integer (PRAGMA user_version takes no bound parameter)",
            "index": "Store.upgradeFrom1: one of the constant Store.droppedInVersion2 index names",
            "dropped.type": "Store.droppable: TRIGGER, VIEW or INDEX",
            "dropped.name": "Store.droppable: the name of a schema.sql object, checked to be a plain word",
            "cookie + 1":
                "Store.widenEvents: an integer read from PRAGMA schema_version (which takes no bound parameter)",
            // Store+Documents.swift, Store+OrderDetail.swift, Store+OrderStream.swift.
            "Store.documentColumns": "a constant column list of documents",
            // Store+PaymentRequests.swift, PaymentRequestList.swift (docs/requests.md).
            "Store.paymentRequestColumns": "a constant column list of payment_requests",
            "paymentRequestColumns": "a constant column list of payment_requests",
            "Store.paymentRequestTables": "a constant FROM clause of payment_requests, outputs and payments",
            "paymentRequestTables": "a constant FROM clause of payment_requests, outputs and payments",
            "c.whereClause": "PaymentRequestList: Conditions of constant clauses; values go to its arguments",
            "documentColumns": "a constant column list of documents",
            // Store+Advances.swift, AdvanceList.swift, Inbox.swift (docs/advances.md).
            "Store.advanceColumns": "a constant column list of advances",
            "advanceColumns": "a constant column list of advances",
            "Store.outstandingSQL": "a constant expression: what is outstanding of the balance b's order",
            "Store.advanceBalancesFromRecords": "a constant query: every order's advance balance from the records",
            "advanceBalancesFromRecords": "a constant query: every order's advance balance from the records",
            "droppedInVersion10": "Store.upgradeTablesToVersion10: the constant name of the index version 10 drops",
            // AdvanceQuery.sums: the advance figures' two queries, in both dialects (docs/national.md).
            "advanceKind": "AdvanceQuery.sums: the literal `v.kind` or `'settlement'`",
            "advanceRecords":
                "AdvanceQuery.sums: SQLDialect.withOrder or SQLDialect.records of literal names (a constant join or none)",
            "advanceProvince": "AdvanceQuery.sums: the literal `o.province_code` or `CAST('' AS text)`",
            "advanceGroups": "AdvanceQuery.sums: a literal GROUP BY list, or the literal `HAVING count(*) > 0`",
            "advanceInYear": "AdvanceQuery.sums: SQLDialect.sum of a CASE over literal columns and placeholder 1",
            "advanceUpToEnd": "AdvanceQuery.sums: SQLDialect.sum of a literal column",
            "advanceOnly": "AdvanceQuery.sums: empty, or the literal `p.settled <> 0 AND `",
            "advanceDate": "AdvanceQuery.sums: the literal column `v.made_on` or `p.paid_on`",
            "advanceYearEnd": "AdvanceQuery.sums: SQLDialect.day(2), the placeholder ?2 or $2::date (the day is bound)",
            "Store.documentTables": "a constant FROM clause of documents and outputs",
            "documentTables": "a constant FROM clause of documents and outputs",
            // Store+Accounts.swift, Store+Sessions.swift, Store+Tokens.swift.
            "Store.accountColumns": "a constant column list of accounts",
            "accountColumns": "a constant column list of accounts",
            "Store.tokenSelect": "a constant SELECT of api_tokens",
            "tokenSelect": "a constant SELECT of api_tokens",
        ]
        // Publisher.upsert's `unsafeSQL:` texts: names of the publish's own tables and columns
        // (PublishTable's constants), never a value from a file or a user.
        let postgresFragments: [String: String] = [
            "stage": "\"stage_\" + a PublishTable's constant name",
            "table.name": "a PublishTable's constant name",
            "columns": "a PublishTable's constant column names, joined",
            "key": "a choice between two constant key lists",
            "action": "DO NOTHING, or DO UPDATE SET over the table's constant changing columns",
            "set": "the constant changing columns, `c = EXCLUDED.c`",
            "old": "the constant changing columns, qualified by the table's constant name",
            "new": "the constant changing columns, `EXCLUDED.c`",
            "columns.joined(separator: \", \")":
                "BatchWriter.sendDates: the constant date columns of outputs or fundings",
        ]
        // Also fine: a helper called with string literals only (`g("o.funded_on")`, the column
        // names of Figures), and a choice between two string literals.
        func isConstant(_ expression: String) -> Bool { allowed[expression] != nil || Self.isLiteralOnly(expression) }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "../../../Sources")
        let files = try FileManager.default.subpathsOfDirectory(atPath: root.path).filter { $0.hasSuffix(".swift") }
        #expect(files.count > 20)
        let sqlWord = try NSRegularExpression(
            pattern: #"\b(SELECT|INSERT|UPDATE|DELETE|WHERE|VALUES|PRAGMA|CREATE|DROP)\b"#)
        var literalsChecked = 0
        for file in files {
            let source = try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)
            // The literal handed to `unsafeSQL:` itself (not one further on, after a constant).
            let unsafePostgres = Set(
                source.components(separatedBy: "unsafeSQL:").dropFirst().compactMap { rest in
                    rest.drop { $0.isWhitespace }.first == "\"" ? Self.stringLiterals(in: rest).first : nil
                })
            for literal in Self.stringLiterals(in: source) {
                let range = NSRange(literal.startIndex..., in: literal)
                guard sqlWord.firstMatch(in: literal, range: range) != nil else { continue }
                literalsChecked += 1
                #expect(!file.hasPrefix("storders/"), "SQL in the CLI (\(file)): commands must call the library")
                // PostgreSQL (STOrdersNational): a literal that becomes a PostgresQuery sends each
                // \( … ) as a bound parameter ($1, $2 …), never as text; only the literals handed to
                // `unsafeSQL:` are spliced, and those may hold only the publish's own fragments.
                if file.hasPrefix("STOrdersNational/") && !unsafePostgres.contains(literal) { continue }
                for expression in Self.interpolations(in: literal) {
                    #expect(
                        isConstant(expression)
                            || (file.hasPrefix("STOrdersNational/") && postgresFragments[expression] != nil),
                        "\(file): SQL interpolates \\(\(expression)): bind it as an argument")
                }
            }
            // Conditions.add(year:column:) gets literal column names; Conditions.add(_:_:) literal SQL.
            for line in source.split(separator: "\n") where line.contains(".add(year:") {
                #expect(line.contains("column: \""), "\(file): \(line)")
            }
            for line in source.split(separator: "\n") where line.contains("conditions.add(\"") {
                #expect(!line.contains("\\("), "\(file): \(line)")
            }
        }
        #expect(literalsChecked > 30)
    }

    /// A call with string-literal arguments only, or a choice between two string literals.
    static func isLiteralOnly(_ expression: String) -> Bool {
        [#"^[A-Za-z_][A-Za-z0-9_]*\(\s*"[^"\\]*"(\s*,\s*"[^"\\]*")*\s*\)$"#, #"^[^"]*\?\s*"[^"\\]*"\s*:\s*"[^"\\]*"$"#]
            .contains { expression.range(of: $0, options: .regularExpression) != nil }
    }

    /// The contents of the string literals of a Swift file (single-line and multi-line).
    static func stringLiterals(in source: String) -> [String] {
        var literals: [String] = []
        let chars = Array(source)
        var i = 0
        while i < chars.count {
            if chars[i] == "/" && i + 1 < chars.count && chars[i + 1] == "/" {
                while i < chars.count && chars[i] != "\n" { i += 1 }  // a comment
                continue
            }
            guard chars[i] == "\"" else {
                i += 1
                continue
            }
            let triple = i + 2 < chars.count && chars[i + 1] == "\"" && chars[i + 2] == "\""
            var j = i + (triple ? 3 : 1)
            var text = ""
            var depth = 0  // inside \( … ) the literal's quotes belong to nested expressions
            while j < chars.count {
                if chars[j] == "\\" && j + 1 < chars.count {
                    if chars[j + 1] == "(" { depth += 1 }
                    text.append(chars[j])
                    text.append(chars[j + 1])
                    j += 2
                    continue
                }
                if depth > 0 {
                    if chars[j] == "(" { depth += 1 } else if chars[j] == ")" { depth -= 1 }
                    text.append(chars[j])
                    j += 1
                    continue
                }
                if triple
                    ? (chars[j] == "\"" && j + 2 < chars.count && chars[j + 1] == "\"" && chars[j + 2] == "\"")
                    : (chars[j] == "\"" || chars[j] == "\n")
                {
                    break
                }
                text.append(chars[j])
                j += 1
            }
            literals.append(text)
            i = j + (triple ? 3 : 1)
        }
        return literals
    }

    /// The expressions interpolated with `\( … )` in a literal's text.
    static func interpolations(in literal: String) -> [String] {
        var found: [String] = []
        let chars = Array(literal)
        var i = 0
        while i + 1 < chars.count {
            guard chars[i] == "\\" && chars[i + 1] == "(" else {
                i += 1
                continue
            }
            var depth = 1
            var j = i + 2
            var expression = ""
            while j < chars.count {
                if chars[j] == "(" {
                    depth += 1
                } else if chars[j] == ")" {
                    depth -= 1
                    if depth == 0 { break }
                }
                expression.append(chars[j])
                j += 1
            }
            found.append(expression.trimmingCharacters(in: .whitespaces))
            i = j + 1
        }
        return found
    }

    @Test func theScannerFindsInterpolatedSQL() {
        // The checker itself: it must see a spliced value, in both kinds of literal.
        let source = #"""
            let a = "SELECT * FROM orders WHERE code = '\(code)'"
            let b = """
                UPDATE orders SET title = '\(title.uppercased())' WHERE id = ?
                """
            let c = "details: \(name)"  // not SQL
            """#
        let literals = Self.stringLiterals(in: source)
        #expect(literals.flatMap(Self.interpolations) == ["code", "title.uppercased()", "name"])
        // A helper given a literal is constant; given a value, it is not.
        let helper = Self.interpolations(
            in: #"SELECT \(g("o.funded_on")), \(g(code)) \(x ? "a" : "b") \(x ? name : "b")"#)
        #expect(helper == [#"g("o.funded_on")"#, "g(code)", #"x ? "a" : "b""#, #"x ? name : "b""#])
        #expect(helper.map(Self.isLiteralOnly) == [true, false, true, false])
        #expect(literals.count == 3)
    }
}
