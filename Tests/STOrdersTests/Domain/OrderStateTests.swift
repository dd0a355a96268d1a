import Testing

@testable import STOrders

@Suite struct OrderStateTests {
    typealias A = OrderState.Action

    /// Every (state, action) pair the lifecycle allows, and where it leads. Everything else is refused.
    static let allowed: [OrderState: [A: OrderState]] = [
        .ordered: [.addOutput: .ordered, .fund: .funded, .cancel: .cancelled],
        .funded: [
            .acceptOutput: .funded, .recordPayment: .funded, .cancel: .cancelled, .reversePayment: .funded,
            .amend: .funded, .advance: .funded,
        ],
        .delivered: [.recordPayment: .delivered, .commercialize: .commercialized, .reversePayment: .delivered],
        .commercialized: [
            .recordPayment: .commercialized, .commercialize: .commercialized,
            .reversePayment: .commercialized, .retractResult: .commercialized,
        ],
        // A cancelled order keeps its payments; a reversal still corrects one.
        .cancelled: [.reversePayment: .cancelled],
    ]

    @Test(arguments: OrderState.allCases)
    func everyTransitionIsAsTheLifecycleSays(_ state: OrderState) {
        for action in A.allCases {
            let result = state.next(after: action)
            if let expected = Self.allowed[state]?[action] {
                #expect(result == .success(expected), "\(state) --\(action)--> should give \(expected)")
            } else {
                guard case .failure(let refusal) = result else {
                    Issue.record("\(state) --\(action)--> should be refused")
                    continue
                }
                #expect(!refusal.needs.isEmpty)
            }
        }
    }

    @Test func lastAcceptanceDelivers() {
        #expect(OrderState.afterAcceptance(remainingUnaccepted: 0) == .delivered)
        #expect(OrderState.afterAcceptance(remainingUnaccepted: 2) == .funded)
    }

    @Test func deliveredAndCommercializedAreNeverCancelled() {
        for state in [OrderState.delivered, .commercialized, .cancelled] {
            guard case .failure(let r) = state.next(after: .cancel) else {
                Issue.record("\(state) was cancellable")
                continue
            }
            #expect(r.needs.hasPrefix("ordered or funded"))
        }
    }
}
