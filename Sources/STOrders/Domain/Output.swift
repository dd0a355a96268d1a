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
    /// When it is due, as set when it was added (nil for an output of a file upgraded from
    /// schema version 5), and the later date an approved amendment moved it to.
    public var dueOn: Day?
    public var extendedTo: Day?

    /// The due date in force: the latest extension, else the date set when it was added.
    public var dueInForce: Day? { extendedTo ?? dueOn }

    public init(
        orderCode: String, number: Int, title: String, type: OutputType, novelty: Novelty, value: Int64,
        acceptedOn: Day? = nil, evidence: String? = nil, paid: Int64 = 0, dueOn: Day? = nil, extendedTo: Day? = nil
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
        self.dueOn = dueOn
        self.extendedTo = extendedTo
    }
}

/// What a user gives to add an output.
public struct NewOutput: Sendable {
    public var title: String
    public var type: OutputType
    public var novelty: Novelty
    public var value: Int64
    /// When it is due (docs/deadlines.md): needed before the order is funded with a contract period.
    public var dueOn: Day?

    public init(title: String, type: OutputType, novelty: Novelty, value: Int64, dueOn: Day? = nil) {
        self.title = title
        self.type = type
        self.novelty = novelty
        self.value = value
        self.dueOn = dueOn
    }
}
