import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite("database file mode")
struct FileModeTests {
    /// `storders init` and `storders demo` create the file readable and writable by its owner
    /// only, whatever the umask lets other files be (FileSafetyTests checks the WAL and SHM).
    @Test func theFilesTheToolCreatesAreTheOwnersOnly() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        for command in [["init"], ["demo"]] {
            let path = cli.directory.appendingPathComponent("\(command[0]).sqlite").path
            try cli.ok(command + ["--db", path])
            var info = stat()
            #expect(stat(path, &info) == 0)
            #expect(info.st_mode & 0o777 == 0o600, "\(command[0]) made mode \(String(info.st_mode & 0o777, radix: 8))")
        }
    }
}
