import GRDB

/// Which orders `order list` shows. Every filter is optional; they combine with AND.
public struct OrderFilter: Sendable {
    public var state: OrderState?
    public var province: Province?
    public var enterprise: TaxCode?
    public var field: Field?
    /// Orders registered in this year.
    public var year: Int?

    public init(
        state: OrderState? = nil, province: Province? = nil, enterprise: TaxCode? = nil, field: Field? = nil,
        year: Int? = nil
    ) {
        self.state = state
        self.province = province
        self.enterprise = enterprise
        self.field = field
        self.year = year
    }
}

/// One line of `order list`: the order and its money at a glance.
public struct OrderSummary: Sendable, Equatable {
    public var order: Order
    public var outputs: Int
    public var outputsValue: Int64
    public var fundingTotal: Int64
    /// Paid against the order's outputs, net of reversals.
    public var paidTotal: Int64
}

extension Store {
    /// Streams the orders matching `filter` to `body`, by registration date then code, reading one
    /// row at a time (a million orders never sit in memory).
    public func forEachOrder(_ filter: OrderFilter = OrderFilter(), _ body: (OrderSummary) throws -> Void) throws {
        var conditions = Conditions()
        if let state = filter.state { conditions.add("o.state = ?", [state.rawValue]) }
        if let province = filter.province { conditions.add("o.province_code = ?", [province.code]) }
        if let enterprise = filter.enterprise { conditions.add("e.tax_code = ?", [enterprise.value]) }
        if let field = filter.field { conditions.add("o.field = ?", [field.rawValue]) }
        conditions.add(year: filter.year, column: "o.ordered_on")
        let sql = """
            SELECT \(Store.orderColumns),
                   (SELECT count(*) FROM outputs x WHERE x.order_id = o.id),
                   (SELECT coalesce(sum(value), 0) FROM outputs x WHERE x.order_id = o.id),
                   coalesce((SELECT state_budget + enterprise_funds + other FROM fundings f WHERE f.order_id = o.id), 0),
                   (SELECT coalesce(sum(amount), 0) FROM payments p WHERE p.order_id = o.id)
            FROM orders o JOIN enterprises e ON e.id = o.enterprise_id
            \(conditions.whereClause)
            ORDER BY o.ordered_on, o.code
            """
        try read { db in
            let rows = try Row.fetchCursor(db, sql: sql, arguments: conditions.arguments)
            while let row = try rows.next() {
                let (_, order) = try Store.orderRow(row)
                try body(
                    OrderSummary(
                        order: order, outputs: row[14], outputsValue: row[15], fundingTotal: row[16],
                        paidTotal: row[17]))
            }
        }
    }
}
