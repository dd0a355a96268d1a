import Foundation
import Hummingbird
import STOrders

/// The office's steps between the lifecycle's (issue 13): payment requests (docs/requests.md),
/// documents and the checklist (docs/documents.md) and the signed-in account's notices
/// (docs/notices.md). Each route asks the one policy (`Account.access`) and calls the library
/// function the CLI's command calls, so no rule is written twice; each answers the CLI's
/// `--json` shape.
struct ProcessRoutes: RouteGroup {
    let state: ServerState
    /// The most notices one answer holds (as `storders notices --limit`).
    static let maxNoticesLimit = 1000

    func register(on api: RouterGroup<AppRequestContext>) {
        api.get("orders/{code}/payment-requests") { _, context in try await paymentRequests(context) }
        api.post("orders/{code}/payment-requests") { request, context in try await requestPayment(request, context) }
        api.post("orders/{code}/payment-requests/{number}/approve") { request, context in
            try await decide(.approve, request, context)
        }
        api.post("orders/{code}/payment-requests/{number}/return") { request, context in
            try await decide(.return, request, context)
        }
        api.post("orders/{code}/payment-requests/{number}/disburse") { request, context in
            try await decide(.disburse, request, context)
        }
        api.get("orders/{code}/documents") { _, context in try await documents(context) }
        api.post("orders/{code}/documents") { request, context in try await attach(request, context) }
        api.get("orders/{code}/documents/{number}/content") { _, context in try await content(context) }
        api.get("checklist") { _, context in try await checklist(context) }
        api.get("notices") { request, context in try await notices(request, context) }
    }

    // MARK: Payment requests

    /// The order's payment requests, by number (as `order show --json`'s `payment_requests`).
    func paymentRequests(_ context: AppRequestContext) async throws -> Response {
        let code = try context.parameters.text("code")
        let requests = try await onOrder(context, .readOrders, code) { store in
            try store.orderDetail(code: code).paymentRequests
        }
        return json(.array(requests.map { Shape.paymentRequest($0, withOrder: true) }))
    }

    /// `{"output", "amount", "source"?, "date"?}`: an enterprise asks to be paid against an
    /// accepted output of its own order (`storders request pay`).
    func requestPayment(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let code = try context.parameters.text("code")
        let fields = try await RequestFields.of(request)
        let output = try fields.requiredInt("output")
        let amount = try fields.requiredAmount("amount")
        let source = try fields.vocabulary("source", FundingSource.self) ?? .state
        let day = try fields.day()
        let made = try await onOrder(context, .requestPayment, code) { store in
            try store.requestPayment(order: code, output: output, amount: amount, source: source, on: day)
        }
        return json(Shape.paymentRequest(made, withOrder: true), status: .created)
    }

    /// An officer's step on a request: approve `{"date"?}`, return `{"reason", "date"?}`,
    /// disburse `{"reference", "date"?}` (which records the payment, as `payment record` does).
    func decide(
        _ step: PaymentRequestState.Step, _ request: Request, _ context: AppRequestContext
    ) async throws -> Response {
        let code = try context.parameters.text("code")
        let number = context.parameters.number("number")
        let fields = try await RequestFields.of(request)
        let reason = try step == .return ? fields.requiredString("reason") : ""
        let reference = try step == .disburse ? fields.requiredString("reference") : ""
        let day = try fields.day()
        let capability: Capability = step == .disburse ? .pay : .decidePaymentRequest
        let decided = try await onOrder(context, capability, code) { store in
            // Checked after the policy's answer: a malformed number says nothing of the order.
            guard let number else {
                throw STOrdersError.unknownPaymentRequest(order: code, number: 0, count: 0)
            }
            return try Self.step(
                step, store, order: code, number: number, reason: reason, reference: reference, on: day)
        }
        return json(Shape.paymentRequest(decided, withOrder: true))
    }

    /// The library's step (the API's routes and the order page's forms both call this).
    static func step(
        _ step: PaymentRequestState.Step, _ store: Store, order code: String, number: Int, reason: String,
        reference: String, on day: Day
    ) throws -> PaymentRequest {
        switch step {
        case .approve: return try store.approvePaymentRequest(order: code, number: number, on: day)
        case .return: return try store.returnPaymentRequest(order: code, number: number, reason: reason, on: day)
        case .disburse:
            return try store.disbursePaymentRequest(order: code, number: number, reference: reference, on: day).request
        }
    }

    // MARK: Documents and the checklist

    /// The order's documents, by number, each with its SHA-256 (as `document list --json`).
    func documents(_ context: AppRequestContext) async throws -> Response {
        let code = try context.parameters.text("code")
        let documents = try await onOrder(context, .readOrders, code) { store in try store.documents(order: code) }
        return json(.array(documents.map(Shape.document)))
    }

