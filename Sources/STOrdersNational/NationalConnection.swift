import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO
import STOrders

/// One connection to the national store. Every statement takes its values as bound parameters
/// (or, for a publish's rows, as COPY data): no value is ever spliced into SQL text. Every
/// failure reaches the caller as an `STOrdersError` naming the URL without its password.
public final class NationalConnection: Sendable {
    public let url: NationalURL
    let connection: PostgresConnection
    let logger: Logger

    init(url: NationalURL, connection: PostgresConnection, logger: Logger) {
        self.url = url
        self.connection = connection
        self.logger = logger
    }

    /// Connects and signs in; refuses an unreachable server, a wrong password and an unknown database.
    public static func connect(_ url: NationalURL) async throws -> NationalConnection {
        let logger = Logger(label: "storders-national", factory: { _ in SwiftLogNoOpLogHandler() })
        var tls = PostgresConnection.Configuration.TLS.disable
        if url.requireTLS {
            do {
                tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
            } catch {
                throw STOrdersError.nationalFailed(url: url.description, reason: "TLS cannot be set up: \(error)")
            }
        }
        var configuration = PostgresConnection.Configuration(
            host: url.host, port: url.port, username: url.user, password: url.password, database: url.database,
            tls: tls)
        configuration.options.connectTimeout = .seconds(10)
        do {
            let connection = try await PostgresConnection.connect(
                configuration: configuration, id: 1, logger: logger)
            return NationalConnection(url: url, connection: connection, logger: logger)
        } catch {
            throw NationalConnection.refusal(error, url: url)
        }
    }

    /// Closes the connection (a transaction left open is rolled back by the server).
    public func close() async {
        try? await connection.close()
    }

    /// Runs one statement and collects its rows.
    func query(_ query: PostgresQuery) async throws -> [PostgresRow] {
        do {
            var rows: [PostgresRow] = []
            for try await row in try await connection.query(query, logger: logger) { rows.append(row) }
            return rows
        } catch {
            throw NationalConnection.refusal(error, url: url)
        }
    }

    /// Runs one statement whose result is not needed.
    func run(_ query: PostgresQuery) async throws {
        _ = try await self.query(query)
    }

    /// The national schema's version, or nil when the database has no STOrders national schema.
    public func schemaVersion() async throws -> Int? {
        let exists = try await query("SELECT to_regclass('public.schema_version') IS NOT NULL")
        guard let row = exists.first, try row.decode(Bool.self) else { return nil }
        let rows = try await query("SELECT max(version) FROM schema_version")
        guard let row = rows.first, let version = try row.decode(Int?.self) else { return nil }
        return version
    }

    /// Refuses a database whose national schema is missing or of another version.
    public func requireSchema() async throws {
        let found = try await schemaVersion()
        guard found == NationalSchema.version else {
            throw STOrdersError.nationalSchemaMismatch(
                url: url.description, found: found, expected: NationalSchema.version)
        }
    }

    /// What `createSchema` did.
    public enum SchemaChange: Sendable, Equatable {
        case created
        case upgraded(from: Int)
        case unchanged
    }

    /// Creates the national schema in an empty database (national/schema.sql, one transaction),
    /// or brings a store of version 1, 2, 3 or 4 to this version (one transaction); `unchanged` when it
    /// is there already at this version; refuses any other.
    @discardableResult
    public func createSchema() async throws -> SchemaChange {
        if let found = try await schemaVersion() {
            if found == NationalSchema.version { return .unchanged }
            guard (1...4).contains(found) else {
                throw STOrdersError.nationalSchemaMismatch(
                    url: url.description, found: found, expected: NationalSchema.version)
            }
            try await transaction {
                if found == 1 {
                    // Version 2 adds the running totals' tables (filled below, once the records
                    // have every column their definitions read).
                    for statement in NationalSchema.addedInVersion2 {
                        try await run(PostgresQuery(unsafeSQL: statement))
                    }
                }
                // Version 3 adds the sources' totals_pending flag.
                if found < 3 {
                    for statement in NationalSchema.addedInVersion3 {
                        try await run(PostgresQuery(unsafeSQL: statement))
                    }
                }
                // Version 4 adds the deadlines.
                if found < 4 {
                    for statement in NationalSchema.addedInVersion4 {
                        try await run(PostgresQuery(unsafeSQL: statement))
                    }
                }
                // Version 5 adds the advances and the payments' settled part.
                for statement in NationalSchema.addedInVersion5 { try await run(PostgresQuery(unsafeSQL: statement)) }
                if found == 1 {
                    try await run("SET LOCAL work_mem = '256MB'")
                    for sql in NationalFigureSQL.fills { try await run(PostgresQuery(unsafeSQL: sql)) }
                }
                try await run("INSERT INTO schema_version (version) VALUES (\(NationalSchema.version))")
            }
            return .upgraded(from: found)
        }
        // The schema file holds no value from a user: its statements run as they are, in one transaction.
        try await transaction {
            for statement in NationalSchema.statements { try await run(PostgresQuery(unsafeSQL: statement)) }
        }
        return .created
    }

    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
    /// `readOnly` runs it as one read-only REPEATABLE READ snapshot instead.
    func transaction<T: Sendable>(readOnly: Bool = false, _ body: () async throws -> T) async throws -> T {
        try await run(readOnly ? "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY" : "BEGIN")
        do {
            let value = try await body()
            try await run("COMMIT")
            return value
        } catch {
            try? await run("ROLLBACK")
            throw error
        }
    }

    /// The refusal an error of PostgresNIO (or of the network under it) stands for.
    static func refusal(_ error: any Error, url: NationalURL) -> STOrdersError {
        if let error = error as? STOrdersError { return error }
        let shown = url.description
        guard let error = error as? PSQLError else {
            return .nationalUnreachable(url: shown, reason: Text.excerpt(String(describing: error), limit: 200))
        }
        switch error.code {
        case .server:
            let state = error.serverInfo?[.sqlState] ?? ""
            let message = error.serverInfo?[.message] ?? "an error"
            switch state {
            case "28P01", "28000": return .nationalAuthenticationFailed(url: shown, reason: message)
            case "3D000": return .nationalUnreachable(url: shown, reason: message)
            default: return .nationalFailed(url: shown, reason: "\(message) (SQLSTATE \(state))")
            }
        case .authMechanismRequiresPassword:
            return .nationalAuthenticationFailed(
                url: shown, reason: "the server asks for a password and none was given (in the URL or $PGPASSWORD)")
        case .saslError, .unsupportedAuthMechanism:
            return .nationalAuthenticationFailed(url: shown, reason: "the sign-in failed (\(error.code))")
        case .connectionError, .serverClosedConnection, .uncleanShutdown, .clientClosedConnection, .sslUnsupported,
            .failedToAddSSLHandler:
            let reason = error.underlying.map { String(describing: $0) } ?? "\(error.code)"
            return .nationalUnreachable(url: shown, reason: Text.excerpt(reason, limit: 200))
        default:
            return .nationalFailed(url: shown, reason: "\(error.code)")
        }
    }
}
