import Testing

@testable import STOrders

/// Property-based test of the amendments (docs/deadlines.md): random sequences of an officer's
/// extensions, enterprises' requests, approvals, refusals and acceptances on one funded order,
/// against a small reference model written here with plain values (it calls none of the
/// product's rules: not `AmendmentState.next`, not `Deadlines`). After every step the store
/// accepted exactly what the model accepts (a refusal with the model's error, changing nothing),
/// and the order reads back as the model has it: each output's due date in force (its original
/// unchanged), the contract's end in force, every amendment's state and dates.
///
/// Seeded: 12 sequences × 30 steps; `STORDERS_LONG_TESTS=1` runs 100 × 60; `STORDERS_SEED` replays.
@Suite("amendment properties")
struct AmendmentPropertyTests {
    static var sequences: Int { longTests ? 100 : 12 }
    static var steps: Int { longTests ? 60 : 30 }

    struct ModelAmendment: Equatable {
        var output: Int?  // nil: the contract's end
        var previous: Day
        var proposed: Day
        var byOfficer: Bool
        var state: String  // "requested", "approved", "refused"
        var decided: Day?
    }

    struct Model {
        var originals: [Day]
        var dues: [Day]
        var accepted: [Day?]
        var end: Day
        var amendments: [ModelAmendment] = []
        var delivered: Bool { accepted.allSatisfy { $0 != nil } }

        func what(_ output: Int?) -> String { output.map { "output \($0)" } ?? "the contract's end" }

        /// What the model expects of an extension or a request: nil when accepted.
        func refusal(code: String, output: Int?, to proposed: Day) -> STOrdersError? {
            if delivered {
                return .transitionRefused(
                    code: code, from: .delivered, action: "amend a date",
                    needs: "funded (dates are amended while the outputs are due)")
            }
            if let n = output {
                if let on = accepted[n - 1] { return .outputAlreadyAccepted(order: code, number: n, on: on) }
                if proposed <= dues[n - 1] {
                    return .amendmentNotLater(order: code, what: what(output), proposed: proposed, inForce: dues[n - 1])
                }
                if proposed > end {
                    return .dueOutsidePeriod(order: code, number: n, due: proposed, starts: Self.starts, ends: end)
                }
            } else if proposed <= end {
                return .amendmentNotLater(order: code, what: what(nil), proposed: proposed, inForce: end)
            }
            if let open = amendments.firstIndex(where: { $0.output == output && $0.state == "requested" }) {
                return .amendmentRequestOpen(order: code, what: what(output), number: open + 1)
            }
            return nil
        }

        static var starts: Day { Day(year: 2025, month: 4, day: 1) ?? Day.today() }
        static var acceptedOn: Day { Day(year: 2025, month: 4, day: 2) ?? Day.today() }
    }

    @Test func amendmentsFollowTheReferenceModel() throws {
        var seeds = SeededRandom.fromEnvironment(fallback: 0xA3E4_D3E7)
        for _ in 0..<Self.sequences {
            let seed = seeds.next()
            try run(seed: seed)
        }
    }

