import Hummingbird
import STOrders

/// The dashboard as the live page shows it to one account: `storders report html`'s figures
/// (`Store.dashboard`), scoped as the report routes are, and the version of the records they
/// were read at (`Store.changeVersion`, what GET /api/v1/changes answers the same account).
struct LiveDashboard: Sendable {
    let dashboard: Dashboard
    let version: ChangeVersion

    /// Refused (403) unless the account reads reports, as GET /api/v1/reports/indicators is; an
    /// officer's or a provincial auditor's dashboard is its province's (another province is 403,
    /// as in the report routes), and its province × field map holds its own province's row only.
    static func load(
        _ state: ServerState, _ account: Account, year: Int?, province asked: Province?
    ) async throws -> LiveDashboard {
        guard account.access(.readReports) == .allowed else { throw APIError.forbidden() }
        let province = try ReportRoutes.reportProvince(asked, account)
        let year = year ?? Day.today().year
        _ = try IndicatorRequest.years(from: year, to: year)
        let scope = account.provinceScope
        return try await state.database { store in
            // The version first: a change landing between the two reads makes the page look
            // older than it is (it is drawn again at the next poll), never newer.
            let version = try store.changeVersion(province: scope)
            var dashboard = try store.dashboard(year: year, province: province)
            if let scope { dashboard.map = dashboard.map.filter { $0.province == scope } }
            return LiveDashboard(dashboard: dashboard, version: version)
        }
    }

    /// The sections, as `storders report html` draws them.
    var content: String { DashboardHTML(dashboard).content() }
}
