import STOrders

/// How indicators and targets are written: JSON numbers (integers for counts and đồng, exact
/// decimals for ratios), and text for the terminal.
extension Render {
    static func indicatorValue(_ v: IndicatorValue?) -> JSON {
        switch v {
        case nil: return .null
        case .count(let n)?, .money(let n)?: return .int(n)
        case .ratio(let r)?: return .number(r.decimal(places: 4))
        }
    }

    static func targetValue(_ t: TargetValue?) -> JSON {
        switch t {
        case nil: return .null
        case .count(let n)?: return .int(n)
        case .share(let bp)?: return .number(Ratio(basisPoints: bp).decimal(places: 4))
        }
    }

    static func met(_ m: Bool?) -> JSON { m.map(JSON.bool) ?? .null }

    static func indicator(_ i: Indicator) -> JSON {
        .object([
            ("key", .string(i.key.rawValue)),
            ("label", .string(i.key.label)),
            ("value", indicatorValue(i.value)),
            ("target", targetValue(i.target)),
            ("met", met(i.met)),
        ])
    }

    /// For the terminal: `1.200.000.000`, `66.7 %`, `1.25`, `42.5`, `–` when not computable.
    static func indicatorText(_ key: IndicatorKey, _ v: IndicatorValue?) -> String {
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

    static func targetText(_ t: TargetValue?) -> String {
        guard let t else { return "" }
        return "≥ " + t.description
    }

    static func metText(_ m: Bool?) -> String {
        switch m {
        case true?: return "met"
        case false?: return "not met"
        case nil: return ""
        }
    }

    /// The CSV cell of a value: integers, exact decimals, empty when not computable.
    static func csvCell(_ j: JSON) -> String {
        switch j {
        case .int(let n): return String(n)
        case .number(let n): return n
        case .bool(let b): return b ? "true" : "false"
        case .string(let s): return s
        default: return ""
        }
    }
}
