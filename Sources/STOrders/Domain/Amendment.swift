/// Who asked for an amendment: an officer extends a date directly; an enterprise requests it.
public enum AmendmentParty: String, Vocabulary {
    case officer, enterprise
    public static let noun = "requested by"
}

/// Where an amendment stands. An officer's own amendment is `approved` as made; an enterprise's
/// request is `requested` until an officer decides it, once: `approved` or `refused`.
public enum AmendmentState: String, Vocabulary {
    case requested, approved, refused
    public static let noun = "amendment state"

    /// A decision an officer takes on a request.
    public enum Decision: String, Sendable, CaseIterable {
        case approve, refuse
    }

    /// The state a decision leads to from this one, or why it is refused (the request was
    /// already decided). The one definition of the request's state machine.
    public func next(after decision: Decision) -> Swift.Result<AmendmentState, OrderState.Refusal> {
        switch (self, decision) {
        case (.requested, .approve): return .success(.approved)
        case (.requested, .refuse): return .success(.refused)
        case (.approved, _), (.refused, _):
            return .failure(OrderState.Refusal(needs: "requested (a request is decided once)"))
        }
    }
}

/// What an amendment changes: one output's due date, or the contract's end.
public enum AmendmentTarget: Hashable, Sendable, CustomStringConvertible {
    case output(Int)
    case contractEnd

    /// How a message names it: "output 2", "the contract's end".
    public var description: String {
        switch self {
        case .output(let n): return "output \(n)"
        case .contractEnd: return "the contract's end"
        }
    }

    /// As written on the command line and in JSON: `output 2` is "2", the contract's end "contract".
    public var key: String {
        switch self {
        case .output(let n): return String(n)
        case .contractEnd: return "contract"
        }
    }
}

/// A change of a funded order's dates (docs/deadlines.md), numbered 1, 2, … within the order.
public struct Amendment: Hashable, Sendable {
    public var orderCode: String
    public var number: Int
    public var target: AmendmentTarget
    /// The date in force when it was made, and the later date it asks for.
    public var previousOn: Day
    public var proposedOn: Day
    public var reason: String
    public var requestedBy: AmendmentParty
    public var requestedOn: Day
    public var state: AmendmentState
    public var decidedOn: Day?
    /// The officer's reason for deciding an enterprise's request.
    public var decision: String?

    public init(
        orderCode: String, number: Int, target: AmendmentTarget, previousOn: Day, proposedOn: Day, reason: String,
        requestedBy: AmendmentParty, requestedOn: Day, state: AmendmentState, decidedOn: Day? = nil,
        decision: String? = nil
    ) {
        self.orderCode = orderCode
        self.number = number
        self.target = target
        self.previousOn = previousOn
        self.proposedOn = proposedOn
        self.reason = reason
        self.requestedBy = requestedBy
        self.requestedOn = requestedOn
        self.state = state
        self.decidedOn = decidedOn
        self.decision = decision
    }

    /// Whether it still waits for a decision.
    public var isOpen: Bool { state == .requested }
}
