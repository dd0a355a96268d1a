/// The commitment that makes an order funded, by source.
public struct Funding: Hashable, Sendable {
    public var stateBudget: Int64
    public var enterpriseFunds: Int64
    public var other: Int64
    public var otherSource: String?
    public var fundedOn: Day

    /// Validates the amounts: at least one, `other` with its source, a total that fits.
    public init(stateBudget: Int64 = 0, enterpriseFunds: Int64 = 0, other: Int64 = 0, otherSource: String? = nil,
                fundedOn: Day) throws {
        // Free text like any other: no control characters, a bounded length (it is printed in
        // `order show` and stored in the history).
        let source = try Text.validateOptional(otherSource, what: "other source")
        if other > 0 && source == nil { throw STOrdersError.otherSourceMissing }
        if other == 0 && source != nil { throw STOrdersError.otherSourceWithoutAmount }
        guard stateBudget >= 0, enterpriseFunds >= 0, other >= 0 else {
            throw STOrdersError.invalidAmount("\(min(stateBudget, enterpriseFunds, other))", reason: "amounts cannot be negative")
        }
        _ = try Money.sum([stateBudget, enterpriseFunds, other])
        self.stateBudget = stateBudget
        self.enterpriseFunds = enterpriseFunds
        self.other = other
        self.otherSource = other > 0 ? source : nil
        self.fundedOn = fundedOn
    }

    /// All sources together (validated to fit in Int64 at construction).
    public var total: Int64 { stateBudget + enterpriseFunds + other }

    /// What one source committed.
    public func committed(by source: FundingSource) -> Int64 {
        switch source {
        case .state: return stateBudget
        case .enterprise: return enterpriseFunds
        case .other: return other
        }
    }
}
