import Foundation
import GRDB
import PostgresNIO
import Testing

@testable import STOrders
@testable import STOrdersNational

/// The PostgreSQL server the tests use: `$STORDERS_TEST_POSTGRES` (scripts/with-postgres sets it
/// to a throwaway cluster's URL). Without it the PostgreSQL suites are skipped, saying so, unless
/// `STORDERS_REQUIRE_POSTGRES=1` (CI), when they run and fail with a message naming the variable.
enum TestPostgres {
    static let variable = "STORDERS_TEST_POSTGRES"
    static var text: String? { ProcessInfo.processInfo.environment[variable].flatMap { $0.isEmpty ? nil : $0 } }
    static var required: Bool { ProcessInfo.processInfo.environment["STORDERS_REQUIRE_POSTGRES"] == "1" }
    /// Whether the PostgreSQL suites run: a server is given, or one is required.
    static var enabled: Bool { text != nil || required }
    static let skipped: Comment =
        "STORDERS_TEST_POSTGRES is not set: the PostgreSQL suites are skipped (run the tests inside scripts/with-postgres, as scripts/test does)"

    struct Missing: Error, CustomStringConvertible {
        var description: String {
            "STORDERS_REQUIRE_POSTGRES=1 but STORDERS_TEST_POSTGRES is not set: a PostgreSQL test cannot run; run the tests inside scripts/with-postgres"
        }
    }

    /// The server's URL (its own database, where test databases are created from).
    static func serverURL() throws -> NationalURL {
        guard let text else { throw Missing() }
        return try NationalURL(parsing: text)
    }

    /// The same server and credentials, another database.
    static func url(database: String, password: String? = nil) throws -> NationalURL {
        let base = try serverURL()
        let pass = password ?? base.password ?? ""
        return try NationalURL(
            parsing: "postgresql://\(base.user):\(pass)@\(base.host):\(base.port)/\(database)", environmentPassword: nil
        )
    }

    /// A template database holding the national schema, made once per test process.
    static let template = Template()

    actor Template {
        var made: Task<String, any Error>?
        /// The template's name; made by the first caller, awaited by the others.
        func ensure() async throws -> String {
            if let made { return try await made.value }
            let task = Task { try await Template.make() }
            made = task
            return try await task.value
        }

        static func make() async throws -> String {
            let name = "storders_tpl_\(ProcessInfo.processInfo.processIdentifier)_\(UInt32.random(in: 0...UInt32.max))"
            let server = try await NationalConnection.connect(try serverURL())
            do {
                try await server.run(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"))
                await server.close()
            } catch {
                await server.close()
                throw error
            }
            let connection = try await NationalConnection.connect(try url(database: name))
            do {
                try await connection.createSchema()
                await connection.close()
            } catch {
                await connection.close()
                throw error
            }
            return name
        }
    }
}

/// A fresh national database with the schema, for one test; `drop()` removes it.
struct NationalDatabase {
    let name: String
    let url: NationalURL

    /// `schema: false` makes an empty database (no national schema).
    static func make(schema: Bool = true) async throws -> NationalDatabase {
        let name = "storders_t_\(UInt64.random(in: 0...UInt64.max))"
        let template = schema ? try await TestPostgres.template.ensure() : "template0"
        let server = try await NationalConnection.connect(try TestPostgres.serverURL())
        do {
            try await server.run(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name) TEMPLATE \(template)"))
            await server.close()
        } catch {
            await server.close()
            throw error
        }
        return NationalDatabase(name: name, url: try TestPostgres.url(database: name))
    }

    func connect() async throws -> NationalConnection { try await NationalConnection.connect(url) }

