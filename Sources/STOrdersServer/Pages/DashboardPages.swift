import Hummingbird
import STOrders

/// The live dashboard: `storders report html`'s sections (`DashboardHTML.content`, one
/// definition) in the layout, complete without JavaScript; with it, the page asks GET
/// /api/v1/changes every few seconds and redraws the sections from /dashboard/content when the
/// records' version moves. Who sees what is the report routes' own check (`LiveDashboard.load`).
struct DashboardPages: RouteGroup {
    let state: ServerState
    var pages: PageRenderer { state.pages }
    /// How often the page asks whether the records changed, in milliseconds.
    static let pollInterval = 5000

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("/dashboard") { request, context in try await page(request, context) }
        group.get("/dashboard/content") { request, context in try await content(request, context) }
    }

    /// `year` (default this year) and, for a national reader, `province` (a name or code).
    struct Query {
        var year: Int?
        var province: Province?

        init(year: Int?, province: Province?) {
            self.year = year
            self.province = province
        }

        init(_ request: Request) throws {
            let query = QueryFields(request: request)
            year = try query.int("year")
            province = try query.province()
        }

        /// The query string that asks for the same dashboard.
        var string: String {
            var parts: [String] = []
            if let year { parts.append("year=\(year)") }
            if let province { parts.append("province=\(province.code)") }
            return parts.isEmpty ? "" : "?" + parts.joined(separator: "&")
        }
    }

    func page(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let query = try Query(request)
        let live = try await LiveDashboard.load(state, account, year: query.year, province: query.province)
        let page = PageContext(request, context)
        let d = live.dashboard
        let thisYear = Day.today().year
        let years = Set((thisYear - 9...thisYear) + [d.year]).sorted(by: >)
        var values: [String: Any] = [
            "generatedAt": d.generatedAt,
            // The one unescaped value of any template: DashboardHTML's own markup, every stored
            // text in it escaped there (PageTests names this exception).
            "dashboard": live.content,
            "version": live.version.description,
            "source": "/dashboard/content" + Query(year: d.year, province: query.province).string,
            "interval": Self.pollInterval,
            "years": years.map { ["value": $0, "selected": $0 == d.year] },
        ]
        if account.provinceScope == nil {
            values["hasProvinceChoice"] = true
            values["provinces"] = Province.all.map { p -> [String: Any] in
                ["code": p.code, "name": p.name, "selected": p == d.province]
            }
        }
        return pages.response("dashboard", page, title: DashboardHTML(d).title, values)
    }

    /// The sections alone (what the script puts in place), as the page shows them.
    func content(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let query = try Query(request)
        let live = try await LiveDashboard.load(state, account, year: query.year, province: query.province)
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: live.content)))
    }
}
