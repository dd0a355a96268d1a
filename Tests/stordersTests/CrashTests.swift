import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Machines lose power: `storders` is killed with SIGKILL at random moments while it writes.
/// After each kill the database must open, pass `PRAGMA integrity_check`, `storders verify` and
/// the domain check (Tests/Support/consistency.sql), every acknowledged command must be there, and the command
/// that was cut off must have happened entirely or not at all, and can simply be run again.
///
/// A handful of trials in the default run; 200 streams and 100 demos with
/// `STORDERS_LONG_TESTS=1` (scripts/long-tests). Choices come from a seeded generator: the seed
/// is printed, and `STORDERS_SEED=<seed>` replays a run.
@Suite("crash safety")
struct CrashTests {
    static var streamTrials: Int { longTests ? 200 : 6 }
    static var demoTrials: Int { longTests ? 100 : 2 }

    /// One step of an order's life: the command, and the order's events and state after it.
    struct Step {
        let arguments: [String]
        let events: Int
        let state: String
    }

    /// The writes of one order's life, from registration to commercialization (or cancellation).
    static func lifecycle(code: String, enterprise: String, cancelled: Bool) -> [Step] {
        let d = ["--date", "2026-03-01"]
        var steps = [
            Step(
                arguments: [
                    "order", "register", "--enterprise", enterprise, "--code", code, "--field", "science",
                    "--title", "Nhiệm vụ \(code): ứng dụng công nghệ số trong nông nghiệp",
                ] + d, events: 1, state: "ordered"),
            Step(
                arguments: [
                    "output", "add", code, "--title", "Quy trình canh tác thông minh", "--type", "model",
                    "--novelty", "new", "--value", "600.000.000",
                ] + d, events: 2, state: "ordered"),
            Step(
                arguments: [
                    "output", "add", code, "--title", "Phần mềm giám sát", "--type", "product",
                    "--novelty", "improved", "--value", "400.000.000",
                ] + d, events: 3, state: "ordered"),
            Step(
                arguments: [
                    "order", "fund", code, "--state-budget", "600.000.000", "--enterprise-funds", "400.000.000",
                ] + d,
                events: 4, state: "funded"),
        ]
        if cancelled {
            steps.append(
                Step(
                    arguments: ["order", "cancel", code, "--reason", "Doanh nghiệp rút đặt hàng"] + d,
                    events: 5, state: "cancelled"))
            return steps
        }
        steps += [
            Step(
                arguments: ["output", "accept", code, "1", "--evidence", "Biên bản nghiệm thu 1"] + d, events: 5,
                state: "funded"),
            Step(
                arguments: ["payment", "record", code, "--output", "1", "--amount", "600.000.000"] + d, events: 6,
                state: "funded"),
            Step(arguments: ["output", "accept", code, "2"] + d, events: 8, state: "delivered"),
            Step(
                arguments: [
                    "payment", "record", code, "--output", "2", "--amount", "400.000.000", "--source", "enterprise",
                ] + d,
                events: 9, state: "delivered"),
            Step(
                arguments: ["order", "commercialize", code, "--channel", "license", "--revenue", "2.500.000.000"] + d,
                events: 10, state: "commercialized"),
        ]
        return steps
    }

    /// The order's event count and state as the file holds them ((0, "absent") before it exists).
    static func snapshot(_ cli: CLI, code: String) throws -> (events: Int, state: String) {
        let row = try cli.sql(
            "SELECT (SELECT count(*) FROM events WHERE order_id = o.id) || '|' || o.state FROM orders o WHERE o.code = '\(code)';"
        )
        guard !row.isEmpty else { return (0, "absent") }
        let parts = row.split(separator: "|")
        return (Int(parts[0]) ?? -1, String(parts[1]))
    }

    @Test func killedDuringAStreamOfWritesEachCommandIsWholeOrAbsent() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        var random = SeededRandom.fromEnvironment(fallback: 20_260_301)
        let enterprise = CLI.taxCode(1)
        try cli.ok(["init"])
        try cli.ok([
            "enterprise", "add", "--name", "Công ty Cổ phần Nông nghiệp Số", "--tax-code", enterprise,
            "--province", "Lâm Đồng", "--date", "2026-01-01",
        ])

