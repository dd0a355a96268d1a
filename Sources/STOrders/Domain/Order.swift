/// An S&T task ordered by one enterprise.
public struct Order: Hashable, Sendable {
    public var code: String
    public var title: String
    public var field: Field
    public var province: Province
    public var enterpriseTaxCode: TaxCode
    public var enterpriseName: String
    public var state: OrderState
    public var orderedOn: Day
    public var fundedOn: Day?
    public var deliveredOn: Day?
    public var commercializedOn: Day?
    public var cancelledOn: Day?
    public var cancelReason: String?

    public init(
        code: String, title: String, field: Field, province: Province, enterpriseTaxCode: TaxCode,
        enterpriseName: String, state: OrderState, orderedOn: Day, fundedOn: Day? = nil,
        deliveredOn: Day? = nil, commercializedOn: Day? = nil, cancelledOn: Day? = nil,
        cancelReason: String? = nil
    ) {
        self.code = code
        self.title = title
        self.field = field
        self.province = province
        self.enterpriseTaxCode = enterpriseTaxCode
        self.enterpriseName = enterpriseName
        self.state = state
        self.orderedOn = orderedOn
        self.fundedOn = fundedOn
        self.deliveredOn = deliveredOn
        self.commercializedOn = commercializedOn
        self.cancelledOn = cancelledOn
        self.cancelReason = cancelReason
    }

    /// Checks an order code a user chose: 1 to 40 of letters, digits and `. _ / -`.
    public static func validateCode(_ text: String) throws -> String {
        let code = text.trimmingSpaces()
        guard !code.isEmpty, code.utf8.count <= 40 else {
            throw STOrdersError.invalidOrderCode(text, reason: "expected 1 to 40 characters")
        }
        for b in code.utf8 {
            let ok =
                (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122)
                || b == 46 || b == 95 || b == 47 || b == 45
            guard ok else {
                throw STOrdersError.invalidOrderCode(
                    text, reason: "expected letters A-Z, digits and . _ / - only (e.g. TN-2026-001)")
            }
        }
        return code
    }
}

/// An order's full record, as `order show` presents it.
public struct OrderDetail: Sendable, Equatable {
    public var order: Order
    public var outputs: [Output]
    public var funding: Funding?
    public var payments: [Payment]
    public var results: [Commercialization]
    public var events: [Event]
    /// Changes of its dates (docs/deadlines.md), by number.
    public var amendments: [Amendment]
    /// The documents attached to it or its outputs, by number (their content is stored apart).
    public var documents: [Document]
    /// The enterprise's payment requests (docs/requests.md), by number.
    public var paymentRequests: [PaymentRequest]
    /// Its advances and recoveries (docs/advances.md), by number.
    public var advances: [Advance]

    public init(
        order: Order, outputs: [Output], funding: Funding?, payments: [Payment],
        results: [Commercialization], events: [Event], amendments: [Amendment] = [], documents: [Document] = [],
        paymentRequests: [PaymentRequest] = [], advances: [Advance] = []
    ) {
        self.advances = advances
        self.documents = documents
        self.paymentRequests = paymentRequests
        self.order = order
        self.outputs = outputs
        self.funding = funding
        self.payments = payments
        self.results = results
        self.events = events
        self.amendments = amendments
    }

    /// What has been paid against the order's outputs, all sources, net of reversals (a reversal's
    /// amount is negative).
    public var paidTotal: Int64 { payments.reduce(0) { $0 + $1.amount } }
    /// What was advanced, settled by payments and recovered of the order (docs/advances.md).
    public var advanceBalance: AdvanceBalance {
        var balance = AdvanceBalance()
        for a in advances {
            if a.kind == .advance { balance.advanced += a.amount } else { balance.recovered += a.amount }
        }
        for p in payments { balance.settled += p.settled }
        return balance
    }
    /// The sum of the outputs' values.
    public var outputsValue: Int64 { outputs.reduce(0) { $0 + $1.value } }
    /// The results that stand (not retracted).
    public var liveResults: [Commercialization] { results.filter(\.isLive) }
    /// The revenue of its results that stand (the store keeps it within Int64).
    public var revenueTotal: Int64 { liveResults.reduce(0) { $0 + $1.revenue } }
}

extension Order {
    /// The state the action leads to, or the refusal naming the order, its state and what the
    /// action needs (`OrderState.next(after:)`); every command of the store asks it first.
    public func next(after action: OrderState.Action) throws -> OrderState {
        switch state.next(after: action) {
        case .success(let next): return next
        case .failure(let refusal):
            throw STOrdersError.transitionRefused(
                code: code, from: state, action: action.rawValue, needs: refusal.needs)
        }
    }
}
