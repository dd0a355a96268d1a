import GRDB
import Testing

@testable import STOrders

/// The generator puts payment requests into the history as the office's process makes them
/// (docs/requests.md): most of the state budget's payments were asked for and approved before
/// the treasury paid them, some after a first request was returned, and orders still funded carry
/// requests still open, which the inbox shows and an officer can take further with the commands.
@Suite struct GeneratedRequestsTests {
    @Test func paidRequestsAreTheirPaymentsAndOpenOnesWaitInTheInbox() throws {
        let store = try Store.inMemory()
        try store.generate(GeneratorOptions(orders: 400, seed: 11))
        let codes = try store.read { db in try String.fetchAll(db, sql: "SELECT code FROM orders ORDER BY id") }
        var states: [PaymentRequestState: Int] = [:]
        var statePayments = 0
        var requested: [(code: String, number: Int)] = []
        for code in codes {
            let o = try store.orderDetail(code: code)
            let history = try store.history(code: code)
            #expect(o.paymentRequests.map(\.number) == (0..<o.paymentRequests.count).map { $0 + 1 }, "\(code)")
            statePayments += o.payments.filter { $0.source == .state }.count
            for r in o.paymentRequests {
                states[r.state, default: 0] += 1
                let output = try #require(o.outputs.first { $0.number == r.outputNumber })
                let accepted = try #require(output.acceptedOn, "\(code): request \(r.number) for an unaccepted output")
                #expect(r.requestedOn >= accepted && r.source == .state)
                let made = try #require(
                    history.firstIndex {
                        $0.action == .paymentRequested && $0.details.hasPrefix("payment request \(r.number):")
                    })
                #expect(history[made].occurredOn == r.requestedOn && history[made].actor == "enterprise")
                switch r.state {
                case .paid:
                    // Disbursed by its own payment, recorded just before the request is paid.
                    let p = try #require(o.payments.first { $0.number == r.paymentNumber })
                    #expect(p.amount == r.amount && p.outputNumber == r.outputNumber && p.source == .state)
                    #expect(
                        p.paidOn == r.paidOn && p.reference == r.reference && (r.approvedOn ?? p.paidOn) <= p.paidOn)
                    let paid = try #require(
                        history.firstIndex {
                            $0.action == .paymentRequestPaid && $0.details.hasPrefix("payment request \(r.number) ")
                        })
                    #expect(history[paid - 1].action == .paymentRecorded)
                    #expect(history[paid - 1].details.hasPrefix("payment \(p.number):"))
                    #expect(made < paid)
                case .returned:
                    #expect(
                        r.returnReason.map { !$0.isEmpty } == true && (r.returnedOn ?? r.requestedOn) >= r.requestedOn)
                case .requested, .approved:
                    // Open only on an order still funded, made after everything else it holds.
                    #expect(o.order.state == .funded, "\(code)")
                    if r.state == .requested { requested.append((code, r.number)) }
                }
            }
        }
        let paid = states[.paid, default: 0]
        #expect(paid > statePayments / 3 && paid < statePayments * 4 / 5)
        #expect(
            states[.returned, default: 0] > 0 && states[.requested, default: 0] > 0 && states[.approved, default: 0] > 0
        )
        // The inbox shows every open request.
        let inbox = try store.inbox(InboxFilter(asOf: try #require(Day(year: 2040, month: 1, day: 1)), limit: 1000))
        #expect(
            inbox.filter { $0.kind == .paymentRequest }.count
                == states[.requested, default: 0] + states[.approved, default: 0])
        #expect(try store.verify().isClean)
        // What the generator left open, the commands take further: the rules agree with it.
        let (code, number) = try #require(requested.first)
        let day = try #require(Day(year: 2040, month: 1, day: 2))
        try store.approvePaymentRequest(order: code, number: number, on: day)
        let (request, payment) = try store.disbursePaymentRequest(
            order: code, number: number, reference: "UNC 77/KBNN-Đà Nẵng", on: day)
        #expect(request.state == .paid && payment.amount == request.amount)
    }
}
