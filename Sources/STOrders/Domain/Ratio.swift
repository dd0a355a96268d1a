/// A non-negative ratio kept exact as a fraction of two integers (a share 0..1, đồng per đồng, a
/// median of days). It is written as a decimal with integer arithmetic only, so a share of 3/10
/// prints `0.3`, never `0.30000000000000004`.
public struct Ratio: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let numerator: Int64
    public let denominator: Int64

    /// `numerator / denominator`, or nil when it is not a meaningful ratio (a zero or negative
    /// denominator, a negative numerator).
    public init?(_ numerator: Int64, _ denominator: Int64) {
        guard denominator > 0, numerator >= 0 else { return nil }
        self.numerator = numerator
        self.denominator = denominator
    }

    /// A share given in basis points (1/10,000): 8000 is 0.8.
    public init(basisPoints: Int64) {
        numerator = max(0, basisPoints)
        denominator = 10_000
    }

    /// The decimal with at most `places` fractional digits, rounded half up, trailing zeros
    /// dropped: 2/3 → `0.6667`, 4/5 → `0.8`, 3/1 → `3`.
    public func decimal(places: Int = 4) -> String {
        let (whole, fraction) = digits(places: places, shift: 0)
        var f = Substring(fraction)
        while f.last == "0" { f = f.dropLast() }
        return f.isEmpty ? whole : whole + "." + f
    }

    /// The decimal with exactly `places` fractional digits: 2/3 at 2 → `0.67`, 4/5 at 2 → `0.80`.
    public func fixed(places: Int) -> String {
        let (whole, fraction) = digits(places: places, shift: 0)
        return fraction.isEmpty ? whole : whole + "." + fraction
    }

    /// As a percentage with exactly `places` decimals: 2/3 → `66.7`.
    public func percent(places: Int = 1) -> String {
        let (whole, fraction) = digits(places: places, shift: 2)
        return fraction.isEmpty ? whole : whole + "." + fraction
    }

    /// Basis points, rounded half up (a share of 0.8 is 8000).
    public var basisPoints: Int64 { Int64(digits(places: 0, shift: 4).0) ?? Int64.max }

    public var description: String { decimal() }

    /// The whole part and exactly `places` fractional digits of the ratio times 10^shift,
    /// rounded half up, using 128-bit intermediate products (nothing overflows for any Int64
    /// fraction; a whole part beyond Int64 is capped).
    private func digits(places: Int, shift: Int) -> (String, String) {
        let places = max(0, min(places, 12))
        let whole = numerator / denominator
        let rest = numerator % denominator
        var wholeScale: Int64 = 1
        for _ in 0..<shift { wholeScale *= 10 }
        var scale: Int64 = wholeScale
        for _ in 0..<places { scale *= 10 }
        // rest < denominator, so rest * scale / denominator < scale: the quotient fits.
        let (q, r) = denominator.dividingFullWidth(rest.multipliedFullWidth(by: scale))
        var scaled = q
        if r >= denominator - r { scaled += 1 }
        // scaled ≤ scale: split into the shifted whole part and the fractional digits.
        var fractionScale: Int64 = 1
        for _ in 0..<places { fractionScale *= 10 }
        let carry = scaled / fractionScale
        let fraction = scaled % fractionScale
        let (w1, o1) = whole.multipliedReportingOverflow(by: wholeScale)
        let (w2, o2) = w1.addingReportingOverflow(carry)
        let wholeText = o1 || o2 ? String(Int64.max) : String(w2)
        guard places > 0 else { return (wholeText, "") }
        let text = String(fraction)
        return (wholeText, String(repeating: "0", count: places - text.count) + text)
    }

    public static func < (a: Ratio, b: Ratio) -> Bool {
        // a.n / a.d < b.n / b.d  ⇔  a.n * b.d < b.n * a.d (denominators are positive).
        let left = a.numerator.multipliedFullWidth(by: b.denominator)
        let right = b.numerator.multipliedFullWidth(by: a.denominator)
        return left.high < right.high || (left.high == right.high && left.low < right.low)
    }

    public static func == (a: Ratio, b: Ratio) -> Bool { !(a < b) && !(b < a) }

    public func hash(into hasher: inout Hasher) {
        // Equal ratios (2/4 and 1/2) hash alike: hash the reduced fraction.
        var x = numerator
        var y = denominator
        while y != 0 { (x, y) = (y, x % y) }
        let g = max(x, 1)
        hasher.combine(numerator / g)
        hasher.combine(denominator / g)
    }
}

extension Ratio {
    /// A share in basis points (1/10,000) as people write it: 3000 is `30%`, 1250 `12.5%`, 5
    /// `0.05%`. The one format of the targets' shares and of the advance limit.
    public static func percentText(basisPoints: Int64) -> String {
        var text = Ratio(basisPoints: basisPoints).percent(places: 2)
        while text.hasSuffix("0") && text.contains(".") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text + "%"
    }

    /// The basis points of a share as typed: a percentage (`80%`, `87.5 %`, up to 2 decimals) or,
    /// when `fractions`, a fraction of 1 (`0.8`, up to 4 decimals); spaces around are ignored. Nil
    /// when the text is neither. Not bounded: each caller refuses, in its own words, what lies
    /// outside its range. The one parser of the targets' shares and of the advance limit.
    public static func basisPoints(parsing text: String, fractions: Bool) -> Int64? {
        let s = text.trimmingSpaces()
        let percent = s.hasSuffix("%")
        guard percent || fractions else { return nil }
        let number = percent ? String(s.dropLast()).trimmingSpaces() : s
        let parts = number.split(separator: ".", maxSplits: 2, omittingEmptySubsequences: false)
        let maxDecimals = percent ? 2 : 4
        guard (1...2).contains(parts.count), !parts[0].isEmpty, parts[0].utf8.count <= 3,
            parts.allSatisfy({ $0.utf8.allSatisfy { $0 >= 48 && $0 <= 57 } }),
            parts.count == 1 || (1...maxDecimals).contains(parts[1].utf8.count),
            let whole = Int64(parts[0])
        else { return nil }
        var decimals = parts.count == 2 ? String(parts[1]) : ""
        while decimals.utf8.count < maxDecimals { decimals += "0" }
        // A percentage has 2 decimals (x100), a fraction 4 (x10,000).
        return (percent ? whole * 100 : whole * 10_000) + (Int64(decimals) ?? 0)
    }
}
