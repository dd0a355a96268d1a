import Foundation
import GRDB
import PostgresNIO
import Testing

@testable import STOrders
@testable import STOrdersNational

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The built `storders-national` run as a user would: killed at random moments, then run again.
@Suite(.enabled(if: TestPostgres.enabled, TestPostgres.skipped), .serialized)
struct KillTests {
    /// The binary SwiftPM built next to the test bundle ($STORDERS_NATIONAL_BIN overrides).
    static var binary: String {
        if let path = ProcessInfo.processInfo.environment["STORDERS_NATIONAL_BIN"] { return path }
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("storders-national").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return Bundle.main.bundleURL.appendingPathComponent("storders-national").path
    }

    /// The URL without its password (which goes in $PGPASSWORD: a command line is visible to `ps`).
    static func publicURL(_ url: NationalURL) -> String { url.description }

    static func environment(delay: Int?) throws -> [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["PGPASSWORD"] = try TestPostgres.serverURL().password ?? ""
        env["STORDERS_ACTOR"] = "kiểm thử"
        if let delay { env["STORDERS_PUBLISH_DELAY_MS"] = String(delay) }
        return env
    }

    func count(_ national: NationalDatabase, _ sql: PostgresQuery) async throws -> Int {
        let rows = try await national.rows(sql)
        return Int((rows.first?.first ?? nil) ?? "") ?? -1
    }

