/// A Vietnamese tax code (mã số thuế, MST): 10 digits whose 10th is a check digit, or those
/// 10 digits, a hyphen and a 3-digit dependent-unit suffix other than `000`.
public struct TaxCode: Hashable, Sendable, CustomStringConvertible {
    /// The canonical form: `0100233488` or `0314409058-002`.
    public let value: String

    static let weights = [31, 29, 23, 19, 17, 13, 7, 5, 3]

    /// Accepts spaces, dots and hyphens typed inside as separators (`01.00.233.488`); the
    /// 14-character form is recognised by its 13 digits.
    public init(parsing text: String) throws {
        let accepted =
            "10 digits with a valid check digit, optionally followed by -NNN for a dependent unit (e.g. 0100233488 or 0314409058-002)"
        var digits: [Int] = []
        for scalar in text.unicodeScalars {
            switch scalar {
            case "0"..."9": digits.append(Int(scalar.value) - 48)
            case " ", ".", "-", "\t": continue
            default:
                throw STOrdersError.invalidTaxCode(text, reason: "contains '\(scalar)'; expected \(accepted)")
            }
        }
        guard digits.count == 10 || digits.count == 13 else {
            throw STOrdersError.invalidTaxCode(text, reason: "has \(digits.count) digits; expected \(accepted)")
        }
        if digits[2...8].allSatisfy({ $0 == 0 }) {
            throw STOrdersError.invalidTaxCode(text, reason: "digits 3 to 9 cannot all be 0; expected \(accepted)")
        }
        guard let check = TaxCode.checkDigit(digits[0..<9]), check == digits[9] else {
            throw STOrdersError.invalidTaxCode(
                text, reason: "the check digit (10th) does not match the first nine digits; expected \(accepted)")
        }
        if digits.count == 13 && digits[10...12].allSatisfy({ $0 == 0 }) {
            throw STOrdersError.invalidTaxCode(
                text, reason: "a dependent-unit suffix cannot be 000; expected \(accepted)")
        }
        var canonical = digits[0..<10].map(String.init).joined()
        if digits.count == 13 { canonical += "-" + digits[10...12].map(String.init).joined() }
        value = canonical
    }

    /// The check digit over the first nine digits, or nil when none exists (s = 0).
    public static func checkDigit<C: Collection>(_ nine: C) -> Int? where C.Element == Int {
        var sum = 0
        for (d, w) in zip(nine, weights) { sum += d * w }
        let s = sum % 11
        return s == 0 ? nil : 10 - s
    }

    public var description: String { value }
}
