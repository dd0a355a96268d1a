/// Where a payment request stands (docs/requests.md). The enterprise asks to be paid against an
/// accepted output: `requested`. An officer approves it (`approved`) or returns it with a reason
/// (`returned`); an approved request is disbursed with the treasury's reference (`paid`), or
/// returned after all (the treasury refused it, or a mistake was found before the money left).
/// `returned` and `paid` are final.
public enum PaymentRequestState: String, Vocabulary {
    case requested, approved, returned, paid
    public static let noun = "payment request state"

    /// What an officer does with a request.
    public enum Step: String, Sendable, CaseIterable {
        case approve, `return`, disburse

        /// What the step needs, for a refusal.
        var needs: String {
            switch self {
            case .approve: return "requested"
            case .return: return "requested or approved"
            case .disburse: return "approved"
            }
        }
    }

    /// The state a step leads to from this one, or why it is refused. The one definition of the
    /// request's state machine.
    public func next(after step: Step) -> Swift.Result<PaymentRequestState, OrderState.Refusal> {
        switch (self, step) {
        case (.requested, .approve): return .success(.approved)
        case (.requested, .return), (.approved, .return): return .success(.returned)
        case (.approved, .disburse): return .success(.paid)
        default: return .failure(OrderState.Refusal(needs: step.needs))
        }
    }

    /// Whether the request still holds money back: what it asks for counts against the output's
    /// and the source's remaining amounts until it is paid or returned.
    public var isOpen: Bool { self == .requested || self == .approved }
}

/// An enterprise's request to be paid against one accepted output, numbered 1, 2, … within its
/// order (apart from the payments' numbers).
public struct PaymentRequest: Hashable, Sendable {
    public var orderCode: String
    public var number: Int
    public var outputNumber: Int
    public var amount: Int64
    public var source: FundingSource
    public var requestedOn: Day
    public var state: PaymentRequestState
    public var approvedOn: Day?
    /// When and why it was returned.
    public var returnedOn: Day?
    public var returnReason: String?
    /// The payment that disbursed it, with its day and treasury reference.
    public var paymentNumber: Int?
    public var paidOn: Day?
    public var reference: String?

    public init(
        orderCode: String, number: Int, outputNumber: Int, amount: Int64, source: FundingSource, requestedOn: Day,
        state: PaymentRequestState = .requested, approvedOn: Day? = nil, returnedOn: Day? = nil,
        returnReason: String? = nil, paymentNumber: Int? = nil, paidOn: Day? = nil, reference: String? = nil
    ) {
        self.orderCode = orderCode
        self.number = number
        self.outputNumber = outputNumber
        self.amount = amount
        self.source = source
        self.requestedOn = requestedOn
        self.state = state
        self.approvedOn = approvedOn
        self.returnedOn = returnedOn
        self.returnReason = returnReason
        self.paymentNumber = paymentNumber
        self.paidOn = paidOn
        self.reference = reference
    }

    /// The day of its latest step.
    public var lastStepOn: Day { paidOn ?? returnedOn ?? approvedOn ?? requestedOn }
}
