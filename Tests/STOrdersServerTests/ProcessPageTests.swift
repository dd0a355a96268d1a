import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import STOrders
import Testing

@testable import STOrdersServer

/// The pages of issue 13's steps as a browser uses them (cookies, the form token, form posts):
/// the inbox of every kind, the due list, the notices, and on an order its amendments, payment
/// requests and documents with the forms of their steps; each refusal's page and status, and a
/// refused form changes nothing.
@Suite struct ProcessPageTests {
    static let code = DeadlineRoutesTests.code

    /// `ProcessRoutesTests`' fixture (output 1 accepted) with payment request 1 (150.000.000 đồng)
    /// and the enterprise's request to extend the contract's end, both open, and one document.
    static func fixture() throws -> APIFixture {
        let fixture = try ProcessRoutesTests.fixture()
        let enterprise = try fixture.store.acting(as: "enterprise")
        try enterprise.requestPayment(
            order: code, output: 1, amount: 150_000_000, source: .enterprise, on: try Day(parsing: "2026-07-01"))
        try enterprise.requestAmendment(
            order: code, .contractEnd, to: try Day(parsing: "2027-06-30"), reason: "Mùa mưa kéo dài",
            on: try Day(parsing: "2026-07-02"))
        try enterprise.attachDocument(
            order: code, content: try DocumentContent(bytes: Array("Hóa đơn GTGT số 0042".utf8), name: "hoa-don.pdf"),
            fileName: "Hóa đơn GTGT.pdf", kind: .invoice, output: 1, on: try Day(parsing: "2026-06-20"))
        return fixture
    }

    @Test func theInboxShowsEveryKindWithTheStepTheAccountMayTake() async throws {
        let fixture = try Self.fixture()
        let waiting = try OrderPageTests.orderedOrder(fixture)
        try await fixture.server.application.test(.router) { client in
            var officer = try await client.signIn("officer")
            let page = try await client.get("/inbox", &officer)
            #expect(page.status == .ok)
            let html = page.text
            #expect(html.contains("Hộp việc — Thái Nguyên"))
            #expect(html.contains(#"id="share-value""#))
            let base = "/orders/\(Self.code)"
            #expect(html.contains(#"data-code="\#(waiting)" data-kind="funding""#))
            #expect(html.contains(#"<a href="/orders/\#(waiting)/fund">Cấp kinh phí</a>"#))
            #expect(html.contains(#"data-code="\#(Self.code)" data-kind="amendment" data-number="1""#))
            #expect(html.contains(#"<a href="\#(base)/amendments/1/approve">Xem và quyết định</a>"#))
            #expect(html.contains(#"data-code="\#(Self.code)" data-kind="payment_request" data-number="1""#))
            #expect(html.contains(#"<a href="\#(base)#payment-request-1">Xem và quyết định</a>"#))
            #expect(html.contains("Đề nghị thanh toán") && html.contains("Đề nghị gia hạn"))
            // Oldest first: the payment request (2026-07-01) before the amendment (2026-07-02).
            let request = try #require(html.range(of: #"data-kind="payment_request""#))
            let amendment = try #require(html.range(of: #"data-kind="amendment""#))
            #expect(request.lowerBound < amendment.lowerBound)
            #expect(html.contains(#"id="nav-inbox" href="/inbox" aria-current="page""#))

            // The enterprise's own inbox: the same items, no step it may not take, no share.
            var enterprise = try await client.signIn("enterprise")
            let own = try await client.get("/inbox", &enterprise)
            #expect(own.status == .ok)
            #expect(own.text.contains(#"data-kind="payment_request""#))
            #expect(!own.text.contains("/fund\"") && !own.text.contains("/approve\""))
            #expect(!own.text.contains(#"id="processing-share""#))
            // Another province's officer sees none of it; an admin has no inbox.
            var hanoi = try await client.signIn("hanoi-officer")
            #expect(!(try await client.get("/inbox", &hanoi)).text.contains(Self.code))
            var admin = try await client.signIn("admin")
            #expect(try await client.get("/inbox", &admin).status == .forbidden)
        }
    }

