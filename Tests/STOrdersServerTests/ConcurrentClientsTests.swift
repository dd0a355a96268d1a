import Foundation
import STOrders
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The CLI and the server writing the same file at once (issue 11): the built `storders-server`
/// runs as a process on a temporary database while one thread runs `storders payment record`
/// commands one after another and several HTTP clients record payments through the server, all
/// against one shared output whose value admits fewer payments than are attempted. Afterwards
/// every acknowledged payment (CLI exit 0, HTTP 2xx) is in the database, nothing else is (each
/// refusal is the output's limit, by its code, and wrote nothing), each is recorded in the
/// history as who made it (the officer's login for the server, `$STORDERS_ACTOR` for the CLI),
/// the output is paid exactly up to its value, and `storders verify` passes.
@Suite("server and CLI writing one file at once")
struct ConcurrentClientsTests {
    static let httpClients = 4
    static let paymentsPerHTTPClient = 15
    static let cliPayments = 20
    /// Fewer payments of 1.000 đồng fit than are attempted (80): about a quarter must be refused.
    static let paymentsThatFit = 60
    static let officer = "can-bo.thai-nguyen"
    static let cliActor = "kiểm thử"

    struct Ack: Hashable {
        let number: Int
        let byServer: Bool
    }

    final class Log: @unchecked Sendable {
        private let lock = NSLock()
        private(set) var acks: [Ack] = []
        private(set) var failures: [String] = []
        private(set) var refusals = 0
        private(set) var cliSpans: [(UInt64, UInt64)] = []
        private(set) var httpSpans: [(UInt64, UInt64)] = []

        func ack(_ ack: Ack) { locked { acks.append(ack) } }
        func refused() { locked { refusals += 1 } }
        func fail(_ message: String) { locked { failures.append(message) } }
        func span(_ start: UInt64, _ end: UInt64, byServer: Bool) {
            locked { byServer ? httpSpans.append((start, end)) : cliSpans.append((start, end)) }
        }
        private func locked(_ body: () -> Void) {
            lock.lock()
            body()
            lock.unlock()
        }

        /// Whether some CLI command and some HTTP request were running at the same moment.
        var overlapped: Bool {
            cliSpans.contains { c in httpSpans.contains { h in c.0 < h.1 && h.0 < c.1 } }
        }
    }

