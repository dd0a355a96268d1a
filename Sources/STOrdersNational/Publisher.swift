import NIOCore
import PostgresNIO
import STOrders

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What a publish did.
public struct PublishSummary: Sendable, Equatable {
    public var source: SourceIdentity
    /// Events and seals sent, and in how many batches (transactions).
    public var events = 0
    public var seals = 0
    public var batches = 0
    /// The published position afterwards: the last event's id and hash.
    public var lastEventID: Int64 = 0
    public var lastEventHash = Publication.genesis

    public init(source: SourceIdentity) { self.source = source }
}

/// Publishes one STOrders file into the national store.
///
/// Before anything is written it checks, in this order: the national schema's version; the
/// continuity of both chains (the entries the store holds of this source, up to its published
/// position, are this file's, hash for hash); that no other source owns the provinces of this
/// file's orders. Then it sends the seals, then the events, after the published position, in
/// batches: each batch is one transaction that inserts the chain's entries with the rows they
/// wrote (COPY), brings the changing rows (orders, outputs, enterprises) to the file's values,
/// and advances the source's position, after checking under a row lock that the position is
/// still the one the batch extends. A publish killed or cut off at any point leaves the store at
/// the end of its last committed batch; the next one goes on from there: nothing doubled,
/// nothing missing.
public enum Publisher {
    public static let defaultBatchSize = 20_000

    /// `shouldContinue` is asked before each batch: false stops after the batch just committed
    /// (a server shutting down), leaving the rest to the next publish.
    public static func publish(
        _ store: Store, to url: NationalURL, batchSize: Int = defaultBatchSize,
        shouldContinue: @Sendable () -> Bool = { true }
    ) async throws -> PublishSummary {
        let publication = try Publication(store: store)
        defer { publication.close() }
        let national = try await NationalConnection.connect(url)
        do {
            let summary = try await publish(
                publication, into: national, batchSize: batchSize, shouldContinue: shouldContinue)
            await national.close()
            return summary
        } catch {
            await national.close()
            throw error
        }
    }

    static func publish(
        _ publication: Publication, into national: NationalConnection, batchSize: Int,
        shouldContinue: () -> Bool
    ) async throws -> PublishSummary {
        try await national.requireSchema()
        let source = publication.source
        var summary = PublishSummary(source: source)
        let position = try await Position.read(national, source: source.id) ?? Position()
        try await Continuity.check(publication, national: national, source: source.id, position: position)
        try await Ownership.check(publication.provinces, national: national, source: source.id)

        var at = position
        let writer = BatchWriter(national: national, source: source, provinces: publication.provinces)
        while shouldContinue(), let batch = try publication.seals(after: at.sealID, hash: at.sealHash, limit: batchSize)
        {
            let next = Position(
                eventID: at.eventID, eventHash: at.eventHash, sealID: batch.lastID, sealHash: batch.lastHash)
            try await writer.write(batch, from: at, to: next)
            at = next
            summary.seals += batch.count
            summary.batches += 1
        }
        while shouldContinue(),
            let batch = try publication.events(after: at.eventID, hash: at.eventHash, limit: batchSize)
        {
            let next = Position(
                eventID: batch.lastID, eventHash: batch.lastHash, sealID: at.sealID, sealHash: at.sealHash)
            try await writer.write(batch, from: at, to: next)
            at = next
            summary.events += batch.count
            summary.batches += 1
        }
        if summary.batches == 0 {
            // Nothing new: register the source (its name, its provinces) if that is new, and nothing else.
            try await writer.register(at: at)
        }
        summary.lastEventID = at.eventID
        summary.lastEventHash = at.eventHash
        return summary
    }
}

/// A source's published position: the last event and seal the national store holds of it.
struct Position: Sendable, Equatable {
    var eventID: Int64 = 0
    var eventHash = Publication.genesis
    var sealID: Int64 = 0
    var sealHash = Publication.genesis

