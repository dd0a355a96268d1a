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
    /// Whether the source's provinces' running totals were recomputed at the end (a large
    /// catch-up, or one cut off before), rather than adjusted batch by batch.
    public var totalsRecomputed = false

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

    /// How the national running totals follow a publish.
    public enum Totals: String, Sendable, CaseIterable {
        /// Each batch takes away and adds back the contributions of the orders it touches, one
        /// province at a time, through the indexes: what a small publish costs is what it sends.
        case eachBatch = "batch"
        /// The batches leave the source's provinces' totals as they were (`totals_pending`), and
        /// one transaction recomputes them from the records after the last batch: a large
        /// catch-up pays once for its provinces instead of once per batch.
        case atEnd = "end"
        /// `atEnd` when the source's totals are pending already, or when more than one batch of
        /// events is to be sent and they are more than a quarter of the file's history (a first
        /// publish, a long-disconnected office); `eachBatch` otherwise.
        case automatic = "auto"
    }

    /// `shouldContinue` is asked before each batch: false stops after the batch just committed
    /// (a server shutting down), leaving the rest to the next publish.
    public static func publish(
        _ store: Store, to url: NationalURL, batchSize: Int = defaultBatchSize, totals: Totals = .automatic,
        shouldContinue: @Sendable () -> Bool = { true }
    ) async throws -> PublishSummary {
        let publication = try Publication(store: store)
        defer { publication.close() }
        let national = try await NationalConnection.connect(url)
        do {
            let summary = try await publish(
                publication, into: national, batchSize: batchSize, totals: totals, shouldContinue: shouldContinue)
            await national.close()
            return summary
        } catch {
            await national.close()
            throw error
        }
    }

    static func publish(
        _ publication: Publication, into national: NationalConnection, batchSize: Int,
        totals: Totals = .automatic, shouldContinue: () -> Bool
    ) async throws -> PublishSummary {
        try await national.requireSchema()
        let source = publication.source
        var summary = PublishSummary(source: source)
        let position = try await Position.read(national, source: source.id) ?? Position()
        try await Continuity.check(publication, national: national, source: source.id, position: position)
        try await Ownership.check(publication.provinces, national: national, source: source.id)

        // A source that published into a store of version 3 or older: the dates it did not keep
        // first (which leaves its totals pending, so they are recomputed at the end of this publish).
        if try await Position.datesPending(national, source: source.id) {
            let dates = BatchWriter(
                national: national, source: source, provinces: publication.provinces, adjustTotals: false)
            try await dates.sendDates(publication, at: position, batchSize: batchSize)
        }
        // A source that published into a store of version 4 or older: the advances and the
        // payments' settled parts of what it published, which that store did not keep.
        if try await Position.advancesPending(national, source: source.id) {
            let advances = BatchWriter(
                national: national, source: source, provinces: publication.provinces, adjustTotals: false)
            try await advances.sendAdvances(publication, at: position, batchSize: batchSize)
        }
        let pending = try await Position.totalsPending(national, source: source.id)
        let toSend = publication.lastEventID - position.eventID
        let atEnd: Bool
        switch totals {
        case .eachBatch: atEnd = pending
        case .atEnd: atEnd = pending || toSend > 0
        case .automatic: atEnd = pending || (toSend > Int64(batchSize) && toSend * 4 > publication.lastEventID)
        }
        var at = position
        var stopped = false
        /// Asked before each batch; once false, no further batch goes.
        func proceed() -> Bool {
            if !stopped && !shouldContinue() { stopped = true }
            return !stopped
        }
        var sent = SentRows()
        let writer = BatchWriter(
            national: national, source: source, provinces: publication.provinces, adjustTotals: !atEnd)
        while proceed(), let batch = try publication.seals(after: at.sealID, hash: at.sealHash, limit: batchSize) {
            let next = Position(
                eventID: at.eventID, eventHash: at.eventHash, sealID: batch.lastID, sealHash: batch.lastHash)
            try await writer.write(batch, from: at, to: next)
            at = next
            summary.seals += batch.count
            summary.batches += 1
        }
        while proceed(), var batch = try publication.events(after: at.eventID, hash: at.eventHash, limit: batchSize) {
            // Batch by batch, the totals need every touched order's row; left to the end, a
            // row this publish has sent already goes once.
            if atEnd { sent.dropRepeats(&batch) }
            let next = Position(
                eventID: batch.lastID, eventHash: batch.lastHash, sealID: at.sealID, sealHash: at.sealHash)
            try await writer.write(batch, from: at, to: next)
            at = next
            summary.events += batch.count
            summary.batches += 1
        }
        if atEnd && !stopped {
            // Every batch is in: the provinces' totals, recomputed once (and the registration,
            // when there was no batch).
            try await writer.recomputeTotals(at: at)
            summary.totalsRecomputed = true
        } else if summary.batches == 0 {
            // Nothing new: register the source (its name, its provinces) if that is new, and nothing else.
            try await writer.register(at: at)
        }
        summary.lastEventID = at.eventID
        summary.lastEventHash = at.eventHash
        return summary
    }
}

