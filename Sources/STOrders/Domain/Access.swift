/// Something an account may ask to do. The first ten, the six of the amendments of an order's
/// dates, its payment requests and documents, and `advance` are bound to one order
/// (`orderBound`); the rest are asked of the account alone.
public enum Capability: String, CaseIterable, Sendable {
    case readOrders, registerOrder, addOutput, fund, accept, pay, reverse, commercialize, retract, cancel
    case readEnterprises, addEnterprise, readReports, setTarget, verify, export, manageAccounts, readAudit
    /// An officer extends a date (docs/deadlines.md), an enterprise asks for it, an officer decides the request.
    case amend, requestAmendment, decideAmendment
    /// An enterprise asks to be paid against an accepted output, an officer approves or returns
    /// the request (docs/requests.md; disbursing it is recording the payment: `pay`); an
    /// enterprise or an officer attaches a document to an order (docs/documents.md).
    case requestPayment, decidePaymentRequest, attachDocument
    /// An officer advances part of a funded order's state budget and records its recovery
    /// (docs/advances.md); the advance limit, a setting of the whole database, is set by an
    /// administrator, as the national targets are.
    case advance, setAdvanceLimit

    /// The capabilities asked about one order (`Account.access(_:order:)`).
    public static let orderBound: Set<Capability> = [
        .readOrders, .registerOrder, .addOutput, .fund, .accept, .pay, .reverse, .commercialize, .retract, .cancel,
        .amend, .requestAmendment, .decideAmendment, .requestPayment, .decidePaymentRequest, .attachDocument,
        .advance,
    ]
}

/// The answer to "may this account do this?". A record outside the account's scope does not
/// exist for it (`notFound`: no hint that it exists); in scope but not allowed is `forbidden`.
public enum Access: Sendable, Equatable {
    case allowed, forbidden, notFound
}

/// What the policy needs to know of one order: where it is, whose it is, and its state.
public struct OrderScope: Sendable {
    public let province: Province
    public let enterprise: TaxCode
    public let state: OrderState

    public init(province: Province, enterprise: TaxCode, state: OrderState) {
        self.province = province
        self.enterprise = enterprise
        self.state = state
    }
}

/// Who may do what: the one definition of the roles' rights (docs in the README's roles table).
///
/// | role | scope | may |
/// |---|---|---|
/// | enterprise | its own enterprise's orders and record | read; register; add outputs and cancel (withdraw) while `ordered`; commercialize; ask for a date's extension; request payment; attach documents |
/// | officer | its province | every order action (extend a date, decide a request, approve, return and disburse a payment request, attach documents, advance and recover an advance); read and add enterprises; reports; its province's targets |
/// | auditor | its province, or national | read orders, enterprises, reports; verify and export when national |
/// | admin | — | accounts, the audit log, national targets, the advance limit, enterprises, reports, verify, export; no order |
///
/// A disabled account is forbidden everything. The lifecycle's own rules (fund needs `ordered`,
/// and so on) still apply after an `allowed`: this answers who, not whether the order is ready.
extension Account {
    /// What the role may do at all, before any scope or state.
    var capabilities: Set<Capability> {
        switch role {
        case .enterprise:
            return [
                .readOrders, .registerOrder, .addOutput, .commercialize, .cancel, .readEnterprises, .requestAmendment,
                .requestPayment, .attachDocument,
            ]
        case .officer:
            // An officer extends a date itself rather than asking for it, and decides payment
            // requests rather than making them (it records a payment directly: `pay`).
            return Capability.orderBound.subtracting([.requestAmendment, .requestPayment]).union([
                .readEnterprises, .addEnterprise, .readReports, .setTarget,
            ])
        case .auditor:
            // Verify and export cover the whole file, every province: a provincial auditor
            // would see records outside its scope, so only a national one may.
            return province == nil
                ? [.readOrders, .readEnterprises, .readReports, .verify, .export]
                : [.readOrders, .readEnterprises, .readReports]
        case .admin:
            return [
                .readEnterprises, .addEnterprise, .readReports, .setTarget, .verify, .export, .manageAccounts,
                .readAudit, .setAdvanceLimit,
            ]
        }
    }

    /// Whether the account's binding is the one its role needs (always so for accounts the
    /// store returns; a hand-made inconsistent account is refused everything).
    var isBound: Bool {
        (try? Account.checkBinding(role: role, enterprise: enterprise, province: province)) != nil
    }

