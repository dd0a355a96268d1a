/// A market-oriented deliverable of an order, numbered 1, 2, … within it. Its value is what is
/// paid when it is accepted.
public struct Output: Hashable, Sendable {
    public var orderCode: String
    public var number: Int
    public var title: String
    public var type: OutputType
    public var novelty: Novelty
    public var value: Int64
    public var acceptedOn: Day?
    public var evidence: String?
    /// What has been paid against it so far.
    public var paid: Int64

    public init(
        orderCode: String, number: Int, title: String, type: OutputType, novelty: Novelty, value: Int64,
        acceptedOn: Day? = nil, evidence: String? = nil, paid: Int64 = 0
    ) {
        self.orderCode = orderCode
        self.number = number
        self.title = title
        self.type = type
        self.novelty = novelty
        self.value = value
        self.acceptedOn = acceptedOn
        self.evidence = evidence
        self.paid = paid
    }
}

/// What a user gives to add an output.
public struct NewOutput: Sendable {
    public var title: String
    public var type: OutputType
    public var novelty: Novelty
    public var value: Int64

    public init(title: String, type: OutputType, novelty: Novelty, value: Int64) {
        self.title = title
        self.type = type
        self.novelty = novelty
        self.value = value
    }
}
