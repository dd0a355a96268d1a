/// The commitment that makes an order funded, by source.
public struct Funding: Hashable, Sendable {
    public var stateBudget: Int64
    public var enterpriseFunds: Int64
    public var other: Int64
    public var otherSource: String?
    public var fundedOn: Day
    /// The contract's period (docs/deadlines.md): both or neither (nil for a funding of a file
    /// upgraded from schema version 5, or an order funded without deadlines), and the later end
    /// an approved amendment moved it to.
    public var startsOn: Day?
    public var endsOn: Day?
    public var endsExtendedTo: Day?

    /// The contract's end in force: the latest extension, else the end agreed at funding.
    public var endInForce: Day? { endsExtendedTo ?? endsOn }

    /// Validates the amounts: at least one, `other` with its source, a total that fits; and the
    /// period: both dates or neither, the end on or after the start.
    public init(
        stateBudget: Int64 = 0, enterpriseFunds: Int64 = 0, other: Int64 = 0, otherSource: String? = nil,
        fundedOn: Day, startsOn: Day? = nil, endsOn: Day? = nil, endsExtendedTo: Day? = nil
    ) throws {
        if let start = startsOn, let end = endsOn, end < start {
            throw STOrdersError.contractPeriodInvalid(starts: start, ends: end)
        }
        if (startsOn == nil) != (endsOn == nil) {
            throw STOrdersError.invalidDate(
                (startsOn ?? endsOn)?.description ?? "", reason: "a contract period needs both its start and its end")
        }
        // Free text like any other: no control characters, a bounded length (it is printed in
        // `order show` and stored in the history).
        let source = try Text.validateOptional(otherSource, what: "other source")
        if other > 0 && source == nil { throw STOrdersError.otherSourceMissing }
        if other == 0 && source != nil { throw STOrdersError.otherSourceWithoutAmount }
        guard stateBudget >= 0, enterpriseFunds >= 0, other >= 0 else {
            throw STOrdersError.invalidAmount(
                "\(min(stateBudget, enterpriseFunds, other))", reason: "amounts cannot be negative")
        }
        _ = try Money.sum([stateBudget, enterpriseFunds, other])
        self.stateBudget = stateBudget
        self.enterpriseFunds = enterpriseFunds
        self.other = other
        self.otherSource = other > 0 ? source : nil
        self.fundedOn = fundedOn
        self.startsOn = startsOn
        self.endsOn = endsOn
        self.endsExtendedTo = endsExtendedTo
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

extension Funding {
    /// A funding as given for an order: the amounts of the sources named (nil for a source not
    /// given). At least one source must commit more than 0 đồng; then as `init`.
    public static func commitment(
        order: String, stateBudget: Int64?, enterpriseFunds: Int64?, other: Int64?,
        otherSource: String?, fundedOn: Day, startsOn: Day? = nil, endsOn: Day? = nil
    ) throws -> Funding {
        let given = [stateBudget, enterpriseFunds, other].compactMap { $0 }
        guard given.contains(where: { $0 != 0 }) else { throw STOrdersError.fundingMissing(order: order) }
        return try Funding(
            stateBudget: stateBudget ?? 0, enterpriseFunds: enterpriseFunds ?? 0, other: other ?? 0,
            otherSource: otherSource, fundedOn: fundedOn, startsOn: startsOn, endsOn: endsOn)
    }

    /// The money rule of funding (docs/domain.md): an order is funded only with at least one output,
    /// and with a commitment that covers the sum of its outputs' values. The one definition the
    /// store's `fund`, the CSV import, the restore and `verify` call.
    public static func requireCovers(order: String, funding total: Int64, outputValues: [Int64]) throws {
        guard !outputValues.isEmpty else { throw STOrdersError.noOutputs(order: order) }
        try requireCovers(order: order, funding: total, outputs: outputValues.count, worth: try Money.sum(outputValues))
    }

    /// The same rule, given how many outputs there are and their total value (for a reader
    /// that adds them up as they stream past).
    public static func requireCovers(order: String, funding total: Int64, outputs count: Int, worth: Int64) throws {
        guard count > 0 else { throw STOrdersError.noOutputs(order: order) }
        guard total >= worth else {
            throw STOrdersError.fundingInsufficient(order: order, funding: total, outputs: worth)
        }
    }
}
