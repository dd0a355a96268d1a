import GRDB
import Testing

@testable import STOrders

/// The checklist: a setting of the database that each step consults in its own transaction.
@Suite struct ChecklistTests {
    func attach(_ f: Fixture, _ order: String, _ kind: DocumentKind, output: Int? = nil, on text: String) throws {
        try f.store.attachDocument(
            order: order, content: try DocumentContent(bytes: Array("\(kind) \(text)".utf8), name: "tệp"),
            fileName: "\(kind).pdf", kind: kind, output: output, on: try day(text))
    }

    @Test func aNewDatabaseHasAnEmptyChecklist() throws {
        let f = try Fixture()
        #expect(try f.store.checklist() == Checklist())
        #expect(try f.store.checklistSettings().isEmpty)
        // Every step is taken as before.
        _ = try f.commercialized()
    }

    @Test func settingAndClearingKeepsTheHistory() throws {
        let f = try Fixture()
        let s = try f.store.setChecklist(.accept, kinds: [.report, .minutes, .minutes])
        #expect(s.kinds == [.minutes, .report] && s.setBy == "kiểm thử")
        try f.store.setChecklist(.fund, kinds: [.contract])
        try f.store.setChecklist(.accept, kinds: [])
        #expect(try f.store.checklist() == Checklist([.fund: [.contract]]))
        #expect(try f.store.checklistSettings().map(\.step) == [.fund, .accept])
        #expect(try f.store.checklistHistory().map(\.kinds) == [[.minutes, .report], [.contract], []])
        #expect(try f.store.verify().isClean)
    }

    @Test func fundingNeedsTheOrdersContract() throws {
        let f = try Fixture()
        try f.store.setChecklist(.fund, kinds: [.contract, .report])
        let code = try f.ordered()
        let funding = try Funding(stateBudget: 2_000_000_000, fundedOn: try day("2025-04-02"))
        // A contract attached to an output, or dated after the step, does not count.
        try attach(f, code, .contract, output: 1, on: "2025-03-20")
        try attach(f, code, .report, on: "2025-03-20")
        try f.expectRefusal(.checklistUnmet(order: code, step: .fund, target: nil, missing: [.contract])) {
            try f.store.fund(order: code, funding)
        }
        try attach(f, code, .contract, on: "2025-04-02")
        try f.store.fund(order: code, funding)
        #expect(try f.store.orderDetail(code: code).order.state == .funded)
    }

    @Test func acceptanceListsExactlyTheMissingKindsOfThatOutput() throws {
        let f = try Fixture()
        let code = try f.funded()
        try f.store.setChecklist(.accept, kinds: [.minutes, .report, .invoice])
        try attach(f, code, .report, output: 1, on: "2025-09-01")
        try attach(f, code, .minutes, output: 2, on: "2025-09-01")
        try attach(f, code, .invoice, output: 1, on: "2025-09-20")  // after the step's day
        let expected = STOrdersError.checklistUnmet(
            order: code, step: .accept, target: 1, missing: [.invoice, .minutes])
        try f.expectRefusal(expected) { try f.store.acceptOutput(order: code, number: 1, on: try day("2025-09-15")) }
        #expect(expected.code == "checklist_unmet" && expected.category == .refused)
        #expect(
            expected.description
                == "order \(code): accept output 1 is refused by the checklist: output 1 lacks invoice, minutes (a document of each kind, attached on or before the step's day)"
        )
        try attach(f, code, .minutes, output: 1, on: "2025-09-15")
        try f.store.acceptOutput(order: code, number: 1, on: try day("2025-09-20"))
    }

    @Test func paymentAndCommercializationConsultIt() throws {
        let f = try Fixture()
        let code = try f.delivered()
        try f.store.setChecklist(.pay, kinds: [.invoice])
        try f.store.setChecklist(.commercialize, kinds: [.report])
        try f.expectRefusal(.checklistUnmet(order: code, step: .pay, target: 2, missing: [.invoice])) {
            try f.store.recordPayment(order: code, output: 2, amount: 1_000_000, on: try day("2025-12-01"))
        }
        try attach(f, code, .invoice, output: 2, on: "2025-12-01")
        try f.store.recordPayment(order: code, output: 2, amount: 1_000_000, on: try day("2025-12-01"))
        try f.expectRefusal(.checklistUnmet(order: code, step: .commercialize, target: nil, missing: [.report])) {
            try f.store.commercialize(order: code, channel: .sale, revenue: 5, on: try day("2026-02-10"))
        }
        try attach(f, code, .report, on: "2026-02-01")
        try f.store.commercialize(order: code, channel: .sale, revenue: 5, on: try day("2026-02-10"))
        #expect(try f.store.verify().isClean)
    }

    @Test func anEditedChecklistRowBreaksItsChain() throws {
        let t = try TempStore(demo: false)
        defer { t.cleanUp() }
        try t.store.setChecklist(.accept, kinds: [.minutes])
        try t.store.setChecklist(.pay, kinds: [.invoice])
        try t.tamper(
            """
            DROP TRIGGER checklist_never_changed;
            UPDATE checklist SET kinds = '' WHERE step = 'accept';
            """)
        let v = try Store.open(path: t.path, actor: "kiểm toán").verify()
        #expect(
            v.findings(of: .chain).map(\.message) == [
                "checklist row #1 (step accept) does not match its hash: it was edited, or a row before it was deleted, inserted or moved"
            ])
    }
}