/// The rows whose state changes (orders, outputs, enterprises) that one publish has sent. A
/// publish reads one snapshot of the file, so such a row is the same in every batch that carries
/// it (each batch carries the rows its events touch): once sent, it need not go again.
struct SentRows {
    private var ids: [String: Set<Int64>] = [:]

    /// Leaves out of `batch` the changing rows sent before, and notes the others as sent.
    mutating func dropRepeats(_ batch: inout PublishBatch) {
        for (index, table) in batch.tables.enumerated() where !table.changing.isEmpty {
            guard let id = table.columns.firstIndex(of: "id") else { continue }
            let name = table.name
            batch.tables[index].rows = table.rows.filter { row in
                guard let value = row[id].flatMap({ Int64($0) }) else { return true }
                return ids[name, default: []].insert(value).inserted
            }
        }
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

    /// Whether `source` published into a store of version 3 or older, whose records lack the
    /// dates of its outputs and fundings.
    static func datesPending(_ national: NationalConnection, source: String) async throws -> Bool {
        let rows = try await national.query("SELECT dates_pending FROM sources WHERE id = \(source)::uuid")
        return try rows.first?.decode(Bool.self) ?? false
    }

    /// Whether `source` published into a store of version 4 or older, which kept neither its
    /// advances nor its payments' settled parts.
    static func advancesPending(_ national: NationalConnection, source: String) async throws -> Bool {
        let rows = try await national.query("SELECT advances_pending FROM sources WHERE id = \(source)::uuid")
        return try rows.first?.decode(Bool.self) ?? false
    }

    /// Whether a catch-up of `source` left its provinces' totals to be recomputed.
    static func totalsPending(_ national: NationalConnection, source: String) async throws -> Bool {
        let rows = try await national.query("SELECT totals_pending FROM sources WHERE id = \(source)::uuid")
        return try rows.first?.decode(Bool.self) ?? false
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
    /// True: each batch adjusts the running totals. False: the batches set the source's
    /// `totals_pending`, and `recomputeTotals` brings them up to date at the end.
    let adjustTotals: Bool
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
            // Orders registered in this batch are new to the store (an order's history starts
            // with its registration, and its row travels with its first event): they have no
            // contribution to take away.
            let touched = adjustTotals ? Self.touched(batch) : []
            let registered = Set(Self.registered(batch))
            try await adjust(sign: -1, touched.map { ($0.province, $0.ids.filter { !registered.contains($0) }) })
            for table in batch.tables where !table.rows.isEmpty {
                if table.changing.isEmpty && table.name != "targets" {
                    try await copy(table, into: table.name)
                } else {
                    try await stage(table)
                    try await apply(table)
                }
                try await pause()
            }
            try await adjust(sign: 1, touched)
            // A batch that leaves the totals aside marks them pending, in its own transaction.
            let pending = !adjustTotals
            try await national.run(
                """
                UPDATE sources SET last_event_id = \(to.eventID), last_event_hash = \(to.eventHash),
                    last_seal_id = \(to.sealID), last_seal_hash = \(to.sealHash), published_at = now(),
                    totals_pending = totals_pending OR \(pending)
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

    /// The ids of the orders whose registration is among `batch`'s events.
    static func registered(_ batch: PublishBatch) -> [Int64] {
        guard let events = batch.tables.first(where: { $0.name == "events" }),
            let order = events.columns.firstIndex(of: "order_id"), let action = events.columns.firstIndex(of: "action")
        else { return [] }
        return events.rows.compactMap { row in
            row[action] == Event.Action.registered.rawValue ? row[order].flatMap { Int64($0) } : nil
        }
    }

    /// The ids of the orders `batch` carries (the orders its events touch), by province.
    static func touched(_ batch: PublishBatch) -> [(province: String, ids: [Int64])] {
        guard let orders = batch.tables.first(where: { $0.name == "orders" }),
            let province = orders.columns.firstIndex(of: "province_code"), let id = orders.columns.firstIndex(of: "id")
        else { return [] }
        var byProvince: [String: [Int64]] = [:]
        for row in orders.rows {
            guard let code = row[province], let value = row[id].flatMap({ Int64($0) }) else { continue }
            byProvince[code, default: []].append(value)
        }
        return byProvince.sorted { $0.key < $1.key }.map { (province: $0.key, ids: $0.value) }
    }

    /// Adds (`sign` 1) or takes away (-1) the contributions of `orders` (ids by province) to the
    /// running totals: per province, one statement per table of totals, the province, source
    /// and ids bound.
    func adjust(sign: Int, _ orders: [(province: String, ids: [Int64])]) async throws {
        for (province, ids) in orders where !ids.isEmpty {
            for sql in NationalFigureSQL.adjustments(sign: sign) {
                var bindings = PostgresBindings()
                bindings.append(province)
                bindings.append(source.id)
                bindings.append(ids)
                try await national.run(PostgresQuery(unsafeSQL: sql, binds: bindings))
            }
        }
        if !orders.isEmpty { try await pause() }
    }

    /// After a catch-up's last batch, in one transaction (the position still `at`): the running
    /// totals of every province the source owns, recomputed from the records, and the source's
    /// `totals_pending` cleared. A publish cut off before this leaves the flag set, and the next
    /// one does it.
    func recomputeTotals(at: Position) async throws {
        try await national.transaction {
            try await registerInTransaction()
            let now = try await Position.read(national, source: source.id, lock: true) ?? Position()
            guard now == at else { throw moved() }
            try await national.run("SET LOCAL work_mem = '256MB'")
            let owned = try await national.query(
                "SELECT province_code FROM source_provinces WHERE source_id = \(source.id)::uuid ORDER BY province_code"
            ).map { try $0.decode(String.self) }
            for province in owned {
                for sql in NationalFigureSQL.recompute {
                    try await national.run(Self.query(sql, binding: province))
                }
                try await pause()
            }
            try await national.run("UPDATE sources SET totals_pending = false WHERE id = \(source.id)::uuid")
        }
        // The rewritten totals, vacuumed and analyzed now rather than whenever autovacuum comes:
        // the reports read them by index-only scans, which need the visibility map set.
        try await national.run("VACUUM (ANALYZE) tallies, tally_durations, tally_enterprises")
    }

    /// For a source that published into a store of version 3 or older (`dates_pending`), in one
    /// transaction (the position still `at`): the due dates of the outputs and the contract
    /// periods of the fundings the store holds of it, from this file (in batches of `batchSize`
    /// rows, each COPYed to a staging table, then written over the rows it names); its totals
    /// left pending, so this publish recomputes them at its end; the flag cleared. The file's
    /// rows the store does not hold yet go with their events, as ever.
    func sendDates(_ publication: Publication, at: Position, batchSize: Int) async throws {
        try await national.transaction {
            let now = try await Position.read(national, source: source.id, lock: true) ?? Position()
            guard now == at else { throw moved() }
            for (table, key, columns) in [
                ("outputs", "id", ["due_on", "extended_to"]),
                ("fundings", "order_id", ["starts_on", "ends_on", "ends_extended_to"]),
            ] {
                let stage = "stage_dates_" + table
                try await national.run(
                    PostgresQuery(
                        unsafeSQL: """
                            CREATE TEMP TABLE IF NOT EXISTS \(stage) AS SELECT source_id, province_code, \(key),
                                \(columns.joined(separator: ", ")) FROM \(table) WITH NO DATA
                            """))
                var after: Int64 = 0
                while let rows = try publication.dates(of: table, after: after, limit: batchSize) {
                    try await copy(rows, into: stage)
                    after = rows.rows.last.flatMap { $0[1] }.flatMap { Int64($0) } ?? Int64.max
                }
                let set = columns.map { "\($0) = s.\($0)" }.joined(separator: ", ")
                try await national.run(
                    PostgresQuery(
                        unsafeSQL: """
                            UPDATE \(table) t SET \(set) FROM \(stage) s
                            WHERE t.province_code = s.province_code AND t.source_id = s.source_id AND t.\(key) = s.\(key)
                            """))
                try await national.run(PostgresQuery(unsafeSQL: "DROP TABLE \(stage)"))
                try await pause()
            }
            try await national.run(
                "UPDATE sources SET dates_pending = false, totals_pending = true WHERE id = \(source.id)::uuid")
        }
    }

    /// For a source that published into a store of version 4 or older (`advances_pending`), in
    /// one transaction (the position still `at`): the advances and recoveries its published
    /// events wrote, COPYed into `advances` (the store holds none of this source's: it kept none,
    /// and the flag is cleared in the same transaction), and the settled part of the payments
    /// they wrote that have one, COPYed to a staging table then written over the payments' 0
    /// (the one change their trigger allows, while the flag is set); then the flag cleared. Both
    /// in batches of `batchSize` rows read from the file. The running totals read neither, so
    /// they stay as they are. The file's rows the store does not hold yet go with their events.
    func sendAdvances(_ publication: Publication, at: Position, batchSize: Int) async throws {
        try await national.transaction {
            let now = try await Position.read(national, source: source.id, lock: true) ?? Position()
            guard now == at else { throw moved() }
            /// Every row of `records`, in batches by id (the second column).
            func copyAll(_ records: Publication.AdvanceRecords, into table: String) async throws {
                var after: Int64 = 0
                while let rows = try publication.advanceRecords(
                    records, upTo: at.eventID, after: after, limit: batchSize)
                {
                    try await copy(rows, into: table)
                    after = rows.rows.last.flatMap { $0[1] }.flatMap { Int64($0) } ?? Int64.max
                }
            }
            try await copyAll(.advances, into: "advances")
            try await national.run(
                """
                CREATE TEMP TABLE IF NOT EXISTS stage_settled AS SELECT source_id, province_code, id, settled
                FROM payments WITH NO DATA
                """)
            try await copyAll(.settled, into: "stage_settled")
            try await pause()
            try await national.run(
                """
                UPDATE payments t SET settled = s.settled FROM stage_settled s
                WHERE t.province_code = s.province_code AND t.source_id = s.source_id AND t.id = s.id
                  AND t.settled <> s.settled
                """)
            try await national.run("DROP TABLE stage_settled")
            try await national.run("UPDATE sources SET advances_pending = false WHERE id = \(source.id)::uuid")
        }
    }

    /// One of the constant statements of `NationalFigureSQL`, with its one value bound as `$1`.
    static func query(_ sql: String, binding value: String) -> PostgresQuery {
        var bindings = PostgresBindings()
        bindings.append(value)
        return PostgresQuery(unsafeSQL: sql, binds: bindings)
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
        // A funding's key is its order's (one funding per order).
        let key =
            table.name == "targets"
            ? "source_id, id" : "province_code, source_id, \(table.columns.contains("id") ? "id" : "order_id")"
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
