import Foundation
import GRDB
import Testing
@testable import STOrders

/// Property-based test of the lifecycle: random sequences of operations (register, add output,
/// fund, accept, pay, commercialize, cancel; with wrong states, wrong numbers, amounts too large,
/// dates too early, duplicate codes, overflowing values) run through the library against a
/// small reference model of docs/domain.md. After every step:
/// - the store accepted exactly what the model accepts, and a refusal changed nothing;
/// - the touched order reads back as the model has it (state, outputs, acceptances, paid per
///   output and per source, funding, results, events);
/// - the whole database keeps the cross-row rules (Tests/Support/consistency.sql), and the
///   indicators' running totals equal the records.
///
/// Seeded: the default run is 20 sequences × 50 steps; `STORDERS_LONG_TESTS=1` runs 200 × 100.
/// A failure names its sequence seed; `STORDERS_SEED=<seed>` replays from it.
@Suite("state machine properties")
struct StateMachinePropertyTests {
    static var sequences: Int { longTests ? 200 : 20 }
    static var steps: Int { longTests ? 100 : 50 }

    struct ModelOutput {
        var value: Int64
        var acceptedOn: Day?
        var paid: Int64 = 0
    }

    struct ModelOrder {
        var code: String
        var state: OrderState = .ordered
        var orderedOn: Day
        var fundedOn: Day?
        var deliveredOn: Day?
        var outputs: [ModelOutput] = []
        var funding: Funding?
        var paidBySource: [FundingSource: Int64] = [:]
        var results = 0
        var events = 1
    }

    static let consistencySQL: String = {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Support/consistency.sql")
        return (try? String(contentsOf: file, encoding: .utf8)) ?? "SELECT 'cannot read Tests/Support/consistency.sql'"
    }()

    @Test func randomSequencesKeepEveryInvariant() throws {
        var master = SeededRandom.fromEnvironment(fallback: 57)
        var totals = (steps: 0, accepted: 0, refused: 0)
        for _ in 0..<Self.sequences {
            let seed = master.next()
            let counts = try Self.run(seed: seed, steps: Self.steps)
            totals.steps += counts.steps
            totals.accepted += counts.accepted
            totals.refused += counts.refused
        }
        // Both kinds of outcome are exercised in quantity (else the generator is broken).
        #expect(totals.accepted > totals.steps / 5 && totals.refused > totals.steps / 5)
        print("state machine properties (seed \(master.seed)): \(Self.sequences) sequences, \(totals.steps) steps:"
              + " \(totals.accepted) accepted, \(totals.refused) refused; model and invariants held after every step")
    }