    func drop() async {
        guard let server = try? await NationalConnection.connect(try TestPostgres.serverURL()) else { return }
        try? await server.run(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"))
        await server.close()
    }

    /// Every row of every table, as one text per table: equal fingerprints mean nothing was written.
    func fingerprint() async throws -> [String] {
        let connection = try await connect()
        do {
            let prints = try await fingerprint(connection)
            await connection.close()
            return prints
        } catch {
            await connection.close()
            throw error
        }
    }

    func fingerprint(_ connection: NationalConnection) async throws -> [String] {
        var prints: [String] = []
        for table in [
            "schema_version", "sources", "source_provinces", "publishes", "orders", "outputs", "fundings", "payments",
            "results", "result_retractions", "advances", "events", "enterprises", "seals", "targets",
        ] {
            // A table of a later version than the store's (`advances` in a store of version 4): absent.
            let exists = try await connection.query("SELECT to_regclass(\(table)) IS NOT NULL")
            guard try exists.first?.decode(Bool.self) == true else {
                prints.append(table + " absent")
                continue
            }
            let rows = try await connection.query(
                PostgresQuery(
                    unsafeSQL: """
                        SELECT count(*)::text || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '')
                        FROM \(table) t
                        """))
            prints.append(table + "=" + (try rows.first?.decode(String.self) ?? "?"))
        }
        return prints
    }

    /// Takes a store of this version back to what version 4 was (what `NationalSchema.addedInVersion5`
    /// adds, removed; the payments' insert-only trigger back), dropping the advances and the
    /// payments' settled parts its records held: a store as version 4 kept what a source published.
    static func downgradeToVersion4(_ connection: NationalConnection) async throws {
        for sql in [
            "DROP TABLE advances", "DROP TRIGGER payments_fixed ON payments", "DROP FUNCTION payment_fixed()",
            "DROP TRIGGER payments_never_deleted ON payments", "DROP INDEX payments_settling",
            "ALTER TABLE payments DROP COLUMN settled", "ALTER TABLE sources DROP COLUMN advances_pending",
            "CREATE TRIGGER payments_never_changed BEFORE UPDATE OR DELETE ON payments FOR EACH ROW EXECUTE FUNCTION refuse_change()",
            "DELETE FROM schema_version", "INSERT INTO schema_version (version) VALUES (4)",
        ] {
            try await connection.run(PostgresQuery(unsafeSQL: sql))
        }
    }

    /// Takes a store of this version back to what version 3 was (through version 4; what
    /// `NationalSchema.addedInVersion4` adds, removed; the fundings' insert-only trigger back),
    /// dropping the dates its records held: a store as version 3 kept what a source published.
    static func downgradeToVersion3(_ connection: NationalConnection) async throws {
        try await downgradeToVersion4(connection)
        for sql in [
            "ALTER TABLE outputs DROP COLUMN due_on, DROP COLUMN extended_to",
            "ALTER TABLE fundings DROP COLUMN starts_on, DROP COLUMN ends_on, DROP COLUMN ends_extended_to",
            "ALTER TABLE tallies DROP COLUMN outputs_due, DROP COLUMN outputs_on_time",
            "ALTER TABLE sources DROP COLUMN dates_pending",
            "DROP TRIGGER fundings_fixed ON fundings", "DROP FUNCTION funding_fixed()",
            "DROP TRIGGER fundings_never_deleted ON fundings",
            "CREATE TRIGGER fundings_never_changed BEFORE UPDATE OR DELETE ON fundings FOR EACH ROW EXECUTE FUNCTION refuse_change()",
            "DELETE FROM schema_version", "INSERT INTO schema_version (version) VALUES (3)",
        ] {
            try await connection.run(PostgresQuery(unsafeSQL: sql))
        }
    }

    /// The schema as PostgreSQL describes it: every column of every table (name, type,
    /// nullability, default, in order), every index's and trigger's definition on the tables
    /// (not on their partitions), every function's body. Equal for a store upgraded and a new one.
    func schemaDescription() async throws -> [[String?]] {
        try await rows(
            """
            SELECT 'column', table_name::text || '.' || column_name::text, data_type::text || ' ' || is_nullable::text
                   || ' ' || coalesce(column_default, '')::text
            FROM information_schema.columns c
            WHERE table_schema = 'public' AND table_name::text !~ '_[0-9]{2}$'
            UNION ALL
            SELECT 'order', table_name::text, string_agg(column_name::text, ',' ORDER BY ordinal_position)
            FROM information_schema.columns WHERE table_schema = 'public' AND table_name::text !~ '_[0-9]{2}$'
            GROUP BY table_name
            UNION ALL
            SELECT 'index', indexname::text, indexdef FROM pg_indexes
            WHERE schemaname = 'public' AND tablename::text !~ '_[0-9]{2}$'
            UNION ALL
            SELECT 'trigger', t.tgname::text, pg_get_triggerdef(t.oid) FROM pg_trigger t
            JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND NOT t.tgisinternal AND t.tgparentid = 0
            UNION ALL
            SELECT 'function', p.proname::text, p.prosrc FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE n.nspname = 'public'
            UNION ALL
            SELECT 'partitions', c.relname::text, count(*)::text FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhparent
            GROUP BY c.relname
            ORDER BY 1, 2, 3
            """)
    }

    /// Rows of a query, every column read as text.
    func rows(_ query: PostgresQuery) async throws -> [[String?]] {
        let connection = try await connect()
        do {
            let rows = try await connection.query(query).map { row in
                try row.map { cell in try cell.decode(String?.self) }
            }
            await connection.close()
            return rows
        } catch {
            await connection.close()
            throw error
        }
    }
}

/// A province's file for a test, in a folder of its own.
struct SourceFile {
    let directory: URL
    let path: String
    let store: Store

