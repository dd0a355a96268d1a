/// A result: one commercialization of a delivered order (a sale, a licence, …), numbered 1, 2, …
/// within its order. A result recorded by mistake is retracted (never deleted): it then counts
/// nowhere, but stays in the record with the date and reason of its retraction.
public struct Commercialization: Hashable, Sendable {
    public var orderCode: String
    public var number: Int
    public var channel: Channel
    public var revenue: Int64
    public var note: String?
    public var commercializedOn: Day
    public var retractedOn: Day?
    public var retractReason: String?

    public init(
        orderCode: String, number: Int, channel: Channel, revenue: Int64, note: String?, commercializedOn: Day,
        retractedOn: Day? = nil, retractReason: String? = nil
    ) {
        self.orderCode = orderCode
        self.number = number
        self.channel = channel
        self.revenue = revenue
        self.note = note
        self.commercializedOn = commercializedOn
        self.retractedOn = retractedOn
        self.retractReason = retractReason
    }

    /// Whether the result stands (was not retracted).
    public var isLive: Bool { retractedOn == nil }
}
