/// Amounts of Vietnamese đồng. VND has no minor unit, so an amount is a whole number of đồng held
/// in an `Int64`; nothing here ever goes through floating point.
public enum Money {
    /// Parses an amount as a user types it: plain digits (`1200000000`) or digits grouped by
    /// thousands with one kind of separator throughout (`1,200,000,000`, `1.200.000.000`,
    /// `1_200_000_000`, `1 200 000 000`), optionally followed by `đ`, `₫`, `VND` or `đồng`.
    /// Negative, fractional, malformed and overflowing amounts are refused, and zero unless
    /// `allowZero` (a revenue may be zero; a payment may not).
    public static func parse(_ text: String, allowZero: Bool = false) throws -> Int64 {
        func refuse(_ reason: String) -> STOrdersError { .invalidAmount(text, reason: reason) }
        // Fast path for plain digits (what files and scripts give): no separators, no suffix.
        let utf8 = text.utf8
        if !utf8.isEmpty && utf8.count <= 18 && utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) {
            var value: Int64 = 0
            for b in utf8 { value = value * 10 + Int64(b - 48) }  // 18 digits cannot overflow
            if value == 0 && !allowZero { throw refuse("must be greater than zero") }
            return value
        }
        var s = Substring(text.trimmingSpaces())
        for suffix in ["đồng", "dong", "VND", "vnd", "đ", "₫"] where s.hasSuffix(suffix) {
            s = Substring(String(s.dropLast(suffix.count)).trimmingSpaces())
            break
        }
        guard !s.isEmpty else { throw refuse("expected a whole number of đồng, for example 1,200,000,000") }
        if s.first == "-" || s.first == "−" {
            throw refuse("amounts cannot be negative; record a correction as a new entry")
        }
        if s.first == "+" { s = s.dropFirst() }

        var digits: [UInt8] = []
        var separator: UInt8? = nil
        var groupLength = 0
        var groups = 0
        for b in s.utf8 {
            if b >= 48 && b <= 57 {
                digits.append(b - 48)
                groupLength += 1
                continue
            }
            guard b == 44 || b == 46 || b == 95 || b == 32 else {
                throw refuse(
                    "expected digits with optional thousands separators (, . _ or space), for example 1.200.000.000")
            }
            if let sep = separator, sep != b {
                throw refuse(
                    "mixes thousands separators; VND has no fractional part, so use one separator kind throughout")
            }
            // The first group has 1 to 3 digits, every later one exactly 3.
            if (groups == 0 && !(1...3).contains(groupLength)) || (groups > 0 && groupLength != 3) {
                throw refuse("thousands groups must have 3 digits; VND has no fractional part")
            }
            separator = b
            groups += 1
            groupLength = 0
        }
        if groups > 0 && groupLength != 3 {
            throw refuse("thousands groups must have 3 digits; VND has no fractional part")
        }
        guard !digits.isEmpty else { throw refuse("expected a whole number of đồng, for example 1,200,000,000") }

        var value: Int64 = 0
        for d in digits {
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(Int64(d))
            if o1 || o2 { throw refuse("is larger than the largest amount, \(format(Int64.max)) đồng") }
            value = a
        }
        if value == 0 && !allowZero { throw refuse("must be greater than zero") }
        return value
    }

    /// `1200000000` → `1.200.000.000` (the Vietnamese grouping).
    public static func format(_ amount: Int64) -> String { format(amount, grouping: .dot) }

    /// The character that groups thousands: `.` in Vietnamese (`1.200.000.000`), `,` in English
    /// (`1,200,000,000`). `parse` reads either.
    public enum Grouping: UInt8, Sendable {
        case dot = 46
        case comma = 44
    }

    /// `1200000000` → `1.200.000.000` or `1,200,000,000`.
    public static func format(_ amount: Int64, grouping: Grouping) -> String {
        let negative = amount < 0
        let digits = Array(String(amount.magnitude).utf8)
        var out: [UInt8] = []
        out.reserveCapacity(digits.count + digits.count / 3 + 1)
        if negative { out.append(45) }
        for (i, d) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(grouping.rawValue) }
            out.append(d)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Adds amounts, refusing a sum that would not fit in 64 bits.
    public static func sum(_ amounts: [Int64]) throws -> Int64 {
        var total: Int64 = 0
        for a in amounts {
            let (t, overflow) = total.addingReportingOverflow(a)
            if overflow { throw STOrdersError.amountOverflow }
            total = t
        }
        return total
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces, tabs and line breaks (no Foundation needed).
    /// Works on UTF-8 bytes: the four are single ASCII bytes, never part of another character.
    func trimmingSpaces() -> String {
        let whole = String(self)
        let bytes = whole.utf8
        func isSpace(_ b: UInt8) -> Bool { b == 32 || b == 9 || b == 10 || b == 13 }
        guard let first = bytes.firstIndex(where: { !isSpace($0) }),
            let last = bytes.lastIndex(where: { !isSpace($0) })
        else { return "" }
        if first == bytes.startIndex && bytes.index(after: last) == bytes.endIndex { return whole }
        return String(decoding: bytes[first...last], as: UTF8.self)
    }
}
