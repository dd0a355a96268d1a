/// A result: one commercialization of a delivered order (a sale, a licence, …), numbered 1, 2, …
/// within its order.
public struct Commercialization: Hashable, Sendable {
    public var orderCode: String
    public var number: Int
    public var channel: Channel
    public var revenue: Int64
    public var note: String?
    public var commercializedOn: Day

    public init(orderCode: String, number: Int, channel: Channel, revenue: Int64, note: String?, commercializedOn: Day) {
        self.orderCode = orderCode
        self.number = number
        self.channel = channel
        self.revenue = revenue
        self.note = note
        self.commercializedOn = commercializedOn
    }
}
