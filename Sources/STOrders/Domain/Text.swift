/// Rules for the free text users type: names, titles, reasons, notes.
public enum Text {
    /// The longest text of each kind, in characters, whichever way it arrives (a command, a CSV
    /// import, a restored dump): 500 unless listed.
    static let maxLengths = [
        "enterprise name": 300, "reference": 200, "other source": 200, "source name": 200, "file name": 255,
    ]

    /// Trims what cannot be seen at either end (`isTrimmed`), stores the text in Unicode NFC
    /// (so a name typed with combining marks and one typed precomposed are the same bytes), and
    /// refuses: text with no visible character (empty, spaces of any kind, zero-width and other
    /// invisible characters only), control characters (which would corrupt tables and CSV),
    /// bidirectional controls and other invisible format characters inside the text (named with
    /// their position; a zero-width joiner inside an emoji sequence is kept), and text longer
    /// than the longest `what` may be (`maxLengths`).
    public static func validate(_ text: String, what: String) throws -> String {
        let maxLength = maxLengths[what] ?? 500
        let trimmed = try visiblePart(text, what: what)
        // Characters never outnumber UTF-8 bytes: count them only when the bytes might be too many.
        let count = trimmed.utf8.count <= maxLength ? 0 : trimmed.count
        guard count <= maxLength else {
            throw STOrdersError.invalidText(
                what: what, reason: "it has \(count) characters; at most \(maxLength) are accepted")
        }
        // A character may stack any number of combining marks: bound the code points too (four
        // per character leaves room for Vietnamese typed in decomposed form).
        let scalars = trimmed.unicodeScalars.count
        guard scalars <= 4 * maxLength else {
            throw STOrdersError.invalidText(
                what: what,
                reason:
                    "it has \(scalars) code points (combining marks included); at most \(4 * maxLength) are accepted")
        }
        // Bounded first (as typed), then composed: NFC keeps the characters and never makes
        // Vietnamese longer.
        return nfc(trimmed)
    }

    /// Like `validate`, for optional text: nil, or text with no visible character, stays nil.
    public static func validateOptional(_ text: String?, what: String) throws -> String? {
        guard let text, !isBlank(text) else { return nil }
        return try validate(text, what: what)
    }

    /// Text read back from a dump (`import dump`): kept byte for byte, because the history's
    /// hash chain covers the stored bytes and a restore must reproduce them. It is refused only
    /// for what no version of STOrders ever stored: nothing but ASCII spaces, a control character,
    /// more characters than `what` may have. Text stored before the rules on invisible characters
    /// and NFC existed is restored as it was (tables and CSV escape what cannot be seen).
    public static func validateRestored(_ text: String, what: String) throws -> String {
        let maxLength = maxLengths[what] ?? 500
        guard !text.trimmingSpaces().isEmpty else {
            throw STOrdersError.invalidText(what: what, reason: "it is empty; expected some text")
        }
        for scalar in text.unicodeScalars where isControl(scalar) {
            throw STOrdersError.invalidText(
                what: what, reason: "it contains the control character U+\(hex(scalar.value)); expected printable text")
        }
        let count = text.utf8.count <= maxLength ? 0 : text.count
        guard count <= maxLength, text.unicodeScalars.count <= 4 * maxLength else {
            throw STOrdersError.invalidText(
                what: what, reason: "it has \(text.count) characters; at most \(maxLength) are accepted")
        }
        return text
    }

