extension Columns {
    /// `request list`: each payment request, where it stands and what paid it.
    public static let paymentRequests: [Column<PaymentRequestLine>] = [
        .init("ORDER", "order_code") { .string($0.request.orderCode) },
        .init("NO", "number", .count) { .int($0.request.number) },
        .init("OUTPUT", "output_number", .count) { .int($0.request.outputNumber) },
        .init("AMOUNT", "amount", .money) { .int($0.request.amount) },
        .init("SOURCE", "source") { .string($0.request.source.rawValue) },
        .init("REQUESTED", "requested_on", .date) { .string($0.request.requestedOn.description) },
        .init("STATE", "state") { .string($0.request.state.rawValue) },
        .init("", "approved_on", .date, inTable: false) { Shape.day($0.request.approvedOn) },
        .init("", "returned_on", .date, inTable: false) { Shape.day($0.request.returnedOn) },
        .init("", "return_reason", inTable: false) { .optional($0.request.returnReason) },
        .init("", "payment_number", .count, inTable: false) { $0.request.paymentNumber.map { .int($0) } ?? .null },
        .init("", "paid_on", .date, inTable: false) { Shape.day($0.request.paidOn) },
        .init("", "reference", inTable: false) { .optional($0.request.reference) },
        .init("SINCE", "last_step_on", .date) { .string($0.request.lastStepOn.description) },
        .init("PROVINCE", "province", max: 22) { .string($0.province.name) },
        .init("", "province_code", inTable: false) { .string($0.province.code) },
        .init("", "enterprise_tax_code", inTable: false) { .string($0.enterpriseTaxCode) },
        .init("ENTERPRISE", "enterprise_name", max: 30) { .string($0.enterpriseName) },
    ]
}
