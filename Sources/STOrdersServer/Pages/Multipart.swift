import Foundation
import Hummingbird

/// A `multipart/form-data` body as a browser sends a form with a file (RFC 7578): its text
/// fields by name (the first of repeated names counts) and its file parts. Only what the pages'
/// one upload form needs: no nested parts, no transfer encodings; anything malformed is refused.
struct MultipartForm: Sendable {
    struct File: Sendable {
        let fileName: String
        let bytes: [UInt8]
    }

    var fields: [String: String] = [:]
    var files: [String: File] = [:]

    static func isMultipart(_ request: Request) -> Bool {
        request.headers[.contentType]?.lowercased().hasPrefix("multipart/form-data") ?? false
    }

    /// The body of `request` (read whole by the limits layer), parsed.
    static func of(_ request: Request) async throws -> MultipartForm {
        let buffer = try await request.body.collect(upTo: .max)
        return try parse(Array(buffer.readableBytesView), contentType: request.headers[.contentType] ?? "")
    }

    static func malformed() -> APIError { APIError.invalidBody("the form's multipart/form-data body is malformed") }

    /// The boundary of a `multipart/form-data; boundary=…` content type (quoted or not).
    static func boundary(_ contentType: String) -> String? {
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, pair[0].lowercased() == "boundary" else { continue }
            var value = pair[1]
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 {
                value = String(value.dropFirst().dropLast())
            }
            return (1...70).contains(value.utf8.count) ? value : nil
        }
        return nil
    }

    static func parse(_ body: [UInt8], contentType: String) throws -> MultipartForm {
        guard let boundary = boundary(contentType) else { throw malformed() }
        let delimiter = Array("--\(boundary)".utf8)
        let separator = Array("\r\n--\(boundary)".utf8)
        guard body.starts(with: delimiter) else { throw malformed() }
        var form = MultipartForm()
        var position = delimiter.count
        while true {
            // After a delimiter: "--" ends the body, CRLF starts a part.
            if body[position...].starts(with: Array("--".utf8)) { return form }
            guard body[position...].starts(with: [13, 10]) else { throw malformed() }
            position += 2
            guard let headersEnd = find([13, 10, 13, 10], in: body, from: position) else { throw malformed() }
            let headers = String(decoding: body[position..<headersEnd], as: UTF8.self)
            let contentStart = headersEnd + 4
            guard let contentEnd = find(separator, in: body, from: contentStart) else { throw malformed() }
            let content = Array(body[contentStart..<contentEnd])
            guard let disposition = Self.disposition(headers), let name = disposition["name"] else { throw malformed() }
            if let fileName = disposition["filename"] {
                if form.files[name] == nil { form.files[name] = File(fileName: fileName, bytes: content) }
            } else if form.fields[name] == nil {
                form.fields[name] = String(decoding: content, as: UTF8.self)
            }
            position = contentEnd + separator.count
        }
    }

    /// The parameters of a part's `Content-Disposition: form-data; name="…"; filename="…"`.
    static func disposition(_ headers: String) -> [String: String]? {
        for line in headers.split(separator: "\r\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "content-disposition" else { continue }
            var parameters: [String: String] = [:]
            var rest = Substring(parts[1])
            while let equals = rest.firstIndex(of: "=") {
                let key = rest[..<equals].split(separator: ";").last?.trimmingCharacters(in: .whitespaces).lowercased()
                var after = rest[rest.index(after: equals)...]
                var value: Substring
                if after.first == "\"" {
                    after = after.dropFirst()
                    guard let close = after.firstIndex(of: "\"") else { return nil }
                    value = after[..<close]
                    rest = after[after.index(after: close)...]
                } else {
                    let end = after.firstIndex(of: ";") ?? after.endIndex
                    value = after[..<end]
                    rest = after[end...]
                }
                if let key, parameters[key] == nil { parameters[key] = String(value) }
            }
            return parameters
        }
        return nil
    }

    /// Where `needle` first occurs in `haystack` at or after `start`.
    static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard let first = needle.first, needle.count <= haystack.count else { return nil }
        var i = start
        let last = haystack.count - needle.count
        while i <= last {
            if haystack[i] == first && haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }
}