        // How long one write command takes here, to aim the kills inside its lifetime.
        var durations: [UInt64] = []
        func timedOK(_ arguments: [String]) throws {
            let start = monotonicMicroseconds()
            try cli.ok(arguments)
            durations.append(monotonicMicroseconds() - start)
        }
        var acknowledged = 0
        var landed = 0
        var absent = 0
        var finishedFirst = 0
        var killedInside = 0
        for trial in 0..<Self.streamTrials {
            let code = "KILL-\(trial)"
            let steps = Self.lifecycle(code: code, enterprise: enterprise, cancelled: random.next() % 4 == 0)
            let k = Int(random.next() % UInt64(steps.count))
            for step in steps[..<k] { try timedOK(step.arguments) }
            acknowledged += k
            let before =
                k == 0 ? (events: 0, state: "absent") : (events: steps[k - 1].events, state: steps[k - 1].state)
            let after = (events: steps[k].events, state: steps[k].state)

            if trial % 2 == 0 {
                // Half the trials are killed provably inside the command's write transaction: it
                // stops at the product's test pause point (after its writes, before the commit)
                // and says so; the kill lands there, and exactly the committed state remains.
                let pause = PausePoint("write", in: cli.directory, name: "stream-\(trial)")
                let fingerprint = try cli.dump()
                let child = try Child.start(steps[k].arguments, cli: cli, extraEnvironment: pause.environment)
                let reached = pause.awaitReached()
                child.kill()
                let end = child.wait()
                #expect(reached, "trial \(trial): step \(k) never reached its write transaction's pause point")
                #expect(end == .killed, "trial \(trial): step \(k) was not killed inside its transaction: \(end)")
                if reached && end == .killed { killedInside += 1 }
                try cli.ok(["verify"])
                #expect(try cli.integrity() == "ok", "trial \(trial)")
                #expect(try cli.consistencyViolations() == [], "trial \(trial), killed inside step \(k)")
                #expect(try Self.snapshot(cli, code: code) == before, "trial \(trial): step \(k) left a part behind")
                #expect(
                    try cli.dump() == fingerprint, "trial \(trial): the file changed although nothing was committed")
                // Not half applied: the same command now simply succeeds.
                try cli.ok(steps[k].arguments)
                #expect(try Self.snapshot(cli, code: code) == after)
                absent += 1
                continue
            }

            // The other half are killed at a moment aimed from timings, which may fall in the
            // commit itself or after it: then the command is whole or absent, never a part.
            let typical = durations.isEmpty ? 30_000 : durations.sorted()[durations.count / 2]
            let delay = UInt64(Double(typical) * (0.2 + Double(random.next() % 1_000) / 1_000))
            let child = try Child.start(steps[k].arguments, cli: cli)
            usleep(UInt32(delay))
            child.kill()
            let end = child.wait()

