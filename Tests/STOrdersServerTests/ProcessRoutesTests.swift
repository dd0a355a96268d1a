import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import STOrders
import Testing

@testable import STOrdersServer

/// The payment requests', documents', checklist's and notices' routes, over `DeadlineRoutesTests`'
/// fixture (the story enterprise's funded order 19-2026-0001 in Thái Nguyên) with its output 1
/// accepted: each write answers the CLI's shape and is in the history as the account, each list
/// holds the caller's scope only, and each refusal answers its exact status and code and changes
/// nothing.
@Suite struct ProcessRoutesTests {
    static let code = DeadlineRoutesTests.code
    static let saigon = DeadlineRoutesTests.saigon

    /// The fixture with output 1 (400.000.000 đồng) accepted on 2026-06-15.
    static func fixture() throws -> APIFixture {
        let fixture = try DeadlineRoutesTests.fixture()
        _ = try fixture.store.acceptOutput(
            order: code, number: 1, evidence: "Biên bản nghiệm thu số 01/2026", on: try Day(parsing: "2026-06-15"))
        return fixture
    }

    static func post(
        _ client: some TestClientProtocol, _ fixture: APIFixture, as login: String, _ uri: String, _ body: String
    ) async throws -> TestResponse {
        try await client.send(.post, uri, headers: fixture.bearer(login), body)
    }

    static func get(_ client: some TestClientProtocol, _ fixture: APIFixture, as login: String, _ uri: String)
        async throws -> TestResponse
    {
        try await client.send(.get, uri, headers: fixture.bearer(login))
    }

