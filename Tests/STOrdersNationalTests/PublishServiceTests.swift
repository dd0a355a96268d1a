import Foundation
import Logging
import STOrders
import ServiceLifecycle
import Synchronization
import Testing

@testable import STOrdersNational

/// Log lines kept for a test to read.
final class CapturedLog: Sendable {
    let lines = Mutex<[String]>([])

    var all: [String] { lines.withLock { $0 } }

    func logger() -> Logger {
        Logger(label: "test", factory: { _ in Handler(sink: self) })
    }

    struct Handler: LogHandler {
        let sink: CapturedLog
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .info
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            sink.lines.withLock { $0.append("\(event.level) \(event.message)") }
        }
    }
}

/// `storders-server --publish-to URL --publish-every N`: the service publishes at start and on
/// every tick by itself, logs one line per publish without the password, and stops on shutdown.
@Suite(.enabled(if: TestPostgres.enabled, TestPostgres.skipped))
struct PublishServiceTests {
    func position(_ national: NationalDatabase) async throws -> String? {
        (try await national.rows("SELECT last_event_id::text FROM sources").first?.first ?? nil)
    }

    func head(_ source: SourceFile) throws -> String {
        try source.raw().read { db in try String(Int64.fetchOne(db, sql: "SELECT max(id) FROM events") ?? 0) }
    }

    /// Waits (up to two minutes: the machine may be busy) until the national position is `want`.
    func waitFor(_ want: String, in national: NationalDatabase) async throws -> Bool {
        for _ in 0..<1200 {
            if try await position(national) == want { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    @Test func theServicePublishesOnEveryTickAndStopsOnShutdown() async throws {
        let source = try SourceFile()
        let national = try await NationalDatabase.make()
        defer { source.cleanUp() }
        let log = CapturedLog()
        let service = NationalPublishService(
            path: source.path, url: national.url, interval: .milliseconds(200), logger: log.logger())
        let group = ServiceGroup(
            configuration: .init(services: [.init(service: service)], logger: Logger(label: "test-group")))
        let running = Task { try await group.run() }

        #expect(try await waitFor(try head(source), in: national))
        // A new record in the file reaches the national store with nobody running publish.
        try source.store.reversePayment(
            order: "01-2025-0001", payment: 2, reason: "Nhập trùng chứng từ", on: try Day(parsing: "2026-01-05"))
        #expect(try await waitFor(try head(source), in: national))
        let differences = try await Mirror.differences(source, national)
        #expect(differences == [], "\(differences)")

        await group.triggerGracefulShutdown()
        try await running.value
        let lines = log.all
        #expect(
            lines.contains {
                $0.hasPrefix("info Published ") && $0.contains(" events and ")
                    && $0.contains(" seals in 2 batches from ")
            })
        #expect(lines.contains { $0.hasPrefix("info Published 1 event and 0 seals in 1 batch from ") })
        #expect(lines.contains { $0.hasPrefix("info Nothing new to publish from ") })
        let password = try TestPostgres.serverURL().password ?? "no password"
        #expect(!lines.contains { $0.contains(password) })
        // Stopped: no publish after the group returned.
        let after = lines.count
        try await Task.sleep(for: .milliseconds(600))
        #expect(log.all.count == after)
        await national.drop()
    }

    @Test func aRefusedTickIsLoggedInOneLineAndTheServiceGoesOn() async throws {
        let source = try SourceFile()
        let national = try await NationalDatabase.make(schema: false)
        defer { source.cleanUp() }
        let log = CapturedLog()
        let service = NationalPublishService(
            path: source.path, url: national.url, interval: .milliseconds(100), logger: log.logger())
        let group = ServiceGroup(
            configuration: .init(services: [.init(service: service)], logger: Logger(label: "test-group")))
        let running = Task { try await group.run() }
        func errors() -> [String] { log.all.filter { $0.hasPrefix("error ") } }
        for _ in 0..<1200 where errors().count < 2 { try await Task.sleep(for: .milliseconds(100)) }
        await group.triggerGracefulShutdown()
        try await running.value
        let lines = log.all
        #expect(errors().count >= 2)
        #expect(
            errors().allSatisfy {
                $0.hasPrefix("error national publish to \(national.url) refused: the database at ")
                    && $0.contains("has no STOrders national schema")
            }, "\(lines)")
        // Besides the refusals, only ticks skipped while a publish ran (the machine may be slow).
        #expect(
            lines.allSatisfy { $0.hasPrefix("error ") || $0.hasPrefix("warning national publish took longer than ") },
            "\(lines)")
        await national.drop()
    }
}
