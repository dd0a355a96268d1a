extension Shape {
    /// An advance or a recovery (docs/advances.md).
    public static func advance(_ a: Advance, withOrder: Bool = false) -> JSONValue {
        var fields: [(String, JSONValue)] = withOrder ? [("order_code", .string(a.orderCode))] : []
        fields += [
            ("number", .int(a.number)),
            ("kind", .string(a.kind.rawValue)),
            ("amount", .int(a.amount)),
            ("made_on", day(a.madeOn)),
            ("reference", .optional(a.reference)),
            ("reason", .optional(a.reason)),
            ("limit_share", a.limitShare.map { .int($0) } ?? .null),
        ]
        return .object(fields)
    }

    /// An order's advances in sum: advanced, settled by payments, recovered, outstanding.
    public static func advanceBalance(_ b: AdvanceBalance) -> JSONValue {
        .object([
            ("advanced", .int(b.advanced)),
            ("settled", .int(b.settled)),
            ("recovered", .int(b.recovered)),
            ("outstanding", .int(b.outstanding)),
        ])
    }

    /// The advance limit in force: its share in basis points and as a percentage, or none.
    public static func advanceLimit(_ s: AdvanceLimitSetting?) -> JSONValue {
        .object([
            ("share_basis_points", s?.basisPoints.map { .int($0) } ?? .null),
            ("share", s?.basisPoints.map { .string(Ratio.percentText(basisPoints: $0)) } ?? .null),
            ("set_at", .optional(s?.setAt)),
            ("set_by", .optional(s?.setBy)),
        ])
    }
}

extension Columns {
    /// `advance list`: each advance and recovery, with its order's outstanding advances now.
    public static let advances: [Column<AdvanceLine>] = [
        .init("ORDER", "order_code") { .string($0.advance.orderCode) },
        .init("NO", "number", .count) { .int($0.advance.number) },
        .init("KIND", "kind") { .string($0.advance.kind.rawValue) },
        .init("DATE", "made_on", .date) { .string($0.advance.madeOn.description) },
        .init("AMOUNT", "amount", .money) { .int($0.advance.amount) },
        .init("REFERENCE", "reference", max: 24) { .optional($0.advance.reference) },
        .init("", "reason", inTable: false) { .optional($0.advance.reason) },
        .init("", "limit_share", .count, inTable: false) { $0.advance.limitShare.map { .int($0) } ?? .null },
        .init("OUTSTANDING", "order_outstanding", .money) { .int($0.outstanding) },
        .init("PROVINCE", "province", max: 22) { .string($0.province.name) },
        .init("", "province_code", inTable: false) { .string($0.province.code) },
        .init("", "enterprise_tax_code", inTable: false) { .string($0.enterpriseTaxCode) },
        .init("ENTERPRISE", "enterprise_name", max: 30) { .string($0.enterpriseName) },
    ]
}

extension Columns {
    /// `advance-limit show --history`: each setting of the advance limit.
    public static let advanceLimits: [Column<AdvanceLimitSetting>] = [
        .init("LIMIT", "share") { .string($0.shown) },
        .init("", "share_basis_points", .count, inTable: false) { $0.basisPoints.map { .int($0) } ?? .null },
        .init("SET BY", "set_by", max: 30) { .string($0.setBy) },
        .init("SET AT", "set_at") { .string($0.setAt) },
    ]
}
