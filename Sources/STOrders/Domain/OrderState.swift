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
        case (.commercialize, _): return .failure(Refusal(needs: "delivered (or commercialized, to record a further result)"))
        case (.cancel, .ordered), (.cancel, .funded): return .success(.cancelled)
        case (.cancel, .delivered), (.cancel, .commercialized):
            return .failure(Refusal(needs: "ordered or funded (a delivered order is never cancelled)"))
        case (.cancel, .cancelled): return .failure(Refusal(needs: "ordered or funded (it is already cancelled)"))
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

    /// No step leads out of these.
    public var isFinal: Bool { self == .cancelled }
}
