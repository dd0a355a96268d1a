/// Money disbursed against one accepted output, numbered 1, 2, … within its order.
///
/// A correction is a further payment, a *reversal*: its amount is negative, it names the payment
/// it reverses (`reverses`) and says why (`reason`). Adding up `amount` over an order's payments
/// therefore gives the net paid.
public struct Payment: Hashable, Sendable {
    public var orderCode: String
    public var number: Int
    public var outputNumber: Int
    /// Positive for a payment, negative for a reversal.
    public var amount: Int64
    public var source: FundingSource
    public var reference: String?
    public var paidOn: Day
    /// For a reversal: the number of the payment it reverses.
    public var reverses: Int?
    /// For a reversal: why.
    public var reason: String?
    /// For a payment that was reversed: the number of the reversal.
    public var reversedBy: Int?
    /// The part of the payment that settled outstanding advances (docs/advances.md): 0 to its
    /// amount for a state payment, 0 for another source; for a reversal, minus the settlement it
    /// undid (between its amount and 0).
    public var settled: Int64

    public init(
        orderCode: String, number: Int, outputNumber: Int, amount: Int64, source: FundingSource,
        reference: String?, paidOn: Day, reverses: Int? = nil, reason: String? = nil, reversedBy: Int? = nil,
        settled: Int64 = 0
    ) {
        self.settled = settled
        self.orderCode = orderCode
        self.number = number
        self.outputNumber = outputNumber
        self.amount = amount
        self.source = source
        self.reference = reference
        self.paidOn = paidOn
        self.reverses = reverses
        self.reason = reason
        self.reversedBy = reversedBy
    }

    /// Whether this entry is a reversal of another payment.
    public var isReversal: Bool { reverses != nil }
}