    /// The position the store holds for `source`, or nil when it has never published.
    static func read(_ national: NationalConnection, source: String, lock: Bool = false) async throws -> Position? {
        let rows = try await national.query(
            lock
                ? "SELECT last_event_id, last_event_hash, last_seal_id, last_seal_hash FROM sources WHERE id = \(source)::uuid FOR UPDATE"
                : "SELECT last_event_id, last_event_hash, last_seal_id, last_seal_hash FROM sources WHERE id = \(source)::uuid"
        )
        guard let row = rows.first else { return nil }
        let (eventID, eventHash, sealID, sealHash) = try row.decode((Int64, String, Int64, String).self)
        return Position(eventID: eventID, eventHash: eventHash, sealID: sealID, sealHash: sealHash)
    }
}

/// The continuity check: what the store holds of this source must be this file's own history.
enum Continuity {
    static func check(
        _ publication: Publication, national: NationalConnection, source: String, position: Position
    ) async throws {
        try await check(
            chain: "history", published: position.eventID, hash: position.eventHash, national: national,
            source: source, local: { try publication.event($0) }, remote: { try await event(national, source, $0) })
        try await check(
            chain: "seals", published: position.sealID, hash: position.sealHash, national: national,
            source: source, local: { try publication.seal($0) }, remote: { try await seal(national, source, $0) })
    }

    /// Each entry's hash covers the one before it, so the file extends the published chain exactly
    /// when its entry at the published position has the published hash. When it does not, the
    /// first entry that differs is found by bisection (an entry differs, or is missing here,
    /// from that one on).
    static func check(
        chain: String, published last: Int64, hash: String, national: NationalConnection, source: String,
        local: (Int64) throws -> ChainEntry?, remote: (Int64) async throws -> ChainEntry?
    ) async throws {
        guard last > 0 else { return }
        if try local(last)?.hash == hash { return }
        // The store's own entries 1…last: the first id whose entry is not the file's.
        var low: Int64 = 1
        var high = last
        while low < high {
            let middle = low + (high - low) / 2
            let theirs = try await remote(middle)
            if let theirs, try local(middle)?.hash == theirs.hash {
                low = middle + 1
            } else {
                high = middle
            }
        }
        let theirs = try await remote(low)
        let ours = try local(low)
        throw STOrdersError.sourceDiverged(
            chain: chain, id: low,
            published: theirs.map { "\($0.summary), hash \($0.hash.prefix(12))…" } ?? "absent",
            here: ours.map { "\($0.summary), hash \($0.hash.prefix(12))…" })
    }

    static func event(_ national: NationalConnection, _ source: String, _ id: Int64) async throws -> ChainEntry? {
        let rows = try await national.query(
            """
            SELECT hash, order_code, action, occurred_on::text FROM events WHERE source_id = \(source)::uuid AND id = \(id)
            """)
        guard let row = rows.first else { return nil }
        let (hash, code, action, day) = try row.decode((String, String, String, String).self)
        return ChainEntry(id: id, hash: hash, summary: Publication.eventSummary(code, action, day))
    }

    static func seal(_ national: NationalConnection, _ source: String, _ id: Int64) async throws -> ChainEntry? {
        let rows = try await national.query(
            "SELECT hash, record_table, record_id, action FROM seals WHERE source_id = \(source)::uuid AND id = \(id)")
        guard let row = rows.first else { return nil }
        let (hash, table, recordID, action) = try row.decode((String, String, Int64, String).self)
        return ChainEntry(id: id, hash: hash, summary: Publication.sealSummary(table, recordID, action))
    }
}

