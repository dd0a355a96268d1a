#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A pause point for the crash tests, so a SIGKILL provably lands inside a write transaction
/// instead of at a moment guessed from timings. Harmless and nearly free when unset: the
/// environment is read once per process.
///
/// `STORDERS_TEST_PAUSE=<point>` or `<point>:<n>` makes the process, the n-th time (default the
/// first) it reaches `point` inside an open write transaction, create the file named by
/// `STORDERS_TEST_PAUSE_MARKER` and sleep (up to ten minutes) until it is killed, or, when
/// `STORDERS_TEST_PAUSE_RESUME` names a file, until that file exists, then carry on. Points:
/// `write` (every write transaction, before its commit, the schema's creation included) and
/// `bulk` (a bulk import, after all its rows, before its commit) and `create` (opening a file found
/// absent, between that check and its exclusive creation).
enum TestPause {
    private struct Setting {
        let point: String
        let occurrence: Int
        let marker: String
        let resume: String?
    }

    private static let setting: Setting? = {
        guard let raw = getenv("STORDERS_TEST_PAUSE"), let markerRaw = getenv("STORDERS_TEST_PAUSE_MARKER") else {
            return nil
        }
        let value = String(cString: raw)
        let parts = value.split(separator: ":", maxSplits: 1)
        guard let point = parts.first, !point.isEmpty else { return nil }
        let occurrence = parts.count == 2 ? Int(parts[1]) ?? 1 : 1
        let resume = getenv("STORDERS_TEST_PAUSE_RESUME").map { String(cString: $0) }
        return Setting(
            point: String(point), occurrence: max(1, occurrence), marker: String(cString: markerRaw),
            resume: resume)
    }()

    /// How many times the chosen point was reached; only touched when the pause is set, by the
    /// one thread of the CLI process that writes.
    nonisolated(unsafe) private static var reached = 0

    /// Called inside an open write transaction at `point`.
    static func reach(_ point: String) {
        guard let setting, setting.point == point else { return }
        reached += 1
        guard reached == setting.occurrence else { return }
        let fd = open(setting.marker, O_CREAT | O_WRONLY | O_TRUNC | O_CLOEXEC, 0o600)
        if fd >= 0 {
            let line = "paused at \(point):\(reached) pid \(getpid())\n"
            _ = line.withCString { write(fd, $0, strlen($0)) }
            close(fd)
        }
        var info = stat()
        for _ in 0..<60_000 {
            if let resume = setting.resume, stat(resume, &info) == 0 { return }
            usleep(10_000)
        }
    }
}
