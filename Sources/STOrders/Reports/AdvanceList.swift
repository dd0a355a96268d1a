import GRDB

/// Which advances `advance list` shows (docs/advances.md): of one province or enterprise, and only
/// those of orders with advances outstanding.
public struct AdvanceFilter: Sendable {
    public var province: Province?
    public var enterprise: TaxCode?
    public var outstandingOnly: Bool

    public init(province: Province? = nil, enterprise: TaxCode? = nil, outstandingOnly: Bool = false) {
        self.province = province
        self.enterprise = enterprise
        self.outstandingOnly = outstandingOnly
    }
}

/// One advance or recovery with what is outstanding of its order's advances now, and its order's
/// province and enterprise.
public struct AdvanceLine: Sendable, Equatable {
    public var advance: Advance
    public var outstanding: Int64
    public var province: Province
    public var enterpriseTaxCode: String
    public var enterpriseName: String
}

extension Store {
    /// Streams the advances and recoveries `filter` selects, by order code then number.
    public func forEachAdvance(_ filter: AdvanceFilter, _ body: (AdvanceLine) throws -> Void) throws {
        var c = Conditions()
        if let p = filter.province { c.add("o.province_code = ?", [p.code]) }
        if let t = filter.enterprise { c.add("e.tax_code = ?", [t.value]) }
        if filter.outstandingOnly { c.add(Store.openBalanceSQL, []) }
        let sql = """
            SELECT \(Store.advanceColumns), o.code, \(Store.outstandingSQL), o.province_code, e.tax_code, e.name
            FROM advances v JOIN advance_balances b ON b.order_id = v.order_id JOIN orders o ON o.id = v.order_id
                 JOIN enterprises e ON e.id = o.enterprise_id
            \(c.whereClause)
            ORDER BY o.code, v.number
            """
        try read { db in
            let rows = try Row.fetchCursor(db, sql: sql, arguments: c.arguments)
            while let row = try rows.next() {
                try body(
                    AdvanceLine(
                        advance: try Store.advanceRow(row, orderCode: row[7]), outstanding: row[8],
                        province: try Store.province(code: row[9]), enterpriseTaxCode: row[10],
                        enterpriseName: row[11]))
            }
        }
    }
}