    @Test func cliAndServerRecordingPaymentsAtOnceLoseNothing() throws {
        let cli = try StordersCLI()
        defer { cli.cleanUp() }
        let shared = "TN-CHUNG-2026"
        let value = Int64(Self.paymentsThatFit) * 1_000
        try cli.ok(["init"])
        try cli.ok([
            "enterprise", "add", "--name", "Công ty Cổ phần Chè Tân Cương", "--tax-code", "4601234560",
            "--province", "Thái Nguyên", "--date", "2026-01-02",
        ])
        try cli.ok([
            "order", "register", "--enterprise", "4601234560", "--title", "Chuỗi giá trị chè đặc sản",
            "--field", "innovation", "--code", shared, "--date", "2026-01-03",
        ])
        try cli.ok([
            "output", "add", shared, "--title", "Quy trình chế biến chè xanh", "--type", "product", "--novelty",
            "improved", "--value", String(value), "--date", "2026-01-03",
        ])
        // The state budget exceeds the output's value: only the output's limit can refuse.
        try cli.ok(["order", "fund", shared, "--state-budget", String(2 * value), "--date", "2026-01-04"])
        try cli.ok(["output", "accept", shared, "1", "--date", "2026-01-05"])
        // The officer and its token through the library (a low bcrypt cost: a debug build is slow).
        let token = try {
            let store = try Store.open(path: cli.database, actor: "setup")
            defer { _ = store.closeConnection() }
            _ = try store.addAccount(
                NewAccount(login: Self.officer, role: .officer, province: try Province.named("Thái Nguyên")),
                password: "mật-khẩu-cán-bộ-2026", cost: 4, by: "setup")
            return try store.createToken(login: Self.officer, name: "kiểm thử đồng thời", by: "setup").token
        }()

        let server = try ServerProcess.start(database: cli.database, environment: cli.environment)
        defer { server.stop() }
        try server.waitUntilHealthy()

        let log = Log()
        let attempts = Self.httpClients * Self.paymentsPerHTTPClient + Self.cliPayments
        onThreads(Self.httpClients + 1) { w in
            if w == 0 {
                for _ in 0..<Self.cliPayments {
                    let began = monotonicNanoseconds()
                    guard
                        let out = try? cli.run([
                            "payment", "record", shared, "--output", "1", "--amount", "1.000", "--date",
                            "2026-01-06", "--json",
                        ])
                    else {
                        log.fail("storders could not be started")
                        continue
                    }
                    log.span(began, monotonicNanoseconds(), byServer: false)
                    if out.status == 0, let number = (try? out.object())?["number"] as? Int {
                        log.ack(Ack(number: number, byServer: false))
                    } else if out.status == 1, out.stderr.contains("is more than what remains unpaid of output 1") {
                        log.refused()
                    } else {
                        log.fail("storders exited \(out.status): \(out.stdout) \(out.stderr)")
                    }
                }
            } else {
                for _ in 0..<Self.paymentsPerHTTPClient {
                    let began = monotonicNanoseconds()
                    do {
                        let answer = try RawHTTP.send(
                            port: Int(server.port), method: "POST", path: "/api/v1/orders/\(shared)/payments",
                            headers: [("Authorization", "Bearer \(token)"), ("Content-Type", "application/json")],
                            body: Array(#"{"output":1,"amount":1000,"source":"state","date":"2026-01-06"}"#.utf8))
                        log.span(began, monotonicNanoseconds(), byServer: true)
                        let object = answer.json
                        if (200..<300).contains(answer.status), let number = object?["number"] as? Int {
                            log.ack(Ack(number: number, byServer: true))
                        } else if answer.status == 409,
                            (object?["error"] as? [String: Any])?["code"] as? String == "payment_exceeds_output"
                        {
                            log.refused()
                        } else {
                            log.fail("HTTP \(answer.status): \(answer.body)")
                        }
                    } catch {
                        log.fail("HTTP request failed: \(error)")
                    }
                }
            }
        }
        server.stop()

        #expect(log.failures.isEmpty, "\(log.failures.prefix(5))")
        #expect(log.acks.count + log.refusals == attempts)
        // Each acknowledged payment has its own number, and the output took exactly what fits.
        #expect(Set(log.acks.map(\.number)).count == log.acks.count)
        #expect(log.acks.count == Self.paymentsThatFit)
        #expect(log.acks.contains { $0.byServer } && log.acks.contains { !$0.byServer })
        #expect(log.overlapped, "no CLI command ran while an HTTP request was in flight")

        // The database holds exactly the acknowledged payments, each in the history as who made it.
        let store = try Store.open(path: cli.database, actor: "kiểm tra")
        defer { _ = store.closeConnection() }
        let detail = try store.orderDetail(code: shared)
        #expect(detail.payments.map(\.number).sorted() == log.acks.map(\.number).sorted())
        #expect(detail.payments.allSatisfy { $0.amount == 1_000 && $0.outputNumber == 1 })
        #expect(detail.outputs.first?.paid == value)
        let recorded = detail.events.filter { $0.action == .paymentRecorded }
        let viaServer = log.acks.filter(\.byServer).count
        #expect(recorded.filter { $0.actor == Self.officer }.count == viaServer)
        #expect(recorded.filter { $0.actor == Self.cliActor }.count == log.acks.count - viaServer)
        #expect(recorded.count == log.acks.count)
        let verify = try cli.run(["verify"])
        #expect(verify.status == 0, "verify: \(verify.stdout) \(verify.stderr)")
    }

    /// Runs `body(0..<count)` on `count` threads of their own, let go together, and waits for all.
    func onThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
        let gate = DispatchSemaphore(value: 0)
        let done = DispatchGroup()
        for w in 0..<count {
            done.enter()
            let thread = Thread {
                gate.wait()
                body(w)
                done.leave()
            }
            thread.start()
        }
        for _ in 0..<count { gate.signal() }
        done.wait()
    }
}

func monotonicNanoseconds() -> UInt64 {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return UInt64(t.tv_sec) * 1_000_000_000 + UInt64(t.tv_nsec)
}

/// Runs the built `storders` (next to the test bundle, or $STORDERS_BIN) on a temporary database.
struct StordersCLI: Sendable {
    struct Output {
        let status: Int32
        let stdout: String
        let stderr: String

        func object() throws -> [String: Any] {
            guard let o = try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any] else {
                throw PlainHTTP.Failure(description: "not a JSON object: \(stdout)")
            }
            return o
        }
    }