    init(demo: Bool = true, generate orders: Int? = nil, seed: UInt64 = 1) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("storders-nat-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        path = directory.appendingPathComponent("source.sqlite").path
        store = try Store.open(path: path, mode: .createIfNeeded, actor: "kiểm thử")
        if let orders {
            _ = try store.generate(GeneratorOptions(orders: orders, seed: seed))
        } else if demo {
            _ = try DemoData.populate(store)
        }
    }

    func cleanUp() { try? FileManager.default.removeItem(at: directory) }

    func raw() throws -> DatabaseQueue { try DatabaseQueue(path: path) }
}

/// The national store holds exactly the source's rows, table by table and column by column, and
/// each chain's `prev` links and the published position agree with the file.
enum Mirror {
    static let pairs: [(String, String)] = [
        (
            """
            SELECT o.province_code, o.id, o.code, o.title, o.field, o.enterprise_id, n.tax_code, o.ordered_on, o.state,
                   o.funded_on, o.delivered_on, o.commercialized_on, o.cancelled_on, o.cancel_reason
            FROM orders o JOIN enterprises n ON n.id = o.enterprise_id ORDER BY o.id
            """,
            """
            SELECT province_code, id::text, code, title, field, enterprise_id::text, enterprise_tax_code, ordered_on::text,
                   state, funded_on::text, delivered_on::text, commercialized_on::text, cancelled_on::text, cancel_reason
            FROM orders WHERE source_id = $1::uuid ORDER BY orders.id
            """
        ),
        (
            """
            SELECT o.province_code, x.id, x.order_id, x.number, x.title, x.type, x.novelty, x.value, x.accepted_on, x.evidence,
                   x.due_on, x.extended_to
            FROM outputs x JOIN orders o ON o.id = x.order_id ORDER BY x.id
            """,
            """
            SELECT province_code, id::text, order_id::text, number::text, title, type, novelty, value::text,
                   accepted_on::text, evidence, due_on::text, extended_to::text
            FROM outputs WHERE source_id = $1::uuid ORDER BY outputs.id
            """
        ),
        (
            """
            SELECT o.province_code, f.order_id, f.state_budget, f.enterprise_funds, f.other, f.other_source, f.funded_on,
                   f.starts_on, f.ends_on, f.ends_extended_to
            FROM fundings f JOIN orders o ON o.id = f.order_id ORDER BY f.order_id
            """,
            """
            SELECT province_code, order_id::text, state_budget::text, enterprise_funds::text, other::text, other_source,
                   funded_on::text, starts_on::text, ends_on::text, ends_extended_to::text
            FROM fundings WHERE source_id = $1::uuid ORDER BY fundings.order_id
            """
        ),
        (
            """
            SELECT o.province_code, p.id, p.order_id, p.number, p.output_id, p.amount, p.source, p.reference, p.paid_on,
                   p.reverses, p.reason, p.settled
            FROM payments p JOIN orders o ON o.id = p.order_id ORDER BY p.id
            """,
            """
            SELECT province_code, id::text, order_id::text, number::text, output_id::text, amount::text, source, reference,
                   paid_on::text, reverses::text, reason, settled::text
            FROM payments WHERE source_id = $1::uuid ORDER BY payments.id
            """
        ),
        (
            """
            SELECT o.province_code, a.id, a.order_id, a.number, a.kind, a.amount, a.made_on, a.reference, a.reason,
                   a.limit_share
            FROM advances a JOIN orders o ON o.id = a.order_id ORDER BY a.id
            """,
            """
            SELECT province_code, id::text, order_id::text, number::text, kind, amount::text, made_on::text, reference,
                   reason, limit_share::text
            FROM advances WHERE source_id = $1::uuid ORDER BY advances.id
            """
        ),
        (
            """
            SELECT o.province_code, r.id, r.order_id, r.number, r.channel, r.revenue, r.note, r.commercialized_on
            FROM results r JOIN orders o ON o.id = r.order_id ORDER BY r.id
            """,
            """
            SELECT province_code, id::text, order_id::text, number::text, channel, revenue::text, note,
                   commercialized_on::text
            FROM results WHERE source_id = $1::uuid ORDER BY results.id
            """
        ),
        (
            """
            SELECT o.province_code, t.id, t.result_id, t.reason, t.retracted_on
            FROM result_retractions t JOIN results r ON r.id = t.result_id JOIN orders o ON o.id = r.order_id ORDER BY t.id
            """,
            """
            SELECT province_code, id::text, result_id::text, reason, retracted_on::text
            FROM result_retractions WHERE source_id = $1::uuid ORDER BY result_retractions.id
            """
        ),
        (
            """
            SELECT o.province_code, e.id, e.order_id, o.code, e.occurred_on, e.recorded_at, e.action, e.details, e.actor,
                   e.record_table, e.record_id, e.record, e.hash
            FROM events e JOIN orders o ON o.id = e.order_id ORDER BY e.id
            """,
            """
            SELECT province_code, id::text, order_id::text, order_code, occurred_on::text, recorded_at, action, details,
                   actor, record_table, record_id::text, record, hash
            FROM events WHERE source_id = $1::uuid ORDER BY events.id
            """
        ),
        (
            "SELECT province_code, id, tax_code, name, innovative_startup, registered_on FROM enterprises ORDER BY id",
            """
            SELECT province_code, id::text, tax_code, name, (innovative_startup::int)::text, registered_on::text
            FROM enterprises WHERE source_id = $1::uuid ORDER BY enterprises.id
            """
        ),
        (
            "SELECT id, record_table, record_id, recorded_at, action, actor, record, hash FROM seals ORDER BY id",
            """
            SELECT id::text, record_table, record_id::text, recorded_at, action, actor, record, hash
            FROM seals WHERE source_id = $1::uuid ORDER BY seals.id
            """
        ),
        (
            "SELECT id, key, province_code, value, set_at, set_by FROM targets ORDER BY id",
            """
            SELECT id::text, key, province_code, value::text, set_at, set_by FROM targets WHERE source_id = $1::uuid ORDER BY targets.id
            """
        ),
    ]