    /// An advance not yet settled waits in the inbox with its label, and opens on its order's
    /// page: it offers no step of its own (the order's later payments settle it).
    @Test func anAdvanceToSettleWaitsInTheInboxAndOpensOnItsOrder() async throws {
        let fixture = try Self.fixture()
        try fixture.store.setAdvanceLimit(basisPoints: 5000)
        try fixture.store.makeAdvance(
            order: Self.code, amount: 10_000_000, reference: "UNC 0705/KBNN-TN – tạm ứng đợt 1",
            on: try Day(parsing: "2026-07-05"))
        try await fixture.server.application.test(.router) { client in
            var officer = try await client.signIn("officer")
            let html = try await client.get("/inbox", &officer).text
            let start = try #require(html.range(of: #"data-code="\#(Self.code)" data-kind="advance""#))
            let end = try #require(html.range(of: "</tr>", range: start.upperBound..<html.endIndex))
            let row = html[start.lowerBound..<end.lowerBound]
            #expect(row.contains("Tạm ứng chưa thanh toán"))
            #expect(row.contains(#"href="/orders/\#(Self.code)""#))
            #expect(!row.contains("Xem và quyết định") && !row.contains("#payment-request-"))
        }
    }

    @Test func theOrderPageShowsAmendmentsRequestsAndDocumentsWithTheirSteps() async throws {
        let fixture = try Self.fixture()
        try await fixture.server.application.test(.router) { client in
            var officer = try await client.signIn("officer")
            let page = try await client.get("/orders/\(Self.code)", &officer)
            #expect(page.status == .ok)
            let html = page.text
            let base = "/orders/\(Self.code)"
            #expect(html.contains(#"<tr id="amendment-1" data-state="requested">"#))
            #expect(html.contains("Kết thúc hợp đồng") && html.contains("Mùa mưa kéo dài"))
            #expect(html.contains(#"id="approve-amendment-1" href="\#(base)/amendments/1/approve""#))
            #expect(html.contains(#"id="refuse-amendment-1" href="\#(base)/amendments/1/refuse""#))
            #expect(html.contains(#"<tr id="payment-request-1" data-state="requested">"#))
            #expect(html.contains("150.000.000\u{00A0}₫"))
            #expect(html.contains(#"id="approve-request-1" href="\#(base)/payment-requests/1/approve""#))
            #expect(html.contains(#"id="return-request-1" href="\#(base)/payment-requests/1/return""#))
            #expect(!html.contains(#"id="disburse-request-1""#))
            #expect(html.contains(#"<a id="download-1" href="\#(base)/documents/1" download>Hóa đơn GTGT.pdf</a>"#))
            #expect(html.contains(#"id="action-extend""#) && !html.contains(#"id="action-request-pay""#))
            #expect(html.contains("Đề nghị thanh toán") && html.contains("Đính kèm tài liệu"))

            var enterprise = try await client.signIn("enterprise")
            let own = try await client.get("/orders/\(Self.code)", &enterprise)
            #expect(own.text.contains(#"id="action-request-pay" href="\#(base)/payment-requests/new""#))
            #expect(own.text.contains(#"id="action-ask-extension""#) && !own.text.contains(#"id="action-extend""#))
            #expect(!own.text.contains(#"id="approve-request-1""#) && !own.text.contains(#"id="approve-amendment-1""#))

            // The download, for whoever reads the order.
            let download = try await client.get("\(base)/documents/1", &enterprise)
            #expect(download.status == .ok)
            #expect(String(buffer: download.body) == "Hóa đơn GTGT số 0042")
            #expect(download.headers[.contentType] == "application/octet-stream")
            #expect(
                download.headers[.contentDisposition]
                    == "attachment; filename=\"H_a __n GTGT.pdf\"; filename*=UTF-8''H%C3%B3a%20%C4%91%C6%A1n%20GTGT.pdf"
            )
            var hanoi = try await client.signIn("hanoi-officer")
            #expect(try await client.get("\(base)/documents/1", &hanoi).status == .notFound)
            #expect(try await client.get("\(base)/documents/9", &officer).status == .notFound)
        }
    }

    @Test func theOfficerDecidesThroughTheFormsAndEachStepIsTheAccounts() async throws {
        let fixture = try Self.fixture()
        let base = "/orders/\(Self.code)"
        try await fixture.server.application.test(.router) { client in
            var officer = try await client.signIn("officer")
            for path in [
                "\(base)/payment-requests/1/approve", "\(base)/payment-requests/1/return", "\(base)/extend",
                "\(base)/amendments/1/approve", "\(base)/amendments/1/refuse",
            ] {
                let form = try await client.get(path, &officer)
                #expect(form.status == .ok, "\(path)")
                #expect(PageAccessibilityTests.unlabelled(form.text).isEmpty, "\(path)")
            }
            #expect(try await client.get("\(base)/payment-requests/9/approve", &officer).status == .notFound)

            let approved = try await client.post(
                "\(base)/payment-requests/1/approve", &officer, [("date", "2026-07-10")])
            #expect(approved.status == .seeOther)
            let shown = try await client.get(base, &officer)
            #expect(shown.text.contains(#"id="flash">Đã duyệt đề nghị thanh toán của đơn \#(Self.code).<"#))
            #expect(shown.text.contains(#"id="disburse-request-1""#))

            // A disbursement dated before the approval: refused beside the date, nothing changed.
            let before = try fixture.fingerprint(Self.code)
            let early = try await client.post(
                "\(base)/payment-requests/1/disburse", &officer,
                [("reference", "UNC 0712/KBNN"), ("date", "2026-07-09")])
            #expect(early.status == .conflict)
            #expect(early.text.contains(#"<p class="field-error" id="date-error">"#))
            #expect(early.text.contains(#"value="UNC 0712/KBNN""#))
            #expect(try fixture.fingerprint(Self.code) == before)
            let missing = try await client.post(
                "\(base)/payment-requests/1/disburse", &officer, [("reference", ""), ("date", "2026-07-12")])
            #expect(missing.status == .unprocessableContent)
            #expect(missing.text.contains(#"id="reference-error""#))
            #expect(try fixture.fingerprint(Self.code) == before)

            let paid = try await client.post(
                "\(base)/payment-requests/1/disburse", &officer,
                [("reference", "UNC 0712/KBNN"), ("date", "2026-07-12")])
            #expect(paid.status == .seeOther)
            let refused = try await client.post(
                "\(base)/amendments/1/refuse", &officer,
                [("reason", "Không đủ căn cứ gia hạn"), ("date", "2026-07-15")])
            #expect(refused.status == .seeOther)
            let detail = try fixture.store.orderDetail(code: Self.code)
            #expect(detail.paymentRequests.first?.state == .paid)
            #expect(detail.payments.first?.reference == "UNC 0712/KBNN")
            #expect(detail.amendments.first?.state == .refused)
            #expect(detail.amendments.first?.decision == "Không đủ căn cứ gia hạn")
            #expect(detail.events.suffix(4).allSatisfy { $0.actor == "officer" })

            // An enterprise may not decide (403 page); another province's officer sees no order (404 page).
            var enterprise = try await client.signIn("enterprise")
            #expect(try await client.get("\(base)/amendments/1/approve", &enterprise).status == .forbidden)
            let post = try await client.post("\(base)/payment-requests/1/return", &enterprise, [("reason", "Tự trả")])
            #expect(post.status == .forbidden)
            var hanoi = try await client.signIn("hanoi-officer")
            #expect(try await client.get("\(base)/payment-requests/1/approve", &hanoi).status == .notFound)
            #expect(try fixture.store.orderDetail(code: Self.code).paymentRequests.first?.state == .paid)
        }
    }

    @Test func theEnterpriseRequestsPaymentAndAnExtensionThroughTheForms() async throws {
        let fixture = try Self.fixture()
        let base = "/orders/\(Self.code)"
        try await fixture.server.application.test(.router) { client in
            var enterprise = try await client.signIn("enterprise")
            let form = try await client.get("\(base)/payment-requests/new", &enterprise)
            #expect(form.status == .ok)
            #expect(form.text.contains(#"id="request-pay-form""#))
            #expect(PageAccessibilityTests.unlabelled(form.text).isEmpty)
            // Only the accepted output is offered.
            #expect(form.text.contains(#"<option value="1""#) && !form.text.contains(#"<option value="2""#))

            // 150.000.000 đồng are held by request 1: 300.000.000 more is above what remains of output 1.
            let before = try fixture.fingerprint(Self.code)
            let above = try await client.post(
                "\(base)/payment-requests/new", &enterprise,
                [("output", "1"), ("amount", "300.000.000"), ("source", "state"), ("date", "2026-07-05")])
            #expect(above.status == .conflict)
            #expect(above.text.contains(#"<p class="field-error" id="amount-error">"#))
            #expect(try fixture.fingerprint(Self.code) == before)

            let made = try await client.post(
                "\(base)/payment-requests/new", &enterprise,
                [("output", "1"), ("amount", "200.000.000"), ("source", "state"), ("date", "2026-07-05")])
            #expect(made.status == .seeOther)
            let page = try await client.get(base, &enterprise)
            #expect(page.text.contains(#"id="flash">Đã gửi đề nghị thanh toán cho đơn \#(Self.code).<"#))
            #expect(page.text.contains(#"<tr id="payment-request-2" data-state="requested">"#))

            let asked = try await client.get("\(base)/ask-extension", &enterprise)
            #expect(asked.status == .ok && PageAccessibilityTests.unlabelled(asked.text).isEmpty)
            // The contract's end has request 1 open: refused on top of the form, nothing changed.
            let open = try await client.post(
                "\(base)/ask-extension", &enterprise,
                [("target", "contract"), ("to", "2027-09-30"), ("reason", "Thêm thời gian"), ("date", "2026-07-06")])
            #expect(open.status == .conflict)
            #expect(open.text.contains(#"id="form-error""#))
            let asking = try await client.post(
                "\(base)/ask-extension", &enterprise,
                [
                    ("target", "2"), ("to", "2027-02-28"), ("reason", "Chậm giao linh kiện nhập khẩu"),
                    ("date", "2026-07-06"),
                ])
            #expect(asking.status == .seeOther)
            let detail = try fixture.store.orderDetail(code: Self.code)
            #expect(detail.paymentRequests.map(\.amount) == [150_000_000, 200_000_000])
            #expect(detail.amendments.last?.reason == "Chậm giao linh kiện nhập khẩu")
            #expect(detail.amendments.last?.requestedBy == .enterprise)
            // An enterprise extends nothing itself.
            #expect(try await client.get("\(base)/extend", &enterprise).status == .forbidden)
        }
    }

    @Test func theDueAndNoticesPagesHoldTheAccountsScope() async throws {
        let fixture = try Self.fixture()
        try await fixture.server.application.test(.router) { client in
            var officer = try await client.signIn("officer")
            // Output 2 is due on 2026-12-31 and the contract ends on 2027-03-31.
            let today = Day.today()
            let days = Day.days(from: today, to: try Day(parsing: "2026-12-31"))
            let wide = try await client.get("/due?within=365", &officer)
            #expect(wide.status == .ok)
            if days >= 0 && days <= 365 {
                #expect(wide.text.contains(#"data-code="\#(Self.code)" data-what="output-2""#))
                #expect(wide.text.contains(#"<td class="num" data-days-late>\#(-days)</td>"#))
            }
            #expect(wide.text.contains(#"<option value="365" selected>"#))
            #expect(PageAccessibilityTests.unlabelled(wide.text).isEmpty)
            let overdue = try await client.get("/due?overdue=true", &officer)
            #expect(overdue.text.contains(#"id="due-overdue" name="overdue" value="true" checked"#))
            if days >= 0 { #expect(!overdue.text.contains(#"data-what="output-2""#)) }
            var hanoi = try await client.signIn("hanoi-officer")
            #expect(!(try await client.get("/due?within=365", &hanoi)).text.contains(Self.code))

            // The enterprise's notices since June: output 1 accepted on 2026-06-15.
            var enterprise = try await client.signIn("enterprise")
            let notices = try await client.get("/notices?since=2026-06-01", &enterprise)
            #expect(notices.status == .ok)
            #expect(notices.text.contains(#"data-code="\#(Self.code)" data-kind="output_accepted""#))
            #expect(notices.text.contains("Đã nghiệm thu sản phẩm"))
            #expect(notices.text.contains(#"id="nav-notices" href="/notices" aria-current="page""#))
            #expect(PageAccessibilityTests.unlabelled(notices.text).isEmpty)
            #expect(!(try await client.get("/notices?since=2026-06-01", &hanoi)).text.contains(Self.code))
            var admin = try await client.signIn("admin")
            #expect(try await client.get("/notices", &admin).status == .forbidden)
            #expect(try await client.get("/due", &admin).status == .forbidden)

            enterprise.cookies["storders_lang"] = "en"
            let english = try await client.get("/notices?since=2026-06-01", &enterprise)
            #expect(english.text.contains("Output accepted") && english.text.contains("From 2026-06-01 to "))
        }
    }

    /// A `multipart/form-data` body as a browser sends the upload form.
    static let boundary = "----stordersFormBoundary7MA4YWxk"
    static func multipart(_ fields: [(String, String)], file: (name: String, bytes: [UInt8])?) -> [UInt8] {
        var body: [UInt8] = []
        for (name, value) in fields {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        if let file {
            body += Array(
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(file.name)\"\r\nContent-Type: application/pdf\r\n\r\n"
                    .utf8)
            body += file.bytes + Array("\r\n".utf8)
        }
        return body + Array("--\(boundary)--\r\n".utf8)
    }

    @Test func aDocumentIsAttachedThroughTheUploadForm() async throws {
        let fixture = try Self.fixture()
        let base = "/orders/\(Self.code)"
        try await fixture.server.application.test(.router) { client in
            var enterprise = try await client.signIn("enterprise")
            let form = try await client.get("\(base)/documents/new", &enterprise)
            #expect(form.status == .ok)
            #expect(form.text.contains(#"enctype="multipart/form-data""#))
            #expect(PageAccessibilityTests.unlabelled(form.text).isEmpty)
            let page = try await client.get(base, &enterprise)
            #expect(page.text.contains(#"id="action-attach" href="\#(base)/documents/new""#))
            let token = try #require(enterprise.csrf)
            func upload(_ body: [UInt8], sameOrigin: Bool = true) async throws -> TestResponse {
                var headers = enterprise.headers(sameOrigin: sameOrigin)
                headers[.contentType] = "multipart/form-data; boundary=\(Self.boundary)"
                return try await client.execute(
                    uri: "\(base)/documents/new", method: .post, headers: headers, body: ByteBuffer(bytes: body))
            }
            let minutes = Array("%PDF-1.4 Biên bản nghiệm thu đầu ra 2\r\n--không phải ranh giới\r\n".utf8)
            let fields = [("kind", "minutes"), ("output", "2"), ("title", "Biên bản số 02"), ("date", "2026-07-20")]
            let before = try fixture.fingerprint(Self.code)
            // Without the form token, or from another site: the CSRF refusal, nothing attached.
            let noToken = try await upload(Self.multipart(fields, file: ("Biên bản 02.pdf", minutes)))
            #expect(noToken.status == .forbidden)
            let foreign = try await upload(
                Self.multipart(fields + [("csrf_token", token)], file: ("Biên bản 02.pdf", minutes)), sameOrigin: false)
            #expect(foreign.status == .forbidden)
            // No file, an empty file, an unknown output: the form again, nothing attached.
            let noFile = try await upload(Self.multipart(fields + [("csrf_token", token)], file: nil))
            #expect(noFile.status == .unprocessableContent)
            #expect(noFile.text.contains(#"<p class="field-error" id="file-error">"#))
            let empty = try await upload(Self.multipart(fields + [("csrf_token", token)], file: ("rỗng.pdf", [])))
            #expect(empty.status == .unprocessableContent && empty.text.contains(#"id="file-error""#))
            let unknown = try await upload(
                Self.multipart(
                    [("kind", "minutes"), ("output", "7"), ("csrf_token", token)], file: ("Biên bản 02.pdf", minutes)))
            #expect(unknown.status == .unprocessableContent || unknown.status == .notFound)
            #expect(unknown.text.contains(#"id="output-error""#))
            #expect(try fixture.fingerprint(Self.code) == before)

            let attached = try await upload(
                Self.multipart(fields + [("csrf_token", token)], file: ("Biên bản 02.pdf", minutes)))
            #expect(attached.status == .seeOther, "\(attached.text)")
            let documents = try fixture.store.documents(order: Self.code)
            let document = try #require(documents.last)
            #expect(document.fileName == "Biên bản 02.pdf" && document.kind == .minutes && document.output == 2)
            #expect(document.title == "Biên bản số 02" && document.attachedOn.description == "2026-07-20")
            #expect(try fixture.store.documentContent(order: Self.code, number: document.number).bytes == minutes)
            #expect(try fixture.store.orderDetail(code: Self.code).events.last?.actor == "enterprise")

            // The invoice of payment request 1 goes with that request: the form offers it as a target.
            #expect(form.text.contains(#"value="request-1""#))
            let invoice = Array("Hóa đơn GTGT số 0043".utf8)
            let toRequest = try await upload(
                Self.multipart(
                    [("kind", "invoice"), ("output", "request-1"), ("date", "2026-07-02"), ("csrf_token", token)],
                    file: ("Hóa đơn 0043.pdf", invoice)))
            #expect(toRequest.status == .seeOther, "\(toRequest.text)")
            let onRequest = try #require(try fixture.store.documents(order: Self.code).last)
            #expect(onRequest.request == 1 && onRequest.output == nil && onRequest.kind == .invoice)
            let unknownRequest = try await upload(
                Self.multipart(
                    [("kind", "invoice"), ("output", "request-9"), ("csrf_token", token)],
                    file: ("Hóa đơn 0043.pdf", invoice)))
            #expect(unknownRequest.status == .notFound || unknownRequest.status == .unprocessableContent)
            #expect(unknownRequest.text.contains(#"id="output-error""#))
            #expect(try fixture.store.documents(order: Self.code).last == onRequest)

            // An auditor attaches nothing (403 page); another province's officer sees no order (404 page).
            var auditor = try await client.signIn("tn-auditor")
            #expect(try await client.get("\(base)/documents/new", &auditor).status == .forbidden)
            var hanoi = try await client.signIn("hanoi-officer")
            #expect(try await client.get("\(base)/documents/new", &hanoi).status == .notFound)
        }
    }

    @Test func theMultipartParserReadsFieldsAndFilesAndRefusesMalformedBodies() throws {
        let body = Self.multipart(
            [("kind", "report"), ("title", "Báo cáo")], file: ("a \"b\".pdf", [0, 1, 2, 13, 10]))
        let form = try MultipartForm.parse(body, contentType: "multipart/form-data; boundary=\"\(Self.boundary)\"")
        #expect(form.fields == ["kind": "report", "title": "Báo cáo"])
        #expect(form.files["file"]?.fileName == "a ")
        #expect(form.files["file"]?.bytes == [0, 1, 2, 13, 10])
        for (bytes, type) in [
            (body, "multipart/form-data"), (Array(body.dropLast(8)), "multipart/form-data; boundary=\(Self.boundary)"),
            (Array("garbage".utf8), "multipart/form-data; boundary=\(Self.boundary)"),
        ] {
            #expect(throws: APIError.self) { try MultipartForm.parse(bytes, contentType: type) }
        }
    }

    @Test func theStepsTextsAreInBothLanguages() {
        #expect(Set(Strings.processVi.keys) == Set(Strings.processEn.keys))
        #expect(Set(Strings.processVi.keys).isDisjoint(with: Strings.vi.keys))
        #expect(Set(Strings.processVi.keys).isDisjoint(with: Strings.oversightVi.keys))
        for action in OrderAction.process {
            for prefix in ["title_", "submit_", "flash_", "action_"] {
                #expect(Strings.processVi[prefix + action.id] != nil, "\(prefix)\(action.id)")
            }
        }
        for kind in InboxItem.Kind.allCases { #expect(Strings.processVi["inbox_kind_\(kind.rawValue)"] != nil) }
        for kind in Notice.Kind.allCases { #expect(Strings.processVi["notice_\(kind.rawValue)"] != nil) }
    }
}
