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
        let conditions = Store.conditions(filter)
        let sql = "\(Store.orderSummarySelect) \(conditions.whereClause) ORDER BY o.ordered_on, o.code"
        try read { db in
            let rows = try Row.fetchCursor(db, sql: sql, arguments: conditions.arguments)
            while let row = try rows.next() { try body(try Store.orderSummary(row)) }
        }
    }

    /// One page of the orders matching `filter`, newest first (by registration date, then code,
    /// both descending), starting after `cursor` (the last order of the previous page), at most
    /// `limit` (1 to 1,000). The page's `next` is the cursor of the page after it, nil at the end.
    public func orderPage(_ filter: OrderFilter = OrderFilter(), after cursor: OrderCursor? = nil, limit: Int) throws
        -> OrderPage
    {
        let limit = min(max(limit, 1), 1000)
        var conditions = Store.conditions(filter)
        if let cursor {
            conditions.add(
                "(o.ordered_on < ? OR (o.ordered_on = ? AND o.code < ?))",
                [cursor.orderedOn.description, cursor.orderedOn.description, cursor.code])
        }
        let sql = """
            \(Store.orderSummarySelect) \(conditions.whereClause)
            ORDER BY o.ordered_on DESC, o.code DESC LIMIT \(limit + 1)
            """
        var orders = try read { db in
            try Row.fetchAll(db, sql: sql, arguments: conditions.arguments).map(Store.orderSummary)
        }
        let more = orders.count > limit
        if more { orders.removeLast() }
        let last = orders.last.map { OrderCursor(orderedOn: $0.order.orderedOn, code: $0.order.code) }
        return OrderPage(orders: orders, next: more ? last : nil)
    }

    static func conditions(_ filter: OrderFilter) -> Conditions {
        var conditions = Conditions()
        if let state = filter.state { conditions.add("o.state = ?", [state.rawValue]) }
        if let province = filter.province { conditions.add("o.province_code = ?", [province.code]) }
        if let enterprise = filter.enterprise { conditions.add("e.tax_code = ?", [enterprise.value]) }
        if let field = filter.field { conditions.add("o.field = ?", [field.rawValue]) }
        conditions.add(year: filter.year, column: "o.ordered_on")
        return conditions
    }

    /// The columns `orderSummary` reads: the order, then its outputs' count and value, its
    /// funding's total and what was paid.
    static let orderSummarySelect = """
        SELECT \(Store.orderColumns),
               (SELECT count(*) FROM outputs x WHERE x.order_id = o.id),
               (SELECT coalesce(sum(value), 0) FROM outputs x WHERE x.order_id = o.id),
               coalesce((SELECT state_budget + enterprise_funds + other FROM fundings f WHERE f.order_id = o.id), 0),
               (SELECT coalesce(sum(amount), 0) FROM payments p WHERE p.order_id = o.id)
        FROM orders o JOIN enterprises e ON e.id = o.enterprise_id
        """

    static func orderSummary(_ row: Row) throws -> OrderSummary {
        let (_, order) = try Store.orderRow(row)
        return OrderSummary(
            order: order, outputs: row[14], outputsValue: row[15], fundingTotal: row[16], paidTotal: row[17])
    }
}

/// Where a page of orders (newest first) stops: the last order's registration date and code.
/// Written as `YYYY-MM-DD.CODE` for an interface to hand back.
public struct OrderCursor: Sendable, Equatable, CustomStringConvertible {
    public var orderedOn: Day
    public var code: String

    public init(orderedOn: Day, code: String) {
        self.orderedOn = orderedOn
        self.code = code
    }

    public var description: String { "\(orderedOn).\(code)" }

    /// A cursor as `description` writes it.
    public init(parsing text: String) throws {
        guard let dot = text.firstIndex(of: "."), text.index(after: dot) < text.endIndex else {
            throw STOrdersError.invalidValue("cursor", text, accepted: ["a cursor from a previous page"])
        }
        self.orderedOn = try Day(parsing: String(text[..<dot]))
        self.code = try Order.validateCode(String(text[text.index(after: dot)...]))
    }
}

/// One page of orders and the cursor of the next.
public struct OrderPage: Sendable, Equatable {
    public var orders: [OrderSummary]
    public var next: OrderCursor?

    public init(orders: [OrderSummary], next: OrderCursor?) {
        self.orders = orders
        self.next = next
    }
}
