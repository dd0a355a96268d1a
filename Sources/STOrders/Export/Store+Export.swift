import Foundation
import GRDB

/// The layouts of `storders export`; both carry the same records (see docs/import-export.md, "Export and restore").
public enum ExportFormat: String, Sendable, CaseIterable {
    /// One JSON document: `{"format":…,"version":3,…,"enterprises":[…],"targets":[…],"orders":[…],"events":…,
    /// "head":…,"seals":…,"seal_head":…}`, one record per line.
    case json
    /// JSON Lines: a header line, one line per enterprise, then per target, then per order (each with
    /// `"type"`), an end line with the counts and the chains' heads.
    case jsonl
}

/// What an export wrote.
public struct ExportSummary: Sendable, Equatable {
    public var enterprises = 0
    public var orders = 0
    public var targets = 0
    public var checklist = 0
    public var advanceLimits = 0
    public var contents = 0
}

extension Store {
    /// The name and version of the export format; a reader refuses any other version.
    /// Version 2 carries what proves the records: each event's id, the id of the row it wrote and
    /// its hash; each enterprise's and target's id and seals; the chains' lengths and heads.
    /// Version 3 adds the checklist's rows, the documents' contents and each order's documents,
    /// and the deadlines: each output's due date, each funding's contract period and each order's
    /// amendments (a version 2 file, which has none of them, is still read).
    /// Version 4 adds each order's payment requests (`payment_requests`, docs/requests.md); a file
    /// of version 2 or 3 has none and is still read.
    /// Version 5 adds the advance limit's settings (`advance_limits`, before the contents), each
    /// order's advances and recoveries (`advances`) and each payment's `settled` part
    /// (docs/advances.md); a file of versions 2 to 4 has none (nothing settled) and is still read.
    /// Version 6 adds each document's `request_number`, the payment request it is attached to
    /// (docs/documents.md); a file of versions 2 to 5 has none and is still read.
    /// Version 7 adds each advance limit row's `hash` (the chain schema version 10 keeps) and, in
    /// the end record, `advance_limit_rows` and `advance_limit_head`; a file of versions 2 to 6 has
    /// neither, and a restore chains its rows as it writes them.
    public static let exportFormatName = "storders-export"
    public static let exportFormatVersion = 7

