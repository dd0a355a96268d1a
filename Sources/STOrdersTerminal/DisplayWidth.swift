/// How many terminal columns text takes, for lining tables up: a character (grapheme cluster)
/// of an East Asian wide or fullwidth script (CJK ideographs, kana, Hangul, fullwidth forms)
/// or an emoji shown as an emoji takes 2; combining marks, zero-width and other invisible
/// characters add nothing to the character they belong to; everything else takes 1. A
/// Vietnamese letter takes 1 whether typed precomposed or with combining marks.
public enum DisplayWidth {
    public static func of(_ text: String) -> Int {
        // ASCII without controls: one column a byte.
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return text.utf8.count }
        var total = 0
        for character in text { total += of(character) }
        return total
    }

    public static func of(_ character: Character) -> Int {
        let scalars = character.unicodeScalars
        guard let first = scalars.first else { return 0 }
        var width = 0
        for scalar in scalars {
            // An emoji presentation selector makes a text-style symbol (❤, ☺, keycaps) an emoji.
            if scalar.value == 0xFE0F && first.properties.isEmoji { return 2 }
            width = max(width, of(scalar))
        }
        return width
    }

    public static func of(_ scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        if v < 0x20 || (0x7F..<0xA0).contains(v) { return 0 }
        if v < 0x300 { return v == 0xAD ? 0 : 1 }
        let properties = scalar.properties
        switch properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format, .control: return 0
        default: break
        }
        // Hangul vowels and final consonants join the syllable's first jamo; fillers draw nothing.
        if (0x1160...0x11FF).contains(v) || properties.isDefaultIgnorableCodePoint { return 0 }
        if properties.isEmojiPresentation || isWide(v) { return 2 }
        return 1
    }

    /// East Asian Width W or F (Unicode 15), other than emoji (`isEmojiPresentation`).
    public static func isWide(_ v: UInt32) -> Bool {
        for range in wide where range.contains(v) { return true }
        return false
    }

    static let wide: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x2329...0x232A, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
        0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F,
        0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x16FE0...0x16FE4, 0x17000...0x18CFF, 0x1AFF0...0x1B2FF,
        0x1F200...0x1F2FF, 0x20000...0x2FFFD, 0x30000...0x3FFFD,
    ]

    /// The longest start of `text` that fits in `width` columns, whole characters only (a
    /// character is never cut between its base and its marks or inside an emoji sequence).
    public static func prefix(_ text: String, fitting width: Int) -> (text: String, width: Int) {
        var used = 0
        var end = text.startIndex
        for index in text.indices {
            let w = of(text[index])
            if used + w > width { break }
            used += w
            end = text.index(after: index)
        }
        return (String(text[..<end]), used)
    }
}