    /// One random sequence on a fresh in-memory store.
    static func run(seed: UInt64, steps: Int) throws -> (steps: Int, accepted: Int, refused: Int) {
        var random = SeededRandom(seed: seed)
        let f = try Fixture()
        var orders: [ModelOrder] = []
        var accepted = 0, refused = 0

        func pick<T>(_ items: [T]) -> T { items[Int(random.next() % UInt64(items.count))] }
        func chance(_ percent: UInt64) -> Bool { random.next() % 100 < percent }
        func amount(_ upTo: Int64) -> Int64 { Int64(random.next() % UInt64(max(1, upTo))) + 1 }

        for step in 0..<steps {
            // Days move forward with the steps; now and then one is too early for what it records.
            let today = Day(year: 2026, month: 1 + step / 28 % 12, day: 1 + step % 28)!
            let day = chance(8) ? Day(year: 2025, month: 12, day: 31)! : today
            let index = orders.isEmpty ? nil : Int(random.next() % UInt64(orders.count))
            var model = index.map { orders[$0] }
            let code = chance(3) ? "NO-SUCH" : (model?.code ?? "NO-SUCH")
            if code == "NO-SUCH" { model = nil }

            // What the model says, and the operation on the store.
            var expected: Bool
            var operation: () throws -> Void
            var label: String
            switch random.next() % 100 {
            case 0..<12:
                label = "register"
                let duplicate = !orders.isEmpty && chance(15)
                let chosen = duplicate ? pick(orders).code : nil
                expected = !duplicate
                operation = {
                    let order = try f.store.registerOrder(enterprise: f.enterprise, title: "Nhiệm vụ bước \(step)",
                                                          field: .digital, code: chosen, on: day)
                    orders.append(ModelOrder(code: order.code, orderedOn: day))
                }
                model = nil
            case 12..<32:
                label = "add output"
                let value = chance(3) ? Int64.max / 2 + 1 : amount(1_000_000)
                var fits = true
                if let m = model {
                    var sum: Int64 = value
                    for o in m.outputs {
                        let (s, overflow) = sum.addingReportingOverflow(o.value)
                        sum = s
                        if overflow { fits = false }
                    }
                }
                expected = model.map { $0.state == .ordered && day >= $0.orderedOn && fits } ?? false
                operation = {
                    try f.store.addOutput(order: code, NewOutput(title: "Đầu ra \(step)", type: .product,
                                                                 novelty: .new, value: value), on: day)
                    model?.outputs.append(ModelOutput(value: value))
                    model?.events += 1
                }
            case 32..<47:
                label = "fund"
                let needed = model.map { $0.outputs.reduce(Int64(0)) { $0 &+ $1.value } } ?? 1_000
                let total = needed < 0 ? 1 : (chance(75) ? needed + amount(1_000) - 1 : max(0, needed - amount(1_000)))
                let other = chance(25) ? total / 4 : 0
                let state = chance(50) ? total - other : (total - other) / 2
                let enterprise = total - other - state
                expected = model.map {
                    $0.state == .ordered && !$0.outputs.isEmpty && total >= needed && total > 0 && day >= $0.orderedOn
                } ?? false
                operation = {
                    let funding = try Funding(stateBudget: state, enterpriseFunds: enterprise, other: other,
                                              otherSource: other > 0 ? "Quỹ đổi mới sáng tạo" : nil, fundedOn: day)
                    try f.store.fund(order: code, funding)
                    model?.state = .funded
                    model?.fundedOn = day
                    model?.funding = funding
                    model?.events += 1
                }
            case 47..<67:
                label = "accept"
                let number = Int(random.next() % UInt64((model?.outputs.count ?? 0) + 2))
                expected = model.map {
                    $0.state == .funded && (1...max(1, $0.outputs.count)).contains(number) && number <= $0.outputs.count
                        && $0.outputs[number - 1].acceptedOn == nil && day >= ($0.fundedOn ?? day)
                } ?? false
                operation = {
                    let (_, state) = try f.store.acceptOutput(order: code, number: number, on: day)
                    model?.outputs[number - 1].acceptedOn = day
                    model?.events += 1
                    if model?.outputs.allSatisfy({ $0.acceptedOn != nil }) == true {
                        model?.state = .delivered
                        let last = model?.outputs.compactMap(\.acceptedOn).max()
                        model?.deliveredOn = last
                        model?.events += 1
                    }
                    #expect(state == model?.state)
                }
            case 67..<87:
                label = "pay"
                let number = Int(random.next() % UInt64((model?.outputs.count ?? 0) + 2))
                let source = pick(FundingSource.allCases)
                let output = model.flatMap { m in (1...max(1, m.outputs.count)).contains(number) && number <= m.outputs.count
                    ? m.outputs[number - 1] : nil }
                let remaining = output.map { $0.value - $0.paid } ?? 1_000
                let pay = chance(80) ? amount(max(1, remaining)) : remaining + amount(1_000)
                expected = model.map { m in
                    guard [.funded, .delivered, .commercialized].contains(m.state), let output, let acceptedOn = output.acceptedOn,
                          let funding = m.funding else { return false }
                    return day >= acceptedOn && pay <= output.value - output.paid
                        && pay <= funding.committed(by: source) - (m.paidBySource[source] ?? 0)
                } ?? false
                operation = {
                    try f.store.recordPayment(order: code, output: number, amount: pay, source: source, on: day)
                    model?.outputs[number - 1].paid += pay
                    model?.paidBySource[source, default: 0] += pay
                    model?.events += 1
                }
            case 87..<94:
                label = "commercialize"
                let revenue = chance(20) ? 0 : amount(5_000_000_000)
                expected = model.map { [.delivered, .commercialized].contains($0.state) && day >= ($0.deliveredOn ?? day) } ?? false
                operation = {
                    try f.store.commercialize(order: code, channel: pick(Channel.allCases), revenue: revenue, on: day)
                    model?.state = .commercialized
                    model?.results += 1
                    model?.events += 1
                }
            default:
                label = "cancel"
                expected = model.map {
                    [.ordered, .funded].contains($0.state) && day >= $0.orderedOn && day >= ($0.fundedOn ?? day)
                } ?? false
                operation = {
                    try f.store.cancel(order: code, reason: "Lý do bước \(step)", on: day)
                    model?.state = .cancelled
                    model?.events += 1
                }
            }

            let context = "seed \(seed), step \(step): \(label) \(code) on \(day)"
            let before = try f.snapshot()
            do {
                try operation()
                accepted += 1
                #expect(expected, "\(context) was accepted; the model refuses it")
            } catch let error as STOrdersError {
                refused += 1
                #expect(!expected, "\(context) was refused: \(error)")
                #expect(try f.snapshot() == before, "\(context): a refusal changed the data")
                #expect(!error.description.contains("\n"))
            }
            if let index, let model, model.code == orders[index].code { orders[index] = model }

            // The touched order reads back as the model has it.
            if let m = index.map({ orders[$0] }) {
                let d = try f.store.orderDetail(code: m.code)
                #expect(d.order.state == m.state, "\(context)")
                #expect(d.order.fundedOn == m.fundedOn && d.order.deliveredOn == m.deliveredOn, "\(context)")
                #expect(d.outputs.map(\.value) == m.outputs.map(\.value), "\(context)")
                #expect(d.outputs.map(\.acceptedOn) == m.outputs.map(\.acceptedOn), "\(context)")
                #expect(d.outputs.map(\.paid) == m.outputs.map(\.paid), "\(context)")
                #expect(d.funding?.total == m.funding?.total, "\(context)")
                for source in FundingSource.allCases {
                    #expect(d.payments.filter { $0.source == source }.reduce(0) { $0 + $1.amount } == (m.paidBySource[source] ?? 0))
                }
                #expect(d.results.count == m.results && d.events.count == m.events, "\(context)")
            }
            let broken = try f.store.writer.read { db in try String.fetchAll(db, sql: Self.consistencySQL) }
            #expect(broken.isEmpty, "\(context): \(broken)")
            let drift = try f.store.writer.read { db in try Tallies.differences(db).flatMap(\.shown) }
            #expect(drift.isEmpty, "\(context): the running totals differ from the records: \(drift)")
        }
        return (steps, accepted, refused)
    }
}
