import ArgumentParser
import STOrders

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The options every subcommand takes.
struct GlobalOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp("The database file (default: $STORDERS_DB, else ./storders.sqlite).", valueName: "path"))
    var db: String?

    @Flag(name: .long, help: "Print one JSON value on stdout instead of text.")
    var json = false

    var databasePath: String {
        if let db { return db }
        if let env = getenv("STORDERS_DB"), let path = String(validatingCString: env) { return path }
        return "storders.sqlite"
    }

    /// An empty database path is a mistake (an unset shell variable in `--db "$DB"`), not a
    /// request for ./storders.sqlite: refused as a usage error before anything is opened.
    func validate() throws {
        if let db {
            if db.isEmpty {
                throw ValidationError(
                    "--db is empty; give the database file (leave --db out to use $STORDERS_DB or the default file)")
            }
            return
        }
        if let env = getenv("STORDERS_DB") {
            guard let path = String(validatingCString: env) else {
                throw ValidationError(
                    "STORDERS_DB is not valid UTF-8; give the database file with --db, or set STORDERS_DB to its name")
            }
            if path.isEmpty {
                throw ValidationError(
                    "STORDERS_DB is set but empty; unset it (to use the default file) or set it to the database file")
            }
        }
    }

    /// Who is acting: $STORDERS_ACTOR, else the login name.
    static var actor: String {
        for name in ["STORDERS_ACTOR", "LOGNAME", "USER"] {
            if let v = getenv(name), let s = String(validatingCString: v), !s.isEmpty { return s }
        }
        if let pw = getpwuid(getuid()), let name = pw.pointee.pw_name, let s = String(validatingCString: name),
            !s.isEmpty
        {
            return s
        }
        return "uid \(getuid())"
    }
}

/// The extra option of list commands.
struct ListOptions: ParsableArguments {
    @Flag(name: .long, help: "Print CSV (a header line, then one line per row) instead of a table.")
    var csv = false
}

/// The option of write commands that may be entered late.
struct DateOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The day it happened, YYYY-MM-DD (default: today).", valueName: "date"))
    var date: String?

    func day() throws -> Day {
        guard let date else { return try Today.day() }
        return try Day(parsing: date)
    }
}

/// A command that works on the database: `run()` opens it once and hands it to `run(store:console:)`.
/// Refusals (STOrdersError) reach `Storders.main`, which prints one `Error: …` line and exits 1.
protocol StoreCommand: ParsableCommand {
    var global: GlobalOptions { get }
    /// `init`, `demo`, `generate` and `import dump` may create the database; every other
    /// command needs an existing one.
    static var mayCreateDatabase: Bool { get }
    func run(store: Store, console: Console) throws
}

extension StoreCommand {
    static var mayCreateDatabase: Bool { false }

    func run() throws { try openAndRun() }

    /// Opens the database, runs the command on it, and closes it.
    func openAndRun() throws {
        let store = try Store.open(
            path: global.databasePath, mode: Self.mayCreateDatabase ? .createIfNeeded : .existing,
            actor: GlobalOptions.actor)
        let console = Console()
        defer { console.flush() }
        try run(store: store, console: console)
        // The command is done and the process is about to exit: close the connection (the WAL
        // is checkpointed into the file and removed, as before) and keep the closed store's
        // objects to the end, as compilers skip freeing memory at exit. Releasing them would
        // cost time and nothing else: GRDB's queue unregisters from Foundation's
        // NotificationCenter, and libdispatch starts a thread to dispose of its queue.
        if store.closeConnection() { ClosedAtExit.keep(store) }
    }
}

/// Stores closed by a finished command, kept (never released) until the process exits.
enum ClosedAtExit {
    nonisolated(unsafe) private static var stores: [Store] = []
    static func keep(_ store: Store) { stores.append(store) }
}

/// A list command: table, --json or --csv.
protocol ListCommand: StoreCommand {
    var list: ListOptions { get }
}

extension ListCommand {
    /// Checked when the arguments are parsed, before any database is opened (a usage error,
    /// exit 64). A list command with checks of its own calls this from its `validate()`.
    func validateFormat() throws {
        if global.json && list.csv { throw ValidationError("--json and --csv cannot be combined; choose one") }
    }

    func validate() throws { try validateFormat() }

    func format() -> ListFormat { global.json ? .json : list.csv ? .csv : .table }
}

/// Parsing of the values the library refuses with its own messages (exit 1, not a usage error).
enum Parse {
    static func amount(_ text: String) throws -> Int64 { try Money.parse(text) }
    static func optionalAmount(_ text: String?) throws -> Int64 { try text.map { try Money.parse($0) } ?? 0 }
    static func province(_ text: String?) throws -> Province? { try text.map(Province.named) }
    static func taxCode(_ text: String?) throws -> TaxCode? { try text.map(TaxCode.init(parsing:)) }
    static func year(_ text: Int?) throws -> Int? {
        guard let text else { return nil }
        guard Day.years.contains(text) else {
            throw STOrdersError.invalidDate(
                String(text), reason: "a year is 4 digits between \(Day.years.lowerBound) and \(Day.years.upperBound)")
        }
        return text
    }
}

extension Field: ExpressibleByArgument {}
extension OutputType: ExpressibleByArgument {}
extension Novelty: ExpressibleByArgument {}
extension FundingSource: ExpressibleByArgument {}
extension Channel: ExpressibleByArgument {}
extension DocumentKind: ExpressibleByArgument {}
extension ChecklistStep: ExpressibleByArgument {}
extension OrderState: ExpressibleByArgument {}
extension PaymentRequestState: ExpressibleByArgument {}

/// Today as the commands see it: `$STORDERS_TODAY` (YYYY-MM-DD) when set, else the machine's
/// local day. The tests pin it, so that a default `--date` or report year does not depend on the
/// day they run; a malformed value is refused in one line rather than ignored.
enum Today {
    struct Malformed: Error, CustomStringConvertible {
        let value: String
        let reason: String
        var description: String { "STORDERS_TODAY '\(Text.excerpt(value))' is not a day: \(reason)" }
    }

    static func day() throws -> Day {
        guard let raw = getenv("STORDERS_TODAY"), let value = String(validatingCString: raw), !value.isEmpty else {
            return Day.today()
        }
        do {
            return try Day(parsing: value)
        } catch {
            throw Malformed(value: value, reason: "expected YYYY-MM-DD (\(error))")
        }
    }
}
