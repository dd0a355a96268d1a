import GRDB

/// Turning stored rows back into domain values. schema.sql's CHECKs guarantee the stored text is
/// valid; a row that is not (a file edited by hand) is reported, never trapped on.
extension Store {
    static func day(_ text: String?) throws -> Day? {
        guard let text else { return nil }
        return try Day(parsing: text)
    }

    static func vocabulary<V: Vocabulary>(_ type: V.Type, _ text: String) throws -> V {
        guard let value = V(rawValue: text) else {
            throw STOrdersError.constraintViolated(
                "stored \(V.noun) '\(text)' is not one of \(V.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return value
    }

    static func province(code: String) throws -> Province {
        guard let p = Province.byCode[code] else {
            throw STOrdersError.constraintViolated("stored province code '\(code)' is not one of the 34 units")
        }
        return p
    }

    static func taxCode(_ text: String) throws -> TaxCode { try TaxCode(parsing: text) }

    /// The columns `orderRow` reads, to be selected from `orders o JOIN enterprises e`.
    static let orderColumns = """
        o.id, o.code, o.title, o.field, o.province_code, o.state, o.ordered_on, o.funded_on,
        o.delivered_on, o.commercialized_on, o.cancelled_on, o.cancel_reason, e.tax_code, e.name
        """

    /// An order and its row id, from a row selected with `orderColumns`.
    static func orderRow(_ row: Row) throws -> (id: Int64, order: Order) {
        let order = Order(
            code: row[1], title: row[2], field: try vocabulary(Field.self, row[3]),
            province: try province(code: row[4]), enterpriseTaxCode: try taxCode(row[12]),
            enterpriseName: row[13], state: try vocabulary(OrderState.self, row[5]),
            orderedOn: try Day(parsing: row[6]), fundedOn: try day(row[7]), deliveredOn: try day(row[8]),
            commercializedOn: try day(row[9]), cancelledOn: try day(row[10]), cancelReason: row[11])
        return (row[0], order)
    }

    // An order's child records: the columns to select (the order's id first, column 0) from the
    // tables named, and the decoder of such a row; one definition for the streamed export and
    // for `orderDetail`.

    static let fundingColumns = """
        f.order_id, f.state_budget, f.enterprise_funds, f.other, f.other_source, f.funded_on, f.starts_on, f.ends_on,
        f.ends_extended_to
        """
    static let fundingTables = "fundings f"
    static func fundingRow(_ row: Row) throws -> Funding {
        try Funding(
            stateBudget: row[1], enterpriseFunds: row[2], other: row[3], otherSource: row[4],
            fundedOn: try Day(parsing: row[5]), startsOn: try day(row[6]), endsOn: try day(row[7]),
            endsExtendedTo: try day(row[8]))
    }

    /// The columns `outputRow` reads from `outputs x`: the output, then what was paid against it.
    static let outputColumns = """
        x.number, x.title, x.type, x.novelty, x.value, x.accepted_on, x.evidence,
        (SELECT coalesce(sum(amount), 0) FROM payments p WHERE p.output_id = x.id), x.due_on, x.extended_to
        """

    static let amendmentColumns = """
        a.order_id, a.number, x.number, a.previous_on, a.proposed_on, a.reason, a.requested_by, a.requested_on,
        a.state, a.decided_on, a.decision
        """
    static let amendmentTables = "amendments a LEFT JOIN outputs x ON x.id = a.output_id"
    static func amendmentRow(_ row: Row, orderCode: String) throws -> Amendment {
        let output: Int? = row[2]
        return Amendment(
            orderCode: orderCode, number: row[1], target: output.map { .output($0) } ?? .contractEnd,
            previousOn: try Day(parsing: row[3]), proposedOn: try Day(parsing: row[4]), reason: row[5],
            requestedBy: try vocabulary(AmendmentParty.self, row[6]), requestedOn: try Day(parsing: row[7]),
            state: try vocabulary(AmendmentState.self, row[8]), decidedOn: try day(row[9]), decision: row[10])
    }

    static let paymentRequestColumns = """
        q.order_id, q.number, x.number, q.amount, q.source, q.requested_on, q.state, q.approved_on, q.returned_on,
        q.return_reason, p.number, p.paid_on, p.reference
        """
    static let paymentRequestTables = """
        payment_requests q JOIN outputs x ON x.id = q.output_id LEFT JOIN payments p ON p.id = q.payment_id
        """
    static func paymentRequestRow(_ row: Row, orderCode: String) throws -> PaymentRequest {
        PaymentRequest(
            orderCode: orderCode, number: row[1], outputNumber: row[2], amount: row[3],
            source: try vocabulary(FundingSource.self, row[4]), requestedOn: try Day(parsing: row[5]),
            state: try vocabulary(PaymentRequestState.self, row[6]), approvedOn: try day(row[7]),
            returnedOn: try day(row[8]), returnReason: row[9], paymentNumber: row[10], paidOn: try day(row[11]),
            reference: row[12])
    }

    static let paymentColumns =
        "p.order_id, p.number, x.number, p.amount, p.source, p.reference, p.paid_on, r.number, p.reason, p.settled"
    static let paymentTables =
        "payments p JOIN outputs x ON x.id = p.output_id LEFT JOIN payments r ON r.id = p.reverses"
    static func paymentRow(_ row: Row, orderCode: String, reversedBy: Int? = nil) throws -> Payment {
        Payment(
            orderCode: orderCode, number: row[1], outputNumber: row[2], amount: row[3],
            source: try vocabulary(FundingSource.self, row[4]), reference: row[5], paidOn: try Day(parsing: row[6]),
            reverses: row[7], reason: row[8], reversedBy: reversedBy, settled: row[9])
    }

    static let resultColumns =
        "r.order_id, r.number, r.channel, r.revenue, r.note, r.commercialized_on, t.retracted_on, t.reason"
    static let resultTables = "results r LEFT JOIN result_retractions t ON t.result_id = r.id"
    static func resultRow(_ row: Row, orderCode: String) throws -> Commercialization {
        Commercialization(
            orderCode: orderCode, number: row[1], channel: try vocabulary(Channel.self, row[2]), revenue: row[3],
            note: row[4], commercializedOn: try Day(parsing: row[5]), retractedOn: try day(row[6]),
            retractReason: row[7])
    }

    static func eventAction(_ text: String) throws -> Event.Action {
        guard let action = Event.Action(rawValue: text) else {
            throw STOrdersError.constraintViolated("stored event action '\(text)' is unknown")
        }
        return action
    }

    static let eventColumns = "order_id, occurred_on, recorded_at, action, details, actor"
    static func eventRow(_ row: Row, orderCode: String) throws -> Event {
        let action = try eventAction(row[3])
        return Event(
            orderCode: orderCode, occurredOn: try Day(parsing: row[1]), recordedAt: row[2], action: action,
            details: row[4], actor: row[5])
    }

    /// Finds an order by its code (in any case), or refuses.
    func findOrder(_ db: Database, code: String) throws -> (id: Int64, order: Order) {
        let sql =
            "SELECT \(Store.orderColumns) FROM orders o JOIN enterprises e ON e.id = o.enterprise_id WHERE o.code = ?"
        guard let row = try Row.fetchOne(db.cachedStatement(sql: sql), arguments: [code.trimmingSpaces()]) else {
            throw STOrdersError.unknownOrder(code: code)
        }
        return try Store.orderRow(row)
    }
}
