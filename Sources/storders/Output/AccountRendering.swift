import STOrders

/// Text for people about accounts (their JSON shapes are the library's `Shape.account` and
/// `Columns.accounts`, `Columns.tokens`, `Columns.audit`).
extension Render {
    /// "officer of Thái Nguyên", "auditor (national)", "enterprise 0100233488", "admin".
    static func binding(_ a: Account) -> String {
        switch a.role {
        case .enterprise: return "enterprise \(a.enterprise?.value ?? "")"
        case .officer, .auditor: return a.province.map { "\(a.role) of \($0.name)" } ?? "\(a.role) (national)"
        case .admin: return "admin"
        }
    }
}
