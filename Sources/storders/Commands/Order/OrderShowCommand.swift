import ArgumentParser
import STOrders

struct OrderShowCommand: StoreCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", _superCommandName: "storders order",
        abstract: "Show one order: outputs, funding, payments, results, amendments, payment requests and history.",
        discussion:
            "A funded order's late outputs and contract end are marked LATE (counted to today or STORDERS_TODAY).")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The order's code.") var order: String

    func run(store: Store, console: Console) throws {
        let d = try store.orderDetail(code: order)
        if global.json {
            console.line(Shape.detail(d).serialized())
            return
        }
        let o = d.order
        console.line("Order \(o.code) · \(o.state)")
        console.line("  \(o.title)")
        console.line("  Enterprise   \(o.enterpriseName) (tax code \(o.enterpriseTaxCode))")
        console.line("  Province     \(o.province.name) · field \(o.field)")
        var dates = ["ordered \(o.orderedOn)"]
        if let f = o.fundedOn { dates.append("funded \(f)") }
        if let x = o.deliveredOn { dates.append("delivered \(x)") }
        if let c = o.commercializedOn { dates.append("commercialized \(c)") }
        if let c = o.cancelledOn { dates.append("cancelled \(c): \(o.cancelReason ?? "")") }
        console.line("  Dates        \(dates.joined(separator: " · "))")
        console.line()
        console.line("Outputs (\(d.outputs.count), worth \(Render.money(d.outputsValue)))")
        let outputs = Table(
            [
                .init("NO", right: true), .init("TITLE"), .init("TYPE"), .init("NOVELTY"),
                .init("VALUE", right: true), .init("DUE"), .init("ACCEPTED"), .init("PAID", right: true),
            ], console: console)
        let today = try Today.day()
        for x in d.outputs {
            outputs.add([
                String(x.number), x.title, x.type.rawValue, x.novelty.rawValue, Money.format(x.value),
                Self.due(x, state: o.state, today: today), x.acceptedOn?.description ?? "–", Money.format(x.paid),
            ])
        }
        outputs.finish(empty: "  none yet")
        console.line()
        if let f = d.funding {
            var parts = [
                "state budget \(Money.format(f.stateBudget))", "enterprise \(Money.format(f.enterpriseFunds))",
            ]
            if let s = f.otherSource { parts.append("other \(Money.format(f.other)) (\(s))") }
            console.line("Funding \(Render.money(f.total)) on \(f.fundedOn): \(parts.joined(separator: ", "))")
            if let starts = f.startsOn, let ends = f.endsOn {
                let late = Deadlines.daysLate(f, orderState: o.state, on: today).map { " · LATE \($0) d" } ?? ""
                let extended = f.endsExtendedTo.map { ", extended to \($0)" } ?? ""
                console.line("Contract     \(starts) to \(ends)\(extended)\(late)")
            }
        } else {
            console.line("Funding: none yet")
        }
        let reversals = d.payments.filter(\.isReversal).count
        console.line(
            "Paid \(Render.money(d.paidTotal)) in \(d.payments.count - reversals) payment(s)"
                + (reversals == 0 ? "" : ", net of \(reversals) reversal(s)"))
        if !d.payments.isEmpty {
            let payments = Table(
                [
                    .init("NO", right: true), .init("DATE"), .init("OUTPUT", right: true),
                    .init("AMOUNT", right: true), .init("SOURCE"), .init("REFERENCE"),
                ], console: console)
            for p in d.payments {
                let reference =
                    p.reverses.map { "reverses payment \($0): \(p.reason ?? "")" }
                    ?? ((p.reference ?? "") + (p.reversedBy.map { " (reversed by payment \($0))" } ?? ""))
                let settles =
                    p.settled > 0
                    ? " · settles \(Money.format(p.settled)) of advances"
                    : p.settled < 0 ? " · undoes \(Money.format(-p.settled)) of settlement" : ""
                payments.add([
                    String(p.number), p.paidOn.description, String(p.outputNumber), Money.format(p.amount),
                    p.source.rawValue, reference + settles,
                ])
            }
            payments.finish(empty: "")
        }
        if !d.results.isEmpty {
            console.line()
            let retracted = d.results.count - d.liveResults.count
            console.line(
                "Results (\(d.liveResults.count)" + (retracted == 0 ? "" : " standing, \(retracted) retracted")
                    + ", revenue \(Render.money(d.revenueTotal)))")
            let results = Table(
                [
                    .init("NO", right: true), .init("DATE"), .init("CHANNEL"), .init("REVENUE", right: true),
                    .init("NOTE"),
                ], console: console)
            for r in d.results {
                let note =
                    r.retractedOn.map {
                        "RETRACTED \($0): \(r.retractReason ?? "")" + (r.note.map { " · \($0)" } ?? "")
                    }
                    ?? (r.note ?? "")
                results.add([
                    String(r.number), r.commercializedOn.description, r.channel.rawValue, Money.format(r.revenue), note,
                ])
            }
            results.finish(empty: "")
        }
        if !d.amendments.isEmpty {
            console.line()
            console.line("Amendments (\(d.amendments.count))")
            let amendments = Table(
                [
                    .init("NO", right: true), .init("DATE"), .init("BY"), .init("DATE OF"), .init("FROM"), .init("TO"),
                    .init("STATE"), .init("REASON"),
                ], console: console)
            for a in d.amendments {
                let state = a.decidedOn.map { "\(a.state) \($0)" } ?? a.state.rawValue
                let reason = a.reason + (a.decision.map { " · \($0)" } ?? "")
                amendments.add([
                    String(a.number), a.requestedOn.description, a.requestedBy.rawValue, a.target.description,
                    a.previousOn.description, a.proposedOn.description, state, reason,
                ])
            }
            amendments.finish(empty: "")
        }
        if !d.paymentRequests.isEmpty {
            console.line()
            PaymentRequestTable.write(d.paymentRequests, heading: true, console: console)
        }
        if !d.advances.isEmpty {
            console.line()
            console.line("Advances (\(d.advances.count))")
            AdvanceTable.write(d.advances, balance: d.advanceBalance, console: console)
        }
        console.line()
        console.line("History")
        HistoryTable.write(d.events, console: console)
    }

    /// An output's due date in force, its original when an amendment moved it, LATE when it is.
    static func due(_ x: Output, state: OrderState, today: Day) -> String {
        guard let due = x.dueInForce else { return "–" }
        var text = due.description
        if let original = x.dueOn, original != due { text += " (was \(original))" }
        if let late = Deadlines.daysLate(x, orderState: state, on: today) { text += " LATE \(late) d" }
        return text
    }
}
