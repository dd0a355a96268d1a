import Foundation
import GRDB
import PostgresNIO
import Testing

@testable import STOrders
@testable import STOrdersNational

/// `publish` against a real PostgreSQL: idempotent, incremental, the national store equal to the
/// source row by row, and every refusal one error that writes nothing.
@Suite(.enabled(if: TestPostgres.enabled, TestPostgres.skipped))
struct PublishTests {
    static func day(_ text: String) throws -> Day { try Day(parsing: text) }

    func counts(_ source: SourceFile) throws -> (events: Int, seals: Int) {
        try source.raw().read { db in
            (
                try Int.fetchOne(db, sql: "SELECT count(*) FROM events") ?? 0,
                try Int.fetchOne(db, sql: "SELECT count(*) FROM seals") ?? 0
            )
        }
    }

    @Test func publishingTwiceAddsNothing() async throws {
        let source = try SourceFile()
        let national = try await NationalDatabase.make()
        defer { source.cleanUp() }
        let (events, seals) = try counts(source)
        let first = try await Publisher.publish(source.store, to: national.url)
        #expect(first.events == events && first.seals == seals && first.batches == 2)
        let differences = try await Mirror.differences(source, national)
        #expect(differences == [], "\(differences)")
        let print = try await national.fingerprint()
        let second = try await Publisher.publish(source.store, to: national.url)
        #expect(second.events == 0 && second.seals == 0 && second.batches == 0)
        #expect(second.lastEventID == first.lastEventID && second.lastEventHash == first.lastEventHash)
        #expect(try await national.fingerprint() == print)
        await national.drop()
    }

    /// Small batches, then new records of every kind: a reversal, a retraction (which returns a
    /// commercialized order to delivered), a cancellation, a new enterprise and target, a new
    /// name. Only the new part is sent, and the store equals the file again.
    @Test func anIncrementalPublishSendsOnlyWhatIsNew() async throws {
        let source = try SourceFile()
        let national = try await NationalDatabase.make()
        defer { source.cleanUp() }
        let first = try await Publisher.publish(source.store, to: national.url, batchSize: 7)
        let (events, seals) = try counts(source)
        #expect(first.events == events && first.seals == seals)
        #expect(first.batches == (events + 6) / 7 + (seals + 6) / 7)
        let differences = try await Mirror.differences(source, national)
        #expect(differences == [], "\(differences)")

        let store = source.store
        try store.reversePayment(
            order: "01-2025-0001", payment: 2, reason: "Nhập trùng chứng từ", on: try Self.day("2026-01-05"))
        try store.retractResult(
            order: "19-2025-0002", result: 1, reason: "Ghi nhầm kết quả", on: try Self.day("2026-03-02"))
        let enterprise = try store.addEnterprise(
            name: "Công ty TNHH Nông sản Cà Mau", taxCode: try TaxCode(parsing: "9612345670"),
            province: try Province.named("Cà Mau"), innovativeStartup: true, on: try Self.day("2026-02-01"))
        let order = try store.registerOrder(
            enterprise: enterprise.taxCode, title: "Chế biến tôm khô đạt chuẩn xuất khẩu", field: .innovation,
            outputs: [NewOutput(title: "Quy trình sấy tôm", type: .model, novelty: .improved, value: 300_000_000)],
            on: try Self.day("2026-02-03"))
        try store.cancel(order: order.code, reason: "Doanh nghiệp đổi hướng đầu tư", on: try Self.day("2026-02-10"))
        _ = try store.setTarget(.newOrImprovedOutputs, .count(45), province: try Province.named("Cà Mau"))
        try store.renameSource("Sở KH&CN (bản thử)")
        let (allEvents, allSeals) = try counts(source)

        let second = try await Publisher.publish(source.store, to: national.url, batchSize: 7)
        #expect(second.events == allEvents - events && second.seals == allSeals - seals)
        let later = try await Mirror.differences(source, national)
        #expect(later == [], "\(later)")
        let name = try await national.rows("SELECT name FROM sources")
        #expect(name == [["Sở KH&CN (bản thử)"]])
        let state = try await national.rows(
            "SELECT state, commercialized_on::text FROM orders WHERE code = '19-2025-0002'")
        #expect(state == [["delivered", nil]])
        await national.drop()
    }

    /// A copy restored from before the last publish cannot publish over what was published
    /// since: neither as it is (it lacks the events published) nor with new events of its own.
    @Test func aSourceRestoredFromAnOlderBackupIsRefusedNamingTheFirstEventThatDiffers() async throws {
        let source = try SourceFile()
        let national = try await NationalDatabase.make()
        defer { source.cleanUp() }
        _ = try await Publisher.publish(source.store, to: national.url)
        let copy = source.directory.appendingPathComponent("older.sqlite").path
        _ = try source.store.backup(to: copy)
        let (events, _) = try counts(source)
        try source.store.reversePayment(
            order: "01-2025-0001", payment: 2, reason: "Nhập trùng chứng từ", on: try Self.day("2026-01-05"))
        _ = try await Publisher.publish(source.store, to: national.url)
        let print = try await national.fingerprint()

        let older = try Store.open(path: copy, actor: "kiểm thử")
        #expect(try older.sourceIdentity() == (try source.store.sourceIdentity()))
        let missing = await #expect(throws: STOrdersError.self) {
            try await Publisher.publish(older, to: national.url)
        }
        guard case .sourceDiverged(let chain, let id, let published, let here)? = missing else {
            Issue.record("expected source_diverged, got \(String(describing: missing))")
            return
        }
        #expect(chain == "history" && id == Int64(events + 1) && here == nil)
        #expect(published.hasPrefix("order 01-2025-0001: payment_reversed on 2026-01-05, hash "))
        #expect(missing?.code == "source_diverged")

