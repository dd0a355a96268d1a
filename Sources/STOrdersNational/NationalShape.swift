import STOrders

/// The national commands' shapes (JSON and the one-line text), defined once for the CLI and the server.
public enum NationalShape {
    public static func publish(_ s: PublishSummary, url: NationalURL) -> JSONValue {
        .object([
            ("source", Shape.source(s.source)), ("url", .string(url.description)), ("events", .int(Int64(s.events))),
            ("seals", .int(Int64(s.seals))), ("batches", .int(Int64(s.batches))),
            ("last_event_id", .int(s.lastEventID)), ("last_event_hash", .string(s.lastEventHash)),
            ("totals_recomputed", .bool(s.totalsRecomputed)),
        ])
    }

    /// One line: what was sent, from which source, to where (never the password), and up to where.
    public static func publishLine(_ s: PublishSummary, url: NationalURL) -> String {
        func count(_ n: Int, _ one: String, _ many: String) -> String { "\(n) \(n == 1 ? one : many)" }
        let what =
            s.events + s.seals == 0
            ? "Nothing new to publish from"
            : "Published \(count(s.events, "event", "events")) and \(count(s.seals, "seal", "seals")) in \(count(s.batches, "batch", "batches")) from"
        let totals = s.totalsRecomputed ? " Its provinces' running totals were recomputed from the records." : ""
        return
            "\(what) \(s.source.name) (source \(s.source.id)) to \(url); published up to event \(s.lastEventID) (\(s.lastEventHash.prefix(12))…).\(totals)"
    }
}
