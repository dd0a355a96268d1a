import Foundation
import STOrders
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One answer of the server, as the bytes came.
struct HTTPAnswer: Sendable {
    let status: Int
    let headers: [(name: String, value: String)]
    let body: String

    /// The first header of that name (any case).
    func header(_ name: String) -> String? { headers(name).first }

    func headers(_ name: String) -> [String] {
        headers.filter { $0.name.lowercased() == name.lowercased() }.map(\.value)
    }

    var json: [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any]
    }

    var errorCode: String? { (json?["error"] as? [String: Any])?["code"] as? String }

    /// The value of the session cookie this answer sets (nil: none; "" when it clears it).
    var sessionCookie: String? {
        for value in headers("Set-Cookie") where value.hasPrefix("storders_session=") {
            let pair = value.split(separator: ";", maxSplits: 1).first ?? ""
            return String(pair.dropFirst("storders_session=".count))
        }
        return nil
    }

    var setCookie: String? { headers("Set-Cookie").first { $0.hasPrefix("storders_session=") } }
}

/// A small HTTP/1.1 client over a plain socket: one connection per request (`Connection: close`),
/// so a test controls every header (Origin, Cookie, Sec-Fetch-Site) and sees a refused connection
/// as such.
enum RawHTTP {
    enum Failure: Error, Equatable {
        case connectionRefused
        case connectFailed(Int32)
        case io(String)
        case malformed(String)
    }

