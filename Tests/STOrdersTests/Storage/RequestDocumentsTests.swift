import GRDB
import Testing

@testable import STOrders

/// Papers attached to a payment request (schema version 9, docs/documents.md): a third target of
/// a document, chained in the history, exported and restored; and the checklist's step `request`,
/// which an officer's approval must meet with the papers of that very request.
@Suite struct RequestDocumentsTests {
    static func attach(
        _ f: Fixture, _ order: String, _ kind: DocumentKind, output: Int? = nil, request: Int? = nil,
        on text: String
    ) throws -> Document {
        try f.store.attachDocument(
            order: order, content: try DocumentContent(bytes: Array("\(kind) \(text)".utf8), name: "tệp"),
            fileName: "\(kind) \(text).pdf", kind: kind, output: output, request: request, on: try day(text))
    }

    /// A funded order with output 1 accepted on 2025-09-15 and request 1 (500 million đồng) made on
    /// 2025-09-20.
    static func requested(_ f: Fixture) throws -> String {
        let code = try PaymentRequestTests.acceptedOne(f)
        try f.store.requestPayment(order: code, output: 1, amount: 500_000_000, on: try day("2025-09-20"))
        return code
    }

    @Test func aRequestsPapersAreItsOwnListedChainedAndVerified() throws {
        let f = try Fixture()
        let code = try Self.requested(f)
        let invoice = try Self.attach(f, code, .invoice, request: 1, on: "2025-09-21")
        #expect(invoice.request == 1 && invoice.output == nil && invoice.target == "payment request 1")
        let documents = try f.store.documents(order: code)
        #expect(documents.last == invoice)
        let event = try #require(try f.store.orderDetail(code: code).events.last)
        #expect(event.action == .documentAttached)
        #expect(try f.store.verify().findings.isEmpty)
        let row = Shape.document(invoice).serialized(indent: nil)
        #expect(row.contains(#""output":null"#) && row.contains(#""request":1"#))

        // The record carries the request: pointing the row at another request (or at none) is caught.
        try f.store.requestPayment(order: code, output: 1, amount: 1_000_000, on: try day("2025-09-22"))
        try Self.raw(
            f,
            "DROP TRIGGER documents_never_changed; UPDATE documents SET request_id = (SELECT max(id) FROM payment_requests) WHERE request_id IS NOT NULL"
        )
        let findings = try f.store.verify().findings.map(\.message)
        #expect(
            findings.contains { $0.contains("document \(invoice.number)") && $0.contains("request") }, "\(findings)")
    }

    @Test func approvalNeedsTheRequestStepsPapersOnTheRequestItselfByTheDay() throws {
        let f = try Fixture()
        let code = try Self.requested(f)
        try f.store.setChecklist(.request, kinds: [.invoice, .minutes])
        let approve = { try f.store.approvePaymentRequest(order: code, number: 1, on: try day("2025-09-25")) }
        try f.expectRefusal(.checklistUnmet(order: code, step: .request, target: 1, missing: [.invoice, .minutes])) {
            _ = try approve()
        }
        // Papers on the output, on the order, on another request, or after the day do not count.
        _ = try Self.attach(f, code, .invoice, output: 1, on: "2025-09-21")
        _ = try Self.attach(f, code, .minutes, on: "2025-09-21")
        try f.store.requestPayment(order: code, output: 1, amount: 1_000_000, on: try day("2025-09-21"))
        _ = try Self.attach(f, code, .minutes, request: 2, on: "2025-09-21")
        _ = try Self.attach(f, code, .invoice, request: 1, on: "2025-09-26")
        try f.expectRefusal(.checklistUnmet(order: code, step: .request, target: 1, missing: [.invoice, .minutes])) {
            _ = try approve()
        }
        let message = STOrdersError.checklistUnmet(order: code, step: .request, target: 1, missing: [.minutes])
            .description
        #expect(
            message
                == "order \(code): approving payment request 1 is refused by the checklist: payment request 1 lacks minutes (a document of each kind, attached on or before the step's day)"
        )
        _ = try Self.attach(f, code, .minutes, request: 1, on: "2025-09-24")
        try f.expectRefusal(.checklistUnmet(order: code, step: .request, target: 1, missing: [.invoice])) {
            _ = try approve()
        }
        _ = try Self.attach(f, code, .invoice, request: 1, on: "2025-09-25")
        #expect(try approve().state == .approved)
        // The request's papers are not the output's: the `pay` step still wants its own.
        try f.store.setChecklist(.pay, kinds: [.report])
        _ = try Self.attach(f, code, .report, request: 1, on: "2025-09-25")
        try f.expectRefusal(.checklistUnmet(order: code, step: .pay, target: 1, missing: [.report])) {
            _ = try f.store.disbursePaymentRequest(
                order: code, number: 1, reference: "UNC 1", on: try day("2025-09-26"))
        }
    }

    @Test func theOrdersOwnStepsDoNotCountARequestsPapers() throws {
        let f = try Fixture()
        let code = try Self.requested(f)
        try f.store.acceptOutput(order: code, number: 2, on: try day("2025-09-22"))
        try f.store.setChecklist(.commercialize, kinds: [.report])
        _ = try Self.attach(f, code, .report, request: 1, on: "2025-09-23")
        try f.expectRefusal(.checklistUnmet(order: code, step: .commercialize, target: nil, missing: [.report])) {
            try f.store.commercialize(order: code, channel: .sale, revenue: 1_000_000, on: try day("2025-09-24"))
        }
        _ = try Self.attach(f, code, .report, on: "2025-09-23")
        try f.store.commercialize(order: code, channel: .sale, revenue: 1_000_000, on: try day("2025-09-24"))
    }

    @Test func refusalsChangeNothing() throws {
        let f = try Fixture()
        let code = try Self.requested(f)
        try f.expectRefusal({ $0.code == "invalid_document" }) {
            _ = try Self.attach(f, code, .invoice, output: 1, request: 1, on: "2025-09-21")
        }
        try f.expectRefusal(.unknownPaymentRequest(order: code, number: 2, count: 1)) {
            _ = try Self.attach(f, code, .invoice, request: 2, on: "2025-09-21")
        }
        try f.expectRefusal(
            .dateBefore(
                what: "attachment", date: try day("2025-09-19"), earlier: "payment request 1",
                earliest: try day("2025-09-20"))
        ) { _ = try Self.attach(f, code, .invoice, request: 1, on: "2025-09-19") }
    }

    @Test func rawSQLCannotAttachOutsideTheRules() throws {
        let f = try Fixture()
        let code = try Self.requested(f)
        let other = try f.funded()
        try f.store.acceptOutput(order: other, number: 1, on: try day("2025-09-15"))
        try f.store.requestPayment(order: other, output: 1, amount: 1_000_000, on: try day("2025-09-20"))
        _ = try Self.attach(f, code, .invoice, request: 1, on: "2025-09-21")
        let copy = """
            INSERT INTO documents (order_id, number, output_id, kind, file_name, title, sha256, size, attached_on, request_id)
            SELECT order_id, number + 10, %@, kind, file_name, title, sha256, size, %@, %@ FROM documents WHERE request_id IS NOT NULL
            """
        func sql(output: String = "NULL", on: String = "attached_on", request: String) -> String {
            var text = copy
            for value in [output, on, request] {
                text = text.replacingOccurrences(of: "%@", with: value, options: [], range: text.range(of: "%@"))
            }
            return text
        }
        let refused = [
            // Both an output and a request.
            sql(
                output: "(SELECT id FROM outputs WHERE order_id = documents.order_id AND number = 1)",
                request: "request_id"),
            // A request of another order.
            sql(request: "(SELECT max(id) FROM payment_requests)"),
            // Dated before the request was made.
            sql(on: "'2025-09-19'", request: "request_id"),
            // A request that does not exist.
            sql(request: "999"),
        ]
        let before = try f.snapshot()
        for statement in refused {
            #expect(throws: DatabaseError.self, "\(statement)") { try Self.raw(f, statement) }
        }
        #expect(try f.snapshot() == before)
        try Self.raw(f, sql(request: "request_id"))  // the same request, the same day: allowed
        let zeros = String(repeating: "0", count: 64)
        #expect(throws: DatabaseError.self) {
            try Self.raw(
                f,
                "INSERT INTO checklist (step, kinds, set_at, set_by, hash) VALUES ('approve', '', 'x', 'y', '\(zeros)')"
            )
        }
        try Self.raw(
            f,
            "INSERT INTO checklist (step, kinds, set_at, set_by, hash) VALUES ('request', 'invoice', 'x', 'y', '\(zeros)')"
        )
    }

    /// Raw SQL on the database, as a person with sqlite3 has it: the schema's own rules only.
    static func raw(_ f: Fixture, _ sql: String) throws {
        try f.store.writer.write { db in try db.execute(sql: sql) }
    }
}
