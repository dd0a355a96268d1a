/// One line of an order's history. Events are only ever appended.
public struct Event: Hashable, Sendable {
    public enum Action: String, Sendable, CaseIterable {
        case registered
        case outputAdded = "output_added"
        case funded
        case outputAccepted = "output_accepted"
        case delivered
        case paymentRecorded = "payment_recorded"
        case paymentReversed = "payment_reversed"
        case commercialized
        case resultRecorded = "result_recorded"
        case resultRetracted = "result_retracted"
        case cancelled
        case documentAttached = "document_attached"
        case amended
        case amendmentRequested = "amendment_requested"
        case amendmentApproved = "amendment_approved"
        case amendmentRefused = "amendment_refused"
        case paymentRequested = "payment_requested"
        case paymentRequestApproved = "payment_request_approved"
        case paymentRequestReturned = "payment_request_returned"
        case paymentRequestPaid = "payment_request_paid"
        case advanced
        case advanceRecovered = "advance_recovered"
    }

    public var orderCode: String
    public var occurredOn: Day
    /// When it was written, UTC, `YYYY-MM-DDTHH:MM:SSZ`.
    public var recordedAt: String
    public var action: Action
    public var details: String
    public var actor: String

    public init(orderCode: String, occurredOn: Day, recordedAt: String, action: Action, details: String, actor: String)
    {
        self.orderCode = orderCode
        self.occurredOn = occurredOn
        self.recordedAt = recordedAt
        self.action = action
        self.details = details
        self.actor = actor
    }
}

/// An event with its place in the hash chain: its id (the order of recording) and its hash.
public struct ChainedEvent: Hashable, Sendable {
    public var event: Event
    public var id: Int64
    public var hash: String

    public init(event: Event, id: Int64, hash: String) {
        self.event = event
        self.id = id
        self.hash = hash
    }
}

/// The wording of each event's details, one definition for every writer: the commands, the CSV
/// import (which prefixes where the order came from), the generator and `import outputs`. A
/// restored history is compared with a replay's record by record, so the words must agree.
public enum EventDetails {
    public static func registered(_ o: Order) -> String {
        "ordered by \(o.enterpriseName) (\(o.enterpriseTaxCode)): \(o.title); field \(o.field), province \(o.province.name)"
    }

    public static func outputAdded(_ x: Output) -> String {
        "output \(x.number): \(x.title) (\(x.novelty) \(x.type)), value \(Money.format(x.value)) đồng"
            + (x.dueOn.map { ", due \($0)" } ?? "")
    }

    public static func funded(_ f: Funding) -> String {
        var parts = ["state budget \(Money.format(f.stateBudget))", "enterprise \(Money.format(f.enterpriseFunds))"]
        if let source = f.otherSource { parts.append("other \(Money.format(f.other)) (\(source))") }
        return "funded with \(Money.format(f.total)) đồng: \(parts.joined(separator: ", "))"
            + (f.startsOn.flatMap { s in f.endsOn.map { "; contract \(s) to \($0)" } } ?? "")
    }

    public static func outputAccepted(number: Int, title: String, evidence: String?) -> String {
        "output \(number) accepted: \(title)" + (evidence.map { "; evidence: \($0)" } ?? "")
    }

    public static func delivered(outputs count: Int) -> String {
        "all \(count) output\(count == 1 ? "" : "s") accepted; order delivered"
    }

    public static func paymentRecorded(
        number: Int, amount: Int64, source: FundingSource, output: Int, reference: String?, settled: Int64 = 0
    ) -> String {
        "payment \(number): \(Money.format(amount)) đồng from \(source) against output \(output)"
            + (reference.map { "; reference \($0)" } ?? "")
            + (settled == 0 ? "" : "; settles \(Money.format(settled)) đồng of advances")
    }

    public static func result(number: Int, channel: Channel, revenue: Int64, note: String?) -> String {
        "result \(number): \(channel), revenue \(Money.format(revenue)) đồng" + (note.map { "; \($0)" } ?? "")
    }

    public static func cancelled(from state: OrderState, reason: String) -> String {
        "cancelled from \(state): \(reason)"
    }

    /// An officer's amendment, or an enterprise's request: what it moves, from when to when, why.
    public static func amendment(_ a: Amendment) -> String {
        let verb = a.requestedBy == .officer ? "extended" : "asks to extend"
        return "amendment \(a.number): \(verb) \(a.target) from \(a.previousOn) to \(a.proposedOn); \(a.reason)"
    }

    /// The decision on a request.
    public static func amendmentDecided(_ a: Amendment) -> String {
        "amendment \(a.number) \(a.state): \(a.target) \(a.state == .approved ? "now due" : "stays due") on "
            + "\(a.state == .approved ? a.proposedOn : a.previousOn); \(a.decision ?? "")"
    }

    /// An enterprise's payment request.
    public static func paymentRequested(_ r: PaymentRequest) -> String {
        "payment request \(r.number): \(Money.format(r.amount)) đồng from \(r.source) against output \(r.outputNumber)"
    }

    /// An officer's step on a payment request: approved, returned (with why) or paid (with the
    /// payment that disbursed it).
    public static func paymentRequestStep(_ r: PaymentRequest) -> String {
        switch r.state {
        case .requested: return paymentRequested(r)
        case .approved: return "payment request \(r.number) approved: \(Money.format(r.amount)) đồng"
        case .returned: return "payment request \(r.number) returned: \(r.returnReason ?? "")"
        case .paid:
            return "payment request \(r.number) paid by payment \(r.paymentNumber.map(String.init) ?? "?")"
                + (r.reference.map { "; reference \($0)" } ?? "")
        }
    }

    /// An advance or a recovery of one (docs/advances.md).
    public static func advance(_ a: Advance) -> String {
        switch a.kind {
        case .advance:
            return "advance \(a.number): \(Money.format(a.amount)) đồng of the state budget advanced"
                + (a.reference.map { "; reference \($0)" } ?? "")
        case .recovery:
            return "recovery \(a.number): \(Money.format(a.amount)) đồng of advances returned"
                + (a.reference.map { "; reference \($0)" } ?? "") + (a.reason.map { "; \($0)" } ?? "")
        }
    }

    public static func documentAttached(_ d: Document) -> String {
        "document \(d.number) (\(d.kind)) attached to \(d.target): \(d.fileName), \(Money.format(d.size)) bytes, SHA-256 \(d.sha256)"
            + (d.title.map { "; \($0)" } ?? "")
    }
}
