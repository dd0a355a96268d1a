import Foundation
import Testing

/// `storders-server --publish-to URL --publish-every N`: options that cannot work are refused
/// before anything starts, with a message naming the option, and no database file is made.
@Suite("server publish options")
struct PublishOptionTests {
    @Test(arguments: [
        (["--publish-every", "60s"], "--publish-every needs --publish-to URL"),
        (["--publish-to", "postgresql://u@h/db", "--publish-every", "5x"], "--publish-every takes seconds"),
        (["--publish-to", "postgresql://u@h/db", "--publish-every", "0"], "--publish-every takes a whole number"),
        (["--publish-to", "mysql://u@h/db"], "--publish-to: "),
    ])
    func aWrongPublishOptionIsRefusedBeforeAnythingStarts(arguments: [String], message: String) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("storders-pubopt-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("sở.sqlite").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: LiveServer.binary)
        process.arguments = ["--db", database, "--listen", "127.0.0.1:0"] + arguments
        let stderr = Pipe()
        process.standardError = stderr
        process.standardOutput = Pipe()
        try process.run()
        let text = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus != 0, "\(text)")
        #expect(text.contains(message), "\(text)")
        #expect(!FileManager.default.fileExists(atPath: database))
    }
}
