import Foundation
import Testing

@testable import STOrders

/// The rules that live in Domain alone, tested without a database: the dates rule's bounds,
/// the lifecycle replay, funding, and every refusal's stable code.
@Suite struct RulesTests {
    func d(_ text: String) throws -> Day { try Day(parsing: text) }

    // MARK: The dates rule

    @Test func theFundingIsBoundByEveryEarlierStepNotOnlyTheRegistration() throws {
        var dates = Chronology.Dates()
        dates.record(.registered, on: try d("2026-03-01"))
        dates.record(.outputAdded, on: try d("2026-03-20"), number: 2)
        dates.record(.outputAdded, on: try d("2026-03-05"), number: 3)
        #expect(
            throws: STOrdersError.dateBefore(
                what: "funding", date: try d("2026-03-15"),
                earlier: "the addition of output 2", earliest: try d("2026-03-20"))
        ) {
            try Chronology.check(.funded, on: try d("2026-03-15"), after: dates)
        }
        try Chronology.check(.funded, on: try d("2026-03-20"), after: dates)
    }

    @Test func theCancellationIsBoundByEveryStepOfTheOrder() throws {
        let dates = Chronology.Dates(
            registered: try d("2025-03-10"), funded: try d("2025-04-02"),
            latest: Chronology.Step("payment 1", on: try d("2025-10-01")))
        #expect(
            throws: STOrdersError.dateBefore(
                what: "cancellation", date: try d("2025-09-30"), earlier: "payment 1",
                earliest: try d("2025-10-01"))
        ) {
            try Chronology.check(.cancelled, on: try d("2025-09-30"), after: dates)
        }
        try Chronology.check(.cancelled, on: try d("2025-10-01"), after: dates)
    }

    @Test func eachStepHasItsOwnBound() throws {
        let dates = Chronology.Dates(
            registered: try d("2025-01-01"), funded: try d("2025-02-01"),
            delivered: try d("2025-03-01"), cancelled: nil,
            latest: Chronology.Step("result 1", on: try d("2025-05-01")))
        // The latest step bounds only the funding and the cancellation: an acceptance entered
        // late (after a later payment) is fine.
        #expect(Chronology.bound(for: .outputAccepted, after: dates)?.on == (try d("2025-02-01")))
        #expect(Chronology.bound(for: .commercialized, after: dates)?.on == (try d("2025-03-01")))
        #expect(Chronology.bound(for: .outputAdded, after: dates)?.on == (try d("2025-01-01")))
        #expect(
            Chronology.bound(
                for: .paymentRecorded, after: dates,
                record: Chronology.Step("the output's acceptance", on: try d("2025-02-10")))
                == Chronology.Step("the output's acceptance", on: try d("2025-02-10")))
        // A reversal on a cancelled order: on or after the cancellation too.
        var cancelled = dates
        cancelled.cancelled = try d("2025-06-01")
        #expect(
            Chronology.bound(
                for: .paymentReversed, after: cancelled,
                record: Chronology.Step("the payment", on: try d("2025-04-01")))
                == Chronology.Step("the order's cancellation", on: try d("2025-06-01")))
    }

    @Test func aHistoryReadInOrderNamesEveryStepBeforeItsBound() throws {
        func event(_ action: Event.Action, _ day: String) throws -> Event {
            Event(
                orderCode: "TN-01", occurredOn: try d(day), recordedAt: "\(day)T09:00:00Z", action: action,
                details: "Đặt hàng", actor: "kiểm thử")
        }
        let history = [
            try event(.registered, "2025-03-10"), try event(.outputAdded, "2025-03-20"),
            try event(.funded, "2025-03-15"), try event(.outputAccepted, "2025-09-15"),
            try event(.cancelled, "2025-06-01"),
        ]
        #expect(
            Chronology.violations(in: history) == [
                "its funding on 2025-03-15 is dated before the addition of an output on 2025-03-20; no step of an order is dated before an earlier one",
                "its cancellation on 2025-06-01 is dated before the acceptance of an output on 2025-09-15; no step of an order is dated before an earlier one",
            ])
        #expect(Chronology.violations(in: Array(history.prefix(2))).isEmpty)
    }

    // MARK: The lifecycle, replayed

    @Test func theReplayFollowsTheLifecycleOfOrderState() throws {
        var replay = OrderState.Replay()
        #expect(replay.apply(.outputAdded) == OrderState.Refusal(needs: "a registration first"))
        for step: Event.Action in [
            .registered, .outputAdded, .funded, .outputAccepted, .delivered, .commercialized,
            .resultRecorded, .resultRetracted,
        ] {
            #expect(replay.apply(step) == nil, "\(step)")
        }
        #expect(replay.state == .commercialized && replay.liveResults == 1)
        #expect(replay.apply(.resultRetracted) == nil)
        #expect(replay.state == .delivered)
        #expect(replay.apply(.resultRetracted) == OrderState.Refusal(needs: "a result that stands"))
        #expect(
            replay.apply(.cancelled)
                == OrderState.Refusal(needs: "ordered or funded (a delivered order is never cancelled)"))
        #expect(replay.state == .delivered)
    }

    @Test func aCancelledOrderKeepsItsPaymentsAndTakesOnlyReversals() throws {
        var replay = OrderState.Replay()
        for step: Event.Action in [
            .registered, .outputAdded, .funded, .outputAccepted, .paymentRecorded, .cancelled,
            .paymentReversed,
        ] {
            #expect(replay.apply(step) == nil, "\(step)")
        }
        #expect(replay.state == .cancelled)
        #expect(replay.apply(.paymentRecorded) == OrderState.Refusal(needs: "funded, delivered or commercialized"))
        #expect(
            OrderState.ordered.next(after: .reversePayment)
                == .failure(OrderState.Refusal(needs: "funded, delivered, commercialized or cancelled")))
        #expect(
            OrderState.delivered.next(after: .retractResult)
                == .failure(OrderState.Refusal(needs: "commercialized (a result that stands)")))
    }

    // MARK: Funding

    @Test func fundingNeedsOneSourceAndCoversTheOutputs() throws {
        let day = try d("2026-04-01")
        #expect(throws: STOrdersError.fundingMissing(order: "TN-01")) {
            try Funding.commitment(
                order: "TN-01", stateBudget: nil, enterpriseFunds: nil, other: nil, otherSource: nil,
                fundedOn: day)
        }
        #expect(throws: STOrdersError.fundingMissing(order: "TN-01")) {
            try Funding.commitment(
                order: "TN-01", stateBudget: 0, enterpriseFunds: 0, other: nil, otherSource: nil,
                fundedOn: day)
        }
        #expect(throws: STOrdersError.otherSourceMissing) {
            try Funding.commitment(
                order: "TN-01", stateBudget: nil, enterpriseFunds: nil, other: 5, otherSource: nil,
                fundedOn: day)
        }
        let f = try Funding.commitment(
            order: "TN-01", stateBudget: 7, enterpriseFunds: nil, other: nil,
            otherSource: nil, fundedOn: day)
        #expect(f.total == 7)
        #expect(throws: STOrdersError.noOutputs(order: "TN-01")) {
            try Funding.requireCovers(order: "TN-01", funding: 7, outputValues: [])
        }
        #expect(throws: STOrdersError.fundingInsufficient(order: "TN-01", funding: 7, outputs: 8)) {
            try Funding.requireCovers(order: "TN-01", funding: 7, outputValues: [5, 3])
        }
        #expect(throws: STOrdersError.amountOverflow) {
            try Funding.requireCovers(order: "TN-01", funding: 7, outputValues: [Int64.max, 1])
        }
        try Funding.requireCovers(order: "TN-01", funding: 8, outputValues: [5, 3])
    }

    // MARK: Errors

    /// One value of every case (the switch in `code` is exhaustive, so a new case fails to
    /// compile until it has a code; add it here too).
    static let everyRefusal: [STOrdersError] = {
        let day = Day(year: 2026, month: 1, day: 1) ?? Day(ordinal: 0)
        return [
            .invalidDate("x", reason: "r"), .invalidAmount("x", reason: "r"), .amountOverflow,
            .invalidTaxCode("x", reason: "r"), .invalidValue("field", "x", accepted: ["a"]),
            .invalidText(what: "title", reason: "r"), .invalidOrderCode("x", reason: "r"),
            .unknownProvince("x", suggestions: [], note: nil), .unknownEnterprise(taxCode: "0100233488"),
            .duplicateTaxCode("0100233488", existing: "Công ty"), .unknownOrder(code: "X"), .duplicateOrderCode("X"),
            .unknownOutput(order: "X", number: 1, count: 0),
            .transitionRefused(code: "X", from: .ordered, action: "fund", needs: "n"),
            .outputAlreadyAccepted(order: "X", number: 1, on: day), .noOutputs(order: "X"),
            .fundingInsufficient(order: "X", funding: 1, outputs: 2), .fundingMissing(order: "X"),
            .otherSourceMissing, .otherSourceWithoutAmount, .outputNotAccepted(order: "X", number: 1),
            .paymentExceedsOutput(order: "X", number: 1, amount: 2, remaining: 1),
            .paymentExceedsFunding(order: "X", source: .state, amount: 2, remaining: 1),
            .dateBefore(what: "funding", date: day, earlier: "e", earliest: day), .databaseMissing(path: "p"),
            .notInitialized(path: "p"), .notAStoreDatabase(path: "p", reason: "r"),
            .databaseNewer(path: "p", version: 9, supported: 3), .databaseUnavailable(path: "p", reason: "r"),
            .constraintViolated("m"), .importRejected(file: "f", problems: [], total: 0),
            .fileUnreadable(path: "p", reason: "r"), .csvColumns(file: "f", reason: "r"),
            .dumpInvalid(file: "f", line: 1, reason: "r"), .databaseNotEmpty(path: "p"),
            .invalidTarget(key: "k", "x", reason: "r"), .invalidYearRange(from: 2026, to: 2025, reason: "r"),
            .outputUnavailable(path: "p", reason: "r"), .unknownPayment(order: "X", number: 1, count: 0),
            .reversalOfReversal(order: "X", number: 2, reverses: 1),
            .paymentAlreadyReversed(order: "X", number: 1, by: 2),
            .reversalExceedsPayment(order: "X", number: 1, amount: 2, paid: 1),
            .unknownResult(order: "X", number: 1, count: 0),
            .resultAlreadyRetracted(order: "X", number: 1, on: day), .backupExists(path: "p"),
            .backupOntoItself(path: "p"), .backupFailed(path: "p", reason: "r"),
            .verificationFailed(path: "p", findings: 1),
            .invalidLogin("X", reason: "r"), .invalidPassword(reason: "r"), .invalidHashCost(3),
            .accountBinding(role: .officer, needs: "a province"), .unknownAccount(login: "lan"),
            .duplicateLogin("lan"), .authenticationFailed, .unknownToken(id: 1), .tokenAlreadyRevoked(id: 1, at: "t"),
            .invalidAuditEvent("X"), .nationalURLInvalid("u", reason: "r"), .nationalUnreachable(url: "u", reason: "r"),
            .nationalAuthenticationFailed(url: "u", reason: "r"),
            .nationalSchemaMismatch(url: "u", found: nil, expected: 3), .nationalFailed(url: "u", reason: "r"),
            .sourceDiverged(chain: "history", id: 1, published: "a", here: nil),
            .provincesOwned(provinces: ["Thái Nguyên"], owner: "o"), .outputsWithoutDueDate(order: "X", numbers: [1]),
            .contractPeriodMissing(order: "X"), .contractPeriodInvalid(starts: day, ends: day),
            .dueOutsidePeriod(order: "X", number: 1, due: day, starts: day, ends: day),
            .amendmentNotLater(order: "X", what: "output 1", proposed: day, inForce: day),
            .amendmentNoDate(order: "X", what: "output 1"),
            .amendmentRequestOpen(order: "X", what: "output 1", number: 1),
            .unknownAmendment(order: "X", number: 2, count: 1),
            .amendmentAlreadyDecided(order: "X", number: 1, state: .approved, on: day),
            .checklistUnmet(order: "X", step: .accept, target: 1, missing: [.minutes]),
            .documentTooLarge(file: "f", limit: 16), .invalidDocument(file: "f", reason: "r"),
            .unknownDocument(order: "X", number: 2, count: 1), .documentDamaged(order: "X", number: 1, reason: "r"),
            .invalidMailAddress("x"), .mailFailed(relay: "r", reason: "r"),
            .unknownPaymentRequest(order: "X", number: 2, count: 1),
            .paymentRequestStateRefused(order: "X", number: 1, state: .paid, step: "approve", needs: "requested"),
            .advanceLimitUnset(order: "X"),
            .advanceExceedsLimit(order: "X", amount: 2, room: 1, limit: "30%", cap: 3),
            .advanceExceedsBudget(order: "X", amount: 2, remaining: 1),
            .recoveryExceedsOutstanding(order: "X", amount: 2, outstanding: 1),
            .advanceOutstanding(order: "X", step: "cancel", outstanding: 1),
        ]
    }()

    /// The codes `STOrdersError.code` returns, read from its source: its switch is exhaustive,
    /// so a new case has a `return "code"` line there before it compiles.
    static func codesInTheSource() throws -> [String] {
        let source = try String(
            contentsOf: Self.repository.appendingPathComponent(
                "Sources/STOrders/Domain/STOrdersError.swift"), encoding: .utf8)
        guard let start = source.range(of: "public var code: String {"),
            let end = source.range(of: "\n    }\n", range: start.upperBound..<source.endIndex)
        else { return [] }
        return source[start.upperBound..<end.lowerBound].split(separator: "\n").compactMap { line in
            guard let open = line.range(of: "return \""), let close = line.lastIndex(of: "\""),
                close > open.upperBound
            else { return nil }
            return String(line[open.upperBound..<close])
        }
    }

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// `everyRefusal` holds every case (a case added to the library and not here fails this),
    /// and docs/commands.md's table of error codes lists exactly the library's codes and the
    /// CLI's own two.
    @Test func everyCodeIsListedHereAndInTheCommandsDocument() throws {
        let inSource = try Self.codesInTheSource()
        #expect(inSource.count > 70)
        #expect(Set(inSource) == Set(Self.everyRefusal.map(\.code)))
        let document = try String(
            contentsOf: Self.repository.appendingPathComponent("docs/commands.md"), encoding: .utf8)
        guard let table = document.range(of: "### Error codes") else {
            Issue.record("docs/commands.md has no Error codes section")
            return
        }
        let documented = document[table.upperBound...].split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("| `"), let close = line.dropFirst(3).firstIndex(of: "`") else { return nil }
            return String(line[line.index(line.startIndex, offsetBy: 3)..<close])
        }
        #expect(documented.count == Set(documented).count, "a code is listed twice")
        #expect(Set(documented) == Set(inSource))
        #expect(document.contains("`usage`") && document.contains("`failed`"))
    }

    @Test func everyRefusalHasItsOwnStableSnakeCaseCode() {
        let codes = Self.everyRefusal.map(\.code)
        #expect(codes.count == 88)
        #expect(Set(codes).count == codes.count, "codes repeat: \(codes)")
        for code in codes {
            #expect(
                !code.isEmpty && code.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || $0 == "_" }, "\(code)")
        }
        #expect(
            STOrdersError.transitionRefused(code: "X", from: .funded, action: "fund", needs: "ordered").code
                == "transition_refused")
        #expect(STOrdersError.fundingInsufficient(order: "X", funding: 1, outputs: 2).code == "funding_insufficient")
        #expect(
            STOrdersError.dateBefore(what: "a", date: Day(ordinal: 0), earlier: "b", earliest: Day(ordinal: 0)).code
                == "date_before")
    }

    /// The library names the rule and the values, never a flag or a command of the CLI.
    @Test func noRefusalNamesACommandLineFlagOrCommand() {
        for refusal in Self.everyRefusal {
            let text = refusal.description
            #expect(
                !text.contains("--") && !text.contains("storders") && !text.contains("`"), "\(refusal.code): \(text)")
        }
        #expect(
            STOrdersError.fundingMissing(order: "TN-01").description
                == "no funding given for order TN-01; fund needs an amount from at least one source (state budget, enterprise funds, other)"
        )
        #expect(
            STOrdersError.unknownEnterprise(taxCode: "0100233488").description
                == "no enterprise with tax code 0100233488; an order needs a registered enterprise")
    }
}