        try older.retractResult(
            order: "19-2025-0002", result: 1, reason: "Ghi nhầm kết quả", on: try Self.day("2026-03-02"))
        let different = await #expect(throws: STOrdersError.self) {
            try await Publisher.publish(older, to: national.url)
        }
        guard case .sourceDiverged(_, let id2, _, let here2?)? = different else {
            Issue.record("expected source_diverged, got \(String(describing: different))")
            return
        }
        #expect(id2 == Int64(events + 1))
        #expect(here2.hasPrefix("order 19-2025-0002: result_retracted on 2026-03-02, hash "))
        #expect(different?.description.contains("event \(events + 1) differs") == true)
        #expect(try await national.fingerprint() == print)
        await national.drop()
    }

    /// An event edited after it was published, with the chain recomputed from it on (so that
    /// `verify` alone would pass): refused, naming that event.
    @Test func anEditedAndRechainedHistoryIsRefusedNamingTheEditedEvent() async throws {
        let source = try SourceFile()
        let national = try await NationalDatabase.make()
        defer { source.cleanUp() }
        _ = try await Publisher.publish(source.store, to: national.url)
        let print = try await national.fingerprint()
        let edited: Int64 = 5
        try await source.raw().write { db in
            try db.execute(sql: "DROP TRIGGER events_never_changed")
            try db.execute(sql: "UPDATE events SET details = details || ' (sửa)' WHERE id = ?", arguments: [edited])
            var prev =
                try String.fetchOne(db, sql: "SELECT hash FROM events WHERE id = ?", arguments: [edited - 1]) ?? ""
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT e.id, o.code, e.occurred_on, e.recorded_at, e.action, e.details, e.actor, e.record_table,
                           e.record_id, e.record
                    FROM events e JOIN orders o ON o.id = e.order_id WHERE e.id >= ? ORDER BY e.id
                    """, arguments: [edited])
            for row in rows {
                let id: Int64 = row[0]
                prev = HistoryChain.hash(prev: prev, fields: Array(row.databaseValues.dropFirst()))
                try db.execute(sql: "UPDATE events SET hash = ? WHERE id = ?", arguments: [prev, id])
            }
        }
        let refusal = await #expect(throws: STOrdersError.self) {
            try await Publisher.publish(source.store, to: national.url)
        }
        guard case .sourceDiverged("history", edited, _, _?)? = refusal else {
            Issue.record("expected source_diverged at event \(edited), got \(String(describing: refusal))")
            return
        }
        #expect(try await national.fingerprint() == print)
        await national.drop()
    }

    @Test func aSecondSourceOfTheSameProvincesOrdersIsRefused() async throws {
        let first = try SourceFile()
        let second = try SourceFile()
        let national = try await NationalDatabase.make()
        defer {
            first.cleanUp()
            second.cleanUp()
        }
        try first.store.renameSource("Sở KH&CN Thái Nguyên")
        _ = try await Publisher.publish(first.store, to: national.url)
        let print = try await national.fingerprint()
        let refusal = await #expect(throws: STOrdersError.self) {
            try await Publisher.publish(second.store, to: national.url)
        }
        guard case .provincesOwned(let provinces, let owner)? = refusal else {
            Issue.record("expected provinces_owned, got \(String(describing: refusal))")
            return
        }
        #expect(provinces.contains("Thái Nguyên (19)") && provinces.contains("Hà Nội (01)"))
        #expect(owner == "Sở KH&CN Thái Nguyên, \(try first.store.sourceIdentity().id)")
        #expect(refusal?.code == "provinces_owned")
        #expect(try await national.fingerprint() == print)

        // A source whose orders are all in a province nobody publishes is welcome.
        let third = try SourceFile(demo: false)
        defer { third.cleanUp() }
        let enterprise = try third.store.addEnterprise(
            name: "Công ty Cổ phần Thủy sản Cà Mau", taxCode: try TaxCode(parsing: "9623456781"),
            province: try Province.named("ca mau"), on: try Self.day("2026-01-02"))
        _ = try third.store.registerOrder(
            enterprise: enterprise.taxCode, title: "Giống tôm sạch bệnh", field: .science,
            outputs: [NewOutput(title: "Giống tôm", type: .product, novelty: .new, value: 500_000_000)],
            on: try Self.day("2026-01-05"))
        _ = try await Publisher.publish(third.store, to: national.url)
        let differences = try await Mirror.differences(third, national)
        #expect(differences == [], "\(differences)")
        let owners = try await national.rows(
            "SELECT province_code, source_id::text FROM source_provinces WHERE province_code = '96'")
        #expect(owners == [["96", try third.store.sourceIdentity().id]])
        await national.drop()
    }

    @Test func aWrongPasswordIsRefusedWithoutShowingIt() async throws {
        let source = try SourceFile()
        let national = try await NationalDatabase.make()
        defer { source.cleanUp() }
        let print = try await national.fingerprint()
        let wrong = try TestPostgres.url(database: national.name, password: "sai-mật-khẩu-9271")
        let refusal = await #expect(throws: STOrdersError.self) { try await Publisher.publish(source.store, to: wrong) }
        guard case .nationalAuthenticationFailed? = refusal else {
            Issue.record("expected national_authentication_failed, got \(String(describing: refusal))")
            return
        }
        #expect(refusal?.description.contains("sai-mật-khẩu") == false)
        // With its hyphen: the throwaway database's random name, which the refusal may show, can
        // hold the digits alone (it did once in CI), never "-9271"; percent-encoding keeps "-".
        #expect(refusal?.description.contains("-9271") == false)
        #expect(try await national.fingerprint() == print)
        await national.drop()
    }

    @Test func aDatabaseThatDoesNotExistOrAServerNotListeningIsRefused() async throws {
        let source = try SourceFile()
        defer { source.cleanUp() }
        let absent = try TestPostgres.url(database: "storders_khong_co_\(UInt32.random(in: 0...UInt32.max))")
        let refusal = await #expect(throws: STOrdersError.self) {
            try await Publisher.publish(source.store, to: absent)
        }
        #expect(refusal?.code == "national_unreachable")
        #expect(refusal?.description.contains("does not exist") == true)
        let base = try TestPostgres.serverURL()
        let closed = try NationalURL(
            parsing: "postgresql://\(base.user)@127.0.0.1:1/storders", environmentPassword: nil)
        let unreachable = await #expect(throws: STOrdersError.self) {
            try await Publisher.publish(source.store, to: closed)
        }
        #expect(unreachable?.code == "national_unreachable")
    }

    @Test func aNationalSchemaOfAnotherVersionOrNoneIsRefusedAndNothingWritten() async throws {
        let source = try SourceFile()
        let national = try await NationalDatabase.make()
        let empty = try await NationalDatabase.make(schema: false)
        defer { source.cleanUp() }
        let connection = try await national.connect()
        try await connection.run("UPDATE schema_version SET version = 6")
        await connection.close()
        let print = try await national.fingerprint()
        let refusal = await #expect(throws: STOrdersError.self) {
            try await Publisher.publish(source.store, to: national.url)
        }
        #expect(refusal == .nationalSchemaMismatch(url: national.url.description, found: 6, expected: 5))
        #expect(try await national.fingerprint() == print)

        let none = await #expect(throws: STOrdersError.self) {
            try await Publisher.publish(source.store, to: empty.url)
        }
        #expect(none == .nationalSchemaMismatch(url: empty.url.description, found: nil, expected: 5))
        let tables = try await empty.rows("SELECT count(*)::text FROM pg_tables WHERE schemaname = 'public'")
        #expect(tables == [["0"]])
        await national.drop()
        await empty.drop()
    }

    /// The national store itself refuses an update or delete of what was published.
    @Test func thePublishedRecordsAreNeverChangedOrDeleted() async throws {
        let source = try SourceFile()
        let national = try await NationalDatabase.make()
        defer { source.cleanUp() }
        _ = try await Publisher.publish(source.store, to: national.url)
        let print = try await national.fingerprint()
        let connection = try await national.connect()
        for sql: PostgresQuery in [
            "UPDATE payments SET amount = 1", "DELETE FROM events", "UPDATE events SET details = 'x'",
            "DELETE FROM orders", "UPDATE orders SET title = 'x'", "UPDATE outputs SET number = 9",
            "DELETE FROM results", "UPDATE seals SET actor = 'x'", "DELETE FROM source_provinces",
        ] {
            await #expect(throws: STOrdersError.self) { try await connection.run(sql) }
        }
        await connection.close()
        #expect(try await national.fingerprint() == print)
        await national.drop()
    }

    /// A store of version 1 (no running totals) is refused by publish and the reports until
    /// `init` upgrades it: the totals' tables are made and filled from the records, in one
    /// transaction, and then equal what a store kept from the start holds.
    @Test func initUpgradesAVersion1StoreWithTotalsComputedFromItsRecords() async throws {
        let source = try SourceFile()
        let national = try await NationalDatabase.make()
        defer { source.cleanUp() }
        _ = try await Publisher.publish(source.store, to: national.url, batchSize: 7)
        let connection = try await national.connect()
        do {
            let kept = try await national.rows(
                "SELECT year::text, province_code, field, registered::text, state_paid::text, revenue::text FROM tallies WHERE registered <> 0 OR state_paid <> 0 OR revenue <> 0 ORDER BY 1, 2, 3"
            )
            #expect(!kept.isEmpty)
            // What version 1 was: the same store without the totals (and the flag version 3, the
            // dates version 4 and the advances version 5 added).
            try await NationalDatabase.downgradeToVersion3(connection)
            try await connection.run("DROP TABLE tallies, tally_durations, tally_enterprises")
            try await connection.run("ALTER TABLE sources DROP COLUMN totals_pending")
            try await connection.run("DELETE FROM schema_version")
            try await connection.run("INSERT INTO schema_version (version) VALUES (1)")
            let refusal = await #expect(throws: STOrdersError.self) {
                try await connection.indicators(IndicatorRequest(province: nil, years: 2025...2025))
            }
            #expect(refusal == .nationalSchemaMismatch(url: national.url.description, found: 1, expected: 5))

            #expect(try await connection.createSchema() == .upgraded(from: 1))
            #expect(try await connection.schemaVersion() == NationalSchema.version)
            #expect(try await national.schemaDescription() == (try await Self.freshSchema()))
            #expect(try await connection.verifyTotals().map(\.differences) == [0, 0, 0])
            let upgraded = try await national.rows(
                "SELECT year::text, province_code, field, registered::text, state_paid::text, revenue::text FROM tallies WHERE registered <> 0 OR state_paid <> 0 OR revenue <> 0 ORDER BY 1, 2, 3"
            )
            #expect(upgraded == kept)
            #expect(try await connection.createSchema() == .unchanged)
            // And the upgraded store goes on: an incremental publish keeps the totals.
            try source.store.reversePayment(
                order: "01-2025-0001", payment: 2, reason: "Nhập trùng chứng từ", on: try Self.day("2026-01-05"))
            let next = try await Publisher.publish(source.store, to: national.url)
            #expect(next.events == 1)
            #expect(try await connection.verifyTotals().map(\.differences) == [0, 0, 0])
        } catch {
            Issue.record("upgrade failed: \(error)")
        }
        await connection.close()
        await national.drop()
    }

    /// The running totals are adjusted batch by batch and agree with the records: after a first
    /// publish in small batches, and after corrections of every kind. A total edited behind the
    /// store's back is found by `verifyTotals`.
    @Test func theRunningTotalsFollowEveryBatchAndAnEditIsFound() async throws {
        let source = try SourceFile()
        let national = try await NationalDatabase.make()
        defer { source.cleanUp() }
        let first = try await Publisher.publish(source.store, to: national.url, batchSize: 3, totals: .eachBatch)
        #expect(!first.totalsRecomputed)
        let connection = try await national.connect()
        do {
            #expect(try await connection.verifyTotals().map(\.differences) == [0, 0, 0])
            #expect(try await connection.pendingTotals().isEmpty)
            let store = source.store
            try store.reversePayment(
                order: "01-2025-0001", payment: 2, reason: "Nhập trùng chứng từ", on: try Self.day("2026-01-05"))
            try store.retractResult(
                order: "19-2025-0002", result: 1, reason: "Ghi nhầm kết quả", on: try Self.day("2026-03-02"))
            let next = try await Publisher.publish(source.store, to: national.url, batchSize: 1)
            #expect(next.events == 2 && !next.totalsRecomputed)
            #expect(try await connection.verifyTotals().map(\.differences) == [0, 0, 0])
            let request = IndicatorRequest(province: nil, years: 2024...2026)
            #expect(
                try await connection.indicators(request).years.map(\.total.figures)
                    == (try store.indicators(request).years.map(\.total.figures)))

            try await connection.run(
                """
                UPDATE tallies SET revenue = revenue + 1 WHERE (province_code, year, field) =
                    (SELECT province_code, year, field FROM tallies WHERE revenue > 0 ORDER BY 1, 2, 3 LIMIT 1)
                """)
            let found = try await connection.verifyTotals()
            #expect(found.map(\.table) == ["tallies", "tally_durations", "tally_enterprises"])
            #expect(found.map(\.differences) == [1, 0, 0])
        } catch {
            Issue.record("totals: \(error)")
        }
        await connection.close()
        await national.drop()
    }

    /// A catch-up leaves its provinces' totals as they were (pending) while its batches go in,
    /// and recomputes them once after the last: cut off before the end, the totals are still
    /// those from before, `verifyTotals` leaves those provinces out and `pendingTotals` names
    /// them; the next publish (of nothing new, even) finishes the recomputation.
    @Test func aCatchUpRecomputesTheTotalsOnceAtTheEndAndACutOffOneIsFinishedByTheNext() async throws {
        let source = try SourceFile()
        let national = try await NationalDatabase.make()
        defer { source.cleanUp() }
        let connection = try await national.connect()
        do {
            // The automatic choice for a first publish of many batches: the totals at the end.
            let batches = Counter()
            let cut = try await Publisher.publish(source.store, to: national.url, batchSize: 5) {
                batches.next() < 4
            }
            // (Asked before each batch and once between the seals and the events.)
            #expect((3...4).contains(cut.batches) && !cut.totalsRecomputed)
            #expect(try await national.rows("SELECT totals_pending::text FROM sources") == [["true"]])
            let totals = try await national.rows(
                "SELECT count(*)::text FROM tallies WHERE registered <> 0 OR funded <> 0 OR state_paid <> 0")
            #expect(totals == [["0"]], "the totals are those from before the catch-up: none")
            let pending = try await connection.pendingTotals()
            let provinces = try source.store.read { db in
                try String.fetchAll(db, sql: "SELECT DISTINCT province_code FROM orders ORDER BY 1")
            }
            let id = try source.store.sourceIdentity().id
            #expect(pending.map(\.provinces) == [provinces])
            #expect(pending.first?.source.contains(id) == true)
            #expect(try await connection.verifyTotals().map(\.differences) == [0, 0, 0])

            // The rest, then the recomputation, which clears the flag.
            let rest = try await Publisher.publish(source.store, to: national.url, batchSize: 5, totals: .eachBatch)
            #expect(rest.batches > 0 && rest.totalsRecomputed, "pending totals are recomputed whatever was asked")
            #expect(try await national.rows("SELECT totals_pending::text FROM sources") == [["false"]])
            #expect(try await connection.pendingTotals().isEmpty)
            #expect(try await connection.verifyTotals().map(\.differences) == [0, 0, 0])
            let request = IndicatorRequest(province: nil, years: 2024...2026)
            #expect(
                try await connection.indicators(request).years.map(\.total.figures)
                    == (try source.store.indicators(request).years.map(\.total.figures)))

            // A small publish afterwards adjusts batch by batch again.
            try source.store.reversePayment(
                order: "01-2025-0001", payment: 2, reason: "Nhập trùng chứng từ", on: try Self.day("2026-01-05"))
            let small = try await Publisher.publish(source.store, to: national.url)
            #expect(small.events == 1 && !small.totalsRecomputed)
            #expect(try await connection.verifyTotals().map(\.differences) == [0, 0, 0])

            // Cut off after its last batch but before the recomputation: the next publish,
            // with nothing new to send, does it.
            try await connection.run("UPDATE sources SET totals_pending = true")
            try await connection.run("UPDATE tallies SET revenue = revenue + 5")
            #expect(try await connection.verifyTotals().map(\.differences) == [0, 0, 0])
            let nothing = try await Publisher.publish(source.store, to: national.url)
            #expect(nothing.batches == 0 && nothing.totalsRecomputed)
            #expect(try await connection.verifyTotals().map(\.differences) == [0, 0, 0])
            #expect(try await connection.pendingTotals().isEmpty)
        } catch {
            Issue.record("catch-up: \(error)")
        }
        await connection.close()
        await national.drop()
    }

    /// A store of version 2 gains the sources' totals_pending flag, and its `sources` table is
    /// then column for column the one national/schema.sql creates.
    @Test func initUpgradesAVersion2StoreToTheSameSourcesTableAsANewOne() async throws {
        let source = try SourceFile()
        defer { source.cleanUp() }
        try await Self.published(source, "upgrade from 2") { fresh, national, connection in
            try await NationalDatabase.downgradeToVersion3(connection)
            try await connection.run("ALTER TABLE sources DROP COLUMN totals_pending")
            try await connection.run("DELETE FROM schema_version")
            try await connection.run("INSERT INTO schema_version (version) VALUES (2)")
            let refusal = await #expect(throws: STOrdersError.self) {
                try await Publisher.publish(source.store, to: national.url)
            }
            #expect(refusal == .nationalSchemaMismatch(url: national.url.description, found: 2, expected: 5))
            #expect(try await connection.createSchema() == .upgraded(from: 2))
            let columns: PostgresQuery = """
                SELECT column_name::text, data_type::text, is_nullable::text, coalesce(column_default, '')::text
                FROM information_schema.columns WHERE table_name = 'sources' ORDER BY ordinal_position
                """
            #expect(try await national.rows(columns) == (try await fresh.rows(columns)))
            #expect(try await national.schemaDescription() == (try await fresh.schemaDescription()))
            #expect(try await connection.verifyTotals().map(\.differences) == [0, 0, 0])
            #expect(try await Publisher.publish(source.store, to: national.url).batches == 0)
            #expect(try await Mirror.differences(source, national) == [])
        }
    }

    /// The deadlines travel: each output's due date and each funding's contract period with
    /// their rows, and an amendment published later moves the date in force nationally (an
    /// approved request, an officer's extension of the contract), through the same publish; the
    /// totals and both deadlines' indicators then equal the file's. A funding's amounts, date and
    /// period are still refused any change, even from psql.
    @Test func theDeadlinesAndTheirAmendmentsArePublished() async throws {
        let source = try SourceFile()
        let national = try await NationalDatabase.make()
        defer { source.cleanUp() }
        let connection = try await national.connect()
        do {
            _ = try await Publisher.publish(source.store, to: national.url, batchSize: 4, totals: .eachBatch)
            #expect(try await Mirror.differences(source, national) == [])
            let dated = try await national.rows(
                "SELECT count(*) FILTER (WHERE due_on IS NOT NULL)::text, count(*) FILTER (WHERE extended_to IS NOT NULL)::text FROM outputs"
            )
            let periods = try await national.rows(
                "SELECT count(*) FILTER (WHERE ends_on IS NOT NULL)::text, count(*) FILTER (WHERE ends_extended_to IS NOT NULL)::text FROM fundings"
            )
            #expect(dated.first?.first != "0" && periods.first?.last == "1", "\(dated) \(periods)")

            // The office approves the waiting request, extends the contract again, and the
            // output is accepted after its original due date but within the extended one.
            let code = "79-2025-0001"
            try source.store.decideAmendment(
                order: code, number: 2, .approve, reason: "Đồng ý gia hạn theo đề nghị", on: try Self.day("2026-09-25"))
            try source.store.amend(
                order: code, .contractEnd, to: try Self.day("2027-06-30"), reason: "Gia hạn lần hai",
                on: try Self.day("2026-09-26"))
            let amended = try await Publisher.publish(source.store, to: national.url)
            #expect(amended.events == 2 && !amended.totalsRecomputed)
            #expect(try await Mirror.differences(source, national) == [])
            #expect(
                try await national.rows(
                    "SELECT x.extended_to::text, f.ends_extended_to::text FROM outputs x JOIN fundings f USING (province_code, source_id, order_id) JOIN orders o ON o.province_code = x.province_code AND o.id = x.order_id WHERE o.code = '79-2025-0001' AND x.number = 2"
                ) == [["2027-02-28", "2027-06-30"]])
            try source.store.acceptOutput(
                order: code, number: 2, evidence: "Biên bản nghiệm thu quy trình", on: try Self.day("2026-10-15"))
            #expect(try await Publisher.publish(source.store, to: national.url).events == 2)
            #expect(try await Mirror.differences(source, national) == [])
            #expect(try await connection.verifyTotals().map(\.differences) == [0, 0, 0])
            let request = IndicatorRequest(years: 2025...2026, asOf: try Self.day("2026-11-30"))
            let file = try source.store.indicators(request)
            let found = try await connection.indicators(request)
            #expect(found == file)
            let y2026 = try #require(found.years.last)
            // In 2026: the tea order's output on time, this order's output 1 late (2026-05-14, due
            // 2026-04-30) and its output 2 on time by its extension.
            #expect(y2026.total.figures.outputsWithDueDate == 3 && y2026.total.figures.outputsOnTime == 2)
            // The province's rows carry its advance figures (zeros: it made none), and so do the
            // national store's.
            let fileRows = try source.store.provinceIndicators(year: 2026, asOf: try Self.day("2026-11-30"))
            #expect(fileRows.allSatisfy { $0.advances == .zero })
            #expect(try await connection.provinceIndicators(year: 2026, asOf: try Self.day("2026-11-30")) == fileRows)

            let print = try await national.fingerprint()
            for sql: PostgresQuery in [
                "UPDATE fundings SET state_budget = state_budget + 1", "DELETE FROM fundings",
                "UPDATE fundings SET ends_on = ends_on + 1 WHERE ends_on IS NOT NULL",
                "UPDATE fundings SET starts_on = NULL WHERE ends_on IS NOT NULL",
            ] {
                await #expect(throws: STOrdersError.self, "\(sql.sql)") { try await connection.run(sql) }
            }
            #expect(try await national.fingerprint() == print)
        } catch {
            Issue.record("deadlines: \(error)")
        }
        await connection.close()
        await national.drop()
    }

    /// A store of version 3 kept no due dates or contract periods. `init` brings it to version 4
    /// (the same schema as a new store's, every column, index, trigger and function) and marks
    /// the sources that published into it; the next publish of each, even with nothing new to
    /// send, sends the dates of what it published before and recomputes its provinces' totals,
    /// after which the store equals the file and the reports agree, the deadlines' included.
    @Test func initUpgradesAVersion3StoreAndTheNextPublishSendsTheDatesItLacked() async throws {
        let source = try SourceFile()
        defer { source.cleanUp() }
        try await Self.published(source, "upgrade from 3") { fresh, national, connection in
            try await NationalDatabase.downgradeToVersion3(connection)
            let before = try await national.fingerprint()
            let refusal = await #expect(throws: STOrdersError.self) {
                try await Publisher.publish(source.store, to: national.url)
            }
            #expect(refusal == .nationalSchemaMismatch(url: national.url.description, found: 3, expected: 5))
            #expect(try await national.fingerprint() == before)

            #expect(try await connection.createSchema() == .upgraded(from: 3))
            #expect(try await connection.schemaVersion() == 5)
            #expect(try await national.schemaDescription() == (try await fresh.schemaDescription()))
            #expect(try await national.rows("SELECT dates_pending::text FROM sources") == [["true"]])
            #expect(try await connection.verifyTotals().map(\.differences) == [0, 0, 0])
            #expect(try await Mirror.differences(source, national).count == 2, "outputs and fundings lack their dates")

            let next = try await Publisher.publish(source.store, to: national.url)
            #expect(next.batches == 0 && next.totalsRecomputed)
            #expect(try await Mirror.differences(source, national) == [])
            #expect(
                try await national.rows("SELECT dates_pending::text, totals_pending::text FROM sources") == [
                    ["false", "false"]
                ])
            #expect(try await connection.verifyTotals().map(\.differences) == [0, 0, 0])
            let request = IndicatorRequest(years: 2025...2026, asOf: try Self.day("2026-11-30"))
            let found = try await connection.indicators(request)
            #expect(found == (try source.store.indicators(request)))
            #expect(found.years.allSatisfy { $0.total[.outputsOnTimeShare]?.value != nil })
            #expect(try await Publisher.publish(source.store, to: national.url).totalsRecomputed == false)
        }
    }

    /// Advances travel with their events: a file with advances, payments that settle them, a
    /// reversal of a settling payment and recoveries, published in small batches and again after
    /// more of them, equals the national store row by row (the payments' settled parts and the
    /// advances); the national advance figures equal the file's, for the country, each province
    /// and `report provinces`; a republish adds nothing; and neither psql nor anyone else may
    /// change or delete a published advance, or a payment's settled part.
    @Test func advancesAndTheirSettlementsArePublishedAndNeverChanged() async throws {
        let source = try SourceFile(generate: 250, seed: 7)
        let national = try await NationalDatabase.make()
        defer { source.cleanUp() }
        let connection = try await national.connect()
        do {
            _ = try await Publisher.publish(source.store, to: national.url, batchSize: 200, totals: .eachBatch)
            #expect(try await Mirror.differences(source, national) == [])
            let corrections = try AdvanceCorrections.make(source.store)
            #expect(corrections.reversed > 0 && corrections.recovered > 0, "\(corrections)")
            let next = try await Publisher.publish(source.store, to: national.url, batchSize: 2)
            #expect(next.events == corrections.reversed + corrections.recovered)
            #expect(try await Mirror.differences(source, national) == [])
            let published = try await national.rows(
                """
                SELECT count(*) FILTER (WHERE kind = 'advance')::text, count(*) FILTER (WHERE kind = 'recovery')::text,
                       (SELECT count(*) FROM payments WHERE settled > 0)::text,
                       (SELECT count(*) FROM payments WHERE settled < 0)::text
                FROM advances
                """)
            #expect(published.first?.allSatisfy { $0 != "0" } == true, "\(published)")
            try await Self.expectSameAdvanceFigures(source, connection)

            let print = try await national.fingerprint()
            let again = try await Publisher.publish(source.store, to: national.url)
            #expect(again.batches == 0 && again.events == 0)
            #expect(try await national.fingerprint() == print)
            for sql: PostgresQuery in [
                "UPDATE advances SET amount = amount + 1", "DELETE FROM advances",
                "UPDATE advances SET kind = 'recovery' WHERE kind = 'advance'",
                "UPDATE payments SET settled = 0 WHERE settled <> 0",
                "UPDATE payments SET settled = 1 WHERE settled = 0 AND source = 'state' AND amount > 0",
                "DELETE FROM payments WHERE settled <> 0",
            ] {
                let refusal = await #expect(throws: STOrdersError.self, "\(sql.sql)") { try await connection.run(sql) }
                #expect(
                    "\(String(describing: refusal))".contains("never"), "\(sql.sql): \(String(describing: refusal))")
            }
            #expect(try await national.fingerprint() == print)
        } catch {
            Issue.record("advances: \(error)")
        }
        await connection.close()
        await national.drop()
    }

    /// The national advance figures equal the file's: the indicators' advances block for the
    /// country and for each province of the file, and `report provinces`, every year.
    static func expectSameAdvanceFigures(_ source: SourceFile, _ connection: NationalConnection) async throws {
        let asOf = try Self.day("2026-11-30")
        let provinces = try source.store.read { db in
            try String.fetchAll(db, sql: "SELECT DISTINCT province_code FROM orders ORDER BY 1")
        }.compactMap { code in Province.all.first { $0.code == code } }
        var shown = 0
        for province in [nil] + provinces.map(Optional.some) {
            let request = IndicatorRequest(province: province, years: 2023...2026, asOf: asOf)
            let file = try source.store.indicators(request)
            let found = try await connection.indicators(request)
            #expect(found.years.map(\.advances) == file.years.map(\.advances), "\(province?.name ?? "country")")
            #expect(found == file, "\(province?.name ?? "country")")
            shown += found.years.filter { ($0.advances?.advanced ?? 0) > 0 }.count
        }
        #expect(shown > 0)
        for year in 2023...2026 {
            let file = try source.store.provinceIndicators(year: year, asOf: asOf)
            let found = try await connection.provinceIndicators(year: year, asOf: asOf)
            #expect(found.map(\.advances) == file.map(\.advances), "\(year)")
            #expect(found == file, "\(year)")
        }
    }

    /// A store of version 4 kept neither advances nor the payments' settled parts. `init` brings
    /// it to version 5 (the same schema as a new store's) and marks the sources that published
    /// into it; the next publish of each, even with nothing new to send, sends the advances of
    /// the events it published and writes the settled parts its payments lacked (once: the flag
    /// is cleared, and the payments' trigger refuses any change again), after which the store
    /// equals the file and the advance figures agree; a later publish carries new advances with
    /// their events.
    @Test func initUpgradesAVersion4StoreAndTheNextPublishSendsTheAdvancesItLacked() async throws {
        let source = try SourceFile(generate: 250, seed: 7)
        defer { source.cleanUp() }
        try await Self.published(source, "upgrade from 4") { fresh, national, connection in
            try await NationalDatabase.downgradeToVersion4(connection)
            let before = try await national.fingerprint(connection)
            let refusal = await #expect(throws: STOrdersError.self) {
                try await Publisher.publish(source.store, to: national.url)
            }
            #expect(refusal == .nationalSchemaMismatch(url: national.url.description, found: 4, expected: 5))
            #expect(try await national.fingerprint(connection) == before)

            #expect(try await connection.createSchema() == .upgraded(from: 4))
            #expect(try await connection.schemaVersion() == 5)
            #expect(try await national.schemaDescription() == (try await fresh.schemaDescription()))
            #expect(try await national.rows("SELECT advances_pending::text FROM sources") == [["true"]])
            #expect(try await national.rows("SELECT count(*)::text FROM payments WHERE settled <> 0") == [["0"]])
            #expect(
                try await Mirror.differences(source, national).count == 2, "payments lack settled, advances are missing"
            )
            // Until its source's next publish, no one writes a settled part either.
            await #expect(throws: STOrdersError.self) {
                try await connection.run("UPDATE sources SET advances_pending = false")
                try await connection.run(
                    "UPDATE payments SET settled = 1 WHERE source = 'state' AND amount > 0 AND reverses IS NULL")
            }
            #expect(try await national.rows("SELECT advances_pending::text FROM sources") == [["false"]])
            try await connection.run("UPDATE sources SET advances_pending = true")

            let next = try await Publisher.publish(source.store, to: national.url)
            #expect(next.batches == 0 && !next.totalsRecomputed)
            #expect(try await Mirror.differences(source, national) == [])
            #expect(try await national.rows("SELECT advances_pending::text FROM sources") == [["false"]])
            #expect(try await connection.verifyTotals().map(\.differences) == [0, 0, 0])
            try await Self.expectSameAdvanceFigures(source, connection)
            let print = try await national.fingerprint(connection)
            #expect(try await Publisher.publish(source.store, to: national.url).batches == 0)
            #expect(try await national.fingerprint(connection) == print)
            await #expect(throws: STOrdersError.self) {
                try await connection.run("UPDATE payments SET settled = 0 WHERE settled <> 0")
            }

            // The upgraded store goes on: new advances and settlements travel with their events.
            let corrections = try AdvanceCorrections.make(source.store)
            #expect(corrections.reversed > 0 && corrections.recovered > 0, "\(corrections)")
            #expect(try await Publisher.publish(source.store, to: national.url).events > 0)
            #expect(try await Mirror.differences(source, national) == [])
            try await Self.expectSameAdvanceFigures(source, connection)
        }
    }

    /// `source` published into a new store (`national`), beside another new store (`fresh`) to
    /// compare it with once `body` has taken it down to an older version and upgraded it; `body`
    /// gets both and a connection to `national`. Both are dropped after; a failure is recorded
    /// under `what`.
    static func published(
        _ source: SourceFile, _ what: String,
        _ body: (NationalDatabase, NationalDatabase, NationalConnection) async throws -> Void
    ) async throws {
        let fresh = try await NationalDatabase.make()
        let national = try await NationalDatabase.make()
        _ = try await Publisher.publish(source.store, to: national.url)
        let connection = try await national.connect()
        do {
            try await body(fresh, national, connection)
        } catch {
            Issue.record("\(what): \(error)")
        }
        await connection.close()
        await national.drop()
        await fresh.drop()
    }

    /// The schema a new store has, to compare an upgraded one with.
    static func freshSchema() async throws -> [[String?]] {
        let fresh = try await NationalDatabase.make()
        do {
            let description = try await fresh.schemaDescription()
            await fresh.drop()
            return description
        } catch {
            await fresh.drop()
            throw error
        }
    }

    @Test func initCreatesTheSchemaOnceAndSaysSoTheSecondTime() async throws {
        let empty = try await NationalDatabase.make(schema: false)
        let connection = try await empty.connect()
        do {
            #expect(try await connection.createSchema() == .created)
            #expect(try await connection.schemaVersion() == NationalSchema.version)
            #expect(try await connection.createSchema() == .unchanged)
        } catch {
            Issue.record("init failed: \(error)")
        }
        await connection.close()
        let partitions = try await empty.rows(
            "SELECT count(*)::text FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhparent WHERE c.relname = 'events'"
        )
        #expect(partitions == [["34"]])
        await empty.drop()
    }
}

/// Counts calls from a `@Sendable` closure.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    /// The number of calls before this one.
    func next() -> Int {
        lock.lock()
        defer { lock.unlock() }
        value += 1
        return value - 1
    }
}
