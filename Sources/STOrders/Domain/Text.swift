/// Rules for the free text users type: names, titles, reasons, notes.
public enum Text {
    /// The longest text of each kind, in characters, whichever way it arrives (a command, a CSV
    /// import, a restored dump): 500 unless listed.
    static let maxLengths = ["enterprise name": 300, "reference": 200, "other source": 200]

    /// Trims surrounding white space and refuses empty text, text longer than the longest `what`
    /// may be (`maxLengths`), and control characters (which would corrupt tables and CSV).
    public static func validate(_ text: String, what: String) throws -> String {
        let maxLength = maxLengths[what] ?? 500
        let trimmed = text.trimmingSpaces()
        guard !trimmed.isEmpty else {
            throw STOrdersError.invalidText(what: what, reason: "it is empty; expected some text")
        }
        for scalar in trimmed.unicodeScalars where isControl(scalar) {
            throw STOrdersError.invalidText(
                what: what, reason: "it contains the control character U+\(hex(scalar.value)); expected printable text")
        }
        // Characters never outnumber UTF-8 bytes: count them only when the bytes might be too many.
        let count = trimmed.utf8.count <= maxLength ? 0 : trimmed.count
        guard count <= maxLength else {
            throw STOrdersError.invalidText(what: what, reason: "it has \(count) characters; at most \(maxLength) are accepted")
        }
        // A character may stack any number of combining marks: bound the code points too (four
        // per character leaves room for Vietnamese typed in decomposed form).
        let scalars = trimmed.unicodeScalars.count
        guard scalars <= 4 * maxLength else {
            throw STOrdersError.invalidText(
                what: what, reason: "it has \(scalars) code points (combining marks included); at most \(4 * maxLength) are accepted")
        }
        return trimmed
    }

    /// Like `validate`, for optional text: nil or blank stays nil.
    public static func validateOptional(_ text: String?, what: String) throws -> String? {
        guard let text, !text.trimmingSpaces().isEmpty else { return nil }
        return try validate(text, what: what)
    }

    /// User text as a message quotes it: at most `limit` Unicode scalars (then `…` and the full
    /// length), so an error about a 1 MB value, or one grapheme stacked with a million combining
    /// marks, stays readable.
    public static func excerpt(_ text: String, limit: Int = 80) -> String {
        var shown = String.UnicodeScalarView()
        var count = 0
        for scalar in text.unicodeScalars {
            if count == limit {
                return String(shown) + "…(\(text.unicodeScalars.count) code points)"
            }
            shown.append(scalar)
            count += 1
        }
        return text
    }

    /// The text on one printable line: line breaks, tabs and other control characters are
    /// written as escapes (`\n`, `\t`, `\u{1B}`), so they cannot split a message or drive a
    /// terminal.
    public static func oneLine(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            guard isControl(scalar) else {
                out.append(scalar)
                continue
            }
            let escape: String
            switch scalar {
            case "\n": escape = "\\n"
            case "\r": escape = "\\r"
            case "\t": escape = "\\t"
            default: escape = "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            }
            out.append(contentsOf: escape.unicodeScalars)
        }
        return String(out)
    }

    /// C0 and C1 control characters, DEL, and the Unicode line and paragraph separators.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0x2028 || scalar.value == 0x2029
    }

    private static func hex(_ v: UInt32) -> String {
        let digits = String(v, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
