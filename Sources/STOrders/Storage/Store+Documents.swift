import Foundation
import GRDB

extension Store {
    /// Attaches the file at `path` to an order, to one of its outputs or to one of its payment
    /// requests: its content is read (bounded by `Document.maximumSize`) and attached under the
    /// file's own name.
    @discardableResult
    public func attachDocument(
        order code: String, file path: String, kind: DocumentKind, output: Int? = nil, request: Int? = nil,
        title: String? = nil, on day: Day
    ) throws -> Document {
        let name = try Document.fileName(ofPath: path)
        let content = try DocumentContent.read(path: path)
        return try attachDocument(
            order: code, content: content, fileName: name, kind: kind, output: output, request: request, title: title,
            on: day)
    }

    /// Attaches content to an order, to one of its outputs or to one of its payment requests (at
    /// most one target), in one transaction: the content is stored once by its SHA-256
    /// (attaching the same bytes again stores nothing more), the document is numbered after the
    /// order's others, and a `document_attached` event whose record carries the SHA-256, file
    /// name, kind, size and target joins the order's history. A document may be attached in any
    /// state of the order (and of the request), dated on or after its registration (and its
    /// cancellation, on a cancelled order; and the request's making, on a request).
    @discardableResult
    public func attachDocument(
        order code: String, content: DocumentContent, fileName: String, kind: DocumentKind, output: Int? = nil,
        request: Int? = nil, title: String? = nil, on day: Day
    ) throws -> Document {
        let fileName = try Document.fileName(ofPath: fileName)
        let title = try Text.validateOptional(title, what: "document title")
        guard output == nil || request == nil else {
            throw STOrdersError.invalidDocument(
                file: fileName, reason: "a document is attached to an output or to a payment request, not to both")
        }
        return try write { db in
            let (id, order) = try findOrder(db, code: code)
            var outputID: Int64?
            if let output {
                _ = try Store.output(db, orderID: id, orderCode: order.code, number: output)
                outputID = try Int64.fetchOne(
                    db, sql: "SELECT id FROM outputs WHERE order_id = ? AND number = ?", arguments: [id, output])
            }
            var requestID: Int64?
            var requestMade: Chronology.Step?
            if let request {
                let (rowID, found) = try Store.paymentRequest(db, orderID: id, orderCode: order.code, number: request)
                requestID = rowID
                requestMade = Chronology.Step(
                    Chronology.name(of: .paymentRequested, number: request), on: found.requestedOn)
            }
            try Chronology.check(
                .documentAttached, on: day, after: Chronology.Dates(order, latest: nil), record: requestMade)
            try db.execute(
                sql: "INSERT INTO blobs (sha256, size, content) VALUES (?, ?, ?) ON CONFLICT (sha256) DO NOTHING",
                arguments: [content.sha256, content.size, Data(content.bytes)])
            let number =
                (try Int.fetchOne(db, sql: "SELECT max(number) FROM documents WHERE order_id = ?", arguments: [id])
                    ?? 0) + 1
            try db.execute(
                sql: """
                    INSERT INTO documents
                        (order_id, number, output_id, kind, file_name, title, sha256, size, attached_on, request_id)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    id, number, outputID, kind.rawValue, fileName, title, content.sha256, content.size,
                    day.description, requestID,
                ])
            let document = Document(
                orderCode: order.code, number: number, output: output, kind: kind, fileName: fileName, title: title,
                sha256: content.sha256, size: content.size, attachedOn: day, request: request)
            try appendEvent(
                db, orderID: id, on: day, action: .documentAttached, details: EventDetails.documentAttached(document),
                record: (.documents, db.lastInsertedRowID))
            return document
        }
    }

    /// An order's documents, by number.
    public func documents(order code: String) throws -> [Document] {
        try read { db in
            let (id, order) = try findOrder(db, code: code)
            return try Row.fetchAll(
                db.cachedStatement(
                    sql:
                        "SELECT \(Store.documentColumns) FROM \(Store.documentTables) WHERE d.order_id = ? ORDER BY d.number"
                ),
                arguments: [id]
            ).map { try Store.documentRow($0, orderCode: order.code) }
        }
    }

    /// One document and its content, checked on the way out: content whose SHA-256 or size is
    /// no longer the one recorded is refused (`documentDamaged`), never handed over.
    public func documentContent(order code: String, number: Int) throws -> (document: Document, bytes: [UInt8]) {
        try read { db in
            let (id, order) = try findOrder(db, code: code)
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT \(Store.documentColumns), b.content FROM \(Store.documentTables)
                        LEFT JOIN blobs b ON b.sha256 = d.sha256 WHERE d.order_id = ? AND d.number = ?
                        """, arguments: [id, number])
            else {
                let count =
                    try Int.fetchOne(db, sql: "SELECT count(*) FROM documents WHERE order_id = ?", arguments: [id]) ?? 0
                throw STOrdersError.unknownDocument(order: order.code, number: number, count: count)
            }
            let document = try Store.documentRow(row, orderCode: order.code)
            guard let content = row[9] as Data? else {
                throw STOrdersError.documentDamaged(
                    order: order.code, number: number, reason: "its content (SHA-256 \(document.sha256)) is missing")
            }
            let bytes = [UInt8](content)
            let found = DocumentContent.sha256(bytes)
            guard found == document.sha256, Int64(bytes.count) == document.size else {
                throw STOrdersError.documentDamaged(
                    order: order.code, number: number,
                    reason:
                        "its content has SHA-256 \(found) and \(bytes.count) bytes, but \(document.sha256) and \(document.size) bytes were recorded"
                )
            }
            return (document, bytes)
        }
    }