    /// Writes the whole database (enterprises, then orders each with its outputs, funding,
    /// payments, results and events) to `sink`, in chunks, from one consistent snapshot. Memory
    /// stays flat whatever the size: rows are streamed, never loaded as a table.
    public func export(
        format: ExportFormat, sink: @escaping ([UInt8]) throws -> Void,
        progress: ProgressHandler? = nil
    ) throws -> ExportSummary {
        try read { db in
            let out = JSONOut(sink: sink)
            var summary = ExportSummary()
            let total = Int64(try Int.fetchOne(db, sql: "SELECT count(*) FROM orders") ?? 0)
            let jsonl = format == .jsonl
            out.raw("{")
            out.key("format")
            out.string(Store.exportFormatName)
            out.raw(",")
            out.key("version")
            out.int(Store.exportFormatVersion)
            out.raw(",")
            out.key("schema_version")
            out.int(Store.schemaVersion)
            out.raw(jsonl ? "}\n" : ",\n\"enterprises\":[")

            let enterpriseSeals = try SealCursor(db, .enterprises)
            let enterprises = try Row.fetchCursor(
                db,
                sql: """
                    SELECT id, tax_code, name, province_code, innovative_startup, registered_on FROM enterprises ORDER BY id
                    """)
            while let row = try enterprises.next() {
                if jsonl {
                    out.raw("{\"type\":\"enterprise\",")
                } else {
                    out.raw(summary.enterprises == 0 ? "\n{" : ",\n{")
                }
                out.key("id")
                out.int(row[0] as Int64)
                out.raw(",")
                out.key("tax_code")
                out.string(row[1] as String)
                out.raw(",")
                out.key("name")
                out.string(row[2] as String)
                out.raw(",")
                out.key("province_code")
                out.string(row[3] as String)
                out.raw(",")
                out.key("innovative_startup")
                out.bool((row[4] as Int64) != 0)
                out.raw(",")
                out.key("registered_on")
                out.string(row[5] as String)
                try enterpriseSeals.write(row[0], to: out)
                out.raw(jsonl ? "}\n" : "}")
                summary.enterprises += 1
                try out.flushIfFull()
            }
            if !jsonl { out.raw(summary.enterprises == 0 ? "],\n\"targets\":[" : "\n],\n\"targets\":[") }

            let targetSeals = try SealCursor(db, .targets)
            let targets = try Row.fetchCursor(
                db, sql: "SELECT id, key, province_code, value, set_at, set_by FROM targets ORDER BY id")
            while let row = try targets.next() {
                if jsonl {
                    out.raw("{\"type\":\"target\",")
                } else {
                    out.raw(summary.targets == 0 ? "\n{" : ",\n{")
                }
                out.key("id")
                out.int(row[0] as Int64)
                out.raw(",")
                out.key("key")
                out.string(row[1] as String)
                out.raw(",")
                out.key("province_code")
                out.string(row[2] as String?)
                out.raw(",")
                out.key("value")
                out.int(row[3] as Int64)
                out.raw(",")
                out.key("set_at")
                out.string(row[4] as String)
                out.raw(",")
                out.key("set_by")
                out.string(row[5] as String)
                try targetSeals.write(row[0], to: out)
                out.raw(jsonl ? "}\n" : "}")
                summary.targets += 1
                try out.flushIfFull()
            }
            if !jsonl { out.raw(summary.targets == 0 ? "],\n\"checklist\":[" : "\n],\n\"checklist\":[") }
            summary.checklist = try Store.writeChecklist(db, jsonl: jsonl, to: out)
            if !jsonl {
                out.raw(summary.checklist == 0 ? "],\n\"advance_limits\":[" : "\n],\n\"advance_limits\":[")
            }
            summary.advanceLimits = try Store.writeAdvanceLimits(db, jsonl: jsonl, to: out)
            if !jsonl { out.raw(summary.advanceLimits == 0 ? "],\n\"contents\":[" : "\n],\n\"contents\":[") }
            summary.contents = try Store.writeContents(db, jsonl: jsonl, to: out)
            if !jsonl { out.raw(summary.contents == 0 ? "],\n\"orders\":[" : "\n],\n\"orders\":[") }

            try Store.forEachOrderDetail(db, chain: true) { _, o, links in
                if jsonl {
                    out.raw("{\"type\":\"order\",")
                } else {
                    out.raw(summary.orders == 0 ? "\n{" : ",\n{")
                }
                Store.writeOrder(o, links: links, to: out)
                out.raw(jsonl ? "}\n" : "}")
                summary.orders += 1
                try out.flushIfFull()
                if let progress, summary.orders % 8192 == 0 { progress(Int64(summary.orders), total) }
            }
            // The chains' lengths and heads: a restore must arrive at exactly these.
            let events = try Int.fetchOne(db, sql: "SELECT count(*) FROM events") ?? 0
            let seals = try Int.fetchOne(db, sql: "SELECT count(*) FROM seals") ?? 0
            func chains() throws {
                out.raw(",")
                out.key("events")
                out.int(events)
                out.raw(",")
                out.key("head")
                out.string(try HistoryChain.head(db))
                out.raw(",")
                out.key("seals")
                out.int(seals)
                out.raw(",")
                out.key("seal_head")
                out.string(try SealTable.head(db))
                out.raw(",")
                out.key("checklist_rows")
                out.int(summary.checklist)
                out.raw(",")
                out.key("checklist_head")
                out.string(try Store.checklistChainEnd(db).head)
                out.raw(",")
                out.key("advance_limit_rows")
                out.int(summary.advanceLimits)
                out.raw(",")
                out.key("advance_limit_head")
                out.string(try Store.advanceLimitChainEnd(db).head)
            }
            if jsonl {
                out.raw("{\"type\":\"end\",")
                out.key("enterprises")
                out.int(summary.enterprises)
                out.raw(",")
                out.key("targets")
                out.int(summary.targets)
                out.raw(",")
                out.key("orders")
                out.int(summary.orders)
                out.raw(",")
                out.key("contents")
                out.int(summary.contents)
                try chains()
                out.raw("}\n")
            } else {
                out.raw(summary.orders == 0 ? "]" : "\n]")
                try chains()
                out.raw("}\n")
            }
            try out.flush()
            progress?(total, total)
            return summary
        }
    }

