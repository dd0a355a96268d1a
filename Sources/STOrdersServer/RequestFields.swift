import Foundation
import Hummingbird
import STOrders

/// A JSON value as a client sent it (numbers kept apart from booleans, integers from decimals).
enum BodyValue: Decodable, Sendable {
    case string(String)
    case int(Int64)
    case decimal(Double)
    case bool(Bool)
    case null
    case array([BodyValue])
    case object([String: BodyValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let b = try? container.decode(Bool.self) {
            self = .bool(b)
        } else if let i = try? container.decode(Int64.self) {
            self = .int(i)
        } else if let d = try? container.decode(Double.self) {
            self = .decimal(d)
        } else if let s = try? container.decode(String.self) {
            self = .string(s)
        } else if let a = try? container.decode([BodyValue].self) {
            self = .array(a)
        } else {
            self = .object(try container.decode([String: BodyValue].self))
        }
    }
}

/// The fields of a request body: a JSON object, or an HTML form (`application/x-www-form-urlencoded`,
/// every value a string). Each accessor says what it expects; a wrong type is 422 `invalid_body`,
/// a missing required field 422 `missing_field`.
struct RequestFields: Sendable {
    let values: [String: BodyValue]
    let isForm: Bool

    init(values: [String: BodyValue], isForm: Bool = false) {
        self.values = values
        self.isForm = isForm
    }

    /// The fields of `request`'s body (read whole by the limits layer); none when it is empty.
    static func of(_ request: Request) async throws -> RequestFields {
        let buffer = try await request.body.collect(upTo: .max)
        let bytes = Array(buffer.readableBytesView)
        if isForm(request) { return RequestFields(values: parseForm(bytes).mapValues(BodyValue.string), isForm: true) }
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            return RequestFields(values: [:])
        }
        guard let value = try? JSONDecoder().decode(BodyValue.self, from: Data(bytes)) else {
            throw APIError.invalidBody(
                "the request body is not JSON (or a form sent as application/x-www-form-urlencoded)")
        }
        guard case .object(let object) = value else {
            throw APIError.invalidBody("the request body must be a JSON object")
        }
        return RequestFields(values: object)
    }

    static func isForm(_ request: Request) -> Bool {
        request.headers[.contentType]?.lowercased().hasPrefix("application/x-www-form-urlencoded") ?? false
    }

    /// `a=1&b=x+y` → ["a": "1", "b": "x y"]; the first of repeated names counts.
    static func parseForm(_ bytes: [UInt8]) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in String(decoding: bytes, as: UTF8.self).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String {
                String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(s)
            }
            let name = decode(parts[0])
            if fields[name] == nil { fields[name] = parts.count > 1 ? decode(parts[1]) : "" }
        }
        return fields
    }

    private func present(_ name: String) -> BodyValue? {
        switch values[name] {
        case nil, .null?: return nil
        case .string(let s)? where isForm && s.isEmpty: return nil
        case let value?: return value
        }
    }

    private func wrongType(_ name: String, _ expected: String) -> APIError {
        APIError.invalidBody("'\(name)' must be \(expected)")
    }

    func string(_ name: String) throws -> String? {
        switch present(name) {
        case nil: return nil
        case .string(let s)?: return s
        default: throw wrongType(name, "a string")
        }
    }

    func requiredString(_ name: String) throws -> String {
        guard let value = try string(name) else { throw APIError.missingField(name) }
        return value
    }

    /// A whole number: a JSON integer, or digits in a string (a form).
    func int(_ name: String) throws -> Int? {
        switch present(name) {
        case nil: return nil
        case .int(let i)?:
            guard let value = Int(exactly: i) else { throw wrongType(name, "a whole number") }
            return value
        case .string(let s)?:
            guard let value = Int(s) else { throw wrongType(name, "a whole number") }
            return value
        default: throw wrongType(name, "a whole number")
        }
    }

    func requiredInt(_ name: String) throws -> Int {
        guard let value = try int(name) else { throw APIError.missingField(name) }
        return value
    }

    /// An amount in đồng: a JSON integer, or text as the CLI takes it ("1.200.000.000").
    func amount(_ name: String, allowZero: Bool = false) throws -> Int64? {
        switch present(name) {
        case nil: return nil
        case .int(let i)?: return try Money.parse(String(i), allowZero: allowZero)
        case .string(let s)?: return try Money.parse(s, allowZero: allowZero)
        default: throw wrongType(name, "an amount in đồng (an integer)")
        }
    }

    func requiredAmount(_ name: String, allowZero: Bool = false) throws -> Int64 {
        guard let value = try amount(name, allowZero: allowZero) else { throw APIError.missingField(name) }
        return value
    }

    /// true/false, or in a form "true", "on", "1" / "false", "off", "0".
    func bool(_ name: String) throws -> Bool? {
        switch present(name) {
        case nil: return nil
        case .bool(let b)?: return b
        case .string(let s)? where ["true", "on", "1"].contains(s.lowercased()): return true
        case .string(let s)? where ["false", "off", "0"].contains(s.lowercased()): return false
        default: throw wrongType(name, "true or false")
        }
    }

    /// A closed vocabulary (field, state, channel…), parsed as the CLI parses it.
    func vocabulary<V: Vocabulary>(_ name: String, _ type: V.Type) throws -> V? {
        try string(name).map(V.parse)
    }

    func requiredVocabulary<V: Vocabulary>(_ name: String, _ type: V.Type) throws -> V {
        guard let value = try vocabulary(name, type) else { throw APIError.missingField(name) }
        return value
    }

    /// The day it happened (`date`, YYYY-MM-DD); today when absent.
    func day(_ name: String = "date") throws -> Day {
        try string(name).map { try Day(parsing: $0) } ?? Day.today()
    }

    /// A JSON array of objects.
    func objects(_ name: String) throws -> [RequestFields] {
        switch present(name) {
        case nil: return []
        case .array(let items)?:
            return try items.map { item in
                guard case .object(let object) = item else { throw wrongType(name, "an array of objects") }
                return RequestFields(values: object)
            }
        default: throw wrongType(name, "an array of objects")
        }
    }

    /// A target's value: a JSON number or text as the CLI takes it ("85%", "0.85", "120").
    func targetText(_ name: String) throws -> String {
        switch present(name) {
        case nil: throw APIError.missingField(name)
        case .string(let s)?: return s
        case .int(let i)?: return String(i)
        case .decimal(let d)?: return String(d)
        default: throw wrongType(name, "a number or text such as \"85%\"")
        }
    }
}

/// The query string's parameters (the first of repeated names counts).
struct QueryFields {
    let request: Request

    func string(_ name: String) -> String? {
        guard let value = request.uri.queryParameters[name[...]], !value.isEmpty else { return nil }
        return String(value)
    }

    func int(_ name: String) throws -> Int? {
        guard let text = string(name) else { return nil }
        guard let value = Int(text) else {
            throw STOrdersError.invalidValue(name, text, accepted: ["a whole number"])
        }
        return value
    }

    func vocabulary<V: Vocabulary>(_ name: String, _ type: V.Type) throws -> V? {
        try string(name).map(V.parse)
    }

    func province(_ name: String = "province") throws -> Province? {
        try string(name).map(Province.named)
    }

    func taxCode(_ name: String) throws -> TaxCode? {
        try string(name).map { try TaxCode(parsing: $0) }
    }

    func bool(_ name: String) throws -> Bool {
        guard let text = string(name) else { return false }
        switch text.lowercased() {
        case "true", "1", "yes": return true
        case "false", "0", "no": return false
        default: throw STOrdersError.invalidValue(name, text, accepted: ["true", "false"])
        }
    }
}
