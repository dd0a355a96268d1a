extension OrderDetail {
    /// What is wrong with a whole order record, checked against the rules the commands keep
    /// step by step (docs/domain.md): empty when it is consistent. Used where orders arrive whole
    /// (a restored dump, generated data, the CSV import) rather than one command at a time.
    /// `storders verify` checks the same rules its own way, in SQL over the rows.
    public func invariantViolations() -> [String] {
        var problems: [String] = []
        let o = order
        func add(_ text: String) { problems.append("order \(o.code): \(text)") }

        // Funding: present exactly when the order was funded, on the same day, covering the outputs.
        switch (o.fundedOn, funding) {
        case (nil, nil): break
        case (nil, .some): add("has a funding but no funded_on date")
        case (.some, nil): add("was funded but has no funding")
        case (.some(let day), .some(let f)):
            if f.fundedOn != day { add("its funding is dated \(f.fundedOn), the order funded_on \(day)") }
        }
        if let f = funding {
            do {
                try Funding.requireCovers(order: o.code, funding: f.total, outputValues: outputs.map(\.value))
            } catch let refusal as STOrdersError {
                switch refusal {
                case .noOutputs: add("is funded but has no outputs; funding needs at least one output")
                case .amountOverflow: add("its outputs add up to more than the largest amount")
                case .fundingInsufficient(_, let funding, let worth):
                    add(
                        "its funding of \(Money.format(funding)) đồng does not cover its outputs, worth \(Money.format(worth)) đồng"
                    )
                default: add(refusal.description)
                }
            } catch {
                add("\(error)")
            }
        } else if (try? Money.sum(outputs.map(\.value))) == nil {
            add("its outputs add up to more than the largest amount")
        }

        // Acceptance: only once funded; a delivered order has all outputs accepted, and was
        // delivered on the day the last one was.
        var numbers: [Int: Output] = [:]
        var lastAccepted: Day?
        var unaccepted = 0
        for x in outputs {
            numbers[x.number] = x
            if x.evidence != nil && x.acceptedOn == nil { add("output \(x.number) has evidence but no acceptance") }
            guard let a = x.acceptedOn else {
                unaccepted += 1
                continue
            }
            if let funded = o.fundedOn {
                if a < funded { add("output \(x.number) was accepted on \(a), before the funding on \(funded)") }
            } else {
                add("output \(x.number) is accepted but the order was never funded")
            }
            if lastAccepted.map({ $0 < a }) ?? true { lastAccepted = a }
        }
        switch o.state {
        case .funded where !outputs.isEmpty && unaccepted == 0:
            add("is funded but all its outputs are accepted; it would be delivered")
        case .delivered, .commercialized:
            if unaccepted > 0 {
                add("is \(o.state) but \(unaccepted) output\(unaccepted == 1 ? " is" : "s are") not accepted")
            }
            if let last = lastAccepted, let delivered = o.deliveredOn, last != delivered {
                add("was delivered on \(delivered), not on the day its last output was accepted (\(last))")
            }
        default: break
        }

        // Payments: against accepted outputs, within each output's value and each source's funding.
        var paidByOutput: [Int: Int64] = [:]
        var paidBySource: [FundingSource: Int64] = [:]
        for p in payments {
            guard let x = numbers[p.outputNumber] else {
                add("payment \(p.number) is against output \(p.outputNumber), which it does not have")
                continue
            }
            guard let a = x.acceptedOn else {
                add("payment \(p.number) is against output \(p.outputNumber), which is not accepted")
                continue
            }
            if p.paidOn < a { add("payment \(p.number) on \(p.paidOn) is before its output's acceptance on \(a)") }
            paidByOutput[p.outputNumber, default: 0] += p.amount
            paidBySource[p.source, default: 0] += p.amount
        }
        for (number, paid) in paidByOutput where paid > (numbers[number]?.value ?? 0) {
            add("output \(number) is paid \(Money.format(paid)) đồng, more than its value")
        }
        for (source, paid) in paidBySource where paid > (funding?.committed(by: source) ?? 0) {
            add("payments from \(source) (\(Money.format(paid)) đồng) exceed what that source committed")
        }

        // Reversals: of a payment (not a reversal) of the same output and source, for at most
        // its amount, once.
        var byNumber: [Int: Payment] = [:]
        var reversed: Set<Int> = []
        for p in payments {
            if let r = p.reverses {
                guard let original = byNumber[r], !original.isReversal, original.outputNumber == p.outputNumber,
                    original.source == p.source, -p.amount <= original.amount, original.paidOn <= p.paidOn,
                    !reversed.contains(r)
                else {
                    add("payment \(p.number) is not a valid reversal of payment \(r)")
                    continue
                }
                reversed.insert(r)
            }
            byNumber[p.number] = p
        }

        // Results: a commercialized order has a result that stands and counts from the earliest
        // one; a delivered order may keep only retracted ones; other orders have none.
        let live = results.filter(\.isLive)
        for r in results {
            if let day = r.retractedOn, day < r.commercializedOn {
                add("result \(r.number) is retracted before it was recorded")
            }
            if let delivered = o.deliveredOn, r.commercializedOn < delivered {
                add("result \(r.number) is dated before the delivery")
            }
        }
        switch o.state {
        case .commercialized:
            if let first = live.map(\.commercializedOn).min() {
                if first != o.commercializedOn {
                    add(
                        "is commercialized on \(o.commercializedOn.map(\.description) ?? "no date"), its first standing result is on \(first)"
                    )
                }
            } else {
                add("is commercialized but has no result that stands")
            }
        case .delivered:
            if !live.isEmpty { add("is delivered but has a result that stands; it would be commercialized") }
        default:
            if !results.isEmpty { add("is \(o.state) but has results; results belong to delivered orders") }
        }
        // Dates: each step on or after its bounds (the dates rule), read from the records of a
        // cancelled order (its cancellation follows its funding, acceptances and payments) and
        // from the history.
        if let cancelled = o.cancelledOn {
            var earlier: [Chronology.Step] = []
            if let funded = o.fundedOn { earlier.append(.init(Chronology.name(of: .funded), on: funded)) }
            for x in outputs {
                if let a = x.acceptedOn {
                    earlier.append(.init(Chronology.name(of: .outputAccepted, number: x.number), on: a))
                }
            }
            for p in payments where !p.isReversal {
                earlier.append(.init(Chronology.name(of: .paymentRecorded, number: p.number), on: p.paidOn))
            }
            for step in earlier where cancelled < step.on {
                add(
                    "its cancellation on \(cancelled) is dated before \(step.name) on \(step.on); no step of an order is dated before an earlier one"
                )
            }
        }
        // Dates: each step on or after its bounds (the dates rule), read from the history.
        for problem in Chronology.violations(in: events) { add(problem) }
        return problems
    }
}
