import GRDB
import Testing

@testable import STOrders

/// Payment requests (docs/requests.md): requested → approved → paid, or returned; each step dated,
/// attributed and in the hash-chained history; the money rule counting what open requests hold.
@Suite struct PaymentRequestTests {
    /// A funded order (outputs 1.2 and 0.8 billion; state 1.2, enterprise 0.9 billion) with output
    /// 1 accepted on 2025-09-15.
    static func acceptedOne(_ f: Fixture) throws -> String {
        let code = try f.funded()
        try f.store.acceptOutput(order: code, number: 1, on: try day("2025-09-15"))
        return code
    }

    @Test func aRequestIsApprovedThenDisbursedByAPaymentAndEachStepIsInTheHistory() throws {
        let f = try Fixture()
        let code = try Self.acceptedOne(f)
        let r = try f.store.requestPayment(
            order: code, output: 1, amount: 500_000_000, source: .state, on: try day("2025-09-20"))
        #expect(try r.number == 1 && r.state == .requested && r.requestedOn == (try day("2025-09-20")))
        var inbox = try f.store.inbox(InboxFilter(asOf: try day("2025-10-01"))).filter { $0.kind == .paymentRequest }
        #expect(inbox.count == 1)
        #expect(try inbox.first?.since == (try day("2025-09-20")) && inbox.first?.daysWaited == 11)
        #expect(inbox.first?.subject == "payment request 1 to decide: 500.000.000 đồng from state against output 1")

        let approved = try f.store.approvePaymentRequest(order: code, number: 1, on: try day("2025-09-25"))
        #expect(try approved.state == .approved && approved.approvedOn == (try day("2025-09-25")))
        inbox = try f.store.inbox(InboxFilter(asOf: try day("2025-10-01"))).filter { $0.kind == .paymentRequest }
        #expect(try inbox.first?.since == (try day("2025-09-25")))
        #expect(inbox.first?.subject == "payment request 1 to disburse: 500.000.000 đồng from state against output 1")

        let (paid, payment) = try f.store.disbursePaymentRequest(
            order: code, number: 1, reference: "UNC 0142/KBNN-TN", on: try day("2025-10-01"))
        #expect(try paid.state == .paid && paid.paymentNumber == 1 && paid.paidOn == (try day("2025-10-01")))
        #expect(payment.amount == 500_000_000 && payment.reference == "UNC 0142/KBNN-TN" && payment.outputNumber == 1)
        #expect(try f.store.inbox(InboxFilter(asOf: try day("2025-10-01"))).allSatisfy { $0.kind != .paymentRequest })

        // Returned with a Vietnamese reason, kept byte for byte.
        try f.store.requestPayment(
            order: code, output: 1, amount: 100_000_000, source: .enterprise, on: try day("2025-10-02"))
        let reason = "Thiếu hóa đơn giá trị gia tăng (GTGT) và biên bản nghiệm thu"
        let returned = try f.store.returnPaymentRequest(
            order: code, number: 2, reason: reason, on: try day("2025-10-03"))
        #expect(returned.state == .returned && returned.returnReason == reason)

        let d = try f.store.orderDetail(code: code)
        #expect(d.paymentRequests == [paid, returned])
        #expect(d.outputs[0].paid == 500_000_000)
        #expect(
            d.events.suffix(6).map(\.action) == [
                .paymentRequested, .paymentRequestApproved, .paymentRecorded, .paymentRequestPaid, .paymentRequested,
                .paymentRequestReturned,
            ])
        #expect(d.events.suffix(6).allSatisfy { $0.actor == "kiểm thử" })
        #expect(d.events.last?.details == "payment request 2 returned: \(reason)")
        #expect(d.events.suffix(3).first?.details == "payment request 1 paid by payment 1; reference UNC 0142/KBNN-TN")

