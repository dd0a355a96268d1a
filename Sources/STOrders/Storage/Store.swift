import GRDB

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The STOrders database. Each public method that changes data is one transaction that keeps
/// every invariant of docs/domain.md: it either does all it says or, refused, changes nothing.
public struct Store: Sendable {
    /// The schema version this program writes, kept in `PRAGMA user_version`.
    public static let schemaVersion = 10
    /// `PRAGMA application_id` of every STOrders file: 'STOR'.
    public static let applicationID: Int32 = 0x5354_4F52
    /// schema.sql, embedded at build time.
    public static var schemaSQL: String { String(decoding: PackageResources.schema_sql, as: UTF8.self) }

    let writer: any DatabaseWriter
    /// Where the database lives (`:memory:` for a test database).
    public let path: String
    /// Who is acting, recorded on every event: a per-call value (`acting(as:)` gives the same
    /// database with another actor), so one opened store serves many users.
    public private(set) var actor: String
    /// Whether this opening made the schema (the file was new or empty); of several processes
    /// opening one new file at once, exactly one made it.
    public private(set) var createdSchema = false

    public enum OpenMode: Sendable {
        /// Open a file `storders init` made; refuse anything else.
        case existing
        /// Open such a file, or create and initialise it when absent or empty.
        case createIfNeeded
    }

    /// Opens (or, with `.createIfNeeded`, creates) a STOrders database file.
    /// `actor` (who acts, written into every event) is free text like any other: trimmed, and
    /// refused when empty, too long or holding a control character, before the file is touched.
    /// `readers` above zero opens a pool (WAL: that many concurrent readers beside the one
    /// writer), for a server; zero opens one connection, for a command.
    public static func open(path: String, mode: OpenMode = .existing, actor: String, readers: Int = 0) throws -> Store {
        let actor = try Text.validate(actor, what: "actor")
        var info = stat()
        let exists = stat(path, &info) == 0
        if exists && (info.st_mode & S_IFMT) == S_IFDIR {
            throw STOrdersError.databaseUnavailable(path: path, reason: "it is a directory; expected a database file")
        }
        if exists && (info.st_mode & S_IFMT) != S_IFREG {
            // /dev/null, a FIFO, a device: SQLite would fail with a vague I/O error, or appear to work.
            throw STOrdersError.databaseUnavailable(
                path: path, reason: "it is not a regular file; expected a database file")
        }
        if !exists {
            guard mode == .createIfNeeded else { throw STOrdersError.databaseMissing(path: path) }
            TestPause.reach("create")
            // Created readable and writable by its owner only; SQLite gives the WAL and
            // shared-memory files the same mode.
            // Another process may create it between the stat above and this exclusive create
            // (several `init` of one new file at once): then it is that process's file, checked
            // as any existing one below, not a failure.
            let fd = posixOpen(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
            if fd >= 0 {
                close(fd)
            } else {
                let reason = errno
                guard reason == EEXIST, stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
                    throw STOrdersError.databaseUnavailable(
                        path: path, reason: "cannot create it: \(String(cString: strerror(reason)))")
                }
            }
        }
        let queue: any DatabaseWriter
        do {
            if readers > 0 {
                var config = configuration()
                config.maximumReaderCount = readers
                queue = try DatabasePool(path: path, configuration: config)
            } else {
                queue = try DatabaseQueue(path: path, configuration: configuration())
            }
        } catch let error as DatabaseError {
            throw mapOpenError(error, path: path)
        }
        var store = Store(writer: queue, path: path, actor: actor)
        store.createdSchema = try store.prepare(mode: mode)
        return store
    }

    /// A fresh in-memory database with the schema, for tests.
    public static func inMemory(actor: String = "test") throws -> Store {
        let actor = try Text.validate(actor, what: "actor")
        let queue = try DatabaseQueue(configuration: configuration())
        var store = Store(writer: queue, path: ":memory:", actor: actor)
        store.createdSchema = try store.prepare(mode: .createIfNeeded)
        return store
    }

    /// The same database, with `actor` recorded on the events this value writes. The actor is
    /// validated as `open` does.
    public func acting(as actor: String) throws -> Store {
        var store = self
        store.actor = try Text.validate(actor, what: "actor")
        return store
    }

    init(writer: any DatabaseWriter, path: String, actor: String) {
        self.writer = writer
        self.path = path
        self.actor = actor
    }

    static func configuration() -> Configuration {
        var config = Configuration()
        config.foreignKeysEnabled = true
        // Writers queue behind each other instead of failing: GRDB 7 opens write transactions
        // with BEGIN IMMEDIATE (the write lock up front, no deadlock-prone lock upgrade), and a
        // busy database is waited for.
        config.busyMode = .timeout(30)
        config.label = "storders"
        config.prepareDatabase { db in
            db.add(collation: Store.vietnameseCollation())
            db.add(function: Store.vietnameseSortKey())
        }
        return config
    }