    /// The advance limit's settings, oldest first, each with its id and hash; returns how many.
    static func writeAdvanceLimits(_ db: Database, jsonl: Bool, to out: JSONOut) throws -> Int {
        var count = 0
        let rows = try Row.fetchCursor(
            db, sql: "SELECT id, share, set_at, set_by, hash FROM advance_limits ORDER BY id")
        while let row = try rows.next() {
            out.raw(jsonl ? "{\"type\":\"advance_limit\"," : count == 0 ? "\n{" : ",\n{")
            out.key("id")
            out.int(row[0] as Int64)
            out.raw(",")
            out.key("share")
            if let share = row[1] as Int64? { out.int(share) } else { out.raw("null") }
            out.raw(",")
            out.key("set_at")
            out.string(row[2] as String)
            out.raw(",")
            out.key("set_by")
            out.string(row[3] as String)
            out.raw(",")
            out.key("hash")
            out.string(row[4] as String)
            out.raw(jsonl ? "}\n" : "}")
            count += 1
        }
        return count
    }

    /// The checklist's rows, oldest first, each with its id and hash; returns how many.
    static func writeChecklist(_ db: Database, jsonl: Bool, to out: JSONOut) throws -> Int {
        var count = 0
        let rows = try Row.fetchCursor(
            db, sql: "SELECT id, step, kinds, set_at, set_by, hash FROM checklist ORDER BY id")
        while let row = try rows.next() {
            out.raw(jsonl ? "{\"type\":\"checklist\"," : count == 0 ? "\n{" : ",\n{")
            out.key("id")
            out.int(row[0] as Int64)
            out.raw(",")
            out.key("step")
            out.string(row[1] as String)
            out.raw(",")
            out.key("kinds")
            out.string(row[2] as String)
            out.raw(",")
            out.key("set_at")
            out.string(row[3] as String)
            out.raw(",")
            out.key("set_by")
            out.string(row[4] as String)
            out.raw(",")
            out.key("hash")
            out.string(row[5] as String)
            out.raw(jsonl ? "}\n" : "}")
            count += 1
            try out.flushIfFull()
        }
        return count
    }

    /// The documents' contents, one record each (base64), in the order they were stored; the
    /// documents themselves travel with their orders and name a content by its SHA-256.
    static func writeContents(_ db: Database, jsonl: Bool, to out: JSONOut) throws -> Int {
        var count = 0
        let rows = try Row.fetchCursor(db, sql: "SELECT sha256, size, content FROM blobs ORDER BY rowid")
        while let row = try rows.next() {
            out.raw(jsonl ? "{\"type\":\"content\"," : count == 0 ? "\n{" : ",\n{")
            out.key("sha256")
            out.string(row[0] as String)
            out.raw(",")
            out.key("size")
            out.int(row[1] as Int64)
            out.raw(",")
            out.key("content")
            out.string(((row[2] as Data?) ?? Data()).base64EncodedString())
            out.raw(jsonl ? "}\n" : "}")
            count += 1
            try out.flushIfFull()
        }
        return count
    }

