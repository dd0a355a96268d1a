/// The JSON shape of each record, list row, report and refusal, defined once for every
/// interface: the CLI's `--json` and the server's API return these objects. Keys are snake_case,
/// amounts integers (đồng), dates YYYY-MM-DD, provinces by official name with their code.
public enum Shape {
    public static func day(_ d: Day?) -> JSONValue { d.map { .string($0.description) } ?? .null }

    /// An enterprise: the same object as a row of the enterprise list.
    public static func enterprise(_ e: Enterprise) -> JSONValue { Column.row(Columns.enterprises, e) }

    public static func orderFields(_ o: Order) -> [(String, JSONValue)] {
        [
            ("code", .string(o.code)),
            ("state", .string(o.state.rawValue)),
            ("title", .string(o.title)),
            ("field", .string(o.field.rawValue)),
            ("province", .string(o.province.name)),
            ("province_code", .string(o.province.code)),
            ("enterprise_tax_code", .string(o.enterpriseTaxCode.value)),
            ("enterprise_name", .string(o.enterpriseName)),
            ("ordered_on", day(o.orderedOn)),
            ("funded_on", day(o.fundedOn)),
            ("delivered_on", day(o.deliveredOn)),
            ("commercialized_on", day(o.commercializedOn)),
            ("cancelled_on", day(o.cancelledOn)),
            ("cancel_reason", .optional(o.cancelReason)),
        ]
    }

    public static func order(_ o: Order) -> JSONValue { .object(orderFields(o)) }

    public static func output(_ x: Output, withOrder: Bool = false) -> JSONValue {
        var fields: [(String, JSONValue)] = withOrder ? [("order_code", .string(x.orderCode))] : []
        fields += [
            ("number", .int(x.number)),
            ("title", .string(x.title)),
            ("type", .string(x.type.rawValue)),
            ("novelty", .string(x.novelty.rawValue)),
            ("value", .int(x.value)),
            ("accepted_on", day(x.acceptedOn)),
            ("evidence", .optional(x.evidence)),
            ("paid", .int(x.paid)),
            ("due_on", day(x.dueOn)),
            ("extended_to", day(x.extendedTo)),
        ]
        return .object(fields)
    }

    public static func funding(_ f: Funding?) -> JSONValue {
        guard let f else { return .null }
        return .object([
            ("state_budget", .int(f.stateBudget)),
            ("enterprise_funds", .int(f.enterpriseFunds)),
            ("other", .int(f.other)),
            ("other_source", .optional(f.otherSource)),
            ("total", .int(f.total)),
            ("funded_on", day(f.fundedOn)),
            ("starts_on", day(f.startsOn)),
            ("ends_on", day(f.endsOn)),
            ("ends_extended_to", day(f.endsExtendedTo)),
        ])
    }

    public static func payment(_ p: Payment, withOrder: Bool = false) -> JSONValue {
        var fields: [(String, JSONValue)] = withOrder ? [("order_code", .string(p.orderCode))] : []
        fields += [
            ("number", .int(p.number)),
            ("output", .int(p.outputNumber)),
            ("amount", .int(p.amount)),
            ("source", .string(p.source.rawValue)),
            ("reference", .optional(p.reference)),
            ("paid_on", day(p.paidOn)),
            ("reverses", p.reverses.map { .int($0) } ?? .null),
            ("reason", .optional(p.reason)),
            ("reversed_by", p.reversedBy.map { .int($0) } ?? .null),
            ("settled", .int(p.settled)),
        ]
        return .object(fields)
    }

    public static func result(_ r: Commercialization, withOrder: Bool = false) -> JSONValue {
        var fields: [(String, JSONValue)] = withOrder ? [("order_code", .string(r.orderCode))] : []
        fields += [
            ("number", .int(r.number)),
            ("channel", .string(r.channel.rawValue)),
            ("revenue", .int(r.revenue)),
            ("note", .optional(r.note)),
            ("commercialized_on", day(r.commercializedOn)),
            ("retracted_on", day(r.retractedOn)),
            ("retract_reason", .optional(r.retractReason)),
        ]
        return .object(fields)
    }

    public static func event(_ e: Event, withOrder: Bool = false) -> JSONValue {
        var fields: [(String, JSONValue)] = withOrder ? [("order_code", .string(e.orderCode))] : []
        fields += [
            ("date", day(e.occurredOn)),
            ("action", .string(e.action.rawValue)),
            ("details", .string(e.details)),
            ("actor", .string(e.actor)),
            ("recorded_at", .string(e.recordedAt)),
        ]
        return .object(fields)
    }

    public static func detail(_ d: OrderDetail) -> JSONValue {
        .object(
            orderFields(d.order) + [
                ("outputs_value", .int(d.outputsValue)),
                ("outputs", .array(d.outputs.map { output($0) })),
                ("funding", funding(d.funding)),
                ("payments", .array(d.payments.map { payment($0) })),
                ("paid_total", .int(d.paidTotal)),
                ("results", .array(d.results.map { result($0) })),
                ("revenue_total", .int(d.revenueTotal)),
                ("amendments", .array(d.amendments.map { amendment($0) })),
                ("payment_requests", .array(d.paymentRequests.map { paymentRequest($0) })),
                ("advances", .array(d.advances.map { advance($0) })),
                ("advance_balance", advanceBalance(d.advanceBalance)),
                ("events", .array(d.events.map { event($0) })),
            ])
    }

    /// An amendment of an order's dates (docs/deadlines.md).
    public static func amendment(_ a: Amendment, withOrder: Bool = false) -> JSONValue {
        var fields: [(String, JSONValue)] = withOrder ? [("order_code", .string(a.orderCode))] : []
        fields += [
            ("number", .int(a.number)),
            ("target", .string(a.target.key)),
            ("previous_on", day(a.previousOn)),
            ("proposed_on", day(a.proposedOn)),
            ("reason", .string(a.reason)),
            ("requested_by", .string(a.requestedBy.rawValue)),
            ("requested_on", day(a.requestedOn)),
            ("state", .string(a.state.rawValue)),
            ("decided_on", day(a.decidedOn)),
            ("decision", .optional(a.decision)),
        ]
        return .object(fields)
    }

    /// A payment request and where it stands (docs/requests.md).
    public static func paymentRequest(_ r: PaymentRequest, withOrder: Bool = false) -> JSONValue {
        var fields: [(String, JSONValue)] = withOrder ? [("order_code", .string(r.orderCode))] : []
        fields += [
            ("number", .int(r.number)),
            ("output_number", .int(r.outputNumber)),
            ("amount", .int(r.amount)),
            ("source", .string(r.source.rawValue)),
            ("requested_on", day(r.requestedOn)),
            ("state", .string(r.state.rawValue)),
            ("approved_on", day(r.approvedOn)),
            ("returned_on", day(r.returnedOn)),
            ("return_reason", .optional(r.returnReason)),
            ("payment_number", r.paymentNumber.map { .int($0) } ?? .null),
            ("paid_on", day(r.paidOn)),
            ("reference", .optional(r.reference)),
        ]
        return .object(fields)
    }

    /// An event with its place in the hash chain: its id and hash (for auditors).
    public static func chainedEvent(_ e: ChainedEvent) -> JSONValue {
        guard case .object(var fields) = event(e.event, withOrder: true) else { return .null }
        fields += [("id", .int(e.id)), ("hash", .string(e.hash))]
        return .object(fields)
    }
}
