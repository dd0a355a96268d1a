import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

@Suite("database file mode")
struct FileModeTests {
    static func mode(_ path: String) -> mode_t {
        var info = stat()
        guard stat(path, &info) == 0 else { return 0o7777 }
        return info.st_mode & 0o777
    }

    /// `storders init` and `storders demo` create the file readable and writable by its owner
    /// only, whatever the umask (FileSafetyTests checks the WAL and SHM): checked under a umask
    /// that lets everyone read and write (000, where a forgotten mode would show) and a strict one.
    @Test(arguments: ["000", "022", "077"])
    func theFilesTheToolCreatesAreTheOwnersOnly(umask: String) throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        for command in [["init"], ["demo"]] {
            let path = cli.directory.appendingPathComponent("\(command[0]).sqlite").path
            let out = try cli.run(command + ["--db", path], umask: umask)
            #expect(out.status == 0, "\(command[0]) under umask \(umask): \(out.stderr)")
            #expect(
                Self.mode(path) == 0o600,
                "\(command[0]) under umask \(umask) made mode \(String(Self.mode(path), radix: 8))")
        }
    }

    /// An export holds every record: its owner's only, whatever the umask. A report is meant to
    /// be shared: 0644 less what the umask takes away (0644 under 022, 0600 under 077, never
    /// more than 0644 under 000).
    @Test(arguments: [("000", 0o644), ("022", 0o644), ("077", 0o600)] as [(String, mode_t)])
    func exportsAreTheOwnersOnlyAndReportsFollowTheUmask(umask: String, report: mode_t) throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.ok(["demo"])
        let dir = cli.directory.path
        let export = try cli.run(["export", "--output", dir + "/tất-cả.json"], umask: umask)
        #expect(export.status == 0, "\(export.stderr)")
        #expect(
            Self.mode(dir + "/tất-cả.json") == 0o600,
            "export under umask \(umask): \(String(Self.mode(dir + "/tất-cả.json"), radix: 8))")
        let html = try cli.run(["report", "html", "--year", "2025", "--output", dir + "/báo-cáo.html"], umask: umask)
        #expect(html.status == 0, "\(html.stderr)")
        #expect(
            Self.mode(dir + "/báo-cáo.html") == report,
            "report under umask \(umask): \(String(Self.mode(dir + "/báo-cáo.html"), radix: 8))")
    }

    /// The WAL and shared-memory files SQLite makes beside the database while a command writes
    /// are the owner's only too, under any umask: seen while a command is held inside its write
    /// transaction (the product's test pause point), when both files exist.
    @Test(arguments: ["000", "077"])
    func theWALAndSHMAreTheOwnersOnlyWhileACommandWrites(umask: String) throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        #expect(try cli.run(["init"], umask: umask).status == 0)
        let pause = PausePoint("write", in: cli.directory, name: "mode-\(umask)", resumable: true)
        let finished = DispatchSemaphore(value: 0)
        let writing = Thread {
            _ = try? cli.run(
                [
                    "enterprise", "add", "--name", "Công ty TNHH Bảo mật", "--tax-code", "0100233488",
                    "--province", "Hà Nội", "--date", "2026-01-02",
                ], extraEnvironment: pause.environment,
                umask: umask)
            finished.signal()
        }
        writing.start()
        let reached = pause.awaitReached()
        #expect(reached)
        for file in [cli.database, cli.database + "-wal", cli.database + "-shm"] {
            #expect(Self.mode(file) == 0o600, "\(file) under umask \(umask): \(String(Self.mode(file), radix: 8))")
        }
        pause.resume()
        finished.wait()
        #expect(try cli.sql("SELECT count(*) FROM enterprises;") == "1")
    }
}