    /// One order's fields (without the surrounding braces), in the documented key order.
    static func writeOrder(_ o: OrderDetail, links: [ChainLink], to out: JSONOut) {
        let order = o.order
        out.key("code")
        out.string(order.code)
        out.raw(",")
        out.key("title")
        out.string(order.title)
        out.raw(",")
        out.key("field")
        out.string(order.field.rawValue)
        out.raw(",")
        out.key("province_code")
        out.string(order.province.code)
        out.raw(",")
        out.key("enterprise_tax_code")
        out.string(order.enterpriseTaxCode.value)
        out.raw(",")
        out.key("state")
        out.string(order.state.rawValue)
        out.raw(",")
        out.key("ordered_on")
        out.day(order.orderedOn)
        out.raw(",")
        out.key("funded_on")
        out.day(order.fundedOn)
        out.raw(",")
        out.key("delivered_on")
        out.day(order.deliveredOn)
        out.raw(",")
        out.key("commercialized_on")
        out.day(order.commercializedOn)
        out.raw(",")
        out.key("cancelled_on")
        out.day(order.cancelledOn)
        out.raw(",")
        out.key("cancel_reason")
        out.string(order.cancelReason)
        out.raw(",")
        out.key("funding")
        if let f = o.funding {
            out.raw("{")
            out.key("state_budget")
            out.int(f.stateBudget)
            out.raw(",")
            out.key("enterprise_funds")
            out.int(f.enterpriseFunds)
            out.raw(",")
            out.key("other")
            out.int(f.other)
            out.raw(",")
            out.key("other_source")
            out.string(f.otherSource)
            out.raw(",")
            out.key("funded_on")
            out.day(f.fundedOn)
            out.raw(",")
            out.key("starts_on")
            out.day(f.startsOn)
            out.raw(",")
            out.key("ends_on")
            out.day(f.endsOn)
            out.raw("}")
        } else {
            out.raw("null")
        }
        out.raw(",")
        out.key("outputs")
        out.raw("[")
        for (i, x) in o.outputs.enumerated() {
            out.raw(i == 0 ? "{" : ",{")
            out.key("number")
            out.int(x.number)
            out.raw(",")
            out.key("title")
            out.string(x.title)
            out.raw(",")
            out.key("type")
            out.string(x.type.rawValue)
            out.raw(",")
            out.key("novelty")
            out.string(x.novelty.rawValue)
            out.raw(",")
            out.key("value")
            out.int(x.value)
            out.raw(",")
            out.key("accepted_on")
            out.day(x.acceptedOn)
            out.raw(",")
            out.key("evidence")
            out.string(x.evidence)
            out.raw(",")
            out.key("due_on")
            out.day(x.dueOn)
            out.raw("}")
        }
        out.raw("],")
        out.key("payments")
        out.raw("[")
        for (i, p) in o.payments.enumerated() {
            out.raw(i == 0 ? "{" : ",{")
            out.key("number")
            out.int(p.number)
            out.raw(",")
            out.key("output_number")
            out.int(p.outputNumber)
            out.raw(",")
            out.key("amount")
            out.int(p.amount)
            out.raw(",")
            out.key("source")
            out.string(p.source.rawValue)
            out.raw(",")
            out.key("reference")
            out.string(p.reference)
            out.raw(",")
            out.key("paid_on")
            out.day(p.paidOn)
            out.raw(",")
            out.key("reverses")
            if let r = p.reverses { out.int(r) } else { out.raw("null") }
            out.raw(",")
            out.key("reason")
            out.string(p.reason)
            out.raw(",")
            out.key("settled")
            out.int(p.settled)
            out.raw("}")
        }
        out.raw("],")
        out.key("advances")
        out.raw("[")
        for (i, a) in o.advances.enumerated() {
            out.raw(i == 0 ? "{" : ",{")
            out.key("number")
            out.int(a.number)
            out.raw(",")
            out.key("kind")
            out.string(a.kind.rawValue)
            out.raw(",")
            out.key("amount")
            out.int(a.amount)
            out.raw(",")
            out.key("made_on")
            out.day(a.madeOn)
            out.raw(",")
            out.key("reference")
            out.string(a.reference)
            out.raw(",")
            out.key("reason")
            out.string(a.reason)
            out.raw(",")
            out.key("limit_share")
            if let share = a.limitShare { out.int(share) } else { out.raw("null") }
            out.raw("}")
        }
        out.raw("],")
        out.key("results")
        out.raw("[")
        for (i, r) in o.results.enumerated() {
            out.raw(i == 0 ? "{" : ",{")
            out.key("number")
            out.int(r.number)
            out.raw(",")
            out.key("channel")
            out.string(r.channel.rawValue)
            out.raw(",")
            out.key("revenue")
            out.int(r.revenue)
            out.raw(",")
            out.key("note")
            out.string(r.note)
            out.raw(",")
            out.key("commercialized_on")
            out.day(r.commercializedOn)
            out.raw(",")
            out.key("retracted_on")
            out.day(r.retractedOn)
            out.raw(",")
            out.key("retract_reason")
            out.string(r.retractReason)
            out.raw("}")
        }
        out.raw("],")
        out.key("amendments")
        out.raw("[")
        for (i, a) in o.amendments.enumerated() {
            out.raw(i == 0 ? "{" : ",{")
            out.key("number")
            out.int(a.number)
            out.raw(",")
            out.key("target")
            out.string(a.target.key)
            out.raw(",")
            out.key("previous_on")
            out.day(a.previousOn)
            out.raw(",")
            out.key("proposed_on")
            out.day(a.proposedOn)
            out.raw(",")
            out.key("reason")
            out.string(a.reason)
            out.raw(",")
            out.key("requested_by")
            out.string(a.requestedBy.rawValue)
            out.raw(",")
            out.key("requested_on")
            out.day(a.requestedOn)
            out.raw(",")
            out.key("state")
            out.string(a.state.rawValue)
            out.raw(",")
            out.key("decided_on")
            out.day(a.decidedOn)
            out.raw(",")
            out.key("decision")
            out.string(a.decision)
            out.raw("}")
        }
        out.raw("],")
        out.key("payment_requests")
        out.raw("[")
        for (i, r) in o.paymentRequests.enumerated() {
            out.raw(i == 0 ? "{" : ",{")
            out.key("number")
            out.int(r.number)
            out.raw(",")
            out.key("output_number")
            out.int(r.outputNumber)
            out.raw(",")
            out.key("amount")
            out.int(r.amount)
            out.raw(",")
            out.key("source")
            out.string(r.source.rawValue)
            out.raw(",")
            out.key("requested_on")
            out.day(r.requestedOn)
            out.raw(",")
            out.key("state")
            out.string(r.state.rawValue)
            out.raw(",")
            out.key("approved_on")
            out.day(r.approvedOn)
            out.raw(",")
            out.key("returned_on")
            out.day(r.returnedOn)
            out.raw(",")
            out.key("return_reason")
            out.string(r.returnReason)
            out.raw(",")
            out.key("payment_number")
            if let n = r.paymentNumber { out.int(n) } else { out.raw("null") }
            out.raw("}")
        }
        out.raw("],")
        out.key("documents")
        out.raw("[")
        for (i, d) in o.documents.enumerated() {
            out.raw(i == 0 ? "{" : ",{")
            out.key("number")
            out.int(d.number)
            out.raw(",")
            out.key("output_number")
            if let n = d.output { out.int(n) } else { out.raw("null") }
            out.raw(",")
            out.key("kind")
            out.string(d.kind.rawValue)
            out.raw(",")
            out.key("file_name")
            out.string(d.fileName)
            out.raw(",")
            out.key("title")
            out.string(d.title)
            out.raw(",")
            out.key("sha256")
            out.string(d.sha256)
            out.raw(",")
            out.key("size")
            out.int(d.size)
            out.raw(",")
            out.key("attached_on")
            out.day(d.attachedOn)
            out.raw(",")
            out.key("request_number")
            if let n = d.request { out.int(n) } else { out.raw("null") }
            out.raw("}")
        }
        out.raw("],")
        out.key("events")
        out.raw("[")
        for (i, e) in o.events.enumerated() {
            out.raw(i == 0 ? "{" : ",{")
            out.key("occurred_on")
            out.day(e.occurredOn)
            out.raw(",")
            out.key("recorded_at")
            out.string(e.recordedAt)
            out.raw(",")
            out.key("action")
            out.string(e.action.rawValue)
            out.raw(",")
            out.key("details")
            out.string(e.details)
            out.raw(",")
            out.key("actor")
            out.string(e.actor)
            if i < links.count {
                out.raw(",")
                out.key("id")
                out.int(links[i].id)
                out.raw(",")
                out.key("record_id")
                if let r = links[i].recordID { out.int(r) } else { out.raw("null") }
                out.raw(",")
                out.key("hash")
                out.string(links[i].hash)
            }
            out.raw("}")
        }
        out.raw("]")
    }
}