        // A reversal still corrects the paid payment; the request stays paid.
        try f.store.reversePayment(
            order: code, payment: 1, amount: 200_000_000, reason: "Chi trùng chứng từ", on: try day("2025-10-05"))
        let after = try f.store.orderDetail(code: code)
        #expect(after.outputs[0].paid == 300_000_000 && after.paymentRequests[0].state == .paid)
        #expect(try f.store.verify().findings.isEmpty)
    }

    @Test func openRequestsHoldTheirAmountAgainstTheOutputAndTheSource() throws {
        let f = try Fixture()
        let code = try Self.acceptedOne(f)
        let on = try day("2025-09-20")
        try f.store.requestPayment(order: code, output: 1, amount: 700_000_000, source: .state, on: on)
        // Two open requests never exceed the output together.
        try f.expectRefusal(
            .paymentExceedsOutput(
                order: code, number: 1, amount: 600_000_000, remaining: 500_000_000, reserved: 700_000_000)
        ) { try f.store.requestPayment(order: code, output: 1, amount: 600_000_000, source: .enterprise, on: on) }
        try f.store.requestPayment(order: code, output: 1, amount: 500_000_000, source: .enterprise, on: on)
        // A payment recorded directly counts them too.
        try f.expectRefusal(
            .paymentExceedsOutput(order: code, number: 1, amount: 1, remaining: 0, reserved: 1_200_000_000)
        ) { try f.store.recordPayment(order: code, output: 1, amount: 1, source: .state, on: on) }
        // Nor the source's funding: 700 million of the state budget's 1.2 billion are held.
        try f.store.acceptOutput(order: code, number: 2, on: on)
        try f.expectRefusal(
            .paymentExceedsFunding(
                order: code, source: .state, amount: 600_000_000, remaining: 500_000_000, reserved: 700_000_000)
        ) { try f.store.requestPayment(order: code, output: 2, amount: 600_000_000, source: .state, on: on) }
        // An approved request returned holds nothing any more.
        try f.store.approvePaymentRequest(order: code, number: 1, on: on)
        try f.store.returnPaymentRequest(order: code, number: 1, reason: "Kho bạc từ chối chứng từ", on: on)
        let r3 = try f.store.requestPayment(order: code, output: 2, amount: 600_000_000, source: .state, on: on)
        #expect(r3.number == 3)
        let d = try f.store.orderDetail(code: code)
        #expect(d.paymentRequests.map(\.state) == [.returned, .requested, .requested])
        #expect(d.paymentRequests[0].approvedOn == on && d.paymentRequests[0].returnedOn == on)
        #expect(try f.store.verify().findings.isEmpty)
    }

    @Test func everyRefusalNamesItsErrorAndChangesNothing() throws {
        let f = try Fixture()
        let code = try Self.acceptedOne(f)
        let acceptedOn = try day("2025-09-15")
        try f.expectRefusal(.outputNotAccepted(order: code, number: 2)) {
            try f.store.requestPayment(order: code, output: 2, amount: 1_000_000, on: try day("2025-09-20"))
        }
        try f.expectRefusal(.unknownOutput(order: code, number: 3, count: 2)) {
            try f.store.requestPayment(order: code, output: 3, amount: 1_000_000, on: try day("2025-09-20"))
        }
        try f.expectRefusal(
            .dateBefore(
                what: "payment request", date: try day("2025-09-14"), earlier: "the output's acceptance",
                earliest: acceptedOn)
        ) { try f.store.requestPayment(order: code, output: 1, amount: 1_000_000, on: try day("2025-09-14")) }
        try f.expectRefusal(.invalidAmount("0", reason: "must be greater than zero")) {
            try f.store.requestPayment(order: code, output: 1, amount: 0, on: try day("2025-09-20"))
        }
        try f.expectRefusal(.unknownPaymentRequest(order: code, number: 1, count: 0)) {
            try f.store.approvePaymentRequest(order: code, number: 1, on: try day("2025-09-20"))
        }
        try f.store.requestPayment(order: code, output: 1, amount: 300_000_000, on: try day("2025-09-20"))
        try f.expectRefusal(.unknownPaymentRequest(order: code, number: 9, count: 1)) {
            try f.store.returnPaymentRequest(order: code, number: 9, reason: "Không có", on: try day("2025-09-21"))
        }
        try f.expectRefusal(
            .paymentRequestStateRefused(order: code, number: 1, state: .requested, step: "disburse", needs: "approved")
        ) { try f.store.disbursePaymentRequest(order: code, number: 1, reference: "UNC 1", on: try day("2025-09-21")) }
        try f.expectRefusal(
            .dateBefore(
                what: "approval", date: try day("2025-09-19"), earlier: "payment request 1",
                earliest: try day("2025-09-20"))
        ) { try f.store.approvePaymentRequest(order: code, number: 1, on: try day("2025-09-19")) }
        try f.expectRefusal({ $0.code == "invalid_text" }) {
            try f.store.returnPaymentRequest(order: code, number: 1, reason: "  ", on: try day("2025-09-21"))
        }
        try f.store.approvePaymentRequest(order: code, number: 1, on: try day("2025-09-22"))
        try f.expectRefusal(
            .paymentRequestStateRefused(order: code, number: 1, state: .approved, step: "approve", needs: "requested")
        ) { try f.store.approvePaymentRequest(order: code, number: 1, on: try day("2025-09-23")) }
        try f.expectRefusal(
            .dateBefore(
                what: "disbursement", date: try day("2025-09-21"), earlier: "the approval of payment request 1",
                earliest: try day("2025-09-22"))
        ) { try f.store.disbursePaymentRequest(order: code, number: 1, reference: "UNC 1", on: try day("2025-09-21")) }
        try f.expectRefusal({ $0.code == "invalid_text" }) {
            try f.store.disbursePaymentRequest(order: code, number: 1, reference: "", on: try day("2025-09-23"))
        }
        // The checklist's `pay` step holds at the disbursement as at a direct payment.
        try f.store.setChecklist(.pay, kinds: [.invoice])
        try f.expectRefusal(.checklistUnmet(order: code, step: .pay, target: 1, missing: [.invoice])) {
            try f.store.disbursePaymentRequest(order: code, number: 1, reference: "UNC 1", on: try day("2025-09-23"))
        }
        // ...and at a new request: its papers come with it.
        try f.expectRefusal(.checklistUnmet(order: code, step: .pay, target: 1, missing: [.invoice])) {
            try f.store.requestPayment(order: code, output: 1, amount: 1_000_000, on: try day("2025-09-23"))
        }
        try f.store.setChecklist(.pay, kinds: [])
        try f.store.disbursePaymentRequest(order: code, number: 1, reference: "UNC 1", on: try day("2025-09-23"))
        for step in [PaymentRequestState.Step.approve, .disburse] {
            try f.expectRefusal(
                .paymentRequestStateRefused(
                    order: code, number: 1, state: .paid, step: step.rawValue,
                    needs: step == .approve ? "requested" : "approved")
            ) {
                if step == .approve {
                    try f.store.approvePaymentRequest(order: code, number: 1, on: try day("2025-09-24"))
                } else {
                    try f.store.disbursePaymentRequest(
                        order: code, number: 1, reference: "UNC 2", on: try day("2025-09-24"))
                }
            }
        }
        try f.expectRefusal(
            .paymentRequestStateRefused(
                order: code, number: 1, state: .paid, step: "return", needs: "requested or approved")
        ) { try f.store.returnPaymentRequest(order: code, number: 1, reason: "Muộn", on: try day("2025-09-24")) }
        try f.expectRefusal(.unknownOrder(code: "19-2099-0001")) {
            try f.store.requestPayment(order: "19-2099-0001", output: 1, amount: 1, on: try day("2025-09-24"))
        }
        #expect(try f.store.verify().findings.isEmpty)
    }

    @Test func aCancelledOrdersRequestIsReturnedButNeitherApprovedNorDisbursed() throws {
        let f = try Fixture()
        let code = try Self.acceptedOne(f)
        try f.store.requestPayment(order: code, output: 1, amount: 100_000_000, on: try day("2025-09-20"))
        try f.store.requestPayment(order: code, output: 1, amount: 100_000_000, on: try day("2025-09-20"))
        try f.store.approvePaymentRequest(order: code, number: 2, on: try day("2025-09-21"))
        try f.store.cancel(order: code, reason: "Doanh nghiệp giải thể", on: try day("2025-09-25"))
        let refused = STOrdersError.transitionRefused(
            code: code, from: .cancelled, action: "record a payment", needs: "funded, delivered or commercialized")
        try f.expectRefusal(refused) {
            try f.store.approvePaymentRequest(order: code, number: 1, on: try day("2025-09-26"))
        }
        try f.expectRefusal(refused) {
            try f.store.disbursePaymentRequest(order: code, number: 2, reference: "UNC 9", on: try day("2025-09-26"))
        }
        try f.expectRefusal(
            .dateBefore(
                what: "return", date: try day("2025-09-24"), earlier: "the order's cancellation",
                earliest: try day("2025-09-25"))
        ) { try f.store.returnPaymentRequest(order: code, number: 1, reason: "Hủy", on: try day("2025-09-24")) }
        try f.store.returnPaymentRequest(order: code, number: 1, reason: "Nhiệm vụ bị hủy", on: try day("2025-09-26"))
        try f.store.returnPaymentRequest(order: code, number: 2, reason: "Nhiệm vụ bị hủy", on: try day("2025-09-26"))
        #expect(try f.store.orderDetail(code: code).paymentRequests.allSatisfy { $0.state == .returned })
        #expect(try f.store.verify().findings.isEmpty)
    }

    @Test func theNewErrorCodesAreStable() {
        #expect(STOrdersError.unknownPaymentRequest(order: "X", number: 1, count: 0).code == "unknown_payment_request")
        #expect(
            STOrdersError.paymentRequestStateRefused(
                order: "X", number: 1, state: .paid, step: "approve", needs: "requested"
            )
            .code == "payment_request_state")
        #expect(
            STOrdersError.paymentRequestStateRefused(
                order: "X", number: 1, state: .paid, step: "approve", needs: "requested"
            )
            .description == "payment request 1 of order X is paid; approve needs requested")
        #expect(
            STOrdersError.paymentExceedsOutput(order: "X", number: 1, amount: 2, remaining: 1, reserved: 5).description
                .hasSuffix("1 đồng (after 5 đồng held by open payment requests)"))
    }

    // MARK: Storage guards the requests against raw SQL

    @Test(arguments: [
        ("DELETE FROM payment_requests", "never deleted"),
        ("UPDATE payment_requests SET amount = 1", "nothing else about it changes"),
        ("UPDATE payment_requests SET state = 'requested', approved_on = NULL", "nothing else about it changes"),
        (
            "UPDATE payment_requests SET state = 'paid', payment_id = (SELECT min(id) FROM payments)",
            "paid by a payment"
        ),
        (
            """
            INSERT INTO payment_requests (order_id, number, output_id, amount, source, requested_on, state)
            SELECT order_id, 9, id, 850000000, 'enterprise', '2025-09-30', 'requested' FROM outputs WHERE number = 1
            """, "remains of its output"
        ),
        (
            """
            INSERT INTO payment_requests (order_id, number, output_id, amount, source, requested_on, state)
            SELECT order_id, 9, id, 1, 'state', '2025-09-30', 'requested' FROM outputs WHERE number = 2
            """, "for an accepted output"
        ),
    ])
    func rawSQLCannotBendARequest(sql: String, message: String) throws {
        let t = try TempStore(demo: false)
        defer { t.cleanUp() }
        let f = try Fixture(store: t.store)
        let code = try Self.acceptedOne(f)
        try f.store.recordPayment(order: code, output: 1, amount: 100_000_000, on: try day("2025-09-16"))
        try f.store.requestPayment(order: code, output: 1, amount: 300_000_000, on: try day("2025-09-20"))
        try f.store.approvePaymentRequest(order: code, number: 1, on: try day("2025-09-21"))
        let before = try t.fingerprint()
        #expect {
            try t.tamper(sql)
        } throws: { error in
            (error as? DatabaseError)?.message?.contains(message) == true
        }
        #expect(try t.fingerprint() == before)
    }

    @Test func verifyCatchesAnEditedRequestRow() throws {
        let t = try TempStore(demo: false)
        defer { t.cleanUp() }
        let f = try Fixture(store: t.store)
        let code = try Self.acceptedOne(f)
        try f.store.requestPayment(order: code, output: 1, amount: 300_000_000, on: try day("2025-09-20"))
        #expect(try t.store.verify().findings.isEmpty)
        try t.tamper(
            """
            DROP TRIGGER payment_requests_steps;
            UPDATE payment_requests SET amount = 900000000;
            """)
        let v = try Store.open(path: t.path, actor: "kiểm toán").verify()
        #expect(
            v.findings.contains {
                $0.check == .records && $0.order == code
                    && $0.message.contains(
                        "payment request 1 was changed outside storders: amount is 900000000 now but 300000000 was recorded"
                    )
            }, "\(v.findings)")
        #expect(v.findings.contains { $0.check == .schema && $0.message.contains("payment_requests_steps") })
    }
}