    /// Whether one order is in the account's scope (exists for it).
    func sees(province orderProvince: Province, enterprise orderEnterprise: TaxCode) -> Bool {
        switch role {
        case .enterprise: return enterprise == orderEnterprise
        case .officer: return province == orderProvince
        case .auditor: return province == nil || province == orderProvince
        case .admin: return true
        }
    }

    /// May the account do `capability` on this order? An order outside its scope is `notFound`
    /// whatever is asked; an admin does no order work (`forbidden`); an enterprise adds outputs
    /// to and cancels its own orders only while they are `ordered`.
    public func access(_ capability: Capability, order: OrderScope) -> Access {
        guard !disabled, isBound, role != .admin else { return .forbidden }
        guard sees(province: order.province, enterprise: order.enterprise) else { return .notFound }
        guard Capability.orderBound.contains(capability), capabilities.contains(capability) else { return .forbidden }
        if let needed = requiredState(for: capability), order.state != needed { return .forbidden }
        return .allowed
    }

    /// The state an order must be in for this account to do `capability`, or nil: an enterprise
    /// adds outputs to and withdraws its orders only while they are `ordered`. A write passes it
    /// to the store, which checks it again inside its transaction, so an officer's funding that
    /// lands between the check and the write cannot let a withdrawal through.
    public func requiredState(for capability: Capability) -> OrderState? {
        role == .enterprise && (capability == .addOutput || capability == .cancel) ? .ordered : nil
    }

    /// May the account do `capability` at all (a list, a report, verify, export, accounts)? For
    /// an order-bound capability this says whether the role ever may; the order's own answer is
    /// `access(_:order:)`. Lists are then filtered by `provinceScope` and `enterpriseScope`.
    public func access(_ capability: Capability) -> Access {
        guard !disabled, isBound else { return .forbidden }
        return capabilities.contains(capability) ? .allowed : .forbidden
    }

    /// May the account set a target of this province (nil: the national target)? An officer
    /// sets its own province's, an admin the national ones.
    public func access(setTargetFor targetProvince: Province?) -> Access {
        guard !disabled, isBound else { return .forbidden }
        switch role {
        case .officer: return targetProvince != nil && targetProvince == province ? .allowed : .forbidden
        case .admin: return targetProvince == nil ? .allowed : .forbidden
        case .enterprise, .auditor: return .forbidden
        }
    }

    /// May the account read this enterprise's record (in `province`)? An enterprise sees its
    /// own, an officer and a provincial auditor those of their province, a national auditor
    /// and an admin every one; any other does not exist for it.
    public func access(enterprise taxCode: TaxCode, province enterpriseProvince: Province) -> Access {
        guard !disabled, isBound else { return .forbidden }
        return sees(province: enterpriseProvince, enterprise: taxCode) ? .allowed : .notFound
    }

    /// May the account add an enterprise registered in this province? An officer adds those of
    /// its province, an admin any; another province is `forbidden` (nothing there is hidden).
    public func access(addEnterpriseIn enterpriseProvince: Province) -> Access {
        guard !disabled, isBound else { return .forbidden }
        switch role {
        case .officer: return province == enterpriseProvince ? .allowed : .forbidden
        case .admin: return .allowed
        case .enterprise, .auditor: return .forbidden
        }
    }

    /// The province a list is filtered by for this account (nil: no province filter).
    public var provinceScope: Province? {
        switch role {
        case .officer, .auditor: return province
        case .enterprise, .admin: return nil
        }
    }

    /// A list's province and enterprise filters narrowed to the account's scope, or nil when
    /// what is asked lies outside it (the list is then empty, never another scope's rows).
    public func scoped(province: Province?, enterprise: TaxCode?) -> (province: Province?, enterprise: TaxCode?)? {
        if let own = provinceScope, let asked = province, asked != own { return nil }
        if let own = enterpriseScope, let asked = enterprise, asked != own { return nil }
        return (provinceScope ?? province, enterpriseScope ?? enterprise)
    }

    /// The enterprise a list is filtered by for this account (nil: no enterprise filter).
    public var enterpriseScope: TaxCode? {
        role == .enterprise ? enterprise : nil
    }
}