            // The database opens and is sound: SQLite's integrity check, `storders verify` (the
            // history chain, records and rules) and the independent consistency query.
            try cli.ok(["order", "list", "--json"])
            try cli.ok(["verify"])
            #expect(try cli.integrity() == "ok", "trial \(trial)")
            #expect(try cli.consistencyViolations() == [], "trial \(trial), killed during step \(k) after \(delay) µs")
            let now = try Self.snapshot(cli, code: code)
            switch end {
            case .exited(let status):
                #expect(status == 0, "trial \(trial): step \(k) exited \(status) before the kill")
                #expect(now == after, "trial \(trial): acknowledged step \(k) missing: \(now)")
                finishedFirst += 1
            case .killed:
                #expect(
                    now == before || now == after,
                    "trial \(trial): step \(k) half done: \(now), expected \(before) or \(after)")
                if now == after {
                    landed += 1
                } else {
                    absent += 1
                    try cli.ok(steps[k].arguments)
                    #expect(try Self.snapshot(cli, code: code) == after)
                }
            }
        }
        #expect(
            killedInside == (Self.streamTrials + 1) / 2, "only \(killedInside) trials were killed inside a transaction")
        #expect(try cli.integrity() == "ok")
        #expect(try cli.consistencyViolations() == [])
        print(
            "crash trials (stream of writes, seed \(random.seed)): \(Self.streamTrials) SIGKILLs survived, \(killedInside)"
                + " of them provably inside the write transaction; the cut command was absent \(absent)×, whole \(landed)×,"
                + " finished before the kill \(finishedFirst)×; \(acknowledged) acknowledged commands all present;"
                + " integrity, verify and domain checks passed after each")
    }

    @Test func killedWhileFillingANewDatabaseItOpensWholeOrEmpty() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        var random = SeededRandom.fromEnvironment(fallback: 20_260_302)
        // `demo` creates a file and writes 5 enterprises and 6 orders in ~40 transactions: a
        // stream of writes in one process, from the first byte of the file on.
        let reference = cli.directory.appendingPathComponent("reference.sqlite").path
        let start = monotonicMicroseconds()
        try cli.ok(["demo", "--db", reference, "--json"])
        let full = monotonicMicroseconds() - start
        let fullEvents = try cli.sql("SELECT count(*) FROM events;", database: reference)

        var emptyFiles = 0
        var partial = 0
        var complete = 0
        var killedInside = 0
        for trial in 0..<Self.demoTrials {
            let path = cli.directory.appendingPathComponent("demo-\(trial).sqlite").path
            var delay: UInt64 = 0
            var insideWrite: Int? = nil
            if trial % 2 == 0 {
                // Killed provably inside its n-th write transaction (the first makes the schema).
                let n = 1 + Int(random.next() % 20)
                insideWrite = n
                let pause = PausePoint("write:\(n)", in: cli.directory, name: "demo-\(trial)")
                let child = try Child.start(["demo", "--db", path], cli: cli, extraEnvironment: pause.environment)
                let reached = pause.awaitReached()
                child.kill()
                let end = child.wait()
                #expect(reached && end == .killed, "trial \(trial): demo not killed inside write \(n): \(end)")
                if reached && end == .killed { killedInside += 1 }
            } else {
                delay = UInt64(Double(full) * Double(random.next() % 1_000) / 1_000)
                let child = try Child.start(["demo", "--db", path], cli: cli)
                usleep(UInt32(delay))
                child.kill()
                _ = child.wait()
            }

            let opened = try cli.run(["order", "list", "--db", path, "--json"])
            if opened.status != 0 {
                // Killed before the schema was committed: the file is absent or empty, and says so.
                #expect(
                    opened.stderr.hasPrefix("Error: no database at") || opened.stderr.contains("is an empty database"),
                    "trial \(trial): \(opened.stderr)")
                emptyFiles += 1
            } else {
                #expect(try cli.integrity(database: path) == "ok", "trial \(trial)")
                try cli.ok(["verify", "--db", path])
                #expect(try cli.consistencyViolations(database: path) == [], "trial \(trial), killed after \(delay) µs")
                #expect(try cli.sql("PRAGMA journal_mode;", database: path) == "wal", "trial \(trial)")
                let events = try cli.sql("SELECT count(*) FROM events;", database: path)
                if events == fullEvents { complete += 1 } else { partial += 1 }
                // Killed inside a write, the file holds only what committed before it.
                if let n = insideWrite {
                    #expect(n > 1, "trial \(trial): the schema's own transaction was killed, yet the file opens")
                    #expect(events != fullEvents, "trial \(trial): killed inside write \(n), yet every event is there")
                }
            }
            if insideWrite == 1 {
                #expect(
                    opened.status != 0, "trial \(trial): killed inside the schema's transaction, yet the file opens")
            }
            // Whatever state it was left in, the tool carries on with it.
            try cli.ok(["init", "--db", path])
            try cli.ok(["order", "list", "--db", path])
        }
        #expect(killedInside == (Self.demoTrials + 1) / 2)
        print(
            "crash trials (demo filling a new file, seed \(random.seed)): \(Self.demoTrials) SIGKILLs survived"
                + " (\(killedInside) inside a chosen write transaction);"
                + " left empty \(emptyFiles)×, partly filled \(partial)×, complete \(complete)×; every opened file sound, verified and consistent"
        )
    }
}