    /// Sends `bytes` as a document's upload.
    static func upload(
        _ client: some TestClientProtocol, _ fixture: APIFixture, as login: String, _ uri: String, _ bytes: [UInt8],
        contentType: String = "application/octet-stream"
    ) async throws -> TestResponse {
        var headers = fixture.bearer(login)
        headers[.contentType] = contentType
        return try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(bytes: bytes))
    }

    // MARK: Payment requests

    @Test func anEnterpriseRequestsAndTheOfficerApprovesDisbursesAndReturns() async throws {
        let fixture = try Self.fixture()
        let base = "/api/v1/orders/\(Self.code)/payment-requests"
        try await fixture.server.application.test(.router) { client in
            let made = try await Self.post(
                client, fixture, as: "enterprise", base,
                #"{"output": 1, "amount": "150.000.000", "source": "enterprise", "date": "2026-07-01"}"#)
            #expect(made.status == .created, "\(made.text)")
            let first = try made.object()
            #expect(first["order_code"] as? String == Self.code && first["number"] as? Int == 1)
            #expect(first["amount"] as? Int == 150_000_000 && first["source"] as? String == "enterprise")
            #expect(first["state"] as? String == "requested" && first["requested_on"] as? String == "2026-07-01")
            let second = try await Self.post(
                client, fixture, as: "enterprise", base, #"{"output": 1, "amount": 100000000, "date": "2026-07-02"}"#)
            #expect(second.status == .created, "\(second.text)")

            // Both wait in the officer's inbox.
            let inbox = try await Self.get(client, fixture, as: "officer", "/api/v1/inbox?as_of=2026-07-05")
            let waiting = try inbox.array().filter { $0["kind"] as? String == "payment_request" }
            #expect(waiting.map { $0["number"] as? Int } == [1, 2])

            let approved = try await Self.post(
                client, fixture, as: "officer", "\(base)/1/approve", #"{"date": "2026-07-10"}"#)
            #expect(approved.status == .ok, "\(approved.text)")
            #expect(try approved.object()["state"] as? String == "approved")
            #expect(try approved.object()["approved_on"] as? String == "2026-07-10")
            let paid = try await Self.post(
                client, fixture, as: "officer", "\(base)/1/disburse",
                #"{"reference": "UNC 0712/KBNN-Thái Nguyên", "date": "2026-07-12"}"#)
            #expect(paid.status == .ok, "\(paid.text)")
            let paidRequest = try paid.object()
            #expect(paidRequest["state"] as? String == "paid" && paidRequest["payment_number"] as? Int == 1)
            #expect(paidRequest["reference"] as? String == "UNC 0712/KBNN-Thái Nguyên")
            let returned = try await Self.post(
                client, fixture, as: "officer", "\(base)/2/return",
                #"{"reason": "Thiếu hóa đơn GTGT và biên bản nghiệm thu", "date": "2026-07-13"}"#)
            #expect(returned.status == .ok, "\(returned.text)")
            #expect(try returned.object()["return_reason"] as? String == "Thiếu hóa đơn GTGT và biên bản nghiệm thu")

            // The order as the library has it: the payment recorded, each step the account's.
            let detail = try fixture.store.orderDetail(code: Self.code)
            #expect(detail.payments.map(\.amount) == [150_000_000])
            #expect(detail.payments.first?.reference == "UNC 0712/KBNN-Thái Nguyên")
            #expect(detail.paymentRequests.map(\.state) == [.paid, .returned])
            let steps = detail.events.suffix(6).map { "\($0.action.rawValue) \($0.actor)" }
            #expect(
                steps == [
                    "payment_requested enterprise", "payment_requested enterprise",
                    "payment_request_approved officer", "payment_recorded officer", "payment_request_paid officer",
                    "payment_request_returned officer",
                ])

            // The list, for whoever reads the order.
            for login in ["enterprise", "officer", "tn-auditor", "auditor"] {
                let list = try await Self.get(client, fixture, as: login, base)
                #expect(list.status == .ok, "\(login)")
                #expect(try list.array().map { $0["state"] as? String } == ["paid", "returned"], "\(login)")
            }
            let hidden = try await Self.get(client, fixture, as: "hanoi-officer", base)
            #expect(hidden.status == .notFound && hidden.errorCode == "unknown_order")
            let admin = try await Self.get(client, fixture, as: "admin", base)
            #expect(admin.status == .forbidden && admin.errorCode == "forbidden")
        }
    }

    /// Each refusal: its status and code, and the order as it was. Request 1 (100.000.000 đồng
    /// against output 1, 2026-07-01) is open.
    @Test(arguments: [
        // Who may: an officer does not ask, an enterprise does not decide, an auditor or an admin does neither.
        ("officer", "", #"{"output": 1, "amount": 1000000}"#, 403, "forbidden"),
        ("auditor", "", #"{"output": 1, "amount": 1000000}"#, 403, "forbidden"),
        ("admin", "", #"{"output": 1, "amount": 1000000}"#, 403, "forbidden"),
        ("enterprise", "/1/approve", #"{}"#, 403, "forbidden"),
        ("enterprise", "/1/return", #"{"reason": "Tự trả lại"}"#, 403, "forbidden"),
        ("enterprise", "/1/disburse", #"{"reference": "UNC 1"}"#, 403, "forbidden"),
        ("tn-auditor", "/1/approve", #"{}"#, 403, "forbidden"),
        // Out of scope: the order does not exist for the caller.
        ("hanoi-officer", "/1/approve", #"{}"#, 404, "unknown_order"),
        ("hanoi-officer", "/1/disburse", #"{"reference": "UNC 1"}"#, 404, "unknown_order"),
        // The rules of the library.
        ("officer", "/9/approve", #"{}"#, 404, "unknown_payment_request"),
        ("officer", "/x/return", #"{"reason": "Không có"}"#, 404, "unknown_payment_request"),
        ("officer", "/1/disburse", #"{"reference": "UNC 1", "date": "2026-07-05"}"#, 409, "payment_request_state"),
        ("officer", "/1/approve", #"{"date": "2026-06-30"}"#, 409, "date_before"),
        ("enterprise", "", #"{"output": 2, "amount": 1000000}"#, 409, "output_not_accepted"),
        ("enterprise", "", #"{"output": 1, "amount": 350000000}"#, 409, "payment_exceeds_output"),
        ("enterprise", "", #"{"output": 1, "amount": 1000000, "date": "2026-06-01"}"#, 409, "date_before"),
        ("enterprise", "", #"{"output": 5, "amount": 1000000}"#, 404, "unknown_output"),
        // Malformed input.
        ("enterprise", "", #"{"amount": 1000000}"#, 422, "missing_field"),
        ("enterprise", "", #"{"output": 1, "amount": "một triệu"}"#, 422, "invalid_amount"),
        ("enterprise", "", #"{"output": 1, "amount": 0}"#, 422, "invalid_amount"),
        ("enterprise", "", #"{"output": 1, "amount": 1000000, "source": "quỹ"}"#, 422, "invalid_value"),
        ("officer", "/1/return", #"{}"#, 422, "missing_field"),
        ("officer", "/1/return", #"{"reason": "  "}"#, 422, "invalid_text"),
        ("officer", "/1/disburse", #"{"date": "2026-07-05"}"#, 422, "missing_field"),
        ("officer", "/1/approve", #"{"date": "2026-02-30"}"#, 422, "invalid_date"),
    ])
    func aPaymentRequestRefusalAnswersItsStatusAndChangesNothing(
        _ login: String, _ path: String, _ body: String, _ status: Int, _ code: String
    ) async throws {
        let fixture = try Self.fixture()
        try fixture.store.acting(as: "enterprise").requestPayment(
            order: Self.code, output: 1, amount: 100_000_000, on: try Day(parsing: "2026-07-01"))
        let before = try fixture.fingerprint(Self.code)
        try await fixture.server.application.test(.router) { client in
            let response = try await Self.post(
                client, fixture, as: login, "/api/v1/orders/\(Self.code)/payment-requests\(path)", body)
            #expect(Int(response.status.code) == status, "\(login) \(path) \(body): \(response.text)")
            #expect(response.errorCode == code, "\(login) \(path) \(body): \(response.text)")
            if code == "unknown_order" {
                // A hidden order answers what an order that does not exist answers.
                let missing = "19-2026-9999"
                let nothing = try await Self.post(
                    client, fixture, as: login, "/api/v1/orders/\(missing)/payment-requests\(path)", body)
                #expect(nothing.text.replacingOccurrences(of: missing, with: Self.code) == response.text)
            }
        }
        #expect(try fixture.fingerprint(Self.code) == before)
    }

    /// An enterprise asks only on its own orders: another enterprise's order does not exist for it.
    @Test func anEnterpriseCannotRequestOnAnotherEnterprisesOrder() async throws {
        let fixture = try Self.fixture()
        let before = try fixture.fingerprint(Self.saigon)
        try await fixture.server.application.test(.router) { client in
            let response = try await Self.post(
                client, fixture, as: "enterprise", "/api/v1/orders/\(Self.saigon)/payment-requests",
                #"{"output": 1, "amount": 1000000}"#)
            #expect(response.status == .notFound && response.errorCode == "unknown_order")
        }
        #expect(try fixture.fingerprint(Self.saigon) == before)
    }

    // MARK: Documents and the checklist

    @Test func documentsAreAttachedListedAndDownloadedWithinScope() async throws {
        let fixture = try Self.fixture()
        let base = "/api/v1/orders/\(Self.code)/documents"
        let minutes = Array("Biên bản nghiệm thu đầu ra 1 — đạt yêu cầu.\n".utf8)
        let name = "Biên bản nghiệm thu.pdf"
        let encodedName = "Bi%C3%AAn%20b%E1%BA%A3n%20nghi%E1%BB%87m%20thu.pdf"
        try await fixture.server.application.test(.router) { client in
            let attached = try await Self.upload(
                client, fixture, as: "enterprise",
                "\(base)?file_name=\(encodedName)&kind=minutes&output=1&title=Bi%C3%AAn%20b%E1%BA%A3n%20s%E1%BB%91%2001&date=2026-06-14",
                minutes)
            #expect(attached.status == .created, "\(attached.text)")
            let document = try attached.object()
            #expect(document["order_code"] as? String == Self.code && document["number"] as? Int == 1)
            #expect(document["file_name"] as? String == name && document["title"] as? String == "Biên bản số 01")
            #expect(document["kind"] as? String == "minutes" && document["output"] as? Int == 1)
            #expect(document["size"] as? Int == minutes.count)
            #expect(document["sha256"] as? String == DocumentContent.sha256(minutes))
            #expect(document["attached_on"] as? String == "2026-06-14")

            // A file larger than the server's 1 MiB body limit, as an officer, to the order itself.
            let report = [UInt8](repeating: 0x41, count: 2 << 20)
            let big = try await Self.upload(
                client, fixture, as: "officer", "\(base)?file_name=bao-cao.pdf&kind=report&date=2026-06-20", report)
            #expect(big.status == .created, "\(big.text)")
            #expect(try big.object()["output"] is NSNull)

            // In the history (by day: the enterprise's is dated before the acceptance), each the account's.
            let history = try fixture.store.orderDetail(code: Self.code).events.filter {
                $0.action == .documentAttached
            }
            #expect(
                history.map { "\($0.action.rawValue) \($0.actor)" } == [
                    "document_attached enterprise", "document_attached officer",
                ])

            for login in ["enterprise", "officer", "tn-auditor", "auditor"] {
                let list = try await Self.get(client, fixture, as: login, base)
                #expect(list.status == .ok, "\(login): \(list.text)")
                #expect(try list.array().map { $0["file_name"] as? String } == [name, "bao-cao.pdf"], "\(login)")
                let download = try await Self.get(client, fixture, as: login, "\(base)/1/content")
                #expect(download.status == .ok, "\(login)")
                #expect(Array(download.body.readableBytesView) == minutes)
                #expect(download.headers[.contentType] == "application/octet-stream")
                #expect(
                    download.headers[.contentDisposition]
                        == "attachment; filename=\"Bi_n b_n nghi_m thu.pdf\"; filename*=UTF-8''\(encodedName)")
            }
            let second = try await Self.get(client, fixture, as: "officer", "\(base)/2/content")
            #expect(second.body.readableBytes == report.count)
            for login in ["hanoi-officer"] {
                for uri in [base, "\(base)/1/content"] {
                    let hidden = try await Self.get(client, fixture, as: login, uri)
                    #expect(hidden.status == .notFound && hidden.errorCode == "unknown_order", "\(uri)")
                }
            }
            let admin = try await Self.get(client, fixture, as: "admin", "\(base)/1/content")
            #expect(admin.status == .forbidden && admin.errorCode == "forbidden")
            let unknown = try await Self.get(client, fixture, as: "officer", "\(base)/7/content")
            #expect(unknown.status == .notFound && unknown.errorCode == "unknown_document")
        }
    }

    /// A file name that would break a header is sent in an ASCII fallback and exactly in `filename*`.
    @Test func theDownloadsFileNameCannotBreakTheHeader() {
        #expect(
            ProcessRoutes.contentDisposition("Hóa đơn \"số 1\"; 50%\\x.pdf")
                == "attachment; filename=\"H_a __n _s_ 1_; 50__x.pdf\"; "
                + "filename*=UTF-8''H%C3%B3a%20%C4%91%C6%A1n%20%22s%E1%BB%91%201%22%3B%2050%25%5Cx.pdf")
    }

    @Test(arguments: [
        // Who may: an auditor or an admin attaches nothing; another province's officer sees no order.
        ("auditor", "file_name=a.pdf&kind=report", "application/octet-stream", 1, 403, "forbidden"),
        ("tn-auditor", "file_name=a.pdf&kind=report", "application/octet-stream", 1, 403, "forbidden"),
        ("admin", "file_name=a.pdf&kind=report", "application/octet-stream", 1, 403, "forbidden"),
        ("hanoi-officer", "file_name=a.pdf&kind=report", "application/octet-stream", 1, 404, "unknown_order"),
        // The library's rules and malformed input.
        ("officer", "file_name=a.pdf&kind=report&output=7", "application/octet-stream", 1, 404, "unknown_output"),
        ("officer", "file_name=a.pdf&kind=report&date=2025-01-01", "application/octet-stream", 1, 409, "date_before"),
        ("officer", "file_name=a.pdf&kind=report", "application/octet-stream", 0, 422, "invalid_document"),
        ("officer", "kind=report", "application/octet-stream", 1, 422, "missing_field"),
        ("officer", "file_name=a.pdf", "application/octet-stream", 1, 422, "missing_field"),
        ("officer", "file_name=a.pdf&kind=h%C3%B3a-%C4%91%C6%A1n", "application/octet-stream", 1, 422, "invalid_value"),
        ("officer", "file_name=..&kind=report", "application/octet-stream", 1, 422, "invalid_text"),
        ("officer", "file_name=a%0Ab.pdf&kind=report", "application/octet-stream", 1, 422, "invalid_text"),
        (
            "officer", "file_name=a.pdf&kind=report&output=m%E1%BB%99t", "application/octet-stream", 1, 422,
            "invalid_value"
        ),
        ("officer", "file_name=a.pdf&kind=report", "application/json", 1, 422, "invalid_body"),
        ("officer", "file_name=a.pdf&kind=report", "application/x-www-form-urlencoded", 1, 422, "invalid_body"),
        // Above 16 MiB: refused by the body limit before it is read whole.
        ("officer", "file_name=a.pdf&kind=report", "application/octet-stream", (16 << 20) + 1, 413, "body_too_large"),
    ])
    func anAttachmentRefusalAnswersItsStatusAndChangesNothing(
        _ login: String, _ query: String, _ contentType: String, _ size: Int, _ status: Int, _ code: String
    ) async throws {
        let fixture = try Self.fixture()
        let before = try fixture.fingerprint(Self.code)
        try await fixture.server.application.test(.router) { client in
            let response = try await Self.upload(
                client, fixture, as: login, "/api/v1/orders/\(Self.code)/documents?\(query)",
                [UInt8](repeating: 0x25, count: size), contentType: contentType)
            #expect(Int(response.status.code) == status, "\(login) \(query): \(response.text)")
            #expect(response.errorCode == code, "\(login) \(query): \(response.text)")
        }
        #expect(try fixture.fingerprint(Self.code) == before)
        #expect(try fixture.store.documents(order: Self.code).isEmpty)
    }

    @Test func theChecklistIsReadByEverySignedInAccount() async throws {
        let fixture = try Self.fixture()
        try fixture.store.acting(as: "setup").setChecklist(.pay, kinds: [.invoice, .minutes])
        try await fixture.server.application.test(.router) { client in
            for login in ["enterprise", "officer", "auditor", "admin"] {
                let response = try await Self.get(client, fixture, as: login, "/api/v1/checklist")
                #expect(response.status == .ok, "\(login)")
                let rows = try response.array()
                #expect(rows.map { $0["step"] as? String } == ["pay"], "\(login)")
                #expect(rows.first?["kinds"] as? String == "invoice,minutes")
            }
            let anonymous = try await client.send(.get, "/api/v1/checklist")
            #expect(anonymous.status == .unauthorized && anonymous.errorCode == "unauthenticated")
            // The checklist holds for a request made through the API: refused, naming what is missing.
            let before = try fixture.fingerprint(Self.code)
            let refused = try await Self.post(
                client, fixture, as: "enterprise", "/api/v1/orders/\(Self.code)/payment-requests",
                #"{"output": 1, "amount": 1000000}"#)
            #expect(refused.status == .conflict && refused.errorCode == "checklist_unmet", "\(refused.text)")
            #expect(try fixture.fingerprint(Self.code) == before)
        }
    }

    // MARK: Notices

    @Test func noticesAreTheSignedInAccountsScope() async throws {
        let fixture = try Self.fixture()
        try await fixture.server.application.test(.router) { client in
            func notices(_ login: String, _ query: String) async throws -> [[String: Any]] {
                let response = try await Self.get(client, fixture, as: login, "/api/v1/notices?\(query)")
                #expect(response.status == .ok, "\(login) \(query): \(response.text)")
                return try response.array()
            }
            // The enterprise: its order funded on 2026-03-01 and its output accepted on 2026-06-15.
            let own = try await notices("enterprise", "since=2026-03-01&as_of=2026-06-30")
            #expect(own.map { $0["kind"] as? String } == ["output_accepted", "funded"])
            #expect(own.allSatisfy { $0["order_code"] as? String == Self.code })
            #expect(
                own.first?["subject"] as? String
                    == "output 1 accepted: Mẫu cảm biến độ ẩm; evidence: Biên bản nghiệm thu số 01/2026")
            // Output 2 falls due on 2026-12-31: due_soon from 7 days before.
            let soon = try await notices("enterprise", "since=2026-12-20&as_of=2026-12-25")
            #expect(soon.map { $0["kind"] as? String } == ["due_soon"])
            // Everyone in the province sees it; another province's officer does not; a national auditor does.
            for login in ["officer", "tn-auditor", "auditor"] {
                let seen = try await notices(login, "since=2026-03-01&as_of=2026-06-30")
                #expect(seen.contains { $0["order_code"] as? String == Self.code }, "\(login)")
            }
            let officer = try await notices("officer", "since=2020-01-01&as_of=2027-12-31&limit=1000")
            #expect(officer.allSatisfy { $0["province_code"] as? String == "19" })
            let hanoi = try await notices("hanoi-officer", "since=2020-01-01&as_of=2027-12-31&limit=1000")
            #expect(!hanoi.isEmpty && hanoi.allSatisfy { $0["province_code"] as? String == "01" })
            #expect(try await notices("auditor", "since=2020-01-01&as_of=2027-12-31&limit=2").count == 2)

            for (query, status, code) in [
                ("limit=0", 422, "invalid_value"), ("limit=1001", 422, "invalid_value"),
                ("since=2026-07-01&as_of=2026-06-30", 422, "invalid_value"), ("since=2026-13-01", 422, "invalid_date"),
            ] {
                let refused = try await Self.get(client, fixture, as: "officer", "/api/v1/notices?\(query)")
                #expect(Int(refused.status.code) == status && refused.errorCode == code, "\(query): \(refused.text)")
            }
            let admin = try await Self.get(client, fixture, as: "admin", "/api/v1/notices")
            #expect(admin.status == .forbidden && admin.errorCode == "forbidden")
            let anonymous = try await client.send(.get, "/api/v1/notices")
            #expect(anonymous.status == .unauthorized)
        }
    }
}