    static func dial(port: Int) throws -> Int32 {
        #if canImport(Glibc)
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw Failure.io("socket: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        if rc != 0 {
            let code = errno
            close(fd)
            throw code == ECONNREFUSED ? Failure.connectionRefused : Failure.connectFailed(code)
        }
        // Never wait forever on a server that hangs: a minute, then the test fails.
        var timeout = timeval(tv_sec: 60, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        return fd
    }

    /// Sends one request and reads the whole answer (blocking: call it off the cooperative pool).
    static func send(
        port: Int, method: String, path: String, headers: [(String, String)], body: [UInt8]?
    ) throws -> HTTPAnswer {
        let fd = try dial(port: port)
        defer { close(fd) }
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if let body { head += "Content-Length: \(body.count)\r\n" }
        head += "\r\n"
        let bytes = Array(head.utf8) + (body ?? [])
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            guard n > 0 else { throw Failure.io("write: errno \(errno)") }
            sent += n
        }
        var answer: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n == 0 { break }
            guard n > 0 else { throw Failure.io("read: errno \(errno)") }
            answer.append(contentsOf: buffer[0..<n])
        }
        return try parse(answer)
    }

    static func parse(_ bytes: [UInt8]) throws -> HTTPAnswer {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard let end = (0..<max(0, bytes.count - 3)).first(where: { Array(bytes[$0..<$0 + 4]) == separator }) else {
            throw Failure.malformed(String(decoding: bytes.prefix(200), as: UTF8.self))
        }
        let lines = String(decoding: bytes[0..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { throw Failure.malformed(lines[0]) }
        var headers: [(name: String, value: String)] = []
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.append(
                (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        var body = Array(bytes[(end + 4)...])
        let chunked = headers.contains {
            $0.name.lowercased() == "transfer-encoding" && $0.value.lowercased().contains("chunked")
        }
        if chunked { body = try dechunk(body) }
        return HTTPAnswer(status: status, headers: headers, body: String(decoding: body, as: UTF8.self))
    }

    static func dechunk(_ bytes: [UInt8]) throws -> [UInt8] {
        var out: [UInt8] = []
        var i = 0
        while i < bytes.count {
            guard let lineEnd = (i..<bytes.count - 1).first(where: { bytes[$0] == 13 && bytes[$0 + 1] == 10 }) else {
                throw Failure.malformed("chunk size")
            }
            let sizeText = String(decoding: bytes[i..<lineEnd], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16) else {
                throw Failure.malformed("chunk size \(sizeText)")
            }
            if size == 0 { break }
            let start = lineEnd + 2
            guard start + size <= bytes.count else { throw Failure.malformed("short chunk") }
            out.append(contentsOf: bytes[start..<start + size])
            i = start + size + 2
        }
        return out
    }
}

/// The built `storders-server` binary, run as an operator would, on a database file of its own
/// (the access fixture's records and accounts) and a port the system picks; its standard
/// output and error go to files the tests read.
final class LiveServer: @unchecked Sendable {
    let directory: URL
    let database: String
    let stdoutPath: String
    let stderrPath: String
    /// The fixture's logins, tokens and order codes (its store is closed; the file holds them).
    let fixture: AccessFixture
    private(set) var process: Process?
    private(set) var port = 0
    /// Every answer any request got, checked for the security headers as it comes.
    private(set) var answers = 0

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("storders-live-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        database = directory.appendingPathComponent("office.sqlite").path
        stdoutPath = directory.appendingPathComponent("stdout.log").path
        stderrPath = directory.appendingPathComponent("stderr.log").path
        FileManager.default.createFile(atPath: stdoutPath, contents: nil)
        FileManager.default.createFile(atPath: stderrPath, contents: nil)
        let store = try Store.open(path: database, mode: .createIfNeeded, actor: "fixture")
        fixture = try AccessFixture(store: store)
        _ = store.closeConnection()
    }

    /// The binary SwiftPM built next to the test bundle ($STORDERS_SERVER_BIN overrides).
    static var binary: String {
        if let path = ProcessInfo.processInfo.environment["STORDERS_SERVER_BIN"] { return path }
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("storders-server").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return Bundle.main.bundleURL.appendingPathComponent("storders-server").path
    }

    /// Starts the server on the file and waits until /healthz answers 200.
    func start(insecureCookies: Bool = true, environment extra: [String: String] = [:]) async throws {
        guard FileManager.default.isExecutableFile(atPath: Self.binary) else {
            throw Failure(description: "storders-server is not built at \(Self.binary)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments =
            ["--db", database, "--listen", "127.0.0.1:0", "--log-level", "debug"]
            + (insecureCookies ? ["--insecure-cookies-on-loopback"] : [])
        var environment = ProcessInfo.processInfo.environment
        for (name, value) in extra { environment[name] = value }
        process.environment = environment
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: stdoutPath))
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrPath))
        out.seekToEndOfFile()
        err.seekToEndOfFile()
        let linesBefore = stdout.components(separatedBy: "\n").count
        process.standardOutput = out
        process.standardError = err
        try process.run()
        self.process = process
        // "storders-server: serving PATH on 127.0.0.1:PORT, …". Each wait looks once more after its
        // limit (a test may be left unscheduled a long while on a busy machine), and the limits are
        // generous: they only stop a hung test.
        port = 0
        let deadline = Date().addingTimeInterval(180)
        while true {
            let lines = stdout.components(separatedBy: "\n").dropFirst(linesBefore - 1)
            if let line = lines.first(where: { $0.contains(" on 127.0.0.1:") }),
                let range = line.range(of: " on 127.0.0.1:"),
                let port = Int(line[range.upperBound...].prefix { $0.isNumber }), port > 0
            {
                self.port = port
                break
            }
            guard process.isRunning else {
                throw Failure(description: "storders-server exited at start: \(stderr)")
            }
            guard Date() < deadline else {
                throw Failure(description: "storders-server did not say its port: \(stdout)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        while true {
            if let health = try? await request("GET", "/healthz"), health.status == 200 { return }
            guard Date() < deadline else { throw Failure(description: "/healthz did not answer 200") }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Sends SIGTERM and waits (up to three minutes) for the process to exit; its exit status.
    @discardableResult
    func stop() async throws -> Int32 {
        guard let process else { return 0 }
        kill(process.processIdentifier, SIGTERM)
        return try await waitForExit()
    }

    func waitForExit() async throws -> Int32 {
        guard let process else { return 0 }
        let deadline = Date().addingTimeInterval(180)
        while process.isRunning && Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
        guard !process.isRunning else {
            kill(process.processIdentifier, SIGKILL)
            throw Failure(description: "storders-server did not exit within three minutes")
        }
        self.process = nil
        return process.terminationStatus
    }

    /// Kills a server still running and removes the folder.
    func cleanUp() {
        if let process, process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: directory)
    }

    var stdout: String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

    /// One request; every answer must carry the security headers.
    func request(
        _ method: String, _ path: String, headers: [(String, String)] = [], json: String? = nil,
        form: [(String, String)]? = nil, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> HTTPAnswer {
        var headers = headers
        var body: [UInt8]?
        if let json {
            headers.append(("Content-Type", "application/json"))
            body = Array(json.utf8)
        } else if let form {
            headers.append(("Content-Type", "application/x-www-form-urlencoded"))
            body = Array(Self.formEncode(form).utf8)
        }
        let port = self.port
        let (allHeaders, bytes) = (headers, body)
        let answer = try await Self.offThePool {
            try RawHTTP.send(port: port, method: method, path: path, headers: allHeaders, body: bytes)
        }
        answers += 1
        Self.expectSecurityHeaders(answer, "\(method) \(path)", sourceLocation: sourceLocation)
        return answer
    }

    /// Blocking socket work on a thread of its own, not the cooperative pool's.
    static func offThePool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
        }
    }

    static func formEncode(_ fields: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return fields.map { name, value in
            (name.addingPercentEncoding(withAllowedCharacters: allowed) ?? name) + "="
                + (value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value)
        }.joined(separator: "&")
    }

    /// What SERVER.md asks of every answer: a strict CSP with frame-ancestors none, nosniff,
    /// no-referrer.
    static func expectSecurityHeaders(
        _ answer: HTTPAnswer, _ what: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let csp = answer.header("Content-Security-Policy") ?? ""
        #expect(csp.contains("default-src 'none'"), "\(what): CSP '\(csp)'", sourceLocation: sourceLocation)
        #expect(csp.contains("frame-ancestors 'none'"), "\(what): CSP '\(csp)'", sourceLocation: sourceLocation)
        #expect(answer.header("X-Content-Type-Options") == "nosniff", "\(what)", sourceLocation: sourceLocation)
        #expect(answer.header("Referrer-Policy") == "no-referrer", "\(what)", sourceLocation: sourceLocation)
    }

    /// Signs in with JSON; the answer (201 expected by the caller).
    func signIn(_ who: AccessFixture.Who, password: String = AccessFixture.password, cookie: String? = nil)
        async throws -> HTTPAnswer
    {
        let login = fixture.logins[who] ?? ""
        return try await request(
            "POST", "/api/v1/session", headers: cookie.map { [("Cookie", "storders_session=\($0)")] } ?? [],
            json: #"{"login": "\#(login)", "password": "\#(password)"}"#)
    }

    var origin: String { "http://127.0.0.1:\(port)" }

    /// Opens the file beside the running server (as the CLI would) to look at the records.
    func withStore<T>(_ body: (Store) throws -> T) throws -> T {
        let store = try Store.open(path: database, mode: .existing, actor: "kiểm tra")
        defer { _ = store.closeConnection() }
        return try body(store)
    }

    /// The server's whole output must not hold any of `secrets` (passwords, tokens, session ids,
    /// CSRF tokens), and must hold request lines (so the check looked at something).
    func expectNoSecretsInLogs(_ secrets: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        let logs = stdout + stderr
        #expect(logs.contains("/api/v1/"), "no request was logged: \(logs)", sourceLocation: sourceLocation)
        for secret in secrets where !secret.isEmpty {
            #expect(
                !logs.contains(secret), "the log holds a secret (\(secret.prefix(4))…)", sourceLocation: sourceLocation)
        }
    }
}