    let directory: URL
    let database: String
    let environment: [String: String]

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "storders-server-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        database = directory.appendingPathComponent("test.sqlite").path
        var env = ProcessInfo.processInfo.environment
        env["STORDERS_DB"] = database
        env["STORDERS_ACTOR"] = ConcurrentClientsTests.cliActor
        env["STORDERS_TODAY"] = "2026-09-15"
        environment = env
    }

    func cleanUp() { try? FileManager.default.removeItem(at: directory) }

    /// A program SwiftPM built next to the test bundle.
    static func built(_ name: String, override: String) -> String {
        if let path = ProcessInfo.processInfo.environment[override] { return path }
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent(name).path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return Bundle.main.bundleURL.appendingPathComponent(name).path
    }

    static var binary: String { built("storders", override: "STORDERS_BIN") }

    func run(_ arguments: [String]) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = arguments
        process.environment = environment
        process.currentDirectoryURL = directory
        let out = directory.appendingPathComponent(".out-\(UUID().uuidString)")
        let err = directory.appendingPathComponent(".err-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: out)
            try? FileManager.default.removeItem(at: err)
        }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        process.waitUntilExit()
        return Output(
            status: process.terminationStatus, stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "")
    }

    @discardableResult
    func ok(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> Output {
        let output = try run(arguments)
        #expect(
            output.status == 0, "storders \(arguments.joined(separator: " ")) failed: \(output.stderr)",
            sourceLocation: sourceLocation)
        return output
    }
}

/// The built `storders-server` (next to `storders`, or $STORDERS_SERVER_BIN) run as a child on a
/// free loopback port, its output in a log file; stopped with SIGTERM.
final class ServerProcess: @unchecked Sendable {
    let child: pid_t
    let port: UInt16
    let logPath: String
    private var stopped = false

    private init(child: pid_t, port: UInt16, logPath: String) {
        self.child = child
        self.port = port
        self.logPath = logPath
    }

    static var binary: String {
        return StordersCLI.built("storders-server", override: "STORDERS_SERVER_BIN")
    }

    static func start(database: String, environment: [String: String]) throws -> ServerProcess {
        let port = try PlainHTTP.freePort()
        let logPath = database + ".server.log"
        #if canImport(Darwin)
            var actions: posix_spawn_file_actions_t = nil
        #else
            var actions = posix_spawn_file_actions_t()
        #endif
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let arguments = [binary, "--db", database, "--listen", "127.0.0.1:\(port)"]
        let argv = arguments.map { strdup($0) } + [nil]
        let env = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in env { free(pointer) }
        }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, binary, &actions, nil, argv, env)
        guard rc == 0 else { throw POSIXError(POSIXErrorCode(rawValue: rc) ?? .EIO) }
        return ServerProcess(child: pid, port: port, logPath: logPath)
    }

    struct NotHealthy: Error, CustomStringConvertible {
        let log: String
        var description: String { "storders-server did not answer /healthz: \(log)" }
    }

    /// Waits (up to a minute: a slow machine) until GET /healthz answers 200.
    func waitUntilHealthy() throws {
        for _ in 0..<600 {
            if let answer = try? RawHTTP.send(port: Int(port), method: "GET", path: "/healthz", headers: [], body: nil),
                answer.status == 200
            {
                return
            }
            var status: Int32 = 0
            if waitpid(child, &status, WNOHANG) == child {
                stopped = true
                break
            }
            usleep(100_000)
        }
        throw NotHealthy(log: (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "")
    }

    /// SIGTERM, then waits for it to end (SIGKILL after 30 s).
    func stop() {
        guard !stopped else { return }
        stopped = true
        kill(child, SIGTERM)
        var status: Int32 = 0
        for _ in 0..<300 {
            if waitpid(child, &status, WNOHANG) == child { return }
            usleep(100_000)
        }
        kill(child, SIGKILL)
        while waitpid(child, &status, 0) < 0 && errno == EINTR {}
    }
}

/// A free loopback port for the server this test starts (requests go through LiveServer.swift's
/// `RawHTTP`).
enum PlainHTTP {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// A loopback port nobody listens on now (the kernel's choice for port 0).
    static func freePort() throws -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: \(errno)") }
        defer { close(fd) }
        var address = loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else { throw Failure(description: "bind: \(errno)") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return UInt16(bigEndian: address.sin_port)
    }

    static func loopback(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }
}
