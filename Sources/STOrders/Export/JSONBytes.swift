#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// JSON written straight into a byte buffer, flushed to `sink` in large chunks: the export
/// never holds more than one record and one chunk.
final class JSONOut {
    private(set) var bytes: [UInt8] = []
    private let sink: ([UInt8]) throws -> Void
    static let chunk = 1 << 16

    init(sink: @escaping ([UInt8]) throws -> Void) {
        self.sink = sink
        bytes.reserveCapacity(JSONOut.chunk + 4096)
    }

    func raw(_ s: StaticString) {
        s.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    func key(_ s: StaticString) {
        bytes.append(34)
        raw(s)
        bytes.append(34)
        bytes.append(58)
    }

    func string(_ s: String) {
        bytes.append(34)
        for b in s.utf8 {
            switch b {
            case 34:
                bytes.append(92)
                bytes.append(34)
            case 92:
                bytes.append(92)
                bytes.append(92)
            case 10:
                bytes.append(92)
                bytes.append(110)
            case 13:
                bytes.append(92)
                bytes.append(114)
            case 9:
                bytes.append(92)
                bytes.append(116)
            case 0..<32:
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: [92, 117, 48, 48, hex[Int(b >> 4)], hex[Int(b & 15)]])
            default: bytes.append(b)
            }
        }
        bytes.append(34)
    }

    func string(_ s: String?) {
        if let s { string(s) } else { raw("null") }
    }

    func int(_ i: Int64) { bytes.append(contentsOf: String(i).utf8) }
    func int(_ i: Int) { bytes.append(contentsOf: String(i).utf8) }
    func bool(_ b: Bool) { if b { raw("true") } else { raw("false") } }
    func day(_ d: Day?) {
        if let d { string(d.description) } else { raw("null") }
    }

    /// Hands the buffer to the sink once it is large.
    func flushIfFull() throws {
        if bytes.count >= JSONOut.chunk { try flush() }
    }

    func flush() throws {
        guard !bytes.isEmpty else { return }
        try sink(bytes)
        bytes.removeAll(keepingCapacity: true)
    }
}

/// A parsed JSON value. Objects keep the last value of a repeated key.
enum ParsedJSON: Equatable {
    case string(String)
    case int(Int64)
    case bool(Bool)
    case null
    case array([ParsedJSON])
    case object([String: ParsedJSON])
}

/// A streaming JSON reader over a file: values are read one at a time, so a large array can be
/// consumed element by element. Integers only (STOrders writes no fractions).
final class JSONReader {
    private let file: UnsafeMutablePointer<FILE>
    private var buffer = [UInt8](repeating: 0, count: 1 << 16)
    private var count = 0
    private var position = 0
    /// The line of the next byte, for messages.
    private(set) var line = 1
    let size: Int64
    private(set) var consumed: Int64 = 0

    struct Failure: Error { let reason: String }

    init(path: String) throws {
        guard let f = fopen(path, "rb") else {
            throw STOrdersError.fileUnreadable(path: path, reason: String(cString: strerror(errno)))
        }
        file = f
        var info = stat()
        size = stat(path, &info) == 0 ? Int64(info.st_size) : 0
    }

    deinit { fclose(file) }

    private func fill() -> Bool {
        count = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
        position = 0
        return count > 0
    }

    /// The next byte that is not white space, without consuming it; nil at the end.
    func peek() -> UInt8? {
        while true {
            if position >= count && !fill() { return nil }
            let b = buffer[position]
            switch b {
            case 32, 9, 13: advance()
            case 10:
                line += 1
                advance()
            default: return b
            }
        }
    }

    private func advance() {
        position += 1
        consumed += 1
    }

    private func nextByte() throws -> UInt8 {
        if position >= count && !fill() { throw Failure(reason: "the file ends in the middle of a value") }
        let b = buffer[position]
        advance()
        if b == 10 { line += 1 }
        return b
    }

    func expect(_ byte: UInt8) throws {
        guard let b = peek(), b == byte else {
            throw Failure(reason: "expected '\(Character(Unicode.Scalar(byte)))'")
        }
        advance()
    }