    /// Checks that the file is a STOrders database this program understands, creating the
    /// schema in a new, empty file when allowed.
    /// Returns whether it made the schema.
    private func prepare(mode: OpenMode, attempt: Int = 0) throws -> Bool {
        let began = Store.secondsNow()
        do {
            let (appID, version, objects) = try writer.read { db in
                (
                    try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0,
                    try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0,
                    try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") ?? 0
                )
            }
            if appID == 0 && version == 0 && objects == 0 {
                guard mode == .createIfNeeded else { throw STOrdersError.notInitialized(path: path) }
                // Two users may run `init` or `demo` on a new file at once: the check is repeated
                // inside the write transaction (BEGIN IMMEDIATE, one writer at a time), so exactly
                // one creates the schema and the others find it made (before, they failed with
                // "table provinces already exists").
                let created = try writer.write { db -> Bool in
                    guard try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") == 0 else { return false }
                    try db.execute(sql: Store.schemaSQL)
                    TestPause.reach("write")
                    return true
                }
                if created {
                    if path != ":memory:" {
                        try Store.retryingBusy {
                            try writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = WAL")
                            }
                        }
                    }
                    return true
                }
                return try prepare(mode: .existing)
            }
            guard appID == Store.applicationID else {
                throw STOrdersError.notAStoreDatabase(
                    path: path, reason: objects == 0 ? "it has no STOrders schema" : "it holds another program's tables"
                )
            }
            if version > Store.schemaVersion {
                throw STOrdersError.databaseNewer(path: path, version: version, supported: Store.schemaVersion)
            }
            if version < 1 {
                throw STOrdersError.notAStoreDatabase(path: path, reason: "its schema version is \(version)")
            }
            if version < Store.schemaVersion { try upgrade() }
            // WAL lets readers carry on while one process writes. A crash between the schema's
            // commit and the switch above leaves a file in rollback mode: switch it now (best
            // effort: a read-only file stays as it is and can still be read).
            if path != ":memory:",
                try writer.read({ db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }) != "wal"
            {
                _ = try? writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = WAL") }
            }
            return false
        } catch let error as DatabaseError {
            // Several processes opening one new file at once: SQLite may answer busy at once,
            // without its busy timeout, while another switches the file to WAL. Nothing was
            // changed by this opening yet, so look again.
            if Store.isBusy(error) && attempt < 300 && Store.secondsNow() - began < 1 {
                usleep(10_000)
                return try prepare(mode: mode, attempt: attempt + 1)
            }
            throw Store.mapOpenError(error, path: path)
        }
    }

    /// Monotonic seconds: a busy answer after the 30-second timeout is not retried.
    static func secondsNow() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    static func isBusy(_ error: DatabaseError) -> Bool {
        error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED
    }

    /// Runs `body` again while SQLite answers busy at once (up to 3 seconds).
    static func retryingBusy(_ body: () throws -> Void) throws {
        var attempt = 0
        while true {
            let began = secondsNow()
            do {
                return try body()
            } catch let error as DatabaseError where isBusy(error) && attempt < 300 && secondsNow() - began < 1 {
                attempt += 1
                usleep(10_000)
            }
        }
    }

    static func mapOpenError(_ error: DatabaseError, path: String) -> STOrdersError {
        switch error.resultCode {
        case .SQLITE_NOTADB, .SQLITE_CORRUPT:
            return .notAStoreDatabase(path: path, reason: "it is not an SQLite database, or it is damaged")
        case .SQLITE_CANTOPEN:
            return .databaseUnavailable(path: path, reason: "it cannot be opened (check the path and its permissions)")
        case .SQLITE_READONLY:
            return .databaseUnavailable(path: path, reason: "it is read-only")
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return .databaseUnavailable(
                path: path, reason: "another process kept it locked for over 30 seconds; try again")
        default:
            return .databaseUnavailable(
                path: path, reason: error.message ?? "SQLite error \(error.resultCode.rawValue)")
        }
    }

    /// Closes the connection now, as releasing the last copy of the store would: SQLite
    /// checkpoints the WAL into the database file and removes it. Any later use of this store
    /// throws. Returns false, leaving the connection open, if SQLite could not close it.
    @discardableResult
    public func closeConnection() -> Bool {
        (try? writer.close()) != nil
    }

    /// Runs one write transaction; any refusal thrown inside rolls it back whole.
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try writer.write { db in
                let value = try body(db)
                TestPause.reach("write")
                return value
            }
        } catch let error as DatabaseError {
            throw mapError(error)
        }
    }

    /// Runs one read transaction (a consistent snapshot).
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try writer.read(body)
        } catch let error as DatabaseError {
            throw mapError(error)
        }
    }

    func mapError(_ error: DatabaseError) -> STOrdersError {
        switch error.resultCode {
        case .SQLITE_CONSTRAINT:
            // A trigger of schema.sql refuses with a sentence written for people; any other
            // constraint message names SQL, which a user never sees.
            if error.extendedResultCode == .SQLITE_CONSTRAINT_TRIGGER, let message = error.message {
                return .constraintViolated(message)
            }
            // The library binds only values of the right type, so a STRICT column refusing a type
            // means SQLite's integer arithmetic passed Int64 and turned REAL: a running total of
            // schema.sql's triggers adding past the largest amount.
            if error.extendedResultCode == .SQLITE_CONSTRAINT_DATATYPE { return .amountOverflow }
            return .constraintViolated(
                "the change would break a rule of the database's schema (\(Store.constraintKind(error.extendedResultCode)))"
            )
        default:
            // sum() of integers passing Int64 (a report adding totals) stops with this error.
            if error.message == "integer overflow" { return .amountOverflow }
            return Store.mapOpenError(error, path: path)
        }
    }

    static func constraintKind(_ code: ResultCode) -> String {
        switch code {
        case .SQLITE_CONSTRAINT_UNIQUE, .SQLITE_CONSTRAINT_PRIMARYKEY:
            return "a value that must be unique is already there"
        case .SQLITE_CONSTRAINT_FOREIGNKEY: return "it refers to a record that does not exist"
        case .SQLITE_CONSTRAINT_NOTNULL: return "a required value is missing"
        case .SQLITE_CONSTRAINT_CHECK: return "a value is outside what is allowed"
        default: return "constraint"
        }
    }

    /// The current moment, UTC, as `YYYY-MM-DDTHH:MM:SSZ`.
    static func timestamp() -> String { timestamp(epochSeconds: Int(time(nil))) }

    /// A moment given in seconds since 1970, UTC, as `YYYY-MM-DDTHH:MM:SSZ` (this fixed width
    /// sorts as the moments do, so SQL compares such texts directly).
    static func timestamp(epochSeconds: Int) -> String {
        var now = time_t(epochSeconds)
        var t = tm()
        gmtime_r(&now, &t)
        func p(_ v: Int32, _ w: Int = 2) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, w - s.count)) + s
        }
        return
            "\(p(t.tm_year + 1900, 4))-\(p(t.tm_mon + 1))-\(p(t.tm_mday))T\(p(t.tm_hour)):\(p(t.tm_min)):\(p(t.tm_sec))Z"
    }

    /// Appends one event to an order's history, linked into the hash chain (see `HistoryChain`).
    /// `record` names the row this event wrote; its canonical encoding, read back now, is kept
    /// with the event.
    func appendEvent(
        _ db: Database, orderID: Int64, on day: Day, action: Event.Action, details: String,
        record: (table: RecordTable, id: Int64)? = nil
    ) throws {
        try Store.insertEvent(
            db, orderID: orderID, occurredOn: day.description, recordedAt: Store.timestamp(),
            action: action, details: details, actor: actor, record: record)
    }

    /// The one place an event row is written, by the commands (`appendEvent`) and by the bulk
    /// paths (CSV import, dump restore, generator), so the chain covers every event alike.
    /// A bulk writer that knows the order's code and the chain's head passes them (saving two
    /// reads per event); the new head is returned.
    @discardableResult
    static func insertEvent(
        _ db: Database, orderID: Int64, occurredOn: String, recordedAt: String,
        action: Event.Action, details: String, actor: String,
        record: (table: RecordTable, id: Int64)?, code knownCode: String? = nil,
        head: String? = nil
    ) throws -> String {
        let code =
            try knownCode
            ?? String.fetchOne(db.cachedStatement(sql: "SELECT code FROM orders WHERE id = ?"), arguments: [orderID])
        let recordText = try record.flatMap { try $0.table.record(db, id: $0.id) }
        return try writeEvent(
            db, orderID: orderID, code: code, occurredOn: occurredOn, recordedAt: recordedAt,
            action: action, details: details, actor: actor, record: record, recordText: recordText,
            head: head ?? HistoryChain.head(db))
    }

    /// Writes one event whose record text is already known (`insertEvent` reads it back; the CSV
    /// import computes it from the values it has just written, the same encoding): chain and
    /// all, returning the new head.
    static func writeEvent(
        _ db: Database, orderID: Int64, code: String?, occurredOn: String, recordedAt: String,
        action: Event.Action, details: String, actor: String,
        record: (table: RecordTable, id: Int64)?, recordText: String?, head: String
    ) throws -> String {
        let fields: [DatabaseValue] = [
            code.databaseValue, occurredOn.databaseValue, recordedAt.databaseValue,
            action.rawValue.databaseValue, details.databaseValue, actor.databaseValue,
            (recordText == nil ? nil : record?.table.rawValue).databaseValue,
            (recordText == nil ? nil : record?.id).databaseValue, recordText.databaseValue,
        ]
        let hash = HistoryChain.hash(prev: head, fields: fields)
        try db.cachedStatement(
            sql: """
                INSERT INTO events (order_id, occurred_on, recorded_at, action, details, actor, record_table, record_id, record, hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: StatementArguments([orderID.databaseValue] + Array(fields[1...]) + [hash.databaseValue]))
        return hash
    }
}