    /// The columns `documentRow` reads, from `documentTables`.
    static let documentColumns =
        "d.number, x.number, d.kind, d.file_name, d.title, d.sha256, d.size, d.attached_on, q.number"
    static let documentTables =
        "documents d LEFT JOIN outputs x ON x.id = d.output_id LEFT JOIN payment_requests q ON q.id = d.request_id"

    /// A document from `documentColumns`, read from column `i` on.
    static func documentRow(_ row: Row, orderCode: String, from i: Int = 0) throws -> Document {
        Document(
            orderCode: orderCode, number: row[i], output: row[i + 1],
            kind: try vocabulary(DocumentKind.self, row[i + 2]), fileName: row[i + 3], title: row[i + 4],
            sha256: row[i + 5], size: row[i + 6], attachedOn: try Day(parsing: row[i + 7]), request: row[i + 8])
    }

    /// The kinds of document attached to `step`'s target on or before `day`: to the payment
    /// request `target` for `request`, else to the output `target` or (nil) to the order itself,
    /// never counting a request's papers as the order's. What a step's checklist is met with.
    static func attachedKinds(
        _ db: Database, orderID: Int64, step: ChecklistStep, target: Int?, onOrBefore day: Day
    ) throws -> Set<DocumentKind> {
        let sql =
            step == .request
            ? """
            SELECT DISTINCT d.kind FROM documents d JOIN payment_requests q ON q.id = d.request_id
            WHERE d.order_id = ? AND q.number IS ? AND d.attached_on <= ?
            """
            : """
            SELECT DISTINCT d.kind FROM documents d LEFT JOIN outputs x ON x.id = d.output_id
            WHERE d.order_id = ? AND x.number IS ? AND d.request_id IS NULL AND d.attached_on <= ?
            """
        let texts = try String.fetchAll(
            db.cachedStatement(sql: sql), arguments: [orderID, target, day.description])
        return Set(try texts.map { try vocabulary(DocumentKind.self, $0) })
    }
}

extension Store {
    // MARK: verify: every document's content

    /// Recomputes the SHA-256 and size of every stored content (one at a time: memory holds one
    /// content, at most `Document.maximumSize`), names each document whose content changed or is
    /// missing, and any content no document names.
    static func checkDocuments(_ db: Database, into v: inout Verification) throws {
        let contents = try Row.fetchCursor(db, sql: "SELECT sha256, size, content FROM blobs ORDER BY rowid")
        var changed: [(key: String, found: String, size: Int)] = []
        while let row = try contents.next() {
            let key = shown(row[0] as DatabaseValue)
            let bytes = (row[2] as Data?).map { [UInt8]($0) } ?? []
            let found = DocumentContent.sha256(bytes)
            if found != key || Int64.fromDatabaseValue(row[1] as DatabaseValue) != Int64(bytes.count) {
                changed.append((key, found, bytes.count))
            }
        }
        let naming = """
            SELECT o.code, d.number, d.file_name, d.size FROM documents d LEFT JOIN orders o ON o.id = d.order_id
            WHERE d.sha256 = ? ORDER BY d.id
            """
        for c in changed {
            let documents = try Row.fetchAll(db, sql: naming, arguments: [c.key])
            for d in documents {
                v.findings.append(
                    .init(
                        check: .documents, order: d[0],
                        message:
                            "document \(shown(d[1] as DatabaseValue)) (\(shown(d[2] as DatabaseValue))) was changed outside storders: its content has SHA-256 \(c.found) and \(c.size) bytes now, but \(c.key) and \(shown(d[3] as DatabaseValue)) bytes were recorded"
                    ))
            }
            if documents.isEmpty {
                v.findings.append(
                    .init(
                        check: .documents, order: nil,
                        message: "stored content \(c.key) no longer has that SHA-256 (it is \(c.found) now)"))
            }
        }
        for d in try Row.fetchAll(
            db,
            sql: """
                SELECT o.code, d.number, d.file_name, d.sha256 FROM documents d LEFT JOIN orders o ON o.id = d.order_id
                WHERE NOT EXISTS (SELECT 1 FROM blobs b WHERE b.sha256 = d.sha256) ORDER BY d.id
                """)
        {
            v.findings.append(
                .init(
                    check: .documents, order: d[0],
                    message:
                        "document \(shown(d[1] as DatabaseValue)) (\(shown(d[2] as DatabaseValue))): its content (SHA-256 \(shown(d[3] as DatabaseValue))) is missing: it was deleted outside storders"
                ))
        }
        for key in try String.fetchAll(
            db,
            sql: """
                SELECT sha256 FROM blobs b WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE d.sha256 = b.sha256)
                ORDER BY rowid
                """)
        {
            v.findings.append(
                .init(
                    check: .documents, order: nil,
                    message: "stored content \(key) belongs to no document: it was added outside storders"))
        }
    }
}
