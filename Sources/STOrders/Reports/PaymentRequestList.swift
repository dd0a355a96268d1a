import GRDB

/// Which payment requests `request list` shows (docs/requests.md): by state, province or
/// enterprise.
public struct PaymentRequestFilter: Sendable {
    public var states: [PaymentRequestState]
    public var province: Province?
    public var enterprise: TaxCode?

    public init(states: [PaymentRequestState] = [], province: Province? = nil, enterprise: TaxCode? = nil) {
        self.states = states
        self.province = province
        self.enterprise = enterprise
    }
}

/// One payment request with its order's province and enterprise.
public struct PaymentRequestLine: Sendable, Equatable {
    public var request: PaymentRequest
    public var province: Province
    public var enterpriseTaxCode: String
    public var enterpriseName: String
}

extension Store {
    /// Streams the payment requests `filter` selects, by order code then number, one row at a time.
    public func forEachPaymentRequest(
        _ filter: PaymentRequestFilter, _ body: (PaymentRequestLine) throws -> Void
    ) throws {
        var c = Conditions()
        if !filter.states.isEmpty {
            let states = Set(filter.states).sorted { $0.rawValue < $1.rawValue }
            c.add(
                "(" + states.map { _ in "q.state = ?" }.joined(separator: " OR ") + ")", states.map(\.rawValue))
        }
        if let p = filter.province { c.add("o.province_code = ?", [p.code]) }
        if let t = filter.enterprise { c.add("e.tax_code = ?", [t.value]) }
        let sql = """
            SELECT \(Store.paymentRequestColumns), o.code, o.province_code, e.tax_code, e.name
            FROM \(Store.paymentRequestTables) JOIN orders o ON o.id = q.order_id
                 JOIN enterprises e ON e.id = o.enterprise_id
            \(c.whereClause)
            ORDER BY o.code, q.number
            """
        try read { db in
            let rows = try Row.fetchCursor(db, sql: sql, arguments: c.arguments)
            while let row = try rows.next() {
                try body(
                    PaymentRequestLine(
                        request: try Store.paymentRequestRow(row, orderCode: row[13]),
                        province: try Store.province(code: row[14]), enterpriseTaxCode: row[15],
                        enterpriseName: row[16]))
            }
        }
    }
}
