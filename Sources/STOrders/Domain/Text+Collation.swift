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
        let toned = [
            "aàảãáạ", "ăằẳẵắặ", "âầẩẫấậ", "eèẻẽéẹ", "êềểễếệ", "iìỉĩíị", "oòỏõóọ", "ôồổỗốộ", "ơờởỡớợ",
            "uùủũúụ", "ưừửữứự", "yỳỷỹýỵ",
        ]
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
    /// "Dung" < "Đà Nẵng" < "Ea"; "Az" < "Ă"; "ma" < "Ma" < "mà" < "mả" < "mã" < "má" < "mạ".
    public static func sortKey(_ text: String) -> [UInt32] {
        var primary: [UInt32] = []
        var tones: [UInt32] = []
        var cases: [UInt32] = []
        var elements = CollationElements(text)
        while let e = elements.next() {
            primary.append(e.primary)
            tones.append(e.tone)
            cases.append(e.upper ? 1 : 0)
        }
        return primary + [0] + tones + [0] + cases + [0] + text.utf8.map { UInt32($0) }
    }

    /// `sortKey` as bytes whose plain byte order (memcmp, SQLite's order of blobs) is the
    /// keys' order: each letter's primary weight in 3 bytes, then a 0 separator of 3 bytes, the
    /// tones and the cases a byte each with a 0 after each run, then the text's bytes. A sort
    /// computes it once per row instead of comparing texts n log n times.
    public static func sortKeyBytes(_ text: String) -> [UInt8] {
        var primary: [UInt8] = []
        var rest: [UInt8] = []
        var cases: [UInt8] = []
        primary.reserveCapacity(3 * text.utf8.count + 3)
        var elements = CollationElements(text)
        while let e = elements.next() {
            primary.append(UInt8(truncatingIfNeeded: e.primary >> 16))
            primary.append(UInt8(truncatingIfNeeded: e.primary >> 8))
            primary.append(UInt8(truncatingIfNeeded: e.primary))
            rest.append(UInt8(truncatingIfNeeded: e.tone))
            cases.append(e.upper ? 1 : 0)
        }
        return primary + [0, 0, 0] + rest + [0] + cases + [0] + Array(text.utf8)
    }

    /// -1, 0 or 1 as `a` sorts before, with or after `b`: the order of their `sortKey`s, found
    /// without building them and mostly after a few letters (SQLite calls this for every
    /// comparison of a sort, millions for a large list).
    public static func collationOrder(_ a: String, _ b: String) -> Int {
        var x = CollationElements(a)
        var y = CollationElements(b)
        var tone = 0
        var letterCase = 0
        while true {
            let p = x.next()
            let q = y.next()
            guard let p, let q else {
                if p != nil { return 1 }
                if q != nil { return -1 }
                break
            }
            if p.primary != q.primary { return p.primary < q.primary ? -1 : 1 }
            if tone == 0 && p.tone != q.tone { tone = p.tone < q.tone ? -1 : 1 }
            if letterCase == 0 && p.upper != q.upper { letterCase = p.upper ? 1 : -1 }
        }
        if tone != 0 { return tone }
        if letterCase != 0 { return letterCase }
        if a.utf8.elementsEqual(b.utf8) { return 0 }
        return a.utf8.lexicographicallyPrecedes(b.utf8) ? -1 : 1
    }

    /// One element of the sort per letter, digit, space or other visible character.
    struct CollationElement: Equatable {
        var primary: UInt32
        var tone: UInt32
        var upper: Bool
    }

    /// The elements of a text: each character's own, with the combining marks that follow it
    /// applied (a tone mark sets the tone; a breve, circumflex or horn changes the letter) and
    /// invisible characters skipped.
    struct CollationElements: IteratorProtocol {
        private var scalars: String.UnicodeScalarView.Iterator
        private var pending: Unicode.Scalar?

        init(_ text: String) { scalars = text.unicodeScalars.makeIterator() }

        mutating func next() -> CollationElement? {
            while let scalar = pending ?? scalars.next() {
                pending = nil
                guard var element = Text.element(scalar) else { continue }
                while let mark = scalars.next() {
                    if let tone = toneMarks.firstIndex(of: mark) {
                        element.tone = UInt32(tone + 1)
                    } else if mark.value == 0x306 || mark.value == 0x302 || mark.value == 0x31B {
                        if element.primary >= 0x2000 && element.primary < 0x2000 + UInt32(alphabet.count) {
                            element.primary = 0x2000 + modified(element.primary - 0x2000, by: mark.value)
                        }
                    } else if !Text.isIgnorable(mark) {
                        pending = mark
                        break
                    }
                }
                return element
            }
            return nil
        }
    }

    /// The element of a character on its own; nil for what the sort ignores (invisible
    /// characters, a combining mark with no letter before it).
    static func element(_ scalar: Unicode.Scalar) -> CollationElement? {
        let v = scalar.value
        if v < 0x80 {
            if let letter = asciiLetters[Int(v)] {
                return CollationElement(primary: 0x2000 + letter, tone: 0, upper: v < 0x61)
            }
            if v == 0x20 || v == 0x09 { return CollationElement(primary: 1, tone: 0, upper: false) }
            if (0x30...0x39).contains(v) { return CollationElement(primary: 0x1000 + v - 0x30, tone: 0, upper: false) }
            return CollationElement(primary: 2 + v, tone: 0, upper: false)
        }
        if let letter = letters[scalar] {
            return CollationElement(primary: 0x2000 + letter.letter, tone: letter.tone, upper: letter.upper)
        }
        if isIgnorable(scalar) { return nil }
        if scalar.properties.isWhitespace { return CollationElement(primary: 1, tone: 0, upper: false) }
        return CollationElement(primary: 0x1_0000 + v, tone: 0, upper: false)
    }

    /// Skipped by the sort: format characters, combining marks, default-ignorable code points.
    static func isIgnorable(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.value < 0x80 { return false }
        let properties = scalar.properties
        return isFormat(scalar) || properties.generalCategory == .nonspacingMark
            || properties.isDefaultIgnorableCodePoint
    }

    /// The place in `alphabet` of each ASCII letter, either case.
    static let asciiLetters: [UInt32?] = (0..<128).map { v -> UInt32? in
        guard let scalar = Unicode.Scalar(UInt32(v)), (0x41...0x5A).contains(v) || (0x61...0x7A).contains(v) else {
            return nil
        }
        let lower = Unicode.Scalar(UInt32(v) | 0x20) ?? scalar
        return alphabet.firstIndex(of: lower).map { UInt32($0) }
    }

    /// The letter a combining breve (U+0306), circumflex (U+0302) or horn (U+031B) makes of the
    /// letter at `index` in `alphabet` (a + ̆ = ă, o + ̛ = ơ, …); other pairs stay as they are.
    static func modified(_ index: UInt32, by mark: UInt32) -> UInt32 {
        let pairs: [(Unicode.Scalar, UInt32, Unicode.Scalar)] = [
            ("a", 0x306, "ă"), ("a", 0x302, "â"), ("e", 0x302, "ê"),
            ("o", 0x302, "ô"), ("o", 0x31B, "ơ"), ("u", 0x31B, "ư"),
        ]
        let letter = alphabet[Int(index)]
        guard let pair = pairs.first(where: { $0.0 == letter && $0.1 == mark }),
            let result = alphabet.firstIndex(of: pair.2)
        else { return index }
        return UInt32(result)
    }
}
