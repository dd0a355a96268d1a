import ArgumentParser
import STOrders

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `storders-national`: the national roll-up on PostgreSQL. Its own executable, so that `storders`
/// does not link PostgresNIO (docs/national.md gives the start-up measured both ways).
@main
struct StordersNational: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "storders-national",
        abstract: "Publish a province's STOrders database into the national PostgreSQL store, and report from it.",
        discussion: """
            The national store is a PostgreSQL database made with `storders-national init --to URL` (or psql -f national/schema.sql). URLs are postgresql://USER:PASSWORD@HOST:PORT/DATABASE[?sslmode=require]; without a password in the URL, $PGPASSWORD is used. $STORDERS_NATIONAL_URL stands for --to.

            First steps:
              storders-national init --to postgresql://storders@db.example/storders_national
              storders-national publish --db thai-nguyen.sqlite --to postgresql://storders@db.example/storders_national
            """,
        version: "0.1.0",
        subcommands: [
            NationalInitCommand.self, PublishCommand.self, NationalReportCommand.self, NationalVerifyCommand.self,
        ]
    )

    /// swift-argument-parser's `main()`, except that a failure is exactly one `Error:` line on
    /// stderr (exit 1 for a refusal, 64 for a usage error).
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            guard code != .success else { exit(withError: error) }
            var message = Text.oneLine((error as? STOrdersError)?.description ?? fullMessage(for: error))
            if message.hasPrefix("Error: ") { message.removeFirst("Error: ".count) }
            if let newline = message.firstIndex(of: "\n") { message = String(message[..<newline]) }
            let line = "Error: \(message)\n"
            #if canImport(Glibc)
                _ = line.withCString { Glibc.write(2, $0, strlen($0)) }
                Glibc.exit(code.rawValue)
            #else
                _ = line.withCString { Darwin.write(2, $0, strlen($0)) }
                Darwin.exit(code.rawValue)
            #endif
        }
    }
}

/// Options of every command that works on a province's file and the national store.
struct NationalOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The province's database file (default: $STORDERS_DB, else ./storders.sqlite).", valueName: "path"))
    var db: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The national store: postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE (default: $STORDERS_NATIONAL_URL).",
            valueName: "url"))
    var to: String?

    @Flag(name: .long, help: "Print one JSON value on stdout instead of text.")
    var json = false

    var databasePath: String { db ?? Self.environment("STORDERS_DB") ?? "storders.sqlite" }

    func url() throws -> String {
        guard let url = to ?? Self.environment("STORDERS_NATIONAL_URL") else {
            throw ValidationError("give the national store with --to postgresql://… (or $STORDERS_NATIONAL_URL)")
        }
        return url
    }

    static func environment(_ name: String) -> String? {
        guard let raw = getenv(name), let value = String(validatingCString: raw), !value.isEmpty else { return nil }
        return value
    }

    /// Who is acting (recorded if opening the file upgrades it): $STORDERS_ACTOR, else the login name.
    static var actor: String {
        for name in ["STORDERS_ACTOR", "LOGNAME", "USER"] {
            if let value = environment(name) { return value }
        }
        return "uid \(getuid())"
    }
}
