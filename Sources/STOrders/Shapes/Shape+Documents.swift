extension Columns {
    /// `document list`: an order's documents, by number.
    public static let documents: [Column<Document>] = [
        .init("", "order_code", inTable: false) { .string($0.orderCode) },
        .init("N", "number", .count) { .int($0.number) },
        .init("KIND", "kind") { .string($0.kind.rawValue) },
        .init("TARGET", "output", text: { $0.output == nil && $0.request == nil ? "order" : $0.target }) {
            $0.output.map { .int($0) } ?? .null
        },
        .init("FILE", "file_name", max: 40) { .string($0.fileName) },
        .init("TITLE", "title", max: 40) { .optional($0.title) },
        .init("BYTES", "size", .count) { .int($0.size) },
        .init("ATTACHED", "attached_on", .date) { .string($0.attachedOn.description) },
        .init("SHA-256", "sha256", max: 64, inTable: false) { .string($0.sha256) },
        .init("", "request", inTable: false) { $0.request.map { .int($0) } ?? .null },
    ]

    /// `checklist`: each step and the kinds of document it needs.
    public static let checklist: [Column<ChecklistSetting>] = [
        .init("STEP", "step") { .string($0.step.rawValue) },
        .init(
            "NEEDS", "kinds", max: 60,
            text: { $0.kinds.isEmpty ? "nothing" : $0.kinds.map(\.rawValue).joined(separator: ", ") }
        ) { .string(Checklist.stored($0.kinds)) },
        .init("SET BY", "set_by") { .string($0.setBy) },
        .init("SET AT", "set_at") { .string($0.setAt) },
    ]
}

extension Shape {
    public static func document(_ d: Document) -> JSONValue { Column.row(Columns.documents, d) }

    /// A document just written to a file, with the file's path.
    public static func extractedDocument(_ d: Document, file: String) -> JSONValue {
        appending(document(d), ("file", .string(file)))
    }
    public static func checklistSetting(_ s: ChecklistSetting) -> JSONValue { Column.row(Columns.checklist, s) }
}
