import Foundation
import Testing

/// Runs the built `storders` binary as a user would, against a temporary database.
struct CLI {
    struct Output {
        let status: Int32
        let stdout: String
        let stderr: String

        /// stdout parsed as JSON.
        func json() throws -> Any {
            try JSONSerialization.jsonObject(with: Data(stdout.utf8), options: [.fragmentsAllowed])
        }
        func object() throws -> [String: Any] {
            guard let o = try json() as? [String: Any] else { throw CLIError.notAnObject(stdout) }
            return o
        }
        func array() throws -> [[String: Any]] {
            guard let a = try json() as? [[String: Any]] else { throw CLIError.notAnArray(stdout) }
            return a
        }
    }

    enum CLIError: Error {
        case notAnObject(String)
        case notAnArray(String)
        case binaryMissing(String)
    }

    /// The folder holding this test's database; removed by `cleanUp`.
    let directory: URL
    let database: String
    var environment: [String: String]

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("storders-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        database = directory.appendingPathComponent("test.sqlite").path
        var env = ProcessInfo.processInfo.environment
        env["STORDERS_DB"] = database
        env["STORDERS_ACTOR"] = "kiểm thử"
        // The day the product takes for today (a write without --date, a report's default year):
        // pinned, so that no test depends on the day it runs.
        env["STORDERS_TODAY"] = CLI.today
        environment = env
    }

    /// What every test's `storders` takes for today (`$STORDERS_TODAY`).
    static let today = "2026-09-15"

    func cleanUp() { try? FileManager.default.removeItem(at: directory) }

    /// The binary SwiftPM built next to the test bundle ($STORDERS_BIN overrides).
    static var binary: String {
        if let path = ProcessInfo.processInfo.environment["STORDERS_BIN"] { return path }
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("storders").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return Bundle.main.bundleURL.appendingPathComponent("storders").path
    }

    /// Runs `storders ARGS…` with this test's database in $STORDERS_DB.
    @discardableResult
    func run(
        _ arguments: [String], stdin: String? = nil, extraEnvironment: [String: String] = [:],
        umask: String? = nil
    ) throws -> Output {
        let process = Process()
        if let umask {
            // The file-creation mask the command runs under, set by a shell that then execs it.
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "umask \(umask) && exec \"$0\" \"$@\"", CLI.binary] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: CLI.binary)
            process.arguments = arguments
        }
        process.environment = environment.merging(extraEnvironment) { $1 }
        process.currentDirectoryURL = directory
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        if let stdin {
            let input = Pipe()
            process.standardInput = input
            input.fileHandleForWriting.write(Data(stdin.utf8))
            try input.fileHandleForWriting.close()
        } else {
            process.standardInput = FileHandle.nullDevice
        }
        try process.run()
        // Read both pipes to the end before waiting, so a large output cannot block the child.
        final class Box: @unchecked Sendable { var data = Data() }
        let stderrBox = Box()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            stderrBox.data = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let stdoutData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Output(
            status: process.terminationStatus, stdout: String(decoding: stdoutData, as: UTF8.self),
            stderr: String(decoding: stderrBox.data, as: UTF8.self))
    }

    /// Runs a command that must succeed, and returns its output.
    @discardableResult
    func ok(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> Output {
        let output = try run(arguments)
        #expect(
            output.status == 0, "storders \(arguments.joined(separator: " ")) failed: \(output.stderr)",
            sourceLocation: sourceLocation)
        return output
    }

    /// Runs a command that must be refused with exit 1 and one `Error:` line, and returns the message.
    @discardableResult
    func refused(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let output = try run(arguments)
        #expect(
            output.status == 1,
            "storders \(arguments.joined(separator: " ")) exited \(output.status): \(output.stdout)\(output.stderr)",
            sourceLocation: sourceLocation)
        let lines = output.stderr.split(separator: "\n", omittingEmptySubsequences: true)
        #expect(
            lines.count == 1 && output.stderr.hasPrefix("Error: "), "expected one Error: line, got \(output.stderr)",
            sourceLocation: sourceLocation)
        #expect(output.stdout.isEmpty, sourceLocation: sourceLocation)
        return output.stderr
    }

    /// A fingerprint of the whole database's content, to prove a refusal changed nothing.
    func dump() throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [database, ".dump"]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