    func run(seed: UInt64) throws {
        var random = SeededRandom(seed: seed)
        let f = try Fixture()
        let code = try DeadlinesTests.orderWithDues(f, due2: try day("2026-03-31"))
        try DeadlinesTests.period(f, code)
        var model = Model(
            originals: [try day("2025-12-31"), try day("2026-03-31")],
            dues: [try day("2025-12-31"), try day("2026-03-31")], accepted: [nil, nil], end: try day("2026-06-30"))
        // Every step on its own later day; acceptances dated the day after funding (the model's
        // `acceptedOn`) would break that, so they come first or not at all.
        var today = try day("2025-04-05")
        if Int.random(in: 0..<4, using: &random) == 0 {
            try f.store.acceptOutput(order: code, number: 1, on: Model.acceptedOn)
            model.accepted[0] = Model.acceptedOn
        }
        for step in 0..<Self.steps {
            today = today.adding(days: Int.random(in: 0...3, using: &random))
            let context = "seed \(seed) step \(step)"
            let output: Int? = Int.random(in: 0..<3, using: &random) == 0 ? nil : Int.random(in: 1...2, using: &random)
            let inForce = output.map { model.dues[$0 - 1] } ?? model.end
            let proposed = inForce.adding(days: Int.random(in: -5...90, using: &random))
            let target: AmendmentTarget = output.map { .output($0) } ?? .contractEnd
            switch Int.random(in: 0..<10, using: &random) {
            case 0...2:  // an officer's extension
                if let refusal = model.refusal(code: code, output: output, to: proposed) {
                    try f.expectRefusal(refusal) {
                        try f.store.amend(order: code, target, to: proposed, reason: "Gia hạn \(step)", on: today)
                    }
                } else {
                    try f.store.amend(order: code, target, to: proposed, reason: "Gia hạn \(step)", on: today)
                    model.amendments.append(
                        ModelAmendment(
                            output: output, previous: inForce, proposed: proposed, byOfficer: true, state: "approved",
                            decided: today))
                    if let n = output { model.dues[n - 1] = proposed } else { model.end = proposed }
                }
            case 3...5:  // an enterprise's request
                if let refusal = model.refusal(code: code, output: output, to: proposed) {
                    try f.expectRefusal(refusal) {
                        try f.store.requestAmendment(
                            order: code, target, to: proposed, reason: "Đề nghị \(step)", on: today)
                    }
                } else {
                    try f.store.requestAmendment(
                        order: code, target, to: proposed, reason: "Đề nghị \(step)", on: today)
                    model.amendments.append(
                        ModelAmendment(
                            output: output, previous: inForce, proposed: proposed, byOfficer: false, state: "requested")
                    )
                }
            case 6...8:  // a decision, on a request or on any other number
                let number = Int.random(in: 1...(model.amendments.count + 1), using: &random)
                let approve = Bool.random(using: &random)
                let decide = {
                    try f.store.decideAmendment(
                        order: code, number: number, approve ? .approve : .refuse, reason: "Quyết định \(step)",
                        on: today)
                }
                guard number <= model.amendments.count else {
                    try f.expectRefusal(.unknownAmendment(order: code, number: number, count: model.amendments.count)) {
                        _ = try decide()
                    }
                    break
                }
                let a = model.amendments[number - 1]
                if a.state != "requested" {
                    let state: AmendmentState = a.state == "approved" ? .approved : .refused
                    let on = a.decided ?? today
                    try f.expectRefusal(.amendmentAlreadyDecided(order: code, number: number, state: state, on: on)) {
                        _ = try decide()
                    }
                } else if approve && model.delivered {
                    try f.expectRefusal(
                        .transitionRefused(
                            code: code, from: .delivered, action: "amend a date",
                            needs: "funded (dates are amended while the outputs are due)")
                    ) { _ = try decide() }
                } else if approve, let n = a.output, let on = model.accepted[n - 1] {
                    try f.expectRefusal(.outputAlreadyAccepted(order: code, number: n, on: on)) {
                        _ = try decide()
                    }
                } else {
                    _ = try decide()
                    model.amendments[number - 1].state = approve ? "approved" : "refused"
                    model.amendments[number - 1].decided = today
                    if approve {
                        if let n = a.output { model.dues[n - 1] = a.proposed } else { model.end = a.proposed }
                    }
                }
            default:  // an acceptance
                let n = Int.random(in: 1...2, using: &random)
                if model.accepted[n - 1] == nil {
                    try f.store.acceptOutput(order: code, number: n, on: today)
                    model.accepted[n - 1] = today
                }
            }
            let d = try f.store.orderDetail(code: code)
            #expect(d.outputs.map(\.dueInForce) == model.dues, "\(context)")
            #expect(d.outputs.map(\.dueOn) == model.originals, "\(context)")
            #expect(d.funding?.endInForce == model.end, "\(context)")
            #expect(d.funding?.endsOn == (try day("2026-06-30")), "\(context)")
            let got = d.amendments.map {
                ModelAmendment(
                    output: { if case .output(let n) = $0.target { return n } else { return nil } }($0),
                    previous: $0.previousOn, proposed: $0.proposedOn, byOfficer: $0.requestedBy == .officer,
                    state: $0.state.rawValue, decided: $0.decidedOn)
            }
            #expect(got == model.amendments, "\(context)")
        }
        #expect(try f.store.verify().findings.isEmpty, "seed \(seed)")
    }
}
