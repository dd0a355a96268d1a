/// Money disbursed against one accepted output, numbered 1, 2, … within its order.
public struct Payment: Hashable, Sendable {
    public var orderCode: String
    public var number: Int
    public var outputNumber: Int
    public var amount: Int64
    public var source: FundingSource
    public var reference: String?
    public var paidOn: Day

    public init(orderCode: String, number: Int, outputNumber: Int, amount: Int64, source: FundingSource,
                reference: String?, paidOn: Day) {
        self.orderCode = orderCode
        self.number = number
        self.outputNumber = outputNumber
        self.amount = amount
        self.source = source
        self.reference = reference
        self.paidOn = paidOn
    }
}
