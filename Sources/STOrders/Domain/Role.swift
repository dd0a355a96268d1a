/// What an account is for, which fixes what it may read and do (see `Account.access`).
public enum Role: String, CaseIterable, Sendable, Codable {
    /// One enterprise's own orders: registers them, adds outputs and withdraws while ordered,
    /// reports commercialization. Bound to one tax code.
    case enterprise
    /// A province's Department: every order, enterprise and report of the province; does the
    /// order work (fund, accept, pay, reverse, cancel, retract) and sets the province's targets.
    case officer
    /// Reads everything in its scope (one province, or national); writes nothing.
    case auditor
    /// Manages accounts, reads the audit log, sets national targets; no order work.
    case admin
}

extension Role: Vocabulary {
    public static let noun = "role"
}
