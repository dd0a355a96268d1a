import GRDB
import Testing

@testable import STOrders

/// The generator advances part of some orders' state budget under the limit it sets, settles
/// the advances with the later state payments as `Store.pay` does, recovers what a cancelled order
/// still had outstanding, and leaves outstanding advances only on orders still funded, which the
/// inbox lists and an officer can recover with the commands.
@Suite struct GeneratedAdvancesTests {
    @Test func advancesAreSettledByTheStatePaymentsAndRecoveredOnCancellation() throws {
        let store = try Store.inMemory()
        try store.generate(GeneratorOptions(orders: 400, seed: 11))
        #expect(try store.advanceLimit()?.basisPoints == 3000)
        let codes = try store.read { db in try String.fetchAll(db, sql: "SELECT code FROM orders ORDER BY id") }
        var advanced = 0
        var recovered = 0
        var open: [String] = []
        var funded = 0
        for code in codes {
            let o = try store.orderDetail(code: code)
            let (advances, balance) = try store.advances(order: code)
            #expect(advances == o.advances)
            if o.order.fundedOn != nil { funded += 1 }
            guard let first = advances.first else {
                #expect(o.payments.allSatisfy { $0.settled == 0 }, "\(code)")
                continue
            }
            advanced += 1
            let funding = try #require(o.funding, "\(code): advanced but not funded")
            #expect(first.kind == .advance && first.madeOn >= funding.fundedOn && first.limitShare == 3000)
            #expect(first.amount <= funding.stateBudget * 3 / 10 && first.amount > 0)
            // The state payments, in their order, settle it first; other sources settle nothing.
            var outstanding = first.amount
            for p in o.payments {
                let expected = p.source == .state ? min(p.amount, outstanding) : 0
                #expect(p.settled == expected, "\(code) payment \(p.number)")
                outstanding -= expected
            }
            switch o.order.state {
            case .cancelled:
                if outstanding > 0 {
                    recovered += 1
                    #expect(advances.count == 2 && advances[1].kind == .recovery && advances[1].amount == outstanding)
                    #expect(advances[1].madeOn == o.order.cancelledOn)
                }
                #expect(balance.outstanding == 0, "\(code)")
            case .delivered, .commercialized:
                #expect(balance.outstanding == 0, "\(code)")
            default:
                #expect(balance.outstanding == outstanding, "\(code)")
                if outstanding > 0 { open.append(code) }
            }
        }
        #expect(advanced > funded / 5 && advanced < funded / 2)
        #expect(recovered > 0 && !open.isEmpty)
        let inbox = try store.inbox(InboxFilter(asOf: try #require(Day(year: 2040, month: 1, day: 1)), limit: 1000))
        #expect(Set(inbox.filter { $0.kind == .advance }.map(\.orderCode)) == Set(open))
        #expect(try store.verify().isClean)
        // An officer recovers what one of them still has outstanding, with the command's own rules.
        let code = try #require(open.first)
        let recovery = try store.recoverAdvance(
            order: code, reason: "Doanh nghiệp hoàn trả tạm ứng", on: try #require(Day(year: 2040, month: 1, day: 2)))
        #expect(recovery.kind == .recovery)
        #expect(try store.advances(order: code).balance.outstanding == 0)
    }
}
