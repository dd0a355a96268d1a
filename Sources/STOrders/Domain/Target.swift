/// The indicators the framework names a yearly target for. Each target is a floor ("at least").
public enum TargetKey: String, Vocabulary {
    case newOrImprovedOutputs = "new_or_improved_outputs"
    case enterprisesInnovating = "enterprises_innovating"
    case innovativeStartups = "innovative_startups"
    case ordersDecidedShare = "orders_decided_share"
    public static let noun = "target key"

    /// What the target is a floor for, in a few words.
    public var label: String {
        switch self {
        case .newOrImprovedOutputs: return "New or improved products, services or models a year"
        case .enterprisesInnovating: return "Enterprises engaged in technological innovation"
        case .innovativeStartups: return "Innovative startups among them"
        case .ordersDecidedShare: return "Share of the year's orders decided within the year"
        }
    }

    /// A count (outputs, enterprises) or a share between 0 and 1.
    public var isShare: Bool { self == .ordersDecidedShare }

    /// The framework's default, as stored by schema.sql (a test checks the two agree).
    public var frameworkDefault: TargetValue {
        switch self {
        case .newOrImprovedOutputs: return .count(30)
        case .enterprisesInnovating: return .count(100)
        case .innovativeStartups: return .count(5)
        case .ordersDecidedShare: return .share(basisPoints: 8000)
        }
    }

    /// The indicator the target applies to.
    public var indicator: IndicatorKey {
        switch self {
        case .newOrImprovedOutputs: return .newOrImprovedOutputs
        case .enterprisesInnovating: return .enterprisesInnovating
        case .innovativeStartups: return .innovativeStartups
        case .ordersDecidedShare: return .ordersDecidedShare
        }
    }
}

/// A target's value: a count, or a share stored as basis points (8000 = 80 %), never a Double.
public enum TargetValue: Hashable, Sendable, CustomStringConvertible {
    case count(Int64)
    case share(basisPoints: Int64)

    /// The largest count target accepted (a billion outputs is already absurd).
    public static let maxCount: Int64 = 1_000_000_000

    /// What is stored in `targets.value`.
    public var stored: Int64 {
        switch self {
        case .count(let n): return n
        case .share(let bp): return bp
        }
    }

    public var ratio: Ratio {
        switch self {
        case .count(let n): return Ratio(n, 1) ?? Ratio(basisPoints: 0)
        case .share(let bp): return Ratio(basisPoints: bp)
        }
    }

    /// `30`, `80%`, `87.5%`.
    public var description: String {
        switch self {
        case .count(let n): return String(n)
        case .share(let bp): return Ratio.percentText(basisPoints: bp)
        }
    }

    /// Parses a target as a user types it. A count is a whole number from 1 to a billion; a share
    /// is a percentage (`80%`, `87.5%`, up to 2 decimals) or a fraction of 1 (`0.8`, up to 4
    /// decimals), above 0 and at most 100 %.
    public static func parse(_ text: String, for key: TargetKey) throws -> TargetValue {
        let s = text.trimmingSpaces()
        if !key.isShare {
            guard !s.isEmpty, s.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), s.utf8.count <= 10,
                let n = Int64(s)
            else {
                throw STOrdersError.invalidTarget(
                    key: key.rawValue, text,
                    reason: "expected a whole number of \(key.countNoun), for example 30")
            }
            guard n >= 1, n <= maxCount else {
                throw STOrdersError.invalidTarget(
                    key: key.rawValue, text,
                    reason: "a target is at least 1 and at most \(Money.format(maxCount))")
            }
            return .count(n)
        }
        guard let bp = Ratio.basisPoints(parsing: s, fractions: true) else {
            throw STOrdersError.invalidTarget(
                key: key.rawValue, text,
                reason: "expected a percentage such as 80% or 87.5%, or a fraction of 1 such as 0.8")
        }
        guard bp <= 10_000 else {
            throw STOrdersError.invalidTarget(
                key: key.rawValue, text,
                reason: s.hasSuffix("%")
                    ? "a share is at most 100%"
                    : "a share is at most 1 (100%); write a percentage with %, for example \(s)%")
        }
        guard bp > 0 else {
            throw STOrdersError.invalidTarget(key: key.rawValue, text, reason: "a share target must be above 0%")
        }
        return .share(basisPoints: bp)
    }
}

extension TargetKey {
    var countNoun: String {
        switch self {
        case .newOrImprovedOutputs: return "outputs"
        case .enterprisesInnovating, .innovativeStartups: return "enterprises"
        case .ordersDecidedShare: return "orders"
        }
    }
}

/// One stored target: the national default (province nil) or a province's own.
public struct Target: Hashable, Sendable {
    public var key: TargetKey
    public var province: Province?
    public var value: TargetValue
    /// When it was last set (UTC, ISO-8601) and by whom.
    public var setAt: String
    public var setBy: String

    public init(key: TargetKey, province: Province?, value: TargetValue, setAt: String, setBy: String) {
        self.key = key
        self.province = province
        self.value = value
        self.setAt = setAt
        self.setBy = setBy
    }
}
