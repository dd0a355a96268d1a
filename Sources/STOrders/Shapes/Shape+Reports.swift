/// Reports, checks and refusals: JSON numbers are integers for counts and đồng and exact
/// decimals for ratios, never floating point.
extension Shape {
    public static func indicatorValue(_ v: IndicatorValue?) -> JSONValue {
        switch v {
        case nil: return .null
        case .count(let n)?, .money(let n)?: return .int(n)
        case .ratio(let r)?: return .number(r.decimal(places: 4))
        }
    }

    public static func targetValue(_ t: TargetValue?) -> JSONValue {
        switch t {
        case nil: return .null
        case .count(let n)?: return .int(n)
        case .share(let bp)?: return .number(Ratio(basisPoints: bp).decimal(places: 4))
        }
    }

    public static func met(_ m: Bool?) -> JSONValue { m.map(JSONValue.bool) ?? .null }

    public static func indicator(_ i: Indicator) -> JSONValue {
        .object([
            ("key", .string(i.key.rawValue)),
            ("label", .string(i.key.label)),
            ("value", indicatorValue(i.value)),
            ("target", targetValue(i.target)),
            ("met", met(i.met)),
        ])
    }

    /// For people: `1.200.000.000`, `66.7 %`, `1.25`, `42.5`, `–` when not computable.
    public static func indicatorText(_ key: IndicatorKey, _ v: IndicatorValue?) -> String {
        switch v {
        case nil: return "–"
        case .count(let n)?: return String(n)
        case .money(let n)?: return Money.format(n)
        case .ratio(let r)?:
            switch key.kind {
            case .share: return r.percent(places: 1) + " %"
            case .days: return r.decimal(places: 1)
            default: return r.fixed(places: 2)
            }
        }
    }

    /// `report indicators`: one year's indicators (and by field), or a span of years.
    public static func indicators(_ report: IndicatorReport) -> JSONValue {
        func year(_ y: YearIndicators) -> [(String, JSONValue)] {
            // The state money advanced, apart from the payments, once any advance was made.
            let advances: [(String, JSONValue)] =
                y.advances.map { a in
                    [
                        (
                            "advances",
                            .object([
                                ("advanced", .int(a.advanced)), ("settled", .int(a.settled)),
                                ("recovered", .int(a.recovered)), ("outstanding", .int(a.outstanding)),
                            ])
                        )
                    ]
                } ?? []
            return [
                ("year", .int(y.year)),
                ("indicators", .array(y.total.indicators.map(indicator))),
                (
                    "by_field",
                    .array(
                        y.byField.map {
                            .object([
                                ("field", .string($0.field.rawValue)),
                                ("indicators", .array($0.indicators.indicators.map(indicator))),
                            ])
                        })
                ),
            ] + advances
        }
        var head: [(String, JSONValue)] = [
            ("province", .optional(report.province?.name)),
            ("province_code", .optional(report.province?.code)),
            ("field", .optional(report.field?.rawValue)),
        ]
        if report.years.count == 1, let only = report.years.first {
            head += year(only)
        } else {
            head += [
                ("from", .int(report.years.first?.year ?? 0)), ("to", .int(report.years.last?.year ?? 0)),
                ("years", .array(report.years.map { .object(year($0)) })),
            ]
        }
        return .object(head + [("notes", .array(report.notes.map(JSONValue.string)))])
    }

    /// A target as set: the same object as a row of the target list.
    public static func target(_ t: Target) -> JSONValue { Column.row(Columns.targets, t) }

    /// An output just accepted, with the state its order is in now.
    public static func acceptedOutput(_ x: Output, orderState: OrderState) -> JSONValue {
        appending(output(x, withOrder: true), ("order_state", .string(orderState.rawValue)))
    }

    /// A result just recorded or retracted, with the state its order is in now.
    public static func recordedResult(_ r: Commercialization, orderState: OrderState) -> JSONValue {
        appending(result(r, withOrder: true), ("order_state", .string(orderState.rawValue)))
    }

    static func appending(_ value: JSONValue, _ field: (String, JSONValue)) -> JSONValue {
        guard case .object(let fields) = value else { return value }
        return .object(fields + [field])
    }

    /// `verify`: the counts, each check with its number of problems, and every finding.
    public static func verification(_ v: Verification, database: String) -> JSONValue {
        .object([
            ("database", .string(database)),
            ("ok", .bool(v.isClean)),
            ("orders", .int(v.orders)),
            ("events", .int(v.events)),
            ("payments", .int(v.payments)),
            ("results", .int(v.results)),
            ("chain_head", v.chainHead.isEmpty ? .null : .string(v.chainHead)),
            (
                "checks",
                .array(
                    Verification.Check.allCases.map { check in
                        .object([
                            ("check", .string(check.rawValue)), ("title", .string(check.title)),
                            ("problems", .int(v.findings(of: check).count)),
                        ])
                    })
            ),
            (
                "findings",
                .array(
                    v.findings.map { f in
                        .object([
                            ("check", .string(f.check.rawValue)), ("order", .optional(f.order)),
                            ("message", .string(f.message)),
                        ])
                    })
            ),
        ])
    }

    /// A refusal: `{"error": {"code", "message", "details"}}`, the code stable for programs.
    public static func error(code: String, message: String, details: [String] = []) -> JSONValue {
        .object([
            (
                "error",
                .object([
                    ("code", .string(code)), ("message", .string(message)),
                    ("details", .array(details.map { .string($0) })),
                ])
            )
        ])
    }

    /// A refusal of the library, in its own words.
    public static func error(_ e: STOrdersError) -> JSONValue {
        error(code: e.code, message: e.description, details: e.details)
    }
}