    /// Whether the text has no visible character: empty, or only spaces of any kind (`isTrimmed`),
    /// bidirectional controls and default-ignorable code points (variation selectors, …).
    public static func isBlank(_ text: String) -> Bool {
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return text.trimmingSpaces().isEmpty }
        return text.unicodeScalars.allSatisfy(isInvisible)
    }

    /// The text without what cannot be seen at either end, refusing blank text and invisible or
    /// control characters inside it. Positions count code points from 1 in the text as given.
    static func visiblePart(_ text: String, what: String) throws -> String {
        // Most text (any Vietnamese name) starts and ends with a visible character and holds no
        // control or format character: one pass over it, no copy.
        if let head = text.unicodeScalars.first, let tail = text.unicodeScalars.last,
            !isInvisible(head), !isTrimmed(tail),
            !text.unicodeScalars.contains(where: { isControl($0) || isFormat($0) })
        {
            return text
        }
        let scalars = Array(text.unicodeScalars)
        guard let first = scalars.firstIndex(where: { !isTrimmed($0) }),
            let last = scalars.lastIndex(where: { !isTrimmed($0) }),
            scalars[first...last].contains(where: { !isInvisible($0) })
        else {
            throw STOrdersError.invalidText(what: what, reason: "it is empty; expected some text")
        }
        for i in first...last {
            let scalar = scalars[i]
            if isControl(scalar) {
                throw STOrdersError.invalidText(
                    what: what,
                    reason: "it contains the control character U+\(hex(scalar.value)); expected printable text")
            }
            if isBidiControl(scalar) {
                throw STOrdersError.invalidText(
                    what: what,
                    reason: "it contains the invisible bidirectional control U+\(hex(scalar.value)) at position "
                        + "\(i + 1) (counting code points); expected visible text")
            }
            if isFormat(scalar) && !isEmojiJoiner(scalars, i) {
                throw STOrdersError.invalidText(
                    what: what,
                    reason: "it contains the invisible format character U+\(hex(scalar.value)) at position "
                        + "\(i + 1) (counting code points); expected visible text")
            }
        }
        if first == 0 && last == scalars.count - 1 { return text }
        return String(String.UnicodeScalarView(scalars[first...last]))
    }

    /// The text in Unicode Normalization Form C (canonical composition): `e` + U+0302 + U+0323
    /// and `ệ` give the same bytes. ASCII is already NFC.
    public static func nfc(_ text: String) -> String {
        // Letters below U+0300 and the precomposed Vietnamese letters (U+1E00–U+1EFF) are all
        // in NFC and never combine with what follows them: text of only those is NFC already.
        if text.unicodeScalars.allSatisfy({ $0.value < 0x300 || (0x1E00...0x1EFF).contains($0.value) }) { return text }
        let composed = text._nfcCodeUnits
        if composed.elementsEqual(text.utf8) { return text }
        return String(decoding: composed, as: UTF8.self)
    }

    /// Trimmed at either end like a space: ASCII space, tab and line breaks; every other Unicode
    /// white space (no-break space, the spaces of other widths, ideographic space, line and
    /// paragraph separators, …); format characters (Cf: zero-width space and joiners, word
    /// joiner, byte-order mark, soft hyphen, …) except the bidirectional controls, which are
    /// refused wherever they are; and the Hangul fillers, letters that draw nothing.
    static func isTrimmed(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if v < 0x80 { return v == 0x20 || v == 0x09 || v == 0x0A || v == 0x0D }
        if isBidiControl(scalar) { return false }
        if v == 0x115F || v == 0x1160 || v == 0x3164 || v == 0xFFA0 { return true }
        return scalar.properties.isWhitespace || isFormat(scalar)
    }

    /// Draws nothing by itself: what `isTrimmed` removes, bidirectional controls, and the other
    /// default-ignorable code points (variation selectors, combining grapheme joiner, …).
    static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.value < 0x80 { return isTrimmed(scalar) }
        return isTrimmed(scalar) || isBidiControl(scalar) || scalar.properties.isDefaultIgnorableCodePoint
    }

    /// The bidirectional controls: embeddings and overrides (U+202A–U+202E), isolates
    /// (U+2066–U+2069), the left-to-right, right-to-left and Arabic letter marks.
    static func isBidiControl(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        return (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
            || v == 0x200E || v == 0x200F || v == 0x061C
    }

    /// A format character (Unicode category Cf). Checked first against the blocks that hold
    /// any, so Vietnamese letters and marks cost one comparison or two.
    public static func isFormat(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        guard
            v == 0xAD || (0x0600...0x08FF).contains(v) || v == 0x180E || (0x200B...0x206F).contains(v)
                || v == 0xFEFF || (0xFFF9...0xFFFB).contains(v) || v >= 0x1_10BD
        else { return false }
        return scalar.properties.generalCategory == .format
    }

    /// A zero-width joiner between two emoji (👩‍💻, 🏳️‍🌈): part of one emoji, kept. The emoji
    /// before it may carry a presentation selector or a skin-tone modifier.
    static func isEmojiJoiner(_ scalars: [Unicode.Scalar], _ i: Int) -> Bool {
        guard scalars[i].value == 0x200D, i + 1 < scalars.count else { return false }
        var j = i - 1
        while j >= 0 && (scalars[j].value == 0xFE0F || scalars[j].properties.isEmojiModifier) { j -= 1 }
        func isEmoji(_ s: Unicode.Scalar) -> Bool { s.value >= 0x203C && s.properties.isEmoji }
        return j >= 0 && isEmoji(scalars[j]) && isEmoji(scalars[i + 1])
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
    /// terminal, and so are bidirectional controls and other invisible format characters
    /// (`\u{202E}`), so they cannot reorder or hide what is shown (see `escapingInvisible`).
    public static func oneLine(_ text: String) -> String {
        escapingInvisible(text, controls: true)
    }

    /// The text with its invisible format characters (Cf, bidirectional controls included, a
    /// zero-width joiner inside an emoji excepted) written as `\u{XXXX}`, and with `controls`
    /// its control characters too (`\n`, `\r`, `\t`, `\u{1B}`). Text without any is returned as
    /// it is, after one pass over its bytes.
    public static func escapingInvisible(_ text: String, controls: Bool) -> String {
        guard mayHoldInvisible(text),
            text.unicodeScalars.contains(where: { (controls && isControl($0)) || isFormat($0) })
        else { return text }
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        for (i, scalar) in scalars.enumerated() {
            let escape: String
            if controls && isControl(scalar) {
                switch scalar {
                case "\n": escape = "\\n"
                case "\r": escape = "\\r"
                case "\t": escape = "\\t"
                default: escape = "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
                }
            } else if isFormat(scalar) && !isEmojiJoiner(scalars, i) {
                escape = "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            } else {
                out.append(scalar)
                continue
            }
            out.append(contentsOf: escape.unicodeScalars)
        }
        return String(out)
    }

    /// False when no byte of the text can begin a control or format character: ASCII text and
    /// Vietnamese (whose letters and marks start with other bytes) are passed over in one scan.
    public static func mayHoldInvisible(_ text: String) -> Bool {
        var previous: UInt8 = 0
        for b in text.utf8 {
            // C0 controls and DEL; U+0080–U+00BF (C1 controls, soft hyphen); U+0600–U+0FFF;
            // U+180E; U+2000–U+2FFF (spaces, joiners, bidirectional controls); U+F000–U+FFFF and
            // beyond (byte-order mark, tags).
            if b < 0x20 || b == 0x7F || b == 0xC2 || (0xD8...0xE0).contains(b) || b == 0xE2 || b >= 0xEF
                || (previous == 0xE1 && b == 0xA0)
            {
                return true
            }
            previous = b
        }
        return false
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
