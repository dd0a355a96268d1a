import Foundation
import GRDB

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension Store {
    /// Restores a file written by `export` (either format) into a new database at `path`, built in
    /// a temporary file beside it and renamed into place only once the whole restore succeeded:
    /// a refused restore leaves no file behind, and an existing file at `path` untouched. An
    /// existing file there is replaced only when it is a STOrders database holding no records
    /// (as `storders init` makes it).
    public static func restore(
        file: String, into path: String, actor: String,
        progress: ProgressHandler? = nil
    ) throws -> ImportSummary {
        var info = stat()
        if stat(path, &info) == 0 {
            let existing = try Store.open(path: path, mode: .existing, actor: actor)
            let empty = try existing.read { db in try Store.holdsNoRecords(db) }
            existing.closeConnection()
            guard empty else { throw STOrdersError.databaseNotEmpty(path: path) }
        }
        let slash = path.lastIndex(of: "/")
        let folder = slash.map { String(path[..<$0]) } ?? "."
        let base = slash.map { String(path[path.index(after: $0)...]) } ?? path
        var temporary = ""
        for attempt in 0..<100 {
            let candidate = "\(folder.isEmpty ? "" : folder + "/").\(base).restoring-\(getpid())-\(attempt)"
            let fd = Glibc.open(candidate, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
            if fd >= 0 {
                close(fd)
                temporary = candidate
                break
            }
            if errno != EEXIST {
                throw STOrdersError.databaseUnavailable(
                    path: path, reason: "cannot create a file in its folder: \(String(cString: strerror(errno)))")
            }
        }
        guard !temporary.isEmpty else {
            throw STOrdersError.databaseUnavailable(path: path, reason: "cannot create a temporary file in its folder")
        }
        func removeTemporary() {
            for suffix in ["", "-wal", "-shm", "-journal"] { unlink(temporary + suffix) }
        }
        do {
            let store = try Store.open(path: temporary, mode: .createIfNeeded, actor: actor)
            let summary: ImportSummary
            do {
                summary = try store.restore(file: file, progress: progress)
            } catch {
                store.closeConnection()
                throw error
            }
            guard store.closeConnection() else {
                throw STOrdersError.databaseUnavailable(path: path, reason: "the restored database could not be closed")
            }
            guard rename(temporary, path) == 0 else {
                throw STOrdersError.databaseUnavailable(
                    path: path, reason: "cannot put the restored database in place: \(String(cString: strerror(errno)))"
                )
            }
            return summary
        } catch {
            removeTemporary()
            throw error
        }
    }

    /// No enterprise, no order, and no target but the framework's defaults a new file starts with.
    static func holdsNoRecords(_ db: Database) throws -> Bool {
        try Bool.fetchOne(
            db,
            sql: """
                SELECT NOT (EXISTS (SELECT 1 FROM orders) OR EXISTS (SELECT 1 FROM enterprises)
                            OR EXISTS (SELECT 1 FROM targets WHERE set_by <> 'framework')
                            OR EXISTS (SELECT 1 FROM checklist) OR EXISTS (SELECT 1 FROM blobs)
                            OR EXISTS (SELECT 1 FROM advance_limits))
                """) ?? false
    }

    /// Restores a file written by `export` (either format) into this database, which must hold
    /// no records (`holdsNoRecords`). Every record is checked with the domain's parsers and the
    /// lifecycle's invariants before it is written, and the history is reproduced exactly: each
    /// row and event gets the id the export gave, each event the hash it gave, and then both
    /// chains (events, seals) are walked as `verify` does, so an event or row edited in the file
    /// no longer hashes to what the file says and is named with its line; the chains' lengths
    /// and heads must be those of the end record. Any problem restores nothing. Exporting the
    /// restored database gives the same bytes.
    public func restore(file: String, progress: ProgressHandler? = nil) throws -> ImportSummary {
        let reader = try JSONReader(path: file)
        let name = file.split(separator: "/").last.map(String.init) ?? file
        return try bulkWrite(commit: true) { db in
            if try !Store.holdsNoRecords(db) {
                throw STOrdersError.databaseNotEmpty(path: path)
            }
            // The dump carries every target and seal, the framework's defaults included: the ones a
            // new file starts with make way (inside this transaction; their triggers are put back).
            try BulkWriter.withoutTriggers(db, ["targets_never_deleted", "seals_never_deleted"]) {
                try db.execute(sql: "DELETE FROM seals; DELETE FROM targets")
            }
            let bulk = try BulkWriter(db, actor: actor)
            var enterprises: [String: Int64] = [:]
            var summary = ImportSummary()
            var targets = 0
            var contents = 0
            var ended = false
            var recordLine = 1
            // Where each restored row came from, to name it if its chain does not hold.
            var lines = RestoreLines()
            var trailer: [String: ParsedJSON] = [:]
            // The header's format version, once read: version 7 on carries the advance limit's chain.
            var formatVersion: Int64 = 0
            func fail(_ reason: String) -> STOrdersError { .dumpInvalid(file: name, line: recordLine, reason: reason) }

            func seals(_ r: Fields, _ table: SealTable, rowID: Int64) throws {
                for v in try r.array("seals") {
                    let s = try Fields(v, fail)
                    let id = try s.id("id")
                    try bulk.restoreSeal(
                        id: id, table: table, rowID: rowID, recordedAt: try s.string("recorded_at"),
                        action: try s.string("action"), actor: try s.string("actor"),
                        hash: try s.string("hash"))
                    lines.seals[id] = recordLine
                }
            }

            func enterprise(_ v: ParsedJSON) throws {
                let r = try Fields(v, fail)
                let taxCode = try r.parse("tax_code") { try TaxCode(parsing: $0) }
                let e = Enterprise(
                    taxCode: taxCode,
                    name: try r.parse("name") { try Text.validateRestored($0, what: "enterprise name") },
                    province: try r.province("province_code"), innovativeStartup: try r.bool("innovative_startup"),
                    registeredOn: try r.parse("registered_on") { try Day(parsing: $0) })
                if enterprises[taxCode.value] != nil { throw fail("tax code \(taxCode) appears twice") }
                let id = try r.id("id")
                try bulk.restoreEnterprise(
                    id: id, taxCode: e.taxCode.value, name: e.name, provinceCode: e.province.code,
                    innovativeStartup: e.innovativeStartup, registeredOn: e.registeredOn.description)
                enterprises[taxCode.value] = id
                try seals(r, .enterprises, rowID: id)
                summary.enterprises += 1
            }

            func target(_ v: ParsedJSON) throws {
                let r = try Fields(v, fail)
                let key: TargetKey = try r.vocabulary("key")
                let province = r.value("province_code") == .null ? nil : try r.province("province_code")
                let value = try r.int("value")
                let id = try r.id("id")
                try bulk.restoreTarget(
                    id: id, key: key.rawValue, provinceCode: province?.code, value: value,
                    setAt: try r.string("set_at"), setBy: try r.string("set_by"))
                try seals(r, .targets, rowID: id)
                targets += 1
            }

            func checklist(_ v: ParsedJSON) throws {
                let r = try Fields(v, fail)
                let setting = ChecklistSetting(
                    step: try r.vocabulary("step"),
                    kinds: try r.parse("kinds") { try Checklist.kinds(stored: $0) },
                    setAt: try r.string("set_at"), setBy: try r.parse("set_by") { try Text.validate($0, what: "actor") }
                )
                try Store.insertChecklistRow(db, setting, id: try r.id("id"), hash: try r.string("hash"))
            }

            func advanceLimit(_ v: ParsedJSON) throws {
                let r = try Fields(v, fail)
                let share: Int64? = r.value("share") == .null ? nil : try r.int("share")
                if let share, !(0...10_000).contains(share) {
                    throw fail("an advance limit is 0 to 10000 basis points of the state budget")
                }
                try Store.insertAdvanceLimit(
                    db,
                    AdvanceLimitSetting(
                        basisPoints: share, setAt: try r.string("set_at"),
                        setBy: try r.parse("set_by") { try Text.validate($0, what: "actor") }),
                    id: try r.id("id"), hash: formatVersion >= 7 ? try r.string("hash") : nil)
            }

            func content(_ v: ParsedJSON) throws {
                let r = try Fields(v, fail)
                let sha256 = try r.string("sha256")
                guard let data = Data(base64Encoded: try r.string("content")) else {
                    throw fail("content \(sha256) is not valid base64")
                }
                let content: DocumentContent
                do {
                    content = try DocumentContent(bytes: [UInt8](data), name: "content \(sha256)")
                } catch let e as STOrdersError { throw fail(e.description) }
                guard content.sha256 == sha256, content.size == (try r.int("size")) else {
                    throw fail(
                        "content \(sha256) has SHA-256 \(content.sha256) and \(content.size) bytes; the dump was edited or is damaged"
                    )
                }
                try db.execute(
                    sql: "INSERT INTO blobs (sha256, size, content) VALUES (?, ?, ?)",
                    arguments: [content.sha256, content.size, data])
                contents += 1
            }

            func order(_ v: ParsedJSON) throws {
                let r = try Fields(v, fail)
                let code = try r.parse("code") { try Order.validateCode($0) }
                let taxCode = try r.parse("enterprise_tax_code") { try TaxCode(parsing: $0) }
                guard let enterpriseID = enterprises[taxCode.value] else {
                    throw fail("order \(code) names enterprise \(taxCode), which is not in the file before it")
                }
                let order = Order(
                    code: code, title: try r.parse("title") { try Text.validateRestored($0, what: "order title") },
                    field: try r.vocabulary("field"), province: try r.province("province_code"),
                    enterpriseTaxCode: taxCode,
                    enterpriseName: "", state: try r.vocabulary("state"), orderedOn: try r.day("ordered_on"),
                    fundedOn: try r.optionalDay("funded_on"), deliveredOn: try r.optionalDay("delivered_on"),
                    commercializedOn: try r.optionalDay("commercialized_on"),
                    cancelledOn: try r.optionalDay("cancelled_on"),
                    cancelReason: try r.optionalText("cancel_reason", what: "reason"))
                var funding: Funding?
                if case .object = r.value("funding") {
                    let f = try Fields(r.value("funding"), fail)
                    do {
                        funding = try Funding(
                            stateBudget: try f.int("state_budget"), enterpriseFunds: try f.int("enterprise_funds"),
                            other: try f.int("other"),
                            otherSource: try f.optionalText("other_source", what: "other source"),
                            fundedOn: try f.day("funded_on"), startsOn: try f.optionalDay("starts_on"),
                            endsOn: try f.optionalDay("ends_on"))
                    } catch let e as STOrdersError where !Fields.isOwn(e) { throw fail("order \(code): \(e)") }
                }
                let outputs = try r.array("outputs").map { v -> Output in
                    let x = try Fields(v, fail)
                    let value = try x.int("value")
                    if value <= 0 { throw fail("order \(code): an output's value must be greater than zero") }
                    return Output(
                        orderCode: code, number: try x.positive("number"),
                        title: try x.parse("title") { try Text.validateRestored($0, what: "output title") },
                        type: try x.vocabulary("type"), novelty: try x.vocabulary("novelty"), value: value,
                        acceptedOn: try x.optionalDay("accepted_on"),
                        evidence: try x.optionalText("evidence", what: "evidence"), dueOn: try x.optionalDay("due_on"))
                }
                let payments = try r.array("payments").map { v -> Payment in
                    let p = try Fields(v, fail)
                    let amount = try p.int("amount")
                    let reverses: Int? = p.value("reverses") == .null ? nil : try p.positive("reverses")
                    if (amount > 0) != (reverses == nil) || amount == 0 {
                        throw fail(
                            "order \(code): a payment's amount must be greater than zero, a reversal's below zero")
                    }
                    return Payment(
                        orderCode: code, number: try p.positive("number"),
                        outputNumber: try p.positive("output_number"),
                        amount: amount, source: try p.vocabulary("source"),
                        reference: try p.optionalText("reference", what: "reference"), paidOn: try p.day("paid_on"),
                        reverses: reverses, reason: try p.optionalText("reason", what: "reason"),
                        // A dump of versions 2 to 4 settled nothing (there were no advances).
                        settled: p.value("settled") == .null ? 0 : try p.int("settled"))
                }
                // A dump of versions 2 to 4 has no advances.
                let advances = try (r.value("advances") == .null ? [] : r.array("advances")).map { v -> Advance in
                    let a = try Fields(v, fail)
                    let amount = try a.int("amount")
                    if amount <= 0 {
                        throw fail("order \(code): an advance's or recovery's amount must be greater than zero")
                    }
                    return Advance(
                        orderCode: code, number: try a.positive("number"), kind: try a.vocabulary("kind"),
                        amount: amount, madeOn: try a.day("made_on"),
                        reference: try a.optionalText("reference", what: "reference"),
                        reason: try a.optionalText("reason", what: "reason"),
                        limitShare: a.value("limit_share") == .null ? nil : try a.int("limit_share"))
                }
                let results = try r.array("results").map { v -> Commercialization in
                    let c = try Fields(v, fail)
                    let revenue = try c.int("revenue")
                    if revenue < 0 { throw fail("order \(code): a revenue cannot be negative") }
                    return Commercialization(
                        orderCode: code, number: try c.positive("number"), channel: try c.vocabulary("channel"),
                        revenue: revenue, note: try c.optionalText("note", what: "note"),
                        commercializedOn: try c.day("commercialized_on"),
                        retractedOn: try c.optionalDay("retracted_on"),
                        retractReason: try c.optionalText("retract_reason", what: "reason"))
                }
                // Absent from a dump of an earlier version: no amendments.
                let amendments = try (r.value("amendments") == .null ? [] : r.array("amendments")).map {
                    v -> Amendment in
                    let a = try Fields(v, fail)
                    let target = try a.string("target")
                    let output: AmendmentTarget
                    if target == "contract" {
                        output = .contractEnd
                    } else if let n = Int(target), n > 0 {
                        output = .output(n)
                    } else {
                        throw fail("order \(code): an amendment's target is an output number or \"contract\"")
                    }
                    return Amendment(
                        orderCode: code, number: try a.positive("number"), target: output,
                        previousOn: try a.day("previous_on"), proposedOn: try a.day("proposed_on"),
                        reason: try a.parse("reason") { try Text.validateRestored($0, what: "reason") },
                        requestedBy: try a.vocabulary("requested_by"), requestedOn: try a.day("requested_on"),
                        state: try a.vocabulary("state"), decidedOn: try a.optionalDay("decided_on"),
                        decision: try a.optionalText("decision", what: "reason"))
                }
                // A version 2 dump has no documents.
                let documents = try (r.value("documents") == .null ? [] : r.array("documents")).map { v -> Document in
                    let d = try Fields(v, fail)
                    let sha256 = try d.string("sha256")
                    guard Document.isSHA256(sha256) else { throw fail("order \(code): '\(sha256)' is not a SHA-256") }
                    return Document(
                        orderCode: code, number: try d.positive("number"),
                        output: d.value("output_number") == .null ? nil : try d.positive("output_number"),
                        kind: try d.vocabulary("kind"),
                        fileName: try d.parse("file_name") { try Document.fileName(ofPath: $0) },
                        title: try d.optionalText("title", what: "document title"), sha256: sha256,
                        size: try d.int("size"), attachedOn: try d.day("attached_on"),
                        // Export formats before 6 have no request_number.
                        request: d.value("request_number") == .null ? nil : try d.positive("request_number"))
                }
                // A dump of version 2 or 3 has no payment requests.
                let requests = try (r.value("payment_requests") == .null ? [] : r.array("payment_requests")).map {
                    v -> PaymentRequest in
                    let q = try Fields(v, fail)
                    let amount = try q.int("amount")
                    if amount <= 0 { throw fail("order \(code): a payment request's amount must be greater than zero") }
                    let paid = q.value("payment_number") == .null ? nil : try q.positive("payment_number")
                    let payment = paid.flatMap { n in payments.first { $0.number == n } }
                    if paid != nil && payment == nil {
                        throw fail("order \(code): a payment request names a payment the order does not have")
                    }
                    return PaymentRequest(
                        orderCode: code, number: try q.positive("number"),
                        outputNumber: try q.positive("output_number"),
                        amount: amount, source: try q.vocabulary("source"), requestedOn: try q.day("requested_on"),
                        state: try q.vocabulary("state"), approvedOn: try q.optionalDay("approved_on"),
                        returnedOn: try q.optionalDay("returned_on"),
                        returnReason: try q.optionalText("return_reason", what: "reason"), paymentNumber: paid,
                        paidOn: payment?.paidOn, reference: payment?.reference)
                }
                var links: [ChainLink] = []
                let events = try r.array("events").map { v -> Event in
                    let e = try Fields(v, fail)
                    links.append(
                        ChainLink(
                            id: try e.id("id"),
                            recordID: e.value("record_id") == .null ? nil : try e.id("record_id"),
                            hash: try e.string("hash")))
                    let text = try e.string("action")
                    guard let action = Event.Action(rawValue: text) else {
                        throw fail(
                            "order \(code): unknown event action '\(text)'; expected one of \(Event.Action.allCases.map(\.rawValue).joined(separator: ", "))"
                        )
                    }
                    return Event(
                        orderCode: code, occurredOn: try e.day("occurred_on"), recordedAt: try e.string("recorded_at"),
                        action: action, details: try e.string("details"), actor: try e.string("actor"))
                }
                let detail = OrderDetail(
                    order: order, outputs: outputs, funding: funding, payments: payments,
                    results: results, events: events, amendments: amendments, documents: documents,
                    paymentRequests: requests, advances: advances)
                if let problem = detail.invariantViolations().first { throw fail(problem) }
                do {
                    try bulk.replay(detail, enterpriseID: enterpriseID, chain: links)
                } catch let error as DatabaseError {
                    throw fail("order \(code): \(mapError(error))")
                } catch let error as STOrdersError {
                    throw fail(error.description)
                }
                summary.orders += 1
                summary.outputs += outputs.count
                if let first = links.first { lines.orders[first.id] = recordLine }
                if let progress, summary.orders % 8192 == 0 { progress(reader.consumed, reader.size) }
            }

            do {
                // The header: a document whose arrays hold the records (json), or a first line (jsonl).
                try reader.expect(123)
                var header: [String: ParsedJSON] = [:]
                var document = false  // the json layout: records inside the header object
                if !reader.take(125) {
                    repeat {
                        let key = try reader.string()
                        try reader.expect(58)
                        if ["enterprises", "targets", "checklist", "advance_limits", "contents", "orders"].contains(key)
                        {
                            formatVersion = try Store.checkHeader(header, fail)
                            document = true
                            try reader.expect(91)
                            if !reader.take(93) {
                                repeat {
                                    _ = reader.peek()
                                    recordLine = reader.line
                                    let v = try reader.value()
                                    switch key {
                                    case "enterprises": try enterprise(v)
                                    case "targets": try target(v)
                                    case "checklist": try checklist(v)
                                    case "advance_limits": try advanceLimit(v)
                                    case "contents": try content(v)
                                    default: try order(v)
                                    }
                                } while reader.take(44)
                                try reader.expect(93)
                            }
                        } else {
                            header[key] = try reader.value()
                        }
                    } while reader.take(44)
                    try reader.expect(125)
                }
                formatVersion = try Store.checkHeader(header, fail)
                // JSON Lines: the records follow the header, each with its type.
                while reader.peek() != nil {
                    recordLine = reader.line
                    if ended || document { throw fail("there is more after the end of the export") }
                    let v = try reader.value()
                    guard case .object(let fields) = v, case .string(let type)? = fields["type"] else {
                        throw fail("expected a record with a \"type\"")
                    }
                    switch type {
                    case "enterprise": try enterprise(v)
                    case "target": try target(v)
                    case "checklist": try checklist(v)
                    case "advance_limit": try advanceLimit(v)
                    case "content": try content(v)
                    case "order": try order(v)
                    case "end":
                        ended = true
                        trailer = fields
                        if fields["enterprises"] != .int(Int64(summary.enterprises))
                            || fields["orders"] != .int(Int64(summary.orders))
                            || fields["targets"] != .int(Int64(targets))
                            || (fields["contents"] ?? .int(0)) != .int(Int64(contents))
                        {
                            throw fail(
                                "the end record's counts do not match the records read (\(summary.enterprises) enterprises, \(targets) targets, \(contents) contents, \(summary.orders) orders)"
                            )
                        }
                    default:
                        throw fail(
                            "unknown record type '\(type)'; expected enterprise, target, checklist, advance_limit, content, order or end"
                        )
                    }
                }
                if !document && !ended {
                    recordLine = reader.line
                    throw fail("the file ends without its end record; it may be cut short")
                }
                if document { trailer = header }
            } catch let failure as JSONReader.Failure {
                throw STOrdersError.dumpInvalid(
                    file: name, line: reader.line, reason: "not valid JSON: \(failure.reason)")
            }
            // Both chains, as `verify` walks them, against what the file says.
            try Store.checkRestoredChains(
                db, file: name, endLine: reader.line, lines: lines, trailer: trailer, formatVersion: formatVersion)
            progress?(reader.size, reader.size)
            return summary
        }
    }

    /// Checks the header names this format in a version this storders reads, and returns the version.
    static func checkHeader(_ header: [String: ParsedJSON], _ fail: (String) -> STOrdersError) throws -> Int64 {
        guard header["format"] == .string(exportFormatName) else {
            throw fail("it does not start with {\"format\":\"\(exportFormatName)\", …}")
        }
        guard case .int(let version)? = header["version"] else { throw fail("the header has no version") }
        if version > Int64(exportFormatVersion) {
            throw fail("export format version \(version) is newer than this storders reads (\(exportFormatVersion))")
        }
        if version < 2 {
            throw fail(
                "export format version \(version) carries no hashes, so nothing proves its history was not edited; restore it with the storders that wrote it, open that database with this storders (which upgrades and seals it) and export it again"
            )
        }
        return version
    }

    /// The dump line each restored event's order, and each seal, came from.
    struct RestoreLines {
        /// By the id of each order's first event.
        var orders: [Int64: Int] = [:]
        var seals: [Int64: Int] = [:]
    }

    /// Walks the restored events and seals in id order, recomputing each hash from the previous
    /// one and the restored rows (the records read back), and refuses at the first that is not
    /// the hash the file gave, naming its line; then the chains' lengths and heads must be the
    /// end record's.
    static func checkRestoredChains(
        _ db: Database, file: String, endLine: Int, lines: RestoreLines,
        trailer: [String: ParsedJSON], formatVersion: Int64
    ) throws {
        func fail(_ reason: String) -> STOrdersError { .dumpInvalid(file: file, line: endLine, reason: reason) }
        let events = try Row.fetchCursor(
            db,
            sql: """
                SELECT e.id, o.code AS order_code, e.occurred_on, e.recorded_at, e.action, e.details, e.actor,
                       e.record_table, e.record_id, e.record, e.hash, e.order_id
                FROM events e LEFT JOIN orders o ON o.id = e.order_id ORDER BY e.id
                """)
        var prev = HistoryChain.genesis
        var count: Int64 = 0
        // Each order's first event id (met first, walking in id order) and how many were met.
        var seen: [Int64: (first: Int64, count: Int)] = [:]
        while let row = try events.next() {
            count += 1
            let orderID: Int64 = row[11]
            let place = seen[orderID].map { ($0.first, $0.count + 1) } ?? (row[0] as Int64, 1)
            seen[orderID] = place
            let stored: String = row[10]
            let computed = HistoryChain.hash(prev: prev, fields: (1...9).map { row[$0] as DatabaseValue })
            if computed != stored {
                let line = lines.orders[place.0] ?? 0
                let reason =
                    "order \(shown(row[1] as DatabaseValue))'s event \(place.1) (\(shown(row[4] as DatabaseValue)) on \(shown(row[2] as DatabaseValue))) hashes to \(computed) but the dump says \(stored); the dump was edited or is damaged"
                throw STOrdersError.dumpInvalid(file: file, line: line, reason: reason)
            }
            prev = stored
        }
        if trailer["events"] != .int(count) || trailer["head"] != .string(prev) {
            throw fail(
                "the history holds \(count) events ending in hash \(prev), but the end of the file says \(shownValue(trailer["events"])) ending in \(shownValue(trailer["head"])); events were removed, added or the file is damaged"
            )
        }
        /// A chain kept beside the history, as restored: walked as `verify` walks it, then its
        /// length and last hash compared with what the end of the file `said` (nil: the format
        /// records no end for it).
        func requireChain(
            _ what: String, walk: (Database, inout Verification) throws -> Void, end: (rows: Int64, head: String),
            said: (rows: ParsedJSON?, head: ParsedJSON?)?
        ) throws {
            var walked = Verification()
            try walk(db, &walked)
            if let first = walked.findings.first { throw fail("\(first.message); the dump was edited or is damaged") }
            guard let said, said.rows != .int(end.rows) || said.head != .string(end.head) else { return }
            throw fail(
                "the \(what) holds \(end.rows) rows ending in hash \(end.head), but the end of the file says \(shownValue(said.rows)) ending in \(shownValue(said.head)); rows were removed, added or the file is damaged"
            )
        }
        // The checklist's chain (a version 2 dump has none and says nothing).
        try requireChain(
            "checklist", walk: { try checkChecklistChain($0, into: &$1) }, end: try checklistChainEnd(db),
            said: (
                trailer["checklist_rows"] ?? .int(0), trailer["checklist_head"] ?? .string(HistoryChain.genesis)
            ))
        // The advance limit's chain (its end is recorded from format version 7 on; an older file's
        // rows were chained as they were written).
        try requireChain(
            "advance limit", walk: { try checkAdvanceLimitChain($0, into: &$1) }, end: try advanceLimitChainEnd(db),
            said: formatVersion >= 7 ? (trailer["advance_limit_rows"], trailer["advance_limit_head"]) : nil)
        let seals = try Row.fetchCursor(
            db,
            sql: """
                SELECT id, record_table, record_id, recorded_at, action, actor, record, hash FROM seals ORDER BY id
                """)
        prev = HistoryChain.genesis
        count = 0
        while let row = try seals.next() {
            count += 1
            let stored: String = row[7]
            let computed = HistoryChain.sealHash(prev: prev, fields: (1...6).map { row[$0] as DatabaseValue })
            if computed != stored {
                let id: Int64 = row[0]
                let reason =
                    "\(sealedRow(row[1], record: row[6]))'s seal #\(id) (\(shown(row[4] as DatabaseValue))) hashes to \(computed) but the dump says \(stored); the dump was edited or is damaged"
                throw STOrdersError.dumpInvalid(file: file, line: lines.seals[id] ?? 0, reason: reason)
            }
            prev = stored
        }
        if trailer["seals"] != .int(count) || trailer["seal_head"] != .string(prev) {
            throw fail(
                "the enterprises and targets hold \(count) seals ending in hash \(prev), but the end of the file says \(shownValue(trailer["seals"])) ending in \(shownValue(trailer["seal_head"])); seals were removed, added or the file is damaged"
            )
        }
    }

    /// A value of the file as a person reads it.
    private static func shownValue(_ value: ParsedJSON?) -> String {
        switch value {
        case .string(let s)?: return s
        case .int(let i)?: return String(i)
        case nil, .null?: return "nothing"
        default: return "another value"
        }
    }
}

/// The fields of one record, read with the domain's parsers; a missing or mistyped field is a
/// refusal naming it.
private struct Fields {
    let fields: [String: ParsedJSON]
    let fail: (String) -> STOrdersError

    init(_ value: ParsedJSON, _ fail: @escaping (String) -> STOrdersError) throws {
        guard case .object(let f) = value else { throw fail("expected an object") }
        fields = f
        self.fail = fail
    }

    static func isOwn(_ e: STOrdersError) -> Bool {
        if case .dumpInvalid = e { return true }
        return false
    }

    func value(_ key: String) -> ParsedJSON { fields[key] ?? .null }

    func string(_ key: String) throws -> String {
        guard case .string(let s)? = fields[key] else { throw fail("\"\(key)\" must be a string") }
        return s
    }

    func parse<T>(_ key: String, _ parse: (String) throws -> T) throws -> T {
        let s = try string(key)
        do { return try parse(s) } catch let e as STOrdersError { throw fail("\"\(key)\": \(e)") }
    }

    func int(_ key: String) throws -> Int64 {
        guard case .int(let i)? = fields[key] else { throw fail("\"\(key)\" must be a whole number") }
        return i
    }

    /// A row's id as the export gave it.
    func id(_ key: String) throws -> Int64 {
        let i = try int(key)
        guard i > 0 else { throw fail("\"\(key)\" must be a positive number") }
        return i
    }

    func positive(_ key: String) throws -> Int {
        let i = try int(key)
        guard i > 0, i <= Int64(Int32.max) else { throw fail("\"\(key)\" must be a positive number") }
        return Int(i)
    }

    func bool(_ key: String) throws -> Bool {
        guard case .bool(let b)? = fields[key] else { throw fail("\"\(key)\" must be true or false") }
        return b
    }

    func day(_ key: String) throws -> Day { try parse(key) { try Day(parsing: $0) } }

    func optionalDay(_ key: String) throws -> Day? {
        if value(key) == .null { return nil }
        return try day(key)
    }

    func optionalText(_ key: String, what: String) throws -> String? {
        if value(key) == .null { return nil }
        return try parse(key) { try Text.validateRestored($0, what: what) }
    }

    func province(_ key: String) throws -> Province {
        let code = try string(key)
        guard let p = Province.byCode[code] else {
            throw fail("\"\(key)\" '\(code)' is not one of the 34 province codes")
        }
        return p
    }

    func vocabulary<V: Vocabulary>(_ key: String) throws -> V {
        let s = try string(key)
        guard let v = V(rawValue: s) else {
            throw fail("\"\(key)\" '\(s)' is not one of \(V.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return v
    }

    func array(_ key: String) throws -> [ParsedJSON] {
        guard case .array(let a)? = fields[key] else { throw fail("\"\(key)\" must be an array") }
        return a
    }
}