/// The seals of one table's rows, by row id, merged with the rows as they are exported.
private final class SealCursor {
    private let rows: RowCursor
    private var pending: Row?

    init(_ db: Database, _ table: SealTable) throws {
        rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT record_id, id, recorded_at, action, actor, hash FROM seals WHERE record_table = '\(table.rawValue)'
                ORDER BY record_id, id
                """)
        pending = try rows.next()?.copy()
    }

    /// Writes `,"seals":[…]` with the seals of row `id` (the rows before it, of rows that do not exist, are skipped).
    func write(_ id: Int64, to out: JSONOut) throws {
        out.raw(",")
        out.key("seals")
        out.raw("[")
        var first = true
        while let row = pending, (row[0] as Int64) <= id {
            if (row[0] as Int64) == id {
                out.raw(first ? "{" : ",{")
                first = false
                out.key("id")
                out.int(row[1] as Int64)
                out.raw(",")
                out.key("recorded_at")
                out.string(row[2] as String)
                out.raw(",")
                out.key("action")
                out.string(row[3] as String)
                out.raw(",")
                out.key("actor")
                out.string(row[4] as String)
                out.raw(",")
                out.key("hash")
                out.string(row[5] as String)
                out.raw("}")
            }
            pending = try rows.next()?.copy()
        }
        out.raw("]")
    }
}
