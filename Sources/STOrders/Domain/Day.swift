#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A calendar day, written `YYYY-MM-DD` (ISO-8601). Business dates in STOrders are days, never
/// instants: a funding decision or an acceptance happens on a day.
public struct Day: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// The earliest and latest years accepted: S&T orders are contemporary records.
    public static let years = 1900...2999

    /// Builds a day, or returns nil when it is not a real calendar day.
    public init?(year: Int, month: Int, day: Int) {
        guard Day.years.contains(year), (1...12).contains(month),
            (1...Day.daysIn(month: month, year: year)).contains(day)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses exactly `YYYY-MM-DD`; anything else, or a day that does not exist, is refused.
    public init(parsing text: String) throws {
        let bytes = Array(text.utf8)
        func digits(_ range: Range<Int>) -> Int? {
            var value = 0
            for i in range {
                let b = bytes[i]
                guard b >= 48, b <= 57 else { return nil }
                value = value * 10 + Int(b - 48)
            }
            return value
        }
        guard bytes.count == 10, bytes[4] == 45, bytes[7] == 45,
            let y = digits(0..<4), let m = digits(5..<7), let d = digits(8..<10)
        else {
            throw STOrdersError.invalidDate(text, reason: "expected YYYY-MM-DD, for example 2026-03-15")
        }
        guard Day.years.contains(y) else {
            throw STOrdersError.invalidDate(
                text, reason: "the year must be between \(Day.years.lowerBound) and \(Day.years.upperBound)")
        }
        guard (1...12).contains(m) else {
            throw STOrdersError.invalidDate(text, reason: "the month must be 01 to 12")
        }
        let last = Day.daysIn(month: m, year: y)
        guard (1...last).contains(d) else {
            throw STOrdersError.invalidDate(text, reason: "\(y)-\(Day.pad(m)) has days 01 to \(last)")
        }
        year = y
        month = m
        day = d
    }

    /// Today in the machine's local time zone.
    public static func today() -> Day {
        var now = time(nil)
        var parts = tm()
        localtime_r(&now, &parts)
        return Day(year: Int(parts.tm_year) + 1900, month: Int(parts.tm_mon) + 1, day: Int(parts.tm_mday))
            ?? Day(uncheckedYear: 2000, month: 1, day: 1)
    }

    init(uncheckedYear: Int, month: Int, day: Int) {
        self.year = uncheckedYear
        self.month = month
        self.day = day
    }

    public static func isLeap(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 (proleptic Gregorian), for differences between days.
    public var ordinal: Int {
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    public static func days(from start: Day, to end: Day) -> Int { end.ordinal - start.ordinal }

    public var description: String {
        var s = String(year)
        while s.utf8.count < 4 { s = "0" + s }
        return s + "-" + Day.pad(month) + "-" + Day.pad(day)
    }

    private static func pad(_ n: Int) -> String { n < 10 ? "0\(n)" : String(n) }

    public static func < (a: Day, b: Day) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }
}
