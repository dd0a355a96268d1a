import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import STOrders
import Testing

@testable import STOrdersServer

/// Every answer the API gives matches what `openapi.json` says of that operation and status: a
/// client generated from the document must be able to read it. Schemathesis checks the same from
/// outside with random requests, but it reaches a write's success only by chance (it found the
/// reversal's undocumented `settled` in one CI run out of several); this walk reaches every
/// documented operation's success on purpose, as the office's roles do, and checks each body
/// against the document's schema with the document's own rules (`additionalProperties: false`,
/// `required`, types, enums, dates).
@Suite struct OpenAPIConformanceTests {
    @Test func everyOperationAnswersWhatTheDocumentSays() async throws {
        let metricsToken = "a-metrics-token-of-32-characters"
        let fixture = try APIFixture(configure: { $0.metricsToken = metricsToken })
        let code = "19-2026-0001"
        let cancelled = "19-2026-0002"
        try await fixture.server.application.test(.router) { client in
            let document = try OpenAPISchemas()
            var walk = Walk(client: client, fixture: fixture, document: document)

            // The service and the session.
            try await walk.call(.get, "/healthz", as: nil)
            try await walk.call(.get, "/api/v1/openapi.json", as: nil)
            try await walk.call(.get, "/metrics", headers: [.authorization: "Bearer \(metricsToken)"])
            let signIn = try await walk.call(
                .post, "/api/v1/session", as: nil,
                #"{"login": "officer", "password": "\#(APIFixture.password)"}"#)
            let cookie = try #require(signIn.sessionCookie)
            try await walk.call(.get, "/api/v1/me", as: "officer")
            try await walk.call(
                .delete, "/api/v1/session", headers: [.cookie: cookie, .origin: "https://localhost"])

            // Enterprises.
            try await walk.call(.get, "/api/v1/enterprises", as: "officer")
            try await walk.call(
                .post, "/api/v1/enterprises", as: "officer",
                #"{"name": "Công ty CP Cơ khí Phổ Yên", "tax_code": "4600100155", "province": "Thái Nguyên"}"#)
            try await walk.call(.get, "/api/v1/enterprises/{tax_code}", ["tax_code": "4600100155"], as: "officer")

            // An order from registration to its commercialization, and one cancelled.
            try await walk.call(
                .post, "/api/v1/orders", as: "enterprise",
                #"""
                {"title": "Cảm biến đo độ ẩm đất cho chè", "field": "innovation", "date": "2026-02-02",
                 "outputs": [{"title": "Mẫu cảm biến độ ẩm", "type": "product", "novelty": "new",
                              "value": 400000000, "due_on": "2026-09-30"}]}
                """#)
            try await walk.call(
                .post, "/api/v1/orders", as: "officer",
                #"""
                {"enterprise": "4601234560", "title": "Thử nghiệm giống chè mới", "field": "digital",
                 "date": "2026-02-03"}
                """#)
            try await walk.call(
                .post, "/api/v1/orders/{code}/cancellation", ["code": cancelled], as: "officer",
                #"{"reason": "Doanh nghiệp rút đề xuất", "date": "2026-02-10"}"#)
            let order = ["code": code]
            try await walk.call(
                .post, "/api/v1/orders/{code}/outputs", order, as: "officer",
                #"""
                {"title": "Quy trình lắp đặt tại đồi chè", "type": "model", "novelty": "improved",
                 "value": "200.000.000", "due_on": "2026-12-31", "date": "2026-02-05"}
                """#)
            try await walk.call(
                .post, "/api/v1/orders/{code}/funding", order, as: "officer",
                #"""
                {"state_budget": 400000000, "enterprise_funds": 200000000, "date": "2026-03-01",
                 "starts_on": "2026-03-01", "ends_on": "2027-03-31"}
                """#)
            // Advances (docs/advances.md): the admin sets the limit, the officer advances and
            // recovers part; the disbursement below settles the rest.
            try await walk.call(.get, "/api/v1/advance-limit", as: "enterprise")
            try await walk.call(.put, "/api/v1/advance-limit", as: "admin", #"{"share": "25%"}"#)
            try await walk.call(
                .post, "/api/v1/orders/{code}/advances", order, as: "officer",
                #"{"amount": 50000000, "reference": "UNC 0302/KBNN-Thái Nguyên – tạm ứng", "date": "2026-03-02"}"#)
            try await walk.call(
                .post, "/api/v1/orders/{code}/advances/recovery", order, as: "officer",
                #"{"amount": 10000000, "reason": "Doanh nghiệp hoàn trả một phần", "date": "2026-03-03"}"#)
            try await walk.call(.get, "/api/v1/orders/{code}/advances", order, as: "enterprise")
            try await walk.call(
                .post, "/api/v1/orders/{code}/amendments", order, as: "enterprise",
                #"{"target": 1, "to": "2026-10-31", "reason": "Chậm nhập linh kiện cảm biến", "date": "2026-03-05"}"#)
            try await walk.call(
                .post, "/api/v1/orders/{code}/amendments/{number}/approve", ["code": code, "number": "1"],
                as: "officer", #"{"reason": "Đồng ý gia hạn", "date": "2026-03-06"}"#)
            try await walk.call(
                .post, "/api/v1/orders/{code}/amendments", order, as: "enterprise",
                #"{"target": "contract", "to": "2027-06-30", "reason": "Xin gia hạn hợp đồng", "date": "2026-03-07"}"#)
            try await walk.call(
                .post, "/api/v1/orders/{code}/amendments/{number}/refuse", ["code": code, "number": "2"],
                as: "officer", #"{"reason": "Chưa có căn cứ", "date": "2026-03-08"}"#)
            try await walk.call(
                .post, "/api/v1/orders/{code}/outputs/{number}/acceptance", ["code": code, "number": "1"],
                as: "officer", #"{"evidence": "Biên bản nghiệm thu số 01/2026", "date": "2026-06-15"}"#)
            try await walk.upload(
                "/api/v1/orders/{code}/documents", order,
                query: "file_name=bien-ban.pdf&kind=minutes&output=1&title=Bi%C3%AAn%20b%E1%BA%A3n&date=2026-06-15",
                as: "enterprise", Array("Biên bản nghiệm thu đầu ra 1\n".utf8))
            try await walk.call(.get, "/api/v1/orders/{code}/documents", order, as: "officer")
            try await walk.call(
                .get, "/api/v1/orders/{code}/documents/{number}/content", ["code": code, "number": "1"],
                as: "officer")

            // Payment requests: one approved and disbursed, one returned; then a payment and its reversal.
            try await walk.call(
                .post, "/api/v1/orders/{code}/payment-requests", order, as: "enterprise",
                #"{"output": 1, "amount": "150.000.000", "date": "2026-07-01"}"#)
            let first = ["code": code, "number": "1"]
            try await walk.upload(
                "/api/v1/orders/{code}/documents", order,
                query: "file_name=hoa-don.pdf&kind=invoice&request=1&date=2026-07-01", as: "enterprise",
                Array("Hóa đơn GTGT số 0012\n".utf8))
            #expect(try fixture.store.documents(order: code).last?.request == 1)
            try await walk.call(
                .post, "/api/v1/orders/{code}/payment-requests/{number}/approve", first, as: "officer",
                #"{"date": "2026-07-02"}"#)
            try await walk.call(
                .post, "/api/v1/orders/{code}/payment-requests/{number}/disburse", first, as: "officer",
                #"{"reference": "UNC 0703/KBNN-Thái Nguyên", "date": "2026-07-03"}"#)
            try await walk.call(
                .post, "/api/v1/orders/{code}/payment-requests", order, as: "enterprise",
                #"{"output": 1, "amount": 50000000, "source": "enterprise", "date": "2026-07-04"}"#)
            try await walk.call(
                .post, "/api/v1/orders/{code}/payment-requests/{number}/return", ["code": code, "number": "2"],
                as: "officer", #"{"reason": "Thiếu hóa đơn GTGT", "date": "2026-07-05"}"#)
            try await walk.call(.get, "/api/v1/orders/{code}/payment-requests", order, as: "enterprise")
            try await walk.call(
                .post, "/api/v1/orders/{code}/payments", order, as: "officer",
                #"{"output": 1, "amount": 100000000, "reference": "UNC 0710", "date": "2026-07-10"}"#)
            try await walk.call(
                .post, "/api/v1/orders/{code}/payments/{number}/reversal", ["code": code, "number": "2"],
                as: "officer", #"{"reason": "Ghi nhầm số tiền", "amount": 1000000, "date": "2026-07-11"}"#)

            // Delivery, a result and its retraction.
            try await walk.call(
                .post, "/api/v1/orders/{code}/outputs/{number}/acceptance", ["code": code, "number": "2"],
                as: "officer", #"{"date": "2026-09-01"}"#)
            try await walk.call(
                .post, "/api/v1/orders/{code}/results", order, as: "enterprise",
                #"{"channel": "sale", "revenue": "1.250.000.000", "note": "Bán cho HTX chè Tân Cương", "date": "2026-09-10"}"#
            )
            try await walk.call(
                .post, "/api/v1/orders/{code}/results/{number}/retraction", ["code": code, "number": "1"],
                as: "officer", #"{"reason": "Hợp đồng bán bị huỷ", "date": "2026-09-12"}"#)
            try await walk.call(.get, "/api/v1/orders/{code}", order, as: "enterprise")
            try await walk.call(.get, "/api/v1/orders/{code}/history", order, as: "officer")
            try await walk.call(
                .get, "/api/v1/orders", query: "province=Th%C3%A1i%20Nguy%C3%AAn&limit=5", as: "officer")

            // What the office reads.
            try await walk.call(.get, "/api/v1/due", query: "within=400&as_of=2026-09-15", as: "officer")
            try await walk.call(.get, "/api/v1/inbox", query: "as_of=2026-09-15", as: "officer")
            try await walk.call(.get, "/api/v1/notices", query: "as_of=2026-09-15", as: "enterprise")
            try await walk.call(.get, "/api/v1/checklist", as: "officer")
            try await walk.call(.get, "/api/v1/results", query: "year=2026", as: "auditor")
            try await walk.call(.get, "/api/v1/reports/indicators", query: "year=2026", as: "officer")
            try await walk.call(.get, "/api/v1/reports/provinces", query: "year=2026", as: "auditor")
            try await walk.call(.get, "/api/v1/targets", as: "officer")
            try await walk.call(
                .put, "/api/v1/targets/{key}", ["key": "innovative_startups"], as: "admin", #"{"value": 12}"#)
            try await walk.call(.get, "/api/v1/verify", as: "auditor")
            try await walk.call(.get, "/api/v1/export", as: "auditor")
            try await walk.call(.get, "/api/v1/changes", as: "officer")

            // Accounts, as the administrator.
            try await walk.call(.get, "/api/v1/accounts", as: "admin")
            try await walk.call(
                .post, "/api/v1/accounts", as: "admin",
                #"{"login": "can-bo.hn", "role": "officer", "province": "Hà Nội", "password": "mật-khẩu-mới-0001"}"#)
            let officer = ["login": "can-bo.hn"]
            try await walk.call(.get, "/api/v1/accounts/{login}", officer, as: "admin")
            try await walk.call(.post, "/api/v1/accounts/{login}/disable", officer, as: "admin", "{}")
            try await walk.call(.post, "/api/v1/accounts/{login}/enable", officer, as: "admin", "{}")
            try await walk.call(
                .post, "/api/v1/accounts/{login}/role", officer, as: "admin",
                #"{"role": "auditor", "province": "Hà Nội"}"#)
            try await walk.call(
                .post, "/api/v1/accounts/{login}/password", officer, as: "admin",
                #"{"password": "mật-khẩu-mới-0002"}"#)
            try await walk.call(
                .post, "/api/v1/accounts/{login}/email", officer, as: "admin", #"{"email": "hoa.hn@sokhcn.example.vn"}"#
            )
            try await walk.call(.delete, "/api/v1/accounts/{login}/email", officer, as: "admin")
            try await walk.call(.get, "/api/v1/audit", query: "limit=5", as: "admin")

            // Refusals answer the document's error shape too.
            try await walk.call(.get, "/api/v1/orders/{code}", ["code": "19-2026-0099"], as: "officer", expect: 404)
            try await walk.call(
                .post, "/api/v1/orders/{code}/payments", order, as: "officer", #"{"output": 1, "amount": "một"}"#,
                expect: 422)

            #expect(walk.problems.isEmpty, "\(walk.problems.joined(separator: "\n"))")
            let missed = document.operationsWithSuccess.subtracting(walk.succeeded)
            #expect(missed.isEmpty, "documented operations the walk never reached: \(missed.sorted())")
        }
    }

    @Test func theCheckerRefusesWhatTheDocumentDoesNotAllow() throws {
        let document = try OpenAPISchemas()
        let payment = try document.schema(of: "#/components/schemas/OrderPayment")
        var good: [String: Any] = [
            "order_code": "19-2026-0001", "number": 1, "output": 1, "amount": 150_000_000, "source": "state",
            "reference": NSNull(), "paid_on": "2026-07-03", "reverses": NSNull(), "reason": NSNull(),
            "reversed_by": NSNull(), "settled": 0,
        ]
        #expect(document.violations(of: good, against: payment).isEmpty)
        var extra = good
        extra["advance"] = 1
        #expect(document.violations(of: extra, against: payment) == ["$: advance is not in the document"])
        good["source"] = "quỹ"
        #expect(document.violations(of: good, against: payment) == [#"$.source: "quỹ" is not one of its values"#])
        good["source"] = "state"
        good.removeValue(forKey: "settled")
        #expect(document.violations(of: good, against: payment) == ["$: settled is required"])
        good["settled"] = "0"
        #expect(document.violations(of: good, against: payment) == ["$.settled: \"0\" is not integer"])
        good["settled"] = 0
        good["paid_on"] = "03/07/2026"
        #expect(document.violations(of: good, against: payment) == [#"$.paid_on: "03/07/2026" is not a date"#])
        #expect(document.violations(of: [good], against: payment) == ["$: an array is not object"])
    }
}

/// The walk: each call substitutes the template's parameters, checks the answer's status is the
/// expected one (2xx unless told), and checks its JSON body against the document's schema for
/// that operation and status.
private struct Walk {
    let client: any TestClientProtocol
    let fixture: APIFixture
    let document: OpenAPISchemas
    var problems: [String] = []
    var succeeded: Set<String> = []

    @discardableResult
    mutating func call(
        _ method: HTTPRequest.Method, _ template: String, _ parameters: [String: String] = [:], query: String = "",
        as login: String? = nil, headers: HTTPFields = [:], _ body: String? = nil, expect status: Int? = nil
    ) async throws -> TestResponse {
        var fields = login.map { fixture.bearer($0) } ?? [:]
        if login == nil, body != nil { fields[.contentType] = "application/json" }
        for field in headers { fields[field.name] = field.value }
        let response = try await client.send(method, uri(template, parameters, query), headers: fields, body)
        check(response, method, template, expect: status)
        return response
    }

    mutating func upload(
        _ template: String, _ parameters: [String: String], query: String, as login: String, _ bytes: [UInt8]
    ) async throws {
        var fields = fixture.bearer(login)
        fields[.contentType] = "application/octet-stream"
        let response = try await client.execute(
            uri: uri(template, parameters, query), method: .post, headers: fields, body: ByteBuffer(bytes: bytes))
        check(response, .post, template, expect: nil)
    }

    private func uri(_ template: String, _ parameters: [String: String], _ query: String) -> String {
        var uri = template
        for (name, value) in parameters { uri = uri.replacingOccurrences(of: "{\(name)}", with: value) }
        return query.isEmpty ? uri : "\(uri)?\(query)"
    }

    private mutating func check(
        _ response: TestResponse, _ method: HTTPRequest.Method, _ template: String, expect status: Int?
    ) {
        let operation = "\(method.rawValue) \(template)"
        let code = Int(response.status.code)
        if let status {
            if code != status { problems.append("\(operation): \(code), not \(status): \(response.text)") }
        } else if !(200..<300).contains(code) {
            problems.append("\(operation): \(code): \(response.text)")
            return
        } else {
            succeeded.insert(operation)
        }
        problems += document.check(response, method: method, path: template)
    }
}

/// The server's `openapi.json`, and a checker of a JSON value against one of its schemas with
/// the keywords the document uses (`$ref`, `type`, `properties`, `required`,
/// `additionalProperties`, `items`, `enum`, `oneOf`, `format: date`).
struct OpenAPISchemas {
    let root: [String: Any]

    init() throws {
        root = try #require(
            try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.text.utf8)) as? [String: Any])
    }

    private var paths: [String: [String: Any]] { root["paths"] as? [String: [String: Any]] ?? [:] }

    /// "METHOD /path" of every operation with a 2xx answer.
    var operationsWithSuccess: Set<String> {
        var operations: Set<String> = []
        for (path, methods) in paths {
            for (method, operation) in methods {
                let responses = (operation as? [String: Any])?["responses"] as? [String: Any] ?? [:]
                if responses.keys.contains(where: { $0.hasPrefix("2") }) {
                    operations.insert("\(method.uppercased()) \(path)")
                }
            }
        }
        return operations
    }

    func schema(of reference: String) throws -> [String: Any] {
        try #require(resolve(["$ref": reference]))
    }

    /// What is wrong with `response` for that operation: an undocumented status or media type, or
    /// a JSON body its schema refuses.
    func check(_ response: TestResponse, method: HTTPRequest.Method, path: String) -> [String] {
        let operation = "\(method.rawValue) \(path)"
        guard let answer = (paths[path]?[method.rawValue.lowercased()] as? [String: Any]) else {
            return ["\(operation): not in the document"]
        }
        let responses = answer["responses"] as? [String: Any] ?? [:]
        let status = String(response.status.code)
        guard let documented = responses[status] as? [String: Any] else {
            return ["\(operation): status \(status) is not documented"]
        }
        guard let content = documented["content"] as? [String: Any] else {
            return response.body.readableBytes == 0 ? [] : ["\(operation) \(status): a body where none is documented"]
        }
        let mediaType = response.headers[.contentType]?.split(separator: ";").first.map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        guard let mediaType, let media = content[mediaType] as? [String: Any] else {
            return ["\(operation) \(status): \(response.headers[.contentType] ?? "no") media type is not documented"]
        }
        guard mediaType == "application/json", let schema = media["schema"] as? [String: Any] else { return [] }
        guard let body = try? JSONSerialization.jsonObject(with: Data(response.text.utf8), options: .fragmentsAllowed)
        else { return ["\(operation) \(status): the body is not JSON"] }
        return violations(of: body, against: schema).map { "\(operation) \(status): \($0)" }
    }

    func violations(of value: Any, against schema: [String: Any], at path: String = "$") -> [String] {
        guard let schema = resolve(schema) else { return ["\(path): an unknown $ref"] }
        if let choices = schema["oneOf"] as? [[String: Any]] {
            let matching = choices.filter { violations(of: value, against: $0, at: path).isEmpty }.count
            return matching == 1 ? [] : ["\(path): \(describe(value)) matches \(matching) of oneOf, not 1"]
        }
        if let allowed = schema["enum"] as? [Any], !allowed.contains(where: { same($0, value) }) {
            return ["\(path): \(describe(value)) is not one of its values"]
        }
        if let types = typeNames(schema["type"]), !types.contains(where: { isOfType(value, $0) }) {
            return ["\(path): \(describe(value)) is not \(types.joined(separator: " or "))"]
        }
        if schema["format"] as? String == "date", let text = value as? String, (try? Day(parsing: text)) == nil {
            return ["\(path): \(describe(value)) is not a date"]
        }
        var found: [String] = []
        if let object = value as? [String: Any] {
            let properties = schema["properties"] as? [String: Any] ?? [:]
            for name in (schema["required"] as? [String] ?? []) where object[name] == nil {
                found.append("\(path): \(name) is required")
            }
            for (name, member) in object.sorted(by: { $0.key < $1.key }) {
                if let property = properties[name] as? [String: Any] {
                    found += violations(of: member, against: property, at: "\(path).\(name)")
                } else if schema["additionalProperties"] as? Bool == false {
                    found.append("\(path): \(name) is not in the document")
                } else if let additional = schema["additionalProperties"] as? [String: Any] {
                    found += violations(of: member, against: additional, at: "\(path).\(name)")
                }
            }
        }
        if let array = value as? [Any], let items = schema["items"] as? [String: Any] {
            for (index, item) in array.enumerated() {
                found += violations(of: item, against: items, at: "\(path)[\(index)]")
            }
        }
        return found
    }

    private func resolve(_ schema: [String: Any]) -> [String: Any]? {
        guard let reference = schema["$ref"] as? String else { return schema }
        var node: Any = root
        for key in reference.dropFirst(2).split(separator: "/") {
            guard let next = (node as? [String: Any])?[String(key)] else { return nil }
            node = next
        }
        return (node as? [String: Any]).flatMap(resolve)
    }

    private func typeNames(_ type: Any?) -> [String]? {
        if let one = type as? String { return [one] }
        return type as? [String]
    }

    private func isBoolean(_ value: Any) -> Bool {
        guard let number = value as? NSNumber else { return false }
        return String(cString: number.objCType) == "c" || type(of: value) == Bool.self
    }

    private func isOfType(_ value: Any, _ type: String) -> Bool {
        switch type {
        case "null": return value is NSNull
        case "object": return value is [String: Any]
        case "array": return value is [Any]
        case "string": return value is String
        case "boolean": return isBoolean(value)
        case "integer":
            guard !isBoolean(value), let number = value as? NSNumber else { return false }
            return number.doubleValue.rounded() == number.doubleValue
        case "number": return !isBoolean(value) && value is NSNumber
        default: return false
        }
    }

    private func same(_ a: Any, _ b: Any) -> Bool {
        if let x = a as? String, let y = b as? String { return x == y }
        if let x = a as? NSNumber, let y = b as? NSNumber { return x == y }
        return a is NSNull && b is NSNull
    }

    private func describe(_ value: Any) -> String {
        switch value {
        case let text as String: return "\"\(text)\""
        case is [String: Any]: return "an object"
        case is [Any]: return "an array"
        case is NSNull: return "null"
        case let flag as NSNumber where isBoolean(flag): return flag.boolValue ? "true" : "false"
        default: return "\(value)"
        }
    }
}