    /// The file's bytes as the body (`Content-Type: application/octet-stream`, at most 16 MiB),
    /// described by the query: `file_name`, `kind`, `output`? or `request`?, `title`?, `date`? (as
    /// `document attach`). A form or a JSON body is refused: the body is the file.
    func attach(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let code = try context.parameters.text("code")
        let contentType = request.headers[.contentType]?.lowercased() ?? ""
        guard contentType.hasPrefix("application/octet-stream") else {
            throw APIError.invalidBody("send the file's bytes as the body, with Content-Type: application/octet-stream")
        }
        let query = QueryFields(request: request)
        guard let fileName = query.string("file_name") else { throw APIError.missingField("file_name") }
        guard let kindText = query.string("kind") else { throw APIError.missingField("kind") }
        let kind = try DocumentKind.parse(kindText)
        let output = try query.int("output")
        let paymentRequest = try query.int("request")
        let title = query.string("title")
        let day = try DeadlineRoutes.asOf(QueryFields(request: request), name: "date")
        let buffer = try await request.body.collect(upTo: .max)
        let bytes = Array(buffer.readableBytesView)
        let document = try await onOrder(context, .attachDocument, code) { store in
            let content = try DocumentContent(bytes: bytes, name: fileName)
            return try store.attachDocument(
                order: code, content: content, fileName: fileName, kind: kind, output: output,
                request: paymentRequest, title: title, on: day)
        }
        return json(Shape.document(document), status: .created)
    }

    /// A document's content, checked against its recorded SHA-256 and size on the way out
    /// (`document extract`): `application/octet-stream`, saved under its own file name.
    func content(_ context: AppRequestContext) async throws -> Response {
        let code = try context.parameters.text("code")
        let number = context.parameters.number("number")
        let (document, bytes) = try await onOrder(context, .readOrders, code) { store in
            guard let number else { throw STOrdersError.unknownDocument(order: code, number: 0, count: 0) }
            return try store.documentContent(order: code, number: number)
        }
        return Self.download(bytes, fileName: document.fileName)
    }

    /// Bytes to save under `fileName`: `Content-Disposition: attachment` with an ASCII fallback
    /// name (anything else, quotes and backslashes become `_`) and the exact name in RFC 5987's
    /// `filename*` (UTF-8, percent-encoded), so no header can be broken by the name.
    static func download(_ bytes: [UInt8], fileName: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/octet-stream"
        headers[.contentDisposition] = contentDisposition(fileName)
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static func contentDisposition(_ fileName: String) -> String {
        let fallback = String(
            fileName.unicodeScalars.map { s -> Character in
                (0x20..<0x7F).contains(s.value) && s != "\"" && s != "\\" && s != "%" ? Character(s) : "_"
            })
        var unreserved = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        unreserved.insert(charactersIn: "-._~")
        let encoded = fileName.addingPercentEncoding(withAllowedCharacters: unreserved) ?? fallback
        return "attachment; filename=\"\(fallback)\"; filename*=UTF-8''\(encoded)"
    }

    /// The checklist in force: for each step set, the kinds of document it needs (as `storders
    /// checklist --json`). Every signed-in account may read it: it says what papers a step needs.
    func checklist(_ context: AppRequestContext) async throws -> Response {
        _ = try context.requireAccount()
        let settings = try await state.database { store in try store.checklistSettings() }
        return json(.array(settings.map(Shape.checklistSetting)))
    }

    // MARK: Notices

    /// The signed-in account's notices, newest first (`storders notices --login` for it): an
    /// enterprise its own orders, an officer its province, an auditor its province or every
    /// one. `since` (default 30 days before `as_of`), `as_of` (default today), `limit` (1 to
    /// 1000, default 100). An administrator does no order work: 403, as for the inbox.
    func notices(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let account = try require(.readOrders, context)
        let query = QueryFields(request: request)
        let limit = try query.int("limit") ?? 100
        guard (1...Self.maxNoticesLimit).contains(limit) else {
            throw STOrdersError.invalidValue("limit", String(limit), accepted: ["1 to \(Self.maxNoticesLimit)"])
        }
        let filter = try Self.noticeFilter(account, query, limit: limit)
        let notices = try await state.database { store in try store.notices(filter) }
        return json(.array(notices.map { Column.row(Columns.notices, $0) }))
    }

    /// The notice filter of `account`'s scope from a query's `since` and `as_of`; a `since`
    /// after `as_of` is refused (422 `invalid_value`).
    static func noticeFilter(_ account: Account, _ query: QueryFields, limit: Int) throws -> NoticeFilter {
        let asOf = try DeadlineRoutes.asOf(query)
        let since = try query.string("since").map { try Day(parsing: $0) }
        if let since, since > asOf {
            throw STOrdersError.invalidValue("since", since.description, accepted: ["a day on or before \(asOf)"])
        }
        let scope = account.noticeScope
        return NoticeFilter(
            asOf: asOf, since: since, province: scope.province, enterprise: scope.enterprise, limit: limit)
    }
}
