import Foundation
import Hummingbird
import STOrders

/// The pages of the office's steps between the lifecycle's (issue 13), each asking the policy
/// what its API route asks and calling the same library function: what falls due (`GET /due`,
/// as `GET /api/v1/due`), the signed-in account's notices (`GET /notices`, as `GET
/// /api/v1/notices`), and a document's download from the order page.
struct ProcessPages: RouteGroup {
    let state: ServerState
    var pages: PageRenderer { state.pages }
    /// The most deadlines the due page lists.
    static let dueLimit = 500
    /// The windows the due page offers, in days.
    static let windows = [7, 30, 90, 365]

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("/due") { request, context in try await due(request, context) }
        group.get("/notices") { request, context in try await notices(request, context) }
        group.get("/orders/{code}/documents/{number}") { _, context in try await download(context) }
        group.get("/orders/{code}/documents/new") { request, context in try await attachForm(request, context) }
        group.post("/orders/{code}/documents/new") { request, context in try await attach(request, context) }
    }

    /// Outputs not yet accepted and contracts' ends in the account's scope, late or due within
    /// `within` days (7, 30, 90 or 365; default 30), or only the late ones (`overdue=true`).
    func due(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let account = try require(.readOrders, context)
        let page = PageContext(request, context)
        let l = page.language
        let query = QueryFields(request: request)
        let overdue = (try? query.bool("overdue")) ?? false
        let asked = (try? query.int("within")) ?? nil
        let within = asked.flatMap { Self.windows.contains($0) ? $0 : nil } ?? DueFilter.defaultWithinDays
        let today = Day.today()
        var lines: [DueLine] = []
        var more = false
        if let scoped = account.scoped(province: nil, enterprise: nil) {
            let filter = DueFilter(
                asOf: today, withinDays: overdue ? nil : within, province: scoped.province,
                enterprise: scoped.enterprise)
            (lines, more) = try await state.database { store in
                var lines: [DueLine] = []
                var more = false
                try store.forEachDue(filter) { line in
                    if lines.count < Self.dueLimit { lines.append(line) } else { more = true }
                }
                return (lines, more)
            }
        }
        let rows = lines.map { line -> [String: Any] in
            [
                "code": line.orderCode, "href": OrderPages.href(line.orderCode), "due": l.day(line.due),
                "dueISO": line.due.description, "daysLate": line.daysLate, "late": line.daysLate > 0,
                "whatKey": line.kind == .output ? "output-\(line.outputNumber ?? 0)" : "contract",
                "what": line.kind == .output
                    ? l.format("due_output", String(line.outputNumber ?? 0)) : l.text("due_contract_end"),
                "title": line.title, "original": line.isAmended ? l.day(line.originalDue) : "",
                "enterprise": line.enterpriseName, "province": line.province.name,
            ]
        }
        let windows = Self.windows.map { days -> [String: Any] in
            ["value": days, "label": l.format("due_within_days", String(days)), "selected": days == within]
        }
        let values: [String: Any] = [
            "lines": rows, "hasLines": !rows.isEmpty, "truncated": more, "windows": windows, "overdue": overdue,
            "dueCount": l.format("due_count", String(rows.count) + (more ? "+" : "")),
        ]
        return pages.response("due", page, title: l.text("due_title"), values)
    }

    /// The signed-in account's notices (the library's `notices`, as `storders notices --login`),
    /// from `since` (default 30 days ago) to today, newest first, at most 200.
    func notices(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let account = try require(.readOrders, context)
        let page = PageContext(request, context)
        let l = page.language
        let today = Day.today()
        let asked = QueryFields(request: request).string("since").flatMap { try? Day(parsing: $0) }
        let since = asked.map { min($0, today) }
        let scope = account.noticeScope
        let filter = NoticeFilter(
            asOf: today, since: since, province: scope.province, enterprise: scope.enterprise, limit: 200)
        let notices = try await state.database { store in try store.notices(filter) }
        let rows = notices.map { n -> [String: Any] in
            [
                "code": n.orderCode, "href": OrderPages.href(n.orderCode), "kind": n.kind.rawValue,
                "kindLabel": l.text("notice_\(n.kind.rawValue)"), "day": l.day(n.day), "dayISO": n.day.description,
                "subject": n.subject, "title": n.title, "enterprise": n.enterpriseName,
            ]
        }
        var window = l.text("notices_window")
        for value in [l.day(filter.since), l.day(filter.asOf)] {
            if let slot = window.range(of: "%@") { window.replaceSubrange(slot, with: value) }
        }
        let values: [String: Any] = [
            "notices": rows, "hasNotices": !rows.isEmpty, "sinceISO": filter.since.description, "window": window,
        ]
        return pages.response("notices", page, title: l.text("notices_title"), values)
    }

    /// A document's content for whoever may read its order (the API's `…/documents/{n}/content`).
    func download(_ context: AppRequestContext) async throws -> Response {
        let code = try context.parameters.text("code")
        let number = context.parameters.number("number")
        let (document, bytes) = try await onOrder(context, .readOrders, code) { store in
            guard let number else { throw STOrdersError.unknownDocument(order: code, number: 0, count: 0) }
            return try store.documentContent(order: code, number: number)
        }
        return ProcessRoutes.download(bytes, fileName: document.fileName)
    }

    // MARK: Attaching a document

    /// The upload form: the file, its kind, the output it belongs to (none: the order), a title
    /// and the day. Who may: as `POST /api/v1/orders/{code}/documents` (`attachDocument`).
    func attachForm(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let code = try context.parameters.text("code")
        let detail = try await onOrder(context, .attachDocument, code) { store in try store.orderDetail(code: code) }
        return attachPage(detail, PageContext(request, context), input: nil, fileError: nil, status: .ok)
    }

    func attachPage(
        _ detail: OrderDetail, _ page: PageContext, input: FormInput?, fileError: String?,
        status: HTTPResponse.Status
    ) -> Response {
        let l = page.language
        let o = detail.order
        let kinds = DocumentKind.allCases.map { ($0.rawValue, l.text("kind_\($0.rawValue)")) }
        // The order, each output ("N"), each payment request ("request-N").
        let outputs =
            [("", l.text("document_order"))]
            + detail.outputs.map { output in
                (String(output.number), "\(l.format("output_number", String(output.number))): \(output.title)")
            }
            + detail.paymentRequests.map { r in
                (
                    "request-\(r.number)",
                    "\(l.format("request_number", String(r.number))): \(l.money(r.amount)) — \(l.format("output_number", String(r.outputNumber)))"
                )
            }
        let fields = [
            FormField(name: "kind", label: l.text("document_kind"), kind: .select(kinds)),
            FormField(
                name: "output", label: l.text("document_target"), kind: .select(outputs),
                hint: l.text("document_output_hint"), required: false),
            FormField(name: "title", label: l.text("document_title"), kind: .text, required: false),
            FormField(name: "date", label: l.text("date"), kind: .date, hint: l.text("date_hint"), required: false),
        ]
        let defaults = ["date": Day.today().description]
        var values: [String: Any] = [
            "formAction": OrderPages.href(o.code) + "/documents/new", "backHref": OrderPages.href(o.code),
            "facts": [
                ["label": l.text("order_code"), "value": o.code],
                ["label": l.text("order_title_label"), "value": o.title],
            ],
            "fields": fields.map { field in
                field.values(
                    value: input?.values[field.name] ?? defaults[field.name] ?? "", error: input?.errors[field.name])
            },
        ]
        if let fileError { values["fileError"] = fileError }
        if let summary = input?.summary ?? fileError.map({ _ in l.text("form_has_errors") }) {
            values["formError"] = summary
        }
        return pages.response("attach", page, title: l.format("title_attach", o.code), status: status, values)
    }

    /// Attaches the uploaded file (the library's `attachDocument`, as the API's route calls it),
    /// then 303 to the order with a flash; a refusal re-renders the form beside its field.
    func attach(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let code = try context.parameters.text("code")
        // The policy first: out of scope is the 404 page, not allowed the 403 page.
        _ = try await onOrder(context, .attachDocument, code) { store in try store.orderScope(code: code) }
        let page = PageContext(request, context)
        let l = page.language
        let form = MultipartForm.isMultipart(request) ? try await MultipartForm.of(request) : MultipartForm()
        var input = FormInput(values: form.fields, language: l)
        let kind = input.read("kind") { try DocumentKind.parse($0) }
        // The target: "" the order, "N" an output, "request-N" a payment request.
        let target = input.read("output", required: false) { text -> (output: Int?, request: Int?) in
            if text.hasPrefix("request-"), let n = Int(text.dropFirst("request-".count)), n > 0 { return (nil, n) }
            guard let n = Int(text), n > 0 else { throw STOrdersError.unknownOutput(order: code, number: 0, count: 0) }
            return (n, nil)
        }
        let title = input.text("title")
        let day = input.read("date", required: false) { try Day(parsing: $0) } ?? Day.today()
        var fileError: String?
        var content: (DocumentContent, String)?
        if let file = form.files["file"], !file.fileName.isEmpty {
            do {
                content = (try DocumentContent(bytes: file.bytes, name: file.fileName), file.fileName)
            } catch {
                fileError = FormInput.sentence(error)
            }
        } else {
            fileError = l.text("field_required")
        }
        if let kind, let content, input.errors.isEmpty {
            do {
                _ = try await onOrder(context, .attachDocument, code) { store in
                    try store.attachDocument(
                        order: code, content: content.0, fileName: content.1, kind: kind, output: target?.output,
                        request: target?.request, title: title, on: day)
                }
                return Redirect.to(OrderPages.href(code), cookies: [Flash.cookie("flash_attach", code)])
            } catch let error as STOrdersError where error.code != "unknown_order" {
                input.refused(error) { code in
                    switch code {
                    case "unknown_output", "unknown_payment_request": return "output"
                    case "date_before", "invalid_date": return "date"
                    case "invalid_text": return "title"
                    default: return nil
                    }
                }
                if case .invalidText(let what, _) = error, what == "file name" {
                    input.errors["title"] = nil
                    fileError = FormInput.sentence(error)
                }
            }
        }
        let detail = try await state.database { store in try store.orderDetail(code: code) }
        let status: HTTPResponse.Status = input.status == .conflict ? .conflict : .unprocessableContent
        return attachPage(detail, page, input: input, fileError: fileError, status: status)
    }
}
