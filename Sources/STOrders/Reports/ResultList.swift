import GRDB

/// Which results `results list` shows. Every filter is optional; they combine with AND.
public struct ResultFilter: Sendable {
    public var province: Province?
    /// Results commercialized in this year.
    public var year: Int?
    public var enterprise: TaxCode?
    public var channel: Channel?

    public init(province: Province? = nil, year: Int? = nil, enterprise: TaxCode? = nil, channel: Channel? = nil) {
        self.province = province
        self.year = year
        self.enterprise = enterprise
        self.channel = channel
    }
}

/// One commercialized result with the order it came from and what the state paid for it.
public struct ResultLine: Sendable, Equatable {
    public var orderCode: String
    public var orderTitle: String
    public var enterpriseName: String
    public var enterpriseTaxCode: String
    public var province: Province
    public var field: Field
    public var resultNumber: Int
    public var channel: Channel
    public var revenue: Int64
    public var note: String?
    public var commercializedOn: Day
    /// State-budget payments against the order's outputs, net of reversals.
    public var stateBudgetPaid: Int64
    /// How many outputs the order has.
    public var outputs: Int
}

extension Store {
    /// Streams the commercialization results matching `filter` to `body`, by date then order
    /// code, one row at a time. Retracted results are left out.
    public func forEachResult(_ filter: ResultFilter = ResultFilter(), _ body: (ResultLine) throws -> Void) throws {
        var conditions = Conditions()
        if let province = filter.province { conditions.add("o.province_code = ?", [province.code]) }
        conditions.add(year: filter.year, column: "r.commercialized_on")
        if let enterprise = filter.enterprise { conditions.add("e.tax_code = ?", [enterprise.value]) }
        if let channel = filter.channel { conditions.add("r.channel = ?", [channel.rawValue]) }
        let sql = """
            SELECT o.code, o.title, e.name, e.tax_code, o.province_code, o.field, r.number, r.channel, r.revenue,
                   r.note, r.commercialized_on,
                   (SELECT coalesce(sum(amount), 0) FROM payments p WHERE p.order_id = o.id AND p.source = 'state'),
                   (SELECT count(*) FROM outputs x WHERE x.order_id = o.id)
            FROM results_live r JOIN orders o ON o.id = r.order_id JOIN enterprises e ON e.id = o.enterprise_id
            \(conditions.whereClause)
            ORDER BY r.commercialized_on, o.code, r.number
            """
        try read { db in
            let rows = try Row.fetchCursor(db, sql: sql, arguments: conditions.arguments)
            while let row = try rows.next() {
                try body(
                    ResultLine(
                        orderCode: row[0], orderTitle: row[1], enterpriseName: row[2], enterpriseTaxCode: row[3],
                        province: try Store.province(code: row[4]), field: try Store.vocabulary(Field.self, row[5]),
                        resultNumber: row[6], channel: try Store.vocabulary(Channel.self, row[7]), revenue: row[8],
                        note: row[9], commercializedOn: try Day(parsing: row[10]), stateBudgetPaid: row[11],
                        outputs: row[12]))
            }
        }
    }
}