/// One source per province's orders.
enum Ownership {
    /// Refuses when another source owns one of `provinces`.
    static func check(_ provinces: [String], national: NationalConnection, source: String) async throws {
        guard !provinces.isEmpty else { return }
        let rows = try await national.query(
            """
            SELECT p.province_code, s.name, s.id::text FROM source_provinces p JOIN sources s ON s.id = p.source_id
            WHERE p.province_code = ANY(\(provinces)) AND p.source_id <> \(source)::uuid ORDER BY p.province_code
            """)
        guard let first = rows.first else { return }
        let (_, name, id) = try first.decode((String, String, String).self)
        let codes = try rows.map { try $0.decode((String, String, String).self).0 }
        throw STOrdersError.provincesOwned(
            provinces: codes.map { code in Province.all.first { $0.code == code }.map { "\($0.name) (\(code))" } ?? code
            },
            owner: "\(name), \(id)")
    }
}

/// Writes batches for one source, each in one transaction.
struct BatchWriter: Sendable {
    let national: NationalConnection
    let source: SourceIdentity
    let provinces: [String]
    /// `$STORDERS_PUBLISH_DELAY_MS`: a pause after each step inside a batch's transaction, so the
    /// kill tests can land a SIGKILL inside one; unset (0) everywhere else.
    let delay: UInt64 = {
        guard let raw = getenv("STORDERS_PUBLISH_DELAY_MS"), let ms = UInt64(String(cString: raw)) else { return 0 }
        return ms
    }()

    /// The source's row (its name) and its provinces' ownership, inside the current transaction.
    /// Refuses (so the transaction rolls back) when another source owns one of the provinces.
    func registerInTransaction() async throws {
        try await national.run(
            """
            INSERT INTO sources (id, name) VALUES (\(source.id)::uuid, \(source.name))
            ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name WHERE sources.name IS DISTINCT FROM EXCLUDED.name
            """)
        guard !provinces.isEmpty else { return }
        try await national.run(
            """
            INSERT INTO source_provinces (province_code, source_id)
            SELECT code, \(source.id)::uuid FROM unnest(\(provinces)::text[]) AS code
            ON CONFLICT (province_code) DO NOTHING
            """)
        try await Ownership.check(provinces, national: national, source: source.id)
    }

    /// With nothing new to send: the registration alone, when the position is still `at`.
    func register(at: Position) async throws {
        try await national.transaction {
            try await registerInTransaction()
            let now = try await Position.read(national, source: source.id, lock: true) ?? Position()
            guard now == at else { throw moved() }
        }
    }

    /// One batch: the position must still be `from`; afterwards it is `to`.
    func write(_ batch: PublishBatch, from: Position, to: Position) async throws {
        try await national.transaction {
            try await registerInTransaction()
            let now = try await Position.read(national, source: source.id, lock: true) ?? Position()
            guard now == from else { throw moved() }
            try await pause()
            // The running totals: the contributions of the orders this batch moves are taken
            // away as the store holds them, and added back once the batch's rows are written.
            let orders = batch.tables.first { $0.name == "orders" && !$0.rows.isEmpty }
            if let orders {
                try await stage(orders)
                try await national.run(PostgresQuery(unsafeSQL: NationalFigureSQL.touchedOrders))
                try await national.run(
                    "INSERT INTO touched_orders (province_code, source_id, id) SELECT province_code, source_id, id FROM stage_orders"
                )
                try await national.run("ANALYZE touched_orders")
                try await adjustTotals(sign: -1)
            }
            for table in batch.tables where !table.rows.isEmpty {
                if table.changing.isEmpty && table.name != "targets" {
                    try await copy(table, into: table.name)
                } else {
                    if table.name != orders?.name { try await stage(table) }
                    try await apply(table)
                }
                try await pause()
            }
            if orders != nil { try await adjustTotals(sign: 1) }
            try await national.run(
                """
                UPDATE sources SET last_event_id = \(to.eventID), last_event_hash = \(to.eventHash),
                    last_seal_id = \(to.sealID), last_seal_hash = \(to.sealHash), published_at = now()
                WHERE id = \(source.id)::uuid
                """)
            let chainIsEvents = to.eventID != from.eventID
            try await national.run(
                """
                INSERT INTO publishes (source_id, first_event_id, last_event_id, last_seal_id, events, seals)
                VALUES (\(source.id)::uuid, \(from.eventID + 1), \(to.eventID), \(to.sealID),
                        \(chainIsEvents ? batch.count : 0), \(chainIsEvents ? 0 : batch.count))
                """)
            try await pause()
        }
    }