    /// Consumes `byte` when it is next.
    func take(_ byte: UInt8) -> Bool {
        if peek() == byte {
            advance()
            return true
        }
        return false
    }

    func value() throws -> ParsedJSON {
        guard let b = peek() else { throw Failure(reason: "expected a value, found the end of the file") }
        switch b {
        case 34: return .string(try string())
        case 123:
            advance()
            var object: [String: ParsedJSON] = [:]
            if take(125) { return .object(object) }
            repeat {
                let key = try string()
                try expect(58)
                object[key] = try value()
            } while take(44)
            try expect(125)
            return .object(object)
        case 91:
            advance()
            var items: [ParsedJSON] = []
            if take(93) { return .array(items) }
            repeat { items.append(try value()) } while take(44)
            try expect(93)
            return .array(items)
        case 116:
            try word("true")
            return .bool(true)
        case 102:
            try word("false")
            return .bool(false)
        case 110:
            try word("null")
            return .null
        case 45, 48...57: return .int(try integer())
        default: throw Failure(reason: "unexpected '\(Character(Unicode.Scalar(b)))'")
        }
    }

    private func word(_ w: StaticString) throws {
        var ok = true
        w.withUTF8Buffer { expected in
            for e in expected {
                guard let b = try? nextByte(), b == e else {
                    ok = false
                    return
                }
            }
        }
        if !ok { throw Failure(reason: "expected \(w)") }
    }

    private func integer() throws -> Int64 {
        var negative = false
        if peek() == 45 {
            negative = true
            advance()
        }
        var value: Int64 = 0
        var digits = 0
        while position < count || fill() {
            let b = buffer[position]
            guard b >= 48 && b <= 57 else {
                if b == 46 || b == 101 || b == 69 { throw Failure(reason: "expected a whole number") }
                break
            }
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(Int64(b - 48))
            if o1 || o2 { throw Failure(reason: "a number is too large") }
            value = a
            digits += 1
            advance()
        }
        if digits == 0 { throw Failure(reason: "expected digits") }
        return negative ? -value : value
    }

    func string() throws -> String {
        try expect(34)
        var out: [UInt8] = []
        while true {
            let b = try nextByte()
            if b == 34 { break }
            if b != 92 {
                out.append(b)
                continue
            }
            let e = try nextByte()
            switch e {
            case 34, 92, 47: out.append(e)
            case 110: out.append(10)
            case 114: out.append(13)
            case 116: out.append(9)
            case 98: out.append(8)
            case 102: out.append(12)
            case 117:
                var code: UInt32 = 0
                for _ in 0..<4 {
                    let h = try nextByte()
                    guard let v = JSONReader.hexValue(h) else { throw Failure(reason: "bad \\u escape") }
                    code = code * 16 + v
                }
                if (0xD800..<0xDC00).contains(code) {
                    guard try nextByte() == 92, try nextByte() == 117 else { throw Failure(reason: "lone surrogate") }
                    var low: UInt32 = 0
                    for _ in 0..<4 {
                        guard let v = JSONReader.hexValue(try nextByte()) else {
                            throw Failure(reason: "bad \\u escape")
                        }
                        low = low * 16 + v
                    }
                    // A high surrogate must be followed by a low one (below 0xDC00 the subtraction
                    // would trap; above 0xDFFF it would decode to the wrong character).
                    guard (0xDC00...0xDFFF).contains(low) else { throw Failure(reason: "lone surrogate") }
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                }
                guard let scalar = Unicode.Scalar(code) else { throw Failure(reason: "bad \\u escape") }
                out.append(contentsOf: Array(String(Character(scalar)).utf8))
            default: throw Failure(reason: "bad escape in a string")
            }
        }
        guard let s = String(validating: out, as: UTF8.self) else {
            throw Failure(reason: "a string is not valid UTF-8")
        }
        return s
    }

    private static func hexValue(_ b: UInt8) -> UInt32? {
        switch b {
        case 48...57: return UInt32(b - 48)
        case 97...102: return UInt32(b - 87)
        case 65...70: return UInt32(b - 55)
        default: return nil
        }
    }
}
