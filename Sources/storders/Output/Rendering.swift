import STOrders

/// The JSON shape of each domain value: snake_case keys, amounts as integers, dates YYYY-MM-DD,
/// provinces by official name.
enum Render {
    static func day(_ d: Day?) -> JSON { d.map { .string($0.description) } ?? .null }

    static func enterprise(_ e: Enterprise) -> JSON {
        .object([
            ("tax_code", .string(e.taxCode.value)),
            ("name", .string(e.name)),
            ("province", .string(e.province.name)),
            ("province_code", .string(e.province.code)),
            ("innovative_startup", .bool(e.innovativeStartup)),
            ("registered_on", day(e.registeredOn)),
        ])
    }

    static func orderFields(_ o: Order) -> [(String, JSON)] {
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

    static func order(_ o: Order) -> JSON { .object(orderFields(o)) }

    static func output(_ x: Output, withOrder: Bool = false) -> JSON {
        var fields: [(String, JSON)] = withOrder ? [("order_code", .string(x.orderCode))] : []
        fields += [
            ("number", .int(x.number)),
            ("title", .string(x.title)),
            ("type", .string(x.type.rawValue)),
            ("novelty", .string(x.novelty.rawValue)),
            ("value", .int(x.value)),
            ("accepted_on", day(x.acceptedOn)),
            ("evidence", .optional(x.evidence)),
            ("paid", .int(x.paid)),
        ]
        return .object(fields)
    }

    static func funding(_ f: Funding?) -> JSON {
        guard let f else { return .null }
        return .object([
            ("state_budget", .int(f.stateBudget)),
            ("enterprise_funds", .int(f.enterpriseFunds)),
            ("other", .int(f.other)),
            ("other_source", .optional(f.otherSource)),
            ("total", .int(f.total)),
            ("funded_on", day(f.fundedOn)),
        ])
    }

    static func payment(_ p: Payment, withOrder: Bool = false) -> JSON {
        var fields: [(String, JSON)] = withOrder ? [("order_code", .string(p.orderCode))] : []
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
        ]
        return .object(fields)
    }

    static func result(_ r: Commercialization, withOrder: Bool = false) -> JSON {
        var fields: [(String, JSON)] = withOrder ? [("order_code", .string(r.orderCode))] : []
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

    static func event(_ e: Event, withOrder: Bool = false) -> JSON {
        var fields: [(String, JSON)] = withOrder ? [("order_code", .string(e.orderCode))] : []
        fields += [
            ("date", day(e.occurredOn)),
            ("action", .string(e.action.rawValue)),
            ("details", .string(e.details)),
            ("actor", .string(e.actor)),
            ("recorded_at", .string(e.recordedAt)),
        ]
        return .object(fields)
    }

    static func detail(_ d: OrderDetail) -> JSON {
        .object(
            orderFields(d.order) + [
                ("outputs_value", .int(d.outputsValue)),
                ("outputs", .array(d.outputs.map { output($0) })),
                ("funding", funding(d.funding)),
                ("payments", .array(d.payments.map { payment($0) })),
                ("paid_total", .int(d.paidTotal)),
                ("results", .array(d.results.map { result($0) })),
                ("revenue_total", .int(d.revenueTotal)),
                ("events", .array(d.events.map { event($0) })),
            ])
    }

    /// "1.200.000.000 đồng"
    static func money(_ amount: Int64) -> String { Money.format(amount) + " đồng" }
}
