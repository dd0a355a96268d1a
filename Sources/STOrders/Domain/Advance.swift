/// Advances (tạm ứng) and their settlement (docs/advances.md).
///
/// After funding an officer may advance part of the state budget to the enterprise before its
/// outputs are accepted. Every later state payment against an output settles what is outstanding
/// first; an advance that is not settled is recovered (the enterprise returns the money). Each is
/// a record of its own, never an edit: an advance and a recovery are rows of `advances`, and the
/// part of a payment that settled an advance is the payment's `settled` amount.

/// What a row of `advances` records: money advanced, or money the enterprise returned.
public enum AdvanceKind: String, Vocabulary {
    case advance, recovery
    public static let noun = "advance kind"
}

/// One advance or recovery of an order, numbered 1, 2, … within it (both share the numbering).
public struct Advance: Hashable, Sendable {
    public var orderCode: String
    public var number: Int
    public var kind: AdvanceKind
    public var amount: Int64
    public var madeOn: Day
    /// The State Treasury's reference of the transfer (required for an advance, optional for a
    /// recovery).
    public var reference: String?
    /// Why the money was returned (a recovery only).
    public var reason: String?
    /// The advance limit in force when an advance was made (basis points of the state budget).
    public var limitShare: Int64?

    public init(
        orderCode: String, number: Int, kind: AdvanceKind, amount: Int64, madeOn: Day, reference: String?,
        reason: String? = nil, limitShare: Int64? = nil
    ) {
        self.limitShare = limitShare
        self.orderCode = orderCode
        self.number = number
        self.kind = kind
        self.amount = amount
        self.madeOn = madeOn
        self.reference = reference
        self.reason = reason
    }
}

/// An order's advances in sum: what was advanced, settled by payments and recovered, and what is
/// outstanding (advanced − settled − recovered).
public struct AdvanceBalance: Hashable, Sendable {
    public var advanced: Int64
    public var settled: Int64
    public var recovered: Int64

    public init(advanced: Int64 = 0, settled: Int64 = 0, recovered: Int64 = 0) {
        self.advanced = advanced
        self.settled = settled
        self.recovered = recovered
    }

    public var outstanding: Int64 { advanced - settled - recovered }
    /// What the advance limit counts: advanced and not returned (a settled advance keeps its room,
    /// a recovered one frees it).
    public var counted: Int64 { advanced - recovered }
    public var isEmpty: Bool { advanced == 0 && settled == 0 && recovered == 0 }
}

/// The rules of settlement and of the advances' limits: the one definition every path uses (the
/// commands, a restore; schema.sql's triggers repeat them against raw SQL).
public enum AdvanceRule {
    /// The part of a payment that settles outstanding advances: a state payment settles what is
    /// outstanding first, up to its amount; a payment from another source settles nothing.
    public static func settlement(amount: Int64, source: FundingSource, outstanding: Int64) -> Int64 {
        guard source == .state, amount > 0 else { return 0 }
        return max(0, min(amount, outstanding))
    }

    /// The settlement a reversal of `reversed` đồng of a payment of `amount` đồng (of which
    /// `settled` settled advances) undoes, as a negative amount: a reversal takes back the cash the
    /// payment sent first (amount − settled), then the settlement, as if the payment had been
    /// smaller by the reversed amount.
    public static func undone(reversed: Int64, amount: Int64, settled: Int64) -> Int64 {
        -min(settled, max(0, reversed - (amount - settled)))
    }

    /// The most that may be advanced of a state budget under a limit of `basisPoints` (1/10,000 of
    /// it), rounded down; computed without overflow for any Int64 budget.
    public static func cap(stateBudget: Int64, basisPoints: Int64) -> Int64 {
        stateBudget / 10_000 * basisPoints + stateBudget % 10_000 * basisPoints / 10_000
    }

