/// How lists of names and titles are ordered: by the Vietnamese alphabet, not by bytes.
extension Text {
    /// The alphabet, with the Latin letters Vietnamese borrows (f, j, w, z) in their Latin places.
    static let alphabet = Array("aăâbcdđeêfghijklmnoôơpqrstuưvwxyz".unicodeScalars)

    /// The tones in dictionary order (as Unicode's CLDR orders them for Vietnamese): level,
    /// huyền (grave), hỏi (hook), ngã (tilde), sắc (acute), nặng (dot below).
    static let toneMarks: [Unicode.Scalar] = ["\u{300}", "\u{309}", "\u{303}", "\u{301}", "\u{323}"]

    /// Each letter, lower and upper case, precomposed with a tone: its place in `alphabet`, its
    /// tone (0 level, 1…5 as `toneMarks`) and whether it is upper case.
    static let letters: [Unicode.Scalar: (letter: UInt32, tone: UInt32, upper: Bool)] = {
        var map: [Unicode.Scalar: (letter: UInt32, tone: UInt32, upper: Bool)] = [:]
        let toned = ["aàảãáạ", "ăằẳẵắặ", "âầẩẫấậ", "eèẻẽéẹ", "êềểễếệ", "iìỉĩíị", "oòỏõóọ", "ôồổỗốộ", "ơờởỡớợ",
                     "uùủũúụ", "ưừửữứự", "yỳỷỹýỵ"]
        for (index, letter) in alphabet.enumerated() {
            let row = toned.first { $0.unicodeScalars.first == letter } ?? String(letter)
            for (tone, scalar) in row.unicodeScalars.enumerated() {
                map[scalar] = (UInt32(index), UInt32(tone), false)
                for upper in String(scalar).uppercased().unicodeScalars where upper != scalar {
                    map[upper] = (UInt32(index), UInt32(tone), true)
                }
            }
        }
        return map
    }()

    /// The sort key of `text` for lists: compare two keys element by element (shorter first when
    /// one is a prefix of the other). Primary: the letters by the Vietnamese alphabet
    /// (a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y), case ignored, after spaces,
    /// then punctuation, then digits; other scripts after the Latin letters, by code point.
    /// Secondary: the tones, letter by letter. Tertiary: lower case before upper case. Last, the
    /// text's bytes, so only identical texts compare equal. Decomposed and precomposed spellings
    /// give the same letters and tones (combining breve, circumflex and horn change the letter;
    /// the five tone marks set the tone); invisible format characters are ignored.
    /// "Dung" < "Đà Nẵng" < "Ea"; "Az" < "Ă"; "ma" < "mà" < "mả" < "mã" < "má" < "mạ" < "Ma".
    public static func sortKey(_ text: String) -> [UInt32] {
        var primary: [UInt32] = []
        var tones: [UInt32] = []
        var cases: [UInt32] = []
        primary.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if let letter = letters[scalar] {
                primary.append(0x2000 + letter.letter)
                tones.append(letter.tone)
                cases.append(letter.upper ? 1 : 0)
            } else if let mark = toneMarks.firstIndex(of: scalar), !primary.isEmpty {
                tones[tones.count - 1] = UInt32(mark + 1)
            } else if (v == 0x306 || v == 0x302 || v == 0x31B), let last = primary.last, last >= 0x2000 {
                primary[primary.count - 1] = 0x2000 + modified(last - 0x2000, by: v)
            } else if v < 0x80 {
                let isDigit = (0x30...0x39).contains(v)
                primary.append(v == 0x20 || v == 0x09 ? 1 : isDigit ? 0x1000 + v - 0x30 : 2 + v)
                tones.append(0)
                cases.append(0)
            } else if scalar.properties.isWhitespace {
                primary.append(1)
                tones.append(0)
                cases.append(0)
            } else if isFormat(scalar) || scalar.properties.generalCategory == .nonspacingMark
                        || scalar.properties.isDefaultIgnorableCodePoint {
                continue
            } else {
                primary.append(0x1_0000 + v)
                tones.append(0)
                cases.append(0)
            }
        }
        return primary + [0] + tones + [0] + cases + [0] + text.utf8.map { UInt32($0) }
    }

    /// -1, 0 or 1 as `a` sorts before, with or after `b` by `sortKey`.
    public static func collationOrder(_ a: String, _ b: String) -> Int {
        if a == b && a.utf8.elementsEqual(b.utf8) { return 0 }
        let x = sortKey(a), y = sortKey(b)
        return x.lexicographicallyPrecedes(y) ? -1 : y.lexicographicallyPrecedes(x) ? 1 : 0
    }

    /// The letter a combining breve (U+0306), circumflex (U+0302) or horn (U+031B) makes of the
    /// letter at `index` in `alphabet` (a + ̆ = ă, o + ̛ = ơ, …); other pairs stay as they are.
    static func modified(_ index: UInt32, by mark: UInt32) -> UInt32 {
        let pairs: [(Unicode.Scalar, UInt32, Unicode.Scalar)] = [
            ("a", 0x306, "ă"), ("a", 0x302, "â"), ("e", 0x302, "ê"), ("o", 0x302, "ô"), ("o", 0x31B, "ơ"), ("u", 0x31B, "ư"),
        ]
        let letter = alphabet[Int(index)]
        guard let pair = pairs.first(where: { $0.0 == letter && $0.1 == mark }),
              let result = alphabet.firstIndex(of: pair.2) else { return index }
        return UInt32(result)
    }
}
