/// What a document is, for the checklist and for people reading the list.
public enum DocumentKind: String, Vocabulary, Comparable {
    /// Biên bản nghiệm thu: the minutes of an acceptance.
    case minutes
    /// Hóa đơn: an invoice.
    case invoice
    /// Báo cáo: a report (progress, final, commercialization).
    case report
    /// Hợp đồng: the contract of an order.
    case contract
    case other
    public static let noun = "document kind"

    public static func < (a: DocumentKind, b: DocumentKind) -> Bool { a.rawValue < b.rawValue }
}

/// A file attached to an order, to one of its outputs or to one of its payment requests,
/// numbered 1, 2, … within the order. Its
/// content is stored once, by its SHA-256; the attachment is a step of the order's history.
public struct Document: Hashable, Sendable {
    /// The largest content accepted, in bytes: 16 MiB. A scanned set of minutes or a signed
    /// contract is a few MiB; the content is held in memory whole when it is hashed, stored,
    /// exported (inside one JSON line) and extracted, so the bound keeps each of those small.
    public static let maximumSize: Int64 = 16 * 1024 * 1024

    public var orderCode: String
    public var number: Int
    /// The output it is attached to; nil when attached to the order as a whole or to a request.
    public var output: Int?
    /// The payment request it is attached to (schema version 9); nil otherwise. At most one of
    /// `output` and `request` is set.
    public var request: Int?
    public var kind: DocumentKind
    /// The file's own name (no folder), as it was attached.
    public var fileName: String
    public var title: String?
    /// Lowercase hex SHA-256 of the content.
    public var sha256: String
    public var size: Int64
    public var attachedOn: Day

    public init(
        orderCode: String, number: Int, output: Int?, kind: DocumentKind, fileName: String, title: String?,
        sha256: String, size: Int64, attachedOn: Day, request: Int? = nil
    ) {
        self.orderCode = orderCode
        self.number = number
        self.output = output
        self.request = request
        self.kind = kind
        self.fileName = fileName
        self.title = title
        self.sha256 = sha256
        self.size = size
        self.attachedOn = attachedOn
    }

    /// What the document is attached to, as a message says it: "the order", "output 2" or
    /// "payment request 1".
    public var target: String {
        if let output { return "output \(output)" }
        return request.map { "payment request \($0)" } ?? "the order"
    }

    /// Whether `text` is a SHA-256 as stored: 64 lowercase hex digits.
    public static func isSHA256(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    /// The name a file is attached under: the last part of its path, validated as text.
    public static func fileName(ofPath path: String) throws -> String {
        let last = path.split(separator: "/", omittingEmptySubsequences: true).last.map(String.init) ?? ""
        let name = try Text.validate(last, what: "file name")
        guard name != "." && name != ".." else {
            throw STOrdersError.invalidText(what: "file name", reason: "'\(name)' names a folder, not a file")
        }
        return name
    }
}

/// The steps of an order whose checklist can ask for documents.
public enum ChecklistStep: String, Vocabulary {
    /// Funding an order: the order's own documents count.
    case fund
    /// Accepting an output: the documents attached to that output count.
    case accept
    /// Recording a payment against an output: the documents attached to that output count.
    case pay
    /// Recording a commercialization result: the order's own documents count.
    case commercialize
    /// Approving a payment request (schema version 9): the documents attached to that request
    /// count. The enterprise attaches them after making the request, before the officer approves.
    case request
    public static let noun = "checklist step"

    /// What the documents that count are attached to, given the step's target number (an
    /// output's for `accept` and `pay`, a request's for `request`): "output 2", "payment
    /// request 1" or "the order".
    public func target(_ number: Int?) -> String {
        guard let number else { return "the order" }
        return self == .request ? "payment request \(number)" : "output \(number)"
    }
}

/// The kinds of document each step needs, a setting of the database. A step not listed needs
/// none (the default: an empty checklist changes nothing).
public struct Checklist: Hashable, Sendable {
    public private(set) var needs: [ChecklistStep: [DocumentKind]] = [:]

    public init(_ needs: [ChecklistStep: [DocumentKind]] = [:]) {
        for (step, kinds) in needs { set(step, kinds) }
    }

    /// Sets what a step needs: sorted, each kind once; an empty list needs nothing.
    public mutating func set(_ step: ChecklistStep, _ kinds: [DocumentKind]) {
        let kinds = Array(Set(kinds)).sorted()
        needs[step] = kinds.isEmpty ? nil : kinds
    }

    public func kinds(for step: ChecklistStep) -> [DocumentKind] { needs[step] ?? [] }

    /// The kinds `step` needs that are not among `attached`, in the checklist's order.
    public func missing(for step: ChecklistStep, attached: Set<DocumentKind>) -> [DocumentKind] {
        kinds(for: step).filter { !attached.contains($0) }
    }

    /// Refuses a step whose checklist is not met, naming what is missing. `attached` are the
    /// kinds attached to the step's target (`target` numbers the output for `accept` and `pay`,
    /// the payment request for `request`; nil is the order) on or before the step's day.
    public func require(
        _ step: ChecklistStep, order: String, target: Int?, attached: Set<DocumentKind>
    ) throws {
        let missing = missing(for: step, attached: attached)
        guard !missing.isEmpty else { return }
        throw STOrdersError.checklistUnmet(order: order, step: step, target: target, missing: missing)
    }

    /// How a list of kinds is stored: sorted, comma-separated ('' for none).
    public static func stored(_ kinds: [DocumentKind]) -> String {
        Array(Set(kinds)).sorted().map(\.rawValue).joined(separator: ",")
    }

    /// A stored list read back.
    public static func kinds(stored: String) throws -> [DocumentKind] {
        try stored.split(separator: ",").map { try DocumentKind.parse(String($0)) }
    }
}

/// One setting of a step's checklist, as stored: who set it, when.
public struct ChecklistSetting: Hashable, Sendable {
    public var step: ChecklistStep
    public var kinds: [DocumentKind]
    /// UTC `YYYY-MM-DDTHH:MM:SSZ`.
    public var setAt: String
    public var setBy: String

    public init(step: ChecklistStep, kinds: [DocumentKind], setAt: String, setBy: String) {
        self.step = step
        self.kinds = kinds
        self.setAt = setAt
        self.setBy = setBy
    }
}