    /// At least 25 trials ($STORDERS_KILL_TRIALS for more): each publishes a generated file (300
    /// orders in all 34 provinces, every state, reversals and retractions) in batches of 100 into
    /// a fresh national database, slowed by $STORDERS_PUBLISH_DELAY_MS so a batch's transaction
    /// lasts a while; the test waits for a random number of batches to commit, then a random
    /// 0-30 ms more, and sends SIGKILL. What the kill left must be whole committed batches (the
    /// position is the last event stored, no gap, no extra); after another publish the store must
    /// equal the file row by row.
    @Test func aPublisherKilledAtRandomMomentsLeavesNothingDoubledOrMissing() async throws {
        let source = try SourceFile(generate: 300, seed: 14)
        defer { source.cleanUp() }
        let batchSize = 100
        let (events, seals) = try await source.raw().read { db in
            (
                try Int.fetchOne(db, sql: "SELECT count(*) FROM events") ?? 0,
                try Int.fetchOne(db, sql: "SELECT count(*) FROM seals") ?? 0
            )
        }
        let batches = (events + batchSize - 1) / batchSize + (seals + batchSize - 1) / batchSize
        let id = try source.store.sourceIdentity().id
        let trials = max(25, Int(ProcessInfo.processInfo.environment["STORDERS_KILL_TRIALS"] ?? "") ?? 25)
        var interrupted = 0
        var partial = 0
        for trial in 0..<trials {
            let national = try await NationalDatabase.make()
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Self.binary)
            // Half the trials adjust the totals batch by batch; the others leave them to the end
            // (the automatic choice for a first publish).
            let eachBatch = trial % 2 == 0
            process.arguments =
                [
                    "publish", "--db", source.path, "--to", Self.publicURL(national.url), "--batch-size",
                    String(batchSize),
                ] + (eachBatch ? ["--totals", "batch"] : [])
            process.environment = try Self.environment(delay: 2)
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            let waitFor = Int.random(in: 0..<batches)
            while process.isRunning {
                let committed = try await count(national, "SELECT count(*)::text FROM publishes")
                if committed >= waitFor { break }
                try await Task.sleep(for: .milliseconds(2))
            }
            try await Task.sleep(for: .milliseconds(Int.random(in: 0...30)))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let committed = try await count(national, "SELECT count(*)::text FROM publishes")
            if process.terminationReason == .uncaughtSignal && committed < batches {
                interrupted += 1
                if committed > 0 { partial += 1 }
            }
            // What the kill left: whole batches only, the position at the last event stored.
            let stored = try await national.rows(
                """
                SELECT count(*)::text, coalesce(max(id), 0)::text,
                       (SELECT coalesce(max(last_event_id), 0)::text FROM sources WHERE id = \(id)::uuid)
                FROM events
                """)
            #expect(
                stored.count == 1 && stored[0][0] == stored[0][1] && stored[0][1] == stored[0][2],
                "trial \(trial): \(stored)")
            // The running totals moved with the committed batches only: they equal the records.
            let connection = try await national.connect()
            do {
                let totals = try await connection.verifyTotals()
                #expect(totals.allSatisfy { $0.differences == 0 }, "trial \(trial), after the kill: \(totals)")
                // Left to the end, they are still those of the empty store, and say so.
                let pending = try await connection.pendingTotals()
                if eachBatch {
                    #expect(pending.isEmpty, "trial \(trial)")
                } else if !pending.isEmpty {
                    let kept = try await national.rows("SELECT count(*)::text FROM tallies WHERE registered <> 0")
                    #expect(kept == [["0"]], "trial \(trial): totals moved while pending")
                }
                // Publish again: the rest arrives, nothing twice.
                _ = try await Publisher.publish(source.store, to: national.url, batchSize: batchSize)
                let differences = try await Mirror.differences(source, national)
                #expect(differences == [], "trial \(trial): \(differences)")
                // And the figures agree: the national report is the file's, year by year.
                let after = try await connection.verifyTotals()
                #expect(after.allSatisfy { $0.differences == 0 }, "trial \(trial): \(after)")
                #expect(try await connection.pendingTotals().isEmpty, "trial \(trial)")
                let request = IndicatorRequest(province: nil, years: 2023...2026)
                let expected = try source.store.indicators(request)
                let found = try await connection.indicators(request)
                #expect(found.years.map(\.total.figures) == expected.years.map(\.total.figures), "trial \(trial)")
                await connection.close()
            } catch {
                await connection.close()
                await national.drop()
                throw error
            }
            await national.drop()
        }
        #expect(interrupted > 0, "no trial was killed before its publish had finished")
        print(
            "kill tests: \(trials) trials, \(interrupted) killed before the end (\(partial) after some batches had committed)"
        )
    }

    /// A refusal from the command is one `Error:` line on stderr, exit 1, and never the password.
    /// `storders-national verify`: one line per table and exit 0 on a sound store; a total edited
    /// behind the store's back is named and the exit status is 1, with one `Error:` line.
    @Test func theVerifyCommandNamesATotalThatDiffersAndExits1() async throws {
        let source = try SourceFile()
        let national = try await NationalDatabase.make()
        defer { source.cleanUp() }
        _ = try await Publisher.publish(source.store, to: national.url)
        func verify() throws -> (status: Int32, out: String, err: String) {
            try Self.run(["verify", "--national", Self.publicURL(national.url)])
        }
        let clean = try verify()
        #expect(clean.status == 0, "\(clean.err)")
        #expect(
            clean.out
                == "tallies: equal to the records.\ntally_durations: equal to the records.\ntally_enterprises: equal to the records.\n"
        )
        let connection = try await national.connect()
        try await connection.run(
            "UPDATE tally_durations SET orders = orders + 1 WHERE (province_code, year, field, step, days) = (SELECT province_code, year, field, step, days FROM tally_durations WHERE orders > 0 ORDER BY 1, 2, 3, 4, 5 LIMIT 1)"
        )
        await connection.close()
        let edited = try verify()
        #expect(edited.status == 1)
        #expect(edited.out.contains("tally_durations: 1 key differs from the records."), "\(edited.out)")
        let lines = edited.err.split(separator: "\n")
        #expect(
            lines.count == 1 && lines.first?.hasPrefix("Error: verify found 1 problem in postgresql://") == true,
            "\(edited.err)")

        // A catch-up left pending (the flag as a cut-off publish leaves it): verify names the
        // source and leaves its provinces out (so the edit above is not counted), exit 0; the
        // report says on stderr that those provinces' figures are from before it.
        let pending = try await national.connect()
        try await pending.run("UPDATE sources SET totals_pending = true")
        await pending.close()
        let skipped = try verify()
        #expect(skipped.status == 0, "\(skipped.err)")
        let id = try source.store.sourceIdentity().id
        let first = skipped.out.split(separator: "\n").first.map(String.init) ?? ""
        #expect(
            first.contains("(\(id)): totals pending (a catch-up under way or cut off; publish again to finish it)")
                && first.hasSuffix(" left out."), "\(skipped.out)")
        #expect(skipped.out.contains("tally_durations: equal to the records."))
        let report = try Self.run([
            "report", "indicators", "--national", Self.publicURL(national.url), "--year", "2025",
        ])
        #expect(report.status == 0, "\(report.err)")
        #expect(report.err.hasPrefix("Note: ") && report.err.contains("is catching up"), "\(report.err)")
        #expect(!report.out.isEmpty)
        await national.drop()
    }

    /// Runs the national binary with `arguments`: its exit status, stdout and stderr.
    static func run(_ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.environment = try environment(delay: nil)
        let err = Pipe()
        let out = Pipe()
        process.standardError = err
        process.standardOutput = out
        try process.run()
        let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, stdout, stderr)
    }

    @Test func theCommandRefusesAWrongPasswordInOneLine() async throws {
        let source = try SourceFile()
        let national = try await NationalDatabase.make()
        defer { source.cleanUp() }
        let base = national.url
        let (status, _, stderr) = try Self.run([
            "publish", "--db", source.path, "--to",
            "postgresql://\(base.user):sai-mat-khau-4417@\(base.host):\(base.port)/\(national.name)",
        ])
        #expect(status == 1)
        let lines = stderr.split(separator: "\n")
        #expect(
            lines.count == 1 && lines.first?.hasPrefix("Error: the national store at postgresql://") == true,
            "\(stderr)")
        #expect(!stderr.contains("4417"))
        #expect(try await count(national, "SELECT count(*)::text FROM sources") == 0)
        await national.drop()
    }
}
