import ArgumentParser
import Foundation
import Hummingbird
import Logging
import STOrders
import STOrdersServer

/// `storders-server`: the STOrders records served over HTTP to many accounts at once.
@main
struct StordersServer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "storders-server",
        abstract:
            "Serve a STOrders database over HTTP: the web pages (docs/web.md), the JSON API under /api/v1, /healthz and /metrics.",
        discussion: """
            Examples:
              storders-server --db office.sqlite --listen 127.0.0.1:8080
              storders-server --demo --listen 127.0.0.1:8080

            Session cookies are Secure (sent over https only): run it behind a TLS proxy, or, on \
            this machine only, with --insecure-cookies-on-loopback. SIGTERM or SIGINT stops it once \
            the requests in flight are answered.
            """)

    @Option(
        name: .long,
        help: ArgumentHelp("The database file (default: $STORDERS_DB, else ./storders.sqlite).", valueName: "path"))
    var db: String?

    @Option(name: .long, help: ArgumentHelp("The address and port to listen on.", valueName: "host:port"))
    var listen = "127.0.0.1:8080"

    @Flag(
        name: .long,
        help: "Send session cookies without Secure, so plain http works; refused unless --listen is a loopback address."
    )
    var insecureCookiesOnLoopback = false

    @Flag(
        name: .long,
        help:
            "Create a new temporary database, fill it with the demo, print one account per role, and serve it (implies --insecure-cookies-on-loopback on a loopback address)."
    )
    var demo = false

    @Option(
        name: .long, help: ArgumentHelp("trace, debug, info, notice, warning, error or critical.", valueName: "level"))
    var logLevel: LogLevelArgument = .info

    @Option(
        name: .long,
        help: ArgumentHelp(
            "This server's origin as browsers see it, for the same-origin check of cookie writes (default: the scheme the cookies imply and the Host sent).",
            valueName: "https://host"))
    var publicOrigin: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "A file holding the token that lets a client off this machine read /metrics (default: $STORDERS_METRICS_TOKEN; none: loopback only).",
            valueName: "path"))
    var metricsTokenFile: String?

    @Option(name: .long, help: ArgumentHelp("The largest request body accepted, in bytes.", valueName: "bytes"))
    var maxBodyBytes = 1 << 20

    @Option(name: .long, help: ArgumentHelp("Seconds a request may take before 503 timeout.", valueName: "seconds"))
    var requestTimeout = 60

    @Option(name: .long, help: ArgumentHelp("Minutes a session may stay unused.", valueName: "minutes"))
    var sessionIdleMinutes = 30

    @Option(name: .long, help: ArgumentHelp("Hours a session lasts at most.", valueName: "hours"))
    var sessionAbsoluteHours = 12

    @Option(name: .long, help: ArgumentHelp("Threads for database work.", valueName: "count"))
    var databaseThreads = 4

    @OptionGroup var publishing: ServerPublishOptions

    func validate() throws {
        _ = try ListenAddress(listen)
        if let db, db.isEmpty { throw ValidationError("--db is empty; give the database file") }
        if demo && db != nil { throw ValidationError("--demo makes its own database; leave --db out") }
        guard maxBodyBytes >= 1, requestTimeout >= 1, sessionIdleMinutes >= 1, sessionAbsoluteHours >= 1,
            databaseThreads >= 1
        else { throw ValidationError("limits, times and thread counts must be at least 1") }
    }

    func run() async throws {
        let level = logLevel.level
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let address = try ListenAddress(listen)
        var path = databasePath
        var insecure = insecureCookiesOnLoopback
        if demo {
            path = try Demo.create()
            insecure = insecure || ServerConfiguration.isLoopbackHost(address.host)
        }
        var configuration = ServerConfiguration(
            database: .path(path), host: address.host, port: address.port, secureCookies: !insecure,
            publicOrigin: publicOrigin,
            metricsToken: try metricsToken(), maxBodyBytes: maxBodyBytes, requestTimeout: .seconds(requestTimeout),
            sessionIdle: .seconds(sessionIdleMinutes * 60), sessionAbsolute: .seconds(sessionAbsoluteHours * 3600),
            databaseThreads: databaseThreads, logger: Logger(label: "storders-server"))
        let scheme = insecure ? "http" : "https (through your TLS proxy)"
        let served = path
        configuration.onListening = { port in
            say("storders-server: serving \(served) on \(address.host):\(port), \(scheme); Ctrl-C stops")
        }
        let app: StoreServerApplication
        do {
            app = try buildApplication(configuration)
        } catch let error as STOrdersError {
            throw ValidationError(error.description)
        } catch let error as ConfigurationError {
            throw ValidationError(error.description)
        }
        try await publishing.run(app, database: path, logger: Logger(label: "storders-server"))
    }

    var databasePath: String {
        if let db { return db }
        if let env = ProcessInfo.processInfo.environment["STORDERS_DB"], !env.isEmpty { return env }
        return "storders.sqlite"
    }

    /// Read from a file or the environment, never from the command line (which `ps` shows).
    func metricsToken() throws -> String? {
        if let metricsTokenFile {
            guard let text = try? String(contentsOfFile: metricsTokenFile, encoding: .utf8) else {
                throw ValidationError("cannot read the metrics token file \(metricsTokenFile)")
            }
            return text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return ProcessInfo.processInfo.environment["STORDERS_METRICS_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
    }
}

/// `host:port`, `[v6]:port` or `:port` (loopback).
struct ListenAddress {
    let host: String
    let port: Int

    init(_ text: String) throws {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
            (0...65535).contains(port)
        else {
            throw ValidationError("--listen takes host:port (for example 127.0.0.1:8080), not '\(text)'")
        }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        self.host = host.isEmpty ? "127.0.0.1" : host
        self.port = port
    }
}

enum LogLevelArgument: String, CaseIterable, ExpressibleByArgument {
    case trace, debug, info, notice, warning, error, critical
    var level: Logger.Level { Logger.Level(rawValue: rawValue) ?? .info }
}

/// `--demo`: a new database in a new temporary folder, filled with the demo.
enum Demo {
    static func create() throws -> String {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("storders-demo-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(
            at: folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        let path = folder.appendingPathComponent("demo.sqlite").path
        let store = try Store.open(path: path, mode: .createIfNeeded, actor: "demo")
        _ = try DemoData.populate(store)
        say("Demo database: \(path) (5 enterprises, 6 orders in 5 provinces)")
        let enterprise = try store.enterprise(taxCode: try TaxCode(parsing: DemoData.storyTaxCode))
        let accounts = [
            NewAccount(login: "enterprise", role: .enterprise, enterprise: enterprise.taxCode),
            NewAccount(login: "officer", role: .officer, province: enterprise.province),
            NewAccount(login: "auditor", role: .auditor),
            NewAccount(login: "admin", role: .admin),
        ]
        say("Accounts (sign in with POST /api/v1/session {\"login\", \"password\"}):")
        for account in accounts {
            let password = randomPassword()
            _ = try store.addAccount(account, password: password, by: "demo")
            let scope =
                account.enterprise.map { "enterprise \($0.value), \(enterprise.name)" }
                ?? account.province.map { "province \($0.name)" }
                ?? (account.role == .auditor ? "national" : "accounts and national targets")
            say(
                "  \(account.login.padding(toLength: 10, withPad: " ", startingAt: 0)) \(password)  (\(account.role.rawValue): \(scope))"
            )
        }
        let token = try store.createToken(login: "officer", name: "demo", by: "demo")
        say("API token of officer (Authorization: Bearer …): \(token.token)")
        store.closeConnection()
        return path
    }

    /// 16 letters and digits from the system's random source.
    static func randomPassword() -> String {
        let alphabet = Array("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<16).map { _ in alphabet[Int(generator.next(upperBound: UInt64(alphabet.count)))] })
    }
}

/// One line on standard output, written at once (not held in a buffer when stdout is a pipe).
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
