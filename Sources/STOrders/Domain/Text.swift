/// Rules for the free text users type: names, titles, reasons, notes.
public enum Text {
    /// Trims surrounding white space and refuses empty text, text longer than `maxLength`
    /// characters, and control characters (which would corrupt tables and CSV).
    public static func validate(_ text: String, what: String, maxLength: Int = 500) throws -> String {
        let trimmed = text.trimmingSpaces()
        guard !trimmed.isEmpty else {
            throw STOrdersError.invalidText(what: what, reason: "it is empty; expected some text")
        }
        for scalar in trimmed.unicodeScalars where scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) {
            throw STOrdersError.invalidText(
                what: what, reason: "it contains the control character U+\(hex(scalar.value)); expected printable text")
        }
        // Characters never outnumber UTF-8 bytes: count them only when the bytes might be too many.
        let count = trimmed.utf8.count <= maxLength ? 0 : trimmed.count
        guard count <= maxLength else {
            throw STOrdersError.invalidText(what: what, reason: "it has \(count) characters; at most \(maxLength) are accepted")
        }
        return trimmed
    }

    /// Like `validate`, for optional text: nil or blank stays nil.
    public static func validateOptional(_ text: String?, what: String, maxLength: Int = 500) throws -> String? {
        guard let text, !text.trimmingSpaces().isEmpty else { return nil }
        return try validate(text, what: what, maxLength: maxLength)
    }

    private static func hex(_ v: UInt32) -> String {
        let digits = String(v, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
