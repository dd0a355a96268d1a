import Hummingbird
import STOrders

/// GET /enterprises, GET /enterprises/{tax_code}, POST /enterprises.
struct EnterpriseRoutes: RouteGroup {
    let state: ServerState

    func register(on api: RouterGroup<AppRequestContext>) {
        api.get("enterprises") { request, context in try await list(request, context) }
        api.get("enterprises/{tax_code}") { _, context in try await one(context) }
        api.post("enterprises") { request, context in try await add(request, context) }
    }

    /// The enterprises in the caller's scope (an enterprise account: its own), by tax code;
    /// `province` filters further.
    func list(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let account = try require(.readEnterprises, context)
        let asked = try QueryFields(request: request).province()
        if let own = account.enterpriseScope {
            let e = try await state.database { store in try store.enterprise(taxCode: own) }
            return json(.array(asked == nil || asked == e.province ? [Column.row(Columns.enterprises, e)] : []))
        }
        if let scope = account.provinceScope, let asked, asked != scope { return json(.array([])) }
        let province = account.provinceScope ?? asked
        // Every enterprise of a province, or of the country: streamed, never held whole.
        return streamedArray(Columns.enterprises) { store, emit in
            try store.forEachEnterprise(province: province, emit)
        }
    }

    func one(_ context: AppRequestContext) async throws -> Response {
        let account = try require(.readEnterprises, context)
        let text = try context.parameters.text("tax_code")
        let taxCode = try TaxCode(parsing: text)
        let enterprise = try await state.database { store -> Enterprise in
            let e = try store.enterprise(taxCode: taxCode)
            try Self.check(
                account.access(enterprise: e.taxCode, province: e.province), else: .unknownEnterprise(taxCode: text))
            return e
        }
        return json(Shape.enterprise(enterprise))
    }

    /// `{"name", "tax_code", "province", "innovative_startup", "date"}`: an officer adds those of
    /// its province, an admin any.
    func add(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let account = try require(.addEnterprise, context)
        let fields = try await RequestFields.of(request)
        let name = try fields.requiredString("name")
        let taxCode = try TaxCode(parsing: try fields.requiredString("tax_code"))
        let province = try Province.named(try fields.requiredString("province"))
        let startup = try fields.bool("innovative_startup") ?? false
        let day = try fields.day()
        try Self.check(account.access(addEnterpriseIn: province), else: .unknownEnterprise(taxCode: taxCode.value))
        let enterprise = try await state.database { store in
            do {
                return try store.acting(as: account.login).addEnterprise(
                    name: name, taxCode: taxCode, province: province, innovativeStartup: startup, on: day)
            } catch let error as STOrdersError {
                // The refusal names the enterprise that holds the code; outside the caller's
                // scope that name is not the caller's to see (the code is still taken).
                guard case .duplicateTaxCode(let code, _) = error else { throw error }
                let holder = try store.enterprise(taxCode: taxCode)
                if account.access(enterprise: holder.taxCode, province: holder.province) == .allowed { throw error }
                throw APIError(
                    .conflict, code: "duplicate_tax_code",
                    message: "an enterprise with tax code \(code) already exists; tax codes are unique")
            }
        }
        return json(Shape.enterprise(enterprise), status: .created)
    }
}