    static func texts(_ row: Row) -> [String?] {
        row.databaseValues.map { value in
            switch value.storage {
            case .null: return nil
            case .int64(let i): return String(i)
            case .double(let d): return String(d)
            case .string(let s): return s
            case .blob: return "blob"
            }
        }
    }

    /// Every difference between the file and the national store, empty when they agree.
    static func differences(_ source: SourceFile, _ national: NationalDatabase) async throws -> [String] {
        let queue = try source.raw()
        let id = try source.store.sourceIdentity().id
        var problems: [String] = []
        for (sqlite, postgres) in pairs {
            let mine = try await queue.read { db in try Row.fetchAll(db, sql: sqlite).map(texts) }
            var bindings = PostgresBindings()
            bindings.append(id)
            let theirs = try await national.rows(PostgresQuery(unsafeSQL: postgres, binds: bindings))
            if mine != theirs {
                let first = zip(mine, theirs).first { $0 != $1 }
                problems.append(
                    "\(postgres.split(separator: "\n").first ?? ""): \(mine.count) rows here, \(theirs.count) there; first difference: \(String(describing: first))"
                )
            }
        }
        for table in ["events", "seals"] {
            var bindings = PostgresBindings()
            bindings.append(id)
            let broken = try await national.rows(
                PostgresQuery(
                    unsafeSQL: """
                        SELECT count(*)::text FROM (SELECT prev, lag(hash, 1, repeat('0', 64)) OVER (ORDER BY id) AS before
                                                    FROM \(table) WHERE source_id = $1::uuid) x WHERE prev <> before
                        """, binds: bindings))
            if broken.first?.first != "0" {
                problems.append("\(table): \(String(describing: broken)) broken prev links")
            }
        }
        let head = try await queue.read { db in
            (
                try Row.fetchOne(db, sql: "SELECT id, hash FROM events ORDER BY id DESC LIMIT 1").map(texts),
                try Row.fetchOne(db, sql: "SELECT id, hash FROM seals ORDER BY id DESC LIMIT 1").map(texts)
            )
        }
        var bindings = PostgresBindings()
        bindings.append(id)
        let position = try await national.rows(
            PostgresQuery(
                unsafeSQL: """
                    SELECT last_event_id::text, last_event_hash, last_seal_id::text, last_seal_hash FROM sources WHERE id = $1::uuid
                    """, binds: bindings))
        let expected: [String?] =
            (head.0 ?? ["0", Publication.genesis]) + (head.1 ?? ["0", Publication.genesis])
        if position != [expected] { problems.append("position \(position) but the file's heads are \(expected)") }
        return problems
    }
}

/// Corrections of advances, as an office makes them: state payments that settled advances
/// reversed whole (the reversal undoes the settlement, so the advance is outstanding again), then
/// what is outstanding of each such order recovered in part, a few days later. Corrections the
/// rules refuse (dated before a later step of the order) are skipped; the counts say how many
/// were made, at most `limit` of each.
enum AdvanceCorrections {
    static func make(_ store: Store, limit: Int = 3) throws -> (reversed: Int, recovered: Int) {
        let settling = try store.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT o.code, p.number, p.paid_on FROM payments p JOIN orders o ON o.id = p.order_id
                    WHERE p.settled > 0 AND NOT EXISTS (SELECT 1 FROM payments r WHERE r.reverses = p.id)
                    ORDER BY p.id
                    """)
        }
        var reversed = 0
        var recovered = 0
        for row in settling where reversed < limit {
            let code: String = row[0]
            let paidOn = try Day(parsing: row[2])
            guard
                (try? store.reversePayment(
                    order: code, payment: row[1], amount: nil, reason: "Thanh toán nhầm, hoàn trả Kho bạc",
                    on: paidOn.adding(days: 20))) != nil
            else { continue }
            reversed += 1
            let outstanding = try store.advances(order: code).balance.outstanding
            guard outstanding > 1,
                (try? store.recoverAdvance(
                    order: code, amount: outstanding / 2, reason: "Doanh nghiệp hoàn trả tạm ứng chưa thanh toán",
                    reference: "UNC thu hồi", on: paidOn.adding(days: 25))) != nil
            else { continue }
            recovered += 1
        }
        return (reversed, recovered)
    }
}
