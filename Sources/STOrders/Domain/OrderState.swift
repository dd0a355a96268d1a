/// Where an order stands in its lifecycle.
///
/// ```
/// ordered ──fund──▶ funded ──(last output accepted)──▶ delivered ──commercialize──▶ commercialized
///    │                 │
///    └─────cancel──────┴──▶ cancelled
/// ```
public enum OrderState: String, Vocabulary {
    case ordered, funded, delivered, commercialized, cancelled
    public static let noun = "state"

    /// The steps a user (or the acceptance of the last output) asks of an order.
    public enum Action: String, Sendable, CaseIterable {
        case addOutput = "add an output"
        case fund
        case acceptOutput = "accept an output"
        case recordPayment = "record a payment"
        case commercialize
        case cancel
        case reversePayment = "reverse a payment"
        case retractResult = "retract a result"
        case amend = "amend a date"
        case advance = "make an advance"
    }

    /// The state an action leads to from this one, or the reason it is refused: what the
    /// action needs. `acceptOutput` keeps the order `funded`; the store moves it to `delivered`
    /// when the last output is accepted (see `afterAcceptance`).
    public func next(after action: Action) -> Swift.Result<OrderState, Refusal> {
        switch (action, self) {
        case (.addOutput, .ordered): return .success(.ordered)
        case (.addOutput, _): return .failure(Refusal(needs: "ordered (outputs are fixed once an order is funded)"))
        case (.fund, .ordered): return .success(.funded)
        case (.fund, _): return .failure(Refusal(needs: "ordered"))
        case (.acceptOutput, .funded): return .success(.funded)
        case (.acceptOutput, _): return .failure(Refusal(needs: "funded"))
        case (.recordPayment, .funded), (.recordPayment, .delivered), (.recordPayment, .commercialized):
            return .success(self)
        case (.recordPayment, _): return .failure(Refusal(needs: "funded, delivered or commercialized"))
        case (.commercialize, .delivered), (.commercialize, .commercialized): return .success(.commercialized)
        case (.commercialize, _):
            return .failure(Refusal(needs: "delivered (or commercialized, to record a further result)"))
        case (.cancel, .ordered), (.cancel, .funded): return .success(.cancelled)
        case (.cancel, .delivered), (.cancel, .commercialized):
            return .failure(Refusal(needs: "ordered or funded (a delivered order is never cancelled)"))
        case (.cancel, .cancelled): return .failure(Refusal(needs: "ordered or funded (it is already cancelled)"))
        // A reversal corrects a payment recorded by mistake, also once the order is cancelled
        // (its payments are kept); an order that was never funded has none.
        case (.reversePayment, .ordered):
            return .failure(Refusal(needs: "funded, delivered, commercialized or cancelled"))
        case (.reversePayment, _): return .success(self)
        // Keeps the order commercialized; the store returns it to delivered when no result stands.
        case (.retractResult, .commercialized): return .success(.commercialized)
        case (.retractResult, _): return .failure(Refusal(needs: "commercialized (a result that stands)"))
        // A funded order's due dates and contract end are extended while its outputs are delivered.
        case (.amend, .funded): return .success(.funded)
        case (.amend, _): return .failure(Refusal(needs: "funded (dates are amended while the outputs are due)"))
        // Money is advanced while the outputs are being made (docs/advances.md).
        case (.advance, .funded): return .success(.funded)
        case (.advance, _):
            return .failure(Refusal(needs: "funded (money is advanced before the outputs are delivered)"))
        }
    }

    /// The state once an output has been accepted, given how many remain unaccepted.
    public static func afterAcceptance(remainingUnaccepted: Int) -> OrderState {
        remainingUnaccepted == 0 ? .delivered : .funded
    }

    /// Why a step was refused: the state or states it needs.
    public struct Refusal: Error, Equatable, Sendable {
        public let needs: String
    }

    /// Replays an order's history through the lifecycle, event by event: the state it implies,
    /// or the step the lifecycle does not allow where it stands. `verify` reads every stored
    /// history with it; the commands take the same steps through `next(after:)`.
    public struct Replay: Sendable {
        /// nil before the registration.
        public private(set) var state: OrderState?
        /// Results recorded and not retracted.
        public private(set) var liveResults = 0

        public init() {}

        /// Takes one step; on a refusal, the state stays where it was.
        public mutating func apply(_ event: Event.Action) -> Refusal? {
            guard let current = state else {
                if event == .registered {
                    state = .ordered
                    return nil
                }
                return Refusal(needs: "a registration first")
            }
            let step: Swift.Result<OrderState, Refusal>
            switch event {
            case .registered: step = .failure(Refusal(needs: "no second registration"))
            case .outputAdded: step = current.next(after: .addOutput)
            case .funded: step = current.next(after: .fund)
            case .outputAccepted: step = current.next(after: .acceptOutput)
            case .delivered:
                step = current == .funded ? .success(.delivered) : .failure(Refusal(needs: "funded"))
            case .paymentRecorded: step = current.next(after: .recordPayment)
            case .paymentReversed: step = current.next(after: .reversePayment)
            case .commercialized, .resultRecorded: step = current.next(after: .commercialize)
            case .resultRetracted:
                step =
                    liveResults > 0
                    ? current.next(after: .retractResult) : .failure(Refusal(needs: "a result that stands"))
            case .cancelled: step = current.next(after: .cancel)
            // A document may be attached whatever the order's state; it moves none.
            case .documentAttached: step = .success(current)
            case .amended, .amendmentRequested, .amendmentApproved: step = current.next(after: .amend)
            // A request may be refused whatever became of its order since it was made.
            case .amendmentRefused:
                step =
                    current == .ordered ? .failure(Refusal(needs: "funded (a request to decide)")) : .success(current)
            // A payment request is made, approved and paid where a payment may be recorded; it
            // may be returned whatever became of its order since (so it never stays open for ever).
            case .paymentRequested, .paymentRequestApproved, .paymentRequestPaid:
                step = current.next(after: .recordPayment)
            case .paymentRequestReturned:
                step =
                    current == .ordered ? .failure(Refusal(needs: "funded (a request to return)")) : .success(current)
            case .advanced: step = current.next(after: .advance)
            // An outstanding advance is recovered whatever became of the order since it was made.
            case .advanceRecovered:
                step =
                    current == .ordered ? .failure(Refusal(needs: "funded (an advance to recover)")) : .success(current)
            }
            switch step {
            case .failure(let refusal): return refusal
            case .success(let next):
                switch event {
                case .commercialized, .resultRecorded: liveResults += 1
                case .resultRetracted: liveResults -= 1
                default: break
                }
                state = event == .resultRetracted && liveResults == 0 ? .delivered : next
                return nil
            }
        }
    }

    /// No step leads out of these.
    public var isFinal: Bool { self == .cancelled }
}
