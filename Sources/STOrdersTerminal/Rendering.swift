import STOrders

/// Text for people (the JSON shapes are the library's `Shape`).
public enum Render {
    /// "1.200.000.000 đồng"
    public static func money(_ amount: Int64) -> String { Money.format(amount) + " đồng" }

    public static func targetText(_ t: TargetValue?) -> String {
        guard let t else { return "" }
        return "≥ " + t.description
    }

    public static func metText(_ m: Bool?) -> String {
        switch m {
        case true?: return "met"
        case false?: return "not met"
        case nil: return ""
        }
    }

    /// The CSV cell of a value: integers, exact decimals, empty when not computable.
    public static func csvCell(_ j: JSONValue) -> String {
        switch j {
        case .int(let n): return String(n)
        case .number(let n): return n
        case .bool(let b): return b ? "true" : "false"
        case .string(let s): return s
        default: return ""
        }
    }
}
