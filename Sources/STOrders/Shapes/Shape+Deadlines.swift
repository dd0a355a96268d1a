extension Columns {
    /// `due`: each deadline with its dates and days late (negative: days left).
    public static let due: [Column<DueLine>] = [
        .init("DUE", "due_on", .date) { .string($0.due.description) },
        .init("LATE", "days_late", .count) { .int($0.daysLate) },
        .init("ORDER", "order_code") { .string($0.orderCode) },
        .init("WHAT", "kind") { .string($0.kind == .output ? "output \($0.outputNumber ?? 0)" : "contract end") },
        .init("", "output_number", .count, inTable: false) { $0.outputNumber.map { .int($0) } ?? .null },
        .init("TITLE", "title", max: 40) { .string($0.title) },
        .init("ORIGINAL", "original_due_on", .date, text: { $0.isAmended ? $0.originalDue.description : "" }) {
            .string($0.originalDue.description)
        },
        .init("PROVINCE", "province", max: 22) { .string($0.province.name) },
        .init("", "province_code", inTable: false) { .string($0.province.code) },
        .init("", "enterprise_tax_code", inTable: false) { .string($0.enterpriseTaxCode) },
        .init("ENTERPRISE", "enterprise_name", max: 30) { .string($0.enterpriseName) },
    ]

    /// `inbox`: what waits, since when and for how many days.
    public static let inbox: [Column<InboxItem>] = [
        .init("SINCE", "since", .date) { .string($0.since.description) },
        .init("DAYS", "days_waited", .count) { .int($0.daysWaited) },
        .init("WAITS FOR", "kind") { .string($0.kind.rawValue) },
        .init("ORDER", "order_code") { .string($0.orderCode) },
        .init("", "number", .count, inTable: false) { $0.number.map { .int($0) } ?? .null },
        .init("SUBJECT", "subject", max: 50) { .string($0.subject) },
        .init("", "order_title", inTable: false) { .string($0.orderTitle) },
        .init("PROVINCE", "province", max: 22) { .string($0.province.name) },
        .init("", "province_code", inTable: false) { .string($0.province.code) },
        .init("", "enterprise_tax_code", inTable: false) { .string($0.enterpriseTaxCode) },
        .init("ENTERPRISE", "enterprise_name", max: 30) { .string($0.enterpriseName) },
    ]
}

extension Columns {
    /// `notices`: what happened or falls due, newest first.
    public static let notices: [Column<Notice>] = [
        .init("DAY", "day", .date) { .string($0.day.description) },
        .init("NOTICE", "kind") { .string($0.kind.rawValue) },
        .init("ORDER", "order_code") { .string($0.orderCode) },
        .init("SUBJECT", "subject", max: 60) { .string($0.subject) },
        .init("", "title", inTable: false) { .string($0.title) },
        .init("PROVINCE", "province", max: 22) { .string($0.province.name) },
        .init("", "province_code", inTable: false) { .string($0.province.code) },
        .init("", "enterprise_tax_code", inTable: false) { .string($0.enterpriseTaxCode) },
        .init("ENTERPRISE", "enterprise_name", max: 30) { .string($0.enterpriseName) },
    ]

    /// `notices --digests`: each account with an address, and what became of its digest.
    public static let digests: [Column<NoticeDigest>] = [
        .init("LOGIN", "login") { .string($0.login) },
        .init("E-MAIL", "email") { .string($0.email) },
        .init("NOTICES", "notices", .count) { .int(Int64($0.notices)) },
        .init("OUTCOME", "outcome") {
            switch $0.outcome {
            case .sent: return .string("sent")
            case .nothing: return .string("nothing")
            case .failed: return .string("failed")
            }
        },
    ]
}
