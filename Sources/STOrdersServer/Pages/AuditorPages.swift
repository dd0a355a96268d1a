import Hummingbird
import STOrders

/// The auditor's pages: verify with each finding, an order's history with its chain hashes, and
/// the export. Each asks what its API route asks (`Capability.verify`, `.export`, the order's
/// `.readOrders`) and shows what the library returns (`Store.verify`, `chainedHistory`, `export`).
struct AuditorPages: RouteGroup {
    let state: ServerState
    var pages: PageRenderer { state.pages }

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("/verify") { request, context in try await verify(request, context) }
        group.get("/orders/{code}/history") { request, context in try await history(request, context) }
        group.get("/export") { request, context in try exportPage(request, context) }
        group.get("/export/storders.jsonl") { _, context in try download(context) }
    }

    /// Every check with its findings (an order's links to its history), the counts and the head
    /// of the chain.
    func verify(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        _ = try require(.verify, context)
        let verification = try await state.database { store in try store.verify() }
        let page = PageContext(request, context)
        let l = page.language
        let checks = Verification.Check.allCases.map { check -> [String: Any] in
            let findings = verification.findings(of: check)
            return [
                "id": check.rawValue, "title": l.text("check_\(check.rawValue)"), "clean": findings.isEmpty,
                "findings": findings.map { finding -> [String: Any] in
                    var values: [String: Any] = ["message": finding.message]
                    if let order = finding.order {
                        values["order"] = order
                        values["historyHref"] = Self.historyHref(order)
                    }
                    return values
                },
            ]
        }
        let counts: [(String, Int)] = [
            ("verify_orders", verification.orders), ("verify_events", verification.events),
            ("verify_payments", verification.payments), ("verify_results", verification.results),
        ]
        return pages.response(
            "verify", page, title: l.text("verify_title"),
            [
                "ok": verification.isClean,
                "summary": verification.isClean
                    ? l.text("verify_ok") : l.format("verify_problems", String(verification.findings.count)),
                "checks": checks,
                "counts": counts.map { ["label": l.text($0.0), "value": $0.1] },
                "chainHead": verification.chainHead,
                "canExport": (try? require(.export, context)) != nil,
            ])
    }

    /// The order's events, oldest first, each with who acted, its id and its hash in the chain;
    /// an order outside the caller's scope is the same 404 as one that does not exist.
    func history(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let code = try context.parameters.text("code")
        let events = try await onOrder(context, .readOrders, code) { store in try store.chainedHistory(code: code) }
        let page = PageContext(request, context)
        let l = page.language
        return pages.response(
            "history", page, title: l.format("history_title", code),
            [
                "code": code,
                "orderHref": OrderPages.href(code),
                "events": events.map { chained -> [String: Any] in
                    let e = chained.event
                    return [
                        "id": chained.id, "hash": chained.hash, "date": e.occurredOn.description,
                        "action": l.text("event_\(e.action.rawValue)"), "actionCode": e.action.rawValue,
                        "details": e.details, "actor": e.actor, "recordedAt": e.recordedAt,
                    ]
                },
            ])
    }

    func exportPage(_ request: Request, _ context: AppRequestContext) throws -> Response {
        _ = try require(.export, context)
        let page = PageContext(request, context)
        return pages.response("export", page, title: page.language.text("export_title"))
    }

    /// The API's export stream (GET /api/v1/export), offered as a file to save.
    func download(_ context: AppRequestContext) throws -> Response {
        var response = try AuditorRoutes(state: state).export(context)
        response.headers[.contentDisposition] = "attachment; filename=\"storders-export.jsonl\""
        return response
    }

    static func historyHref(_ code: String) -> String { OrderPages.href(code) + "/history" }
}