    func moved() -> STOrdersError {
        .nationalFailed(
            url: national.url.description,
            reason: "another publish of this source moved its position meanwhile; run publish again to send the rest")
    }

    func pause() async throws {
        if delay > 0 { try await Task.sleep(nanoseconds: delay * 1_000_000) }
    }

    /// COPY rows into `target` (the table itself, or a staging table), with this source's id.
    func copy(_ table: PublishTable, into target: String) async throws {
        var buffer = ByteBufferAllocator().buffer(capacity: 256 * table.rows.count)
        let id = source.id
        for row in table.rows {
            buffer.writeString(id)
            for value in row {
                buffer.writeInteger(UInt8(ascii: "\t"))
                CopyText.write(value, into: &buffer)
            }
            buffer.writeInteger(UInt8(ascii: "\n"))
        }
        let sent = buffer
        do {
            try await national.connection.copyFrom(
                table: target, columns: ["source_id"] + table.columns, logger: national.logger
            ) { writer in
                try await writer.write(sent)
            }
        } catch {
            throw NationalConnection.refusal(error, url: national.url)
        }
    }

    /// Adds (`sign` 1) or takes away (-1) the contributions of the orders in `touched_orders` to
    /// the running totals.
    func adjustTotals(sign: Int) async throws {
        for sql in NationalFigureSQL.adjustments(sign: sign) {
            try await national.run(PostgresQuery(unsafeSQL: sql))
        }
        try await pause()
    }

    /// Rows that change in the province go first into a temporary staging table (COPY)…
    func stage(_ table: PublishTable) async throws {
        let stage = "stage_" + table.name
        try await national.run(
            PostgresQuery(
                unsafeSQL: """
                    CREATE TEMP TABLE IF NOT EXISTS \(stage) (LIKE \(table.name)) ON COMMIT DELETE ROWS
                    """))
        try await copy(table, into: stage)
    }

    /// … then the new ones are inserted and the others brought to the file's values (targets,
    /// which never change, are only inserted).
    func apply(_ table: PublishTable) async throws {
        let stage = "stage_" + table.name
        let columns = (["source_id"] + table.columns).joined(separator: ", ")
        let key = table.name == "targets" ? "source_id, id" : "province_code, source_id, id"
        let action: String
        if table.changing.isEmpty {
            action = "DO NOTHING"
        } else {
            let set = table.changing.map { "\($0) = EXCLUDED.\($0)" }.joined(separator: ", ")
            let old = table.changing.map { "\(table.name).\($0)" }.joined(separator: ", ")
            let new = table.changing.map { "EXCLUDED.\($0)" }.joined(separator: ", ")
            action = "DO UPDATE SET \(set) WHERE (\(old)) IS DISTINCT FROM (\(new))"
        }
        try await national.run(
            PostgresQuery(
                unsafeSQL: """
                    INSERT INTO \(table.name) (\(columns)) SELECT \(columns) FROM \(stage)
                    ON CONFLICT (\(key)) \(action)
                    """))
    }
}

/// PostgreSQL's COPY text format: tab-separated, `\N` for NULL, backslash escapes.
enum CopyText {
    static func write(_ value: String?, into buffer: inout ByteBuffer) {
        guard let value else {
            buffer.writeString("\\N")
            return
        }
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): buffer.writeString("\\\\")
            case UInt8(ascii: "\t"): buffer.writeString("\\t")
            case UInt8(ascii: "\n"): buffer.writeString("\\n")
            case UInt8(ascii: "\r"): buffer.writeString("\\r")
            default: buffer.writeInteger(byte)
            }
        }
    }
}