    /// What a further advance may be at most, or why none may be made: within the limit (the cap
    /// less what was advanced and not recovered) and within what remains of the state budget
    /// (the budget less the net state payments and the outstanding advances). `limit` is nil when
    /// the database sets none: then no advance is made.
    public static func room(
        stateBudget: Int64, paidFromState: Int64, balance: AdvanceBalance, limit basisPoints: Int64?
    ) -> (limit: Int64?, budget: Int64) {
        let budget = max(0, stateBudget - paidFromState - balance.outstanding)
        guard let basisPoints else { return (nil, budget) }
        return (max(0, cap(stateBudget: stateBudget, basisPoints: basisPoints) - balance.counted), budget)
    }
}

/// The state money advanced in a year, apart from the payments (docs/advances.md): advanced,
/// settled by payments and recovered within the year, and what was outstanding at its end (or on
/// the report's day, for the current year).
public struct AdvanceFigures: Hashable, Sendable {
    public var advanced: Int64
    public var settled: Int64
    public var recovered: Int64
    public var outstanding: Int64

    public init(advanced: Int64, settled: Int64, recovered: Int64, outstanding: Int64) {
        self.advanced = advanced
        self.settled = settled
        self.recovered = recovered
        self.outstanding = outstanding
    }

    /// Nothing advanced, settled, recovered or outstanding: a province or year without advances.
    public static let zero = AdvanceFigures(advanced: 0, settled: 0, recovered: 0, outstanding: 0)

    /// The four figures as the reports' rows and columns name them (the indicators' CSV, `report
    /// provinces`): one key and one label each.
    public enum Key: String, CaseIterable, Sendable {
        case advanced = "state_budget_advanced"
        case settled = "advances_settled"
        case recovered = "advances_recovered"
        case outstanding = "advances_outstanding"

        public var label: String {
            switch self {
            case .advanced: return "State budget advanced (tạm ứng)"
            case .settled: return "Advances settled by payments"
            case .recovered: return "Advances recovered"
            case .outstanding: return "Advances outstanding at the year's end"
            }
        }
    }

    public subscript(_ key: Key) -> Int64 {
        switch key {
        case .advanced: return advanced
        case .settled: return settled
        case .recovered: return recovered
        case .outstanding: return outstanding
        }
    }

    /// Two sets of figures added up (the provinces' into the country's).
    public static func + (a: AdvanceFigures, b: AdvanceFigures) -> AdvanceFigures {
        AdvanceFigures(
            advanced: a.advanced + b.advanced, settled: a.settled + b.settled, recovered: a.recovered + b.recovered,
            outstanding: a.outstanding + b.outstanding)
    }
}

/// The database's setting of the advances' limit: the share of an order's state budget that may be
/// advanced, in basis points (1/10,000), or none (no advance may be made). Insert-only: the latest
/// setting is in force and the earlier ones are the record of who set what when.
public struct AdvanceLimitSetting: Hashable, Sendable {
    public var basisPoints: Int64?
    public var setAt: String
    public var setBy: String

    public init(basisPoints: Int64?, setAt: String, setBy: String) {
        self.basisPoints = basisPoints
        self.setAt = setAt
        self.setBy = setBy
    }

    /// The share as people write it (`30%`), or `none`.
    public var shown: String { basisPoints.map { Ratio.percentText(basisPoints: $0) } ?? "none" }

    /// Parses a share as typed: a percentage (`30%`, `12.5%`, up to 2 decimals) from 0 to 100 %
    /// (`Ratio.basisPoints(parsing:)`, the targets' parser, without their fractions of 1).
    public static func parse(_ text: String) throws -> Int64 {
        guard let bp = Ratio.basisPoints(parsing: text, fractions: false), bp <= 10_000 else {
            throw STOrdersError.invalidValue(
                "advance limit", text, accepted: ["a percentage from 0% to 100%, up to 2 decimals, e.g. 30% or 12.5%"])
        }
        return bp
    }
}
