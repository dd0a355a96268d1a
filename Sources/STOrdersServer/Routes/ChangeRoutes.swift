import Hummingbird
import STOrders

/// GET /changes: `{"version": "46.9"}`, the version of the records the caller's reports cover
/// (`Store.changeVersion`, scoped as the report routes are: an officer's or a provincial
/// auditor's to its province). A live page polls it and redraws its figures when it moves; it
/// costs two index lookups nationally, one pass over a province's orders otherwise.
struct ChangeRoutes: RouteGroup {
    let state: ServerState

    func register(on api: RouterGroup<AppRequestContext>) {
        api.get("changes") { _, context in try await version(context) }
    }

    func version(_ context: AppRequestContext) async throws -> Response {
        let account = try require(.readReports, context)
        let province = account.provinceScope
        let version = try await state.database { store in try store.changeVersion(province: province) }
        return json(.object([("version", .string(version.description))]))
    }
}
