/// One of the 34 provincial-level units of the two-tier model in force since 1 July 2025.
public struct Province: Hashable, Sendable, CustomStringConvertible {
    /// The statistics-office code, two digits (`19`).
    public let code: String
    /// The official name with diacritics (`Thái Nguyên`).
    public let name: String
    /// A centrally run city (thành phố trực thuộc trung ương).
    public let isCity: Bool

    public var description: String { name }

    /// The 34 units, as seeded by schema.sql (a test checks the two agree).
    public static let all: [Province] = [
        ("01", "Hà Nội", true), ("04", "Cao Bằng", false), ("08", "Tuyên Quang", false),
        ("11", "Điện Biên", false), ("12", "Lai Châu", false), ("14", "Sơn La", false),
        ("15", "Lào Cai", false), ("19", "Thái Nguyên", false), ("20", "Lạng Sơn", false),
        ("22", "Quảng Ninh", false), ("24", "Bắc Ninh", false), ("25", "Phú Thọ", false),
        ("31", "Hải Phòng", true), ("33", "Hưng Yên", false), ("37", "Ninh Bình", false),
        ("38", "Thanh Hóa", false), ("40", "Nghệ An", false), ("42", "Hà Tĩnh", false),
        ("44", "Quảng Trị", false), ("46", "Huế", true), ("48", "Đà Nẵng", true),
        ("51", "Quảng Ngãi", false), ("52", "Gia Lai", false), ("56", "Khánh Hòa", false),
        ("66", "Đắk Lắk", false), ("68", "Lâm Đồng", false), ("75", "Đồng Nai", false),
        ("79", "Thành phố Hồ Chí Minh", true), ("80", "Tây Ninh", false), ("82", "Đồng Tháp", false),
        ("86", "Vĩnh Long", false), ("91", "An Giang", false), ("92", "Cần Thơ", true),
        ("96", "Cà Mau", false),
    ].map { Province(code: $0.0, name: $0.1, isCity: $0.2) }

    /// Other names people type for a unit, already folded (see `fold`).
    static let aliases: [String: String] = [
        "hcm": "79", "hcmc": "79", "tphcm": "79", "hochiminh": "79", "hochiminhcity": "79",
        "thanhphohochiminh": "79", "saigon": "79", "tpsaigon": "79",
        "hn": "01", "hanoi": "01", "hanoicity": "01", "tphanoi": "01",
        "thuathienhue": "46", "hue": "46", "huecity": "46", "tphue": "46",
        "danang": "48", "danangcity": "48", "tpdanang": "48",
        "haiphong": "31", "haiphongcity": "31", "tphaiphong": "31",
        "cantho": "92", "canthocity": "92", "tpcantho": "92",
        "daklak": "66", "daclac": "66", "daclak": "66", "daklac": "66",
        "khanhhoa": "56", "thanhhoa": "38",
    ]

    /// The 63-province names merged away on 1 July 2025, with the unit each became part of.
    /// Such names are refused with a pointer to the successor: mapping old records is a later step.
    static let formerProvinces: [String: String] = [
        "hagiang": "08", "yenbai": "15", "backan": "19", "vinhphuc": "25", "hoabinh": "25",
        "bacgiang": "24", "thaibinh": "33", "haiduong": "31", "hanam": "37", "namdinh": "37",
        "quangbinh": "44", "quangnam": "48", "kontum": "51", "binhdinh": "52", "ninhthuan": "56",
        "phuyen": "66", "daknong": "68", "binhthuan": "68", "binhphuoc": "75", "binhduong": "79",
        "bariavungtau": "79", "vungtau": "79", "longan": "80", "tiengiang": "82", "bentre": "86",
        "travinh": "86", "kiengiang": "91", "soctrang": "92", "haugiang": "92", "baclieu": "96",
    ]

    static let byFoldedName: [String: Province] = {
        var map: [String: Province] = [:]
        for p in all { map[fold(p.name)] = p }
        for (alias, code) in aliases { map[alias] = byCode[code] }
        return map
    }()

    static let byCode: [String: Province] = {
        var map: [String: Province] = [:]
        for p in all { map[p.code] = p }
        return map
    }()

    /// Looks a unit up by its code (`19`, `1`) or by any spelling of its name: with or without
    /// diacritics, in any case, with `tỉnh`/`thành phố`/`TP.` prefixes or `province`/`city`
    /// suffixes, and common short forms (`HCMC`, `TP.HCM`). Unknown names are refused with the
    /// closest official names.
    public static func named(_ text: String) throws -> Province {
        let trimmed = text.trimmingSpaces()
        if !trimmed.isEmpty, trimmed.utf8.count <= 2, trimmed.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) {
            let code = trimmed.utf8.count == 1 ? "0" + trimmed : trimmed
            if let p = byCode[code] { return p }
            throw STOrdersError.unknownProvince(
                text, suggestions: [],
                note: "no unit has code \(code); codes are the statistics office's, 01 to 96")
        }
        let folded = fold(trimmed)
        for candidate in [folded] + strippedForms(folded) {
            if let p = byFoldedName[candidate] { return p }
        }
        for candidate in [folded] + strippedForms(folded) {
            if let successor = formerProvinces[candidate], let p = byCode[successor] {
                throw STOrdersError.unknownProvince(
                    text, suggestions: [p.name],
                    note: "it is a former province, merged into \(p.name) (\(p.code)) on 1 July 2025")
            }
        }
        throw STOrdersError.unknownProvince(text, suggestions: suggestions(for: folded), note: nil)
    }

    /// The closest official names to a folded input, by edit distance.
    static func suggestions(for folded: String) -> [String] {
        // No name is near a long text, and the edit distance costs its length times each name's:
        // a 1 MB argument must be refused at once, not after seconds of comparisons.
        guard !folded.isEmpty, folded.utf8.count <= 64 else { return [] }
        let scored = all.map { p -> (Int, Province) in
            let name = fold(p.name)
            var d = editDistance(folded, name)
            if name.hasPrefix(folded) || name.contains(folded) { d = min(d, 1) }
            return (d, p)
        }
        let limit = max(2, folded.count / 3)
        return scored.filter { $0.0 <= limit }.sorted { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1.code < $1.1.code) }
            .prefix(3).map { $0.1.name }
    }

    static func strippedForms(_ folded: String) -> [String] {
        var forms: [String] = []
        for prefix in ["thanhpho", "tinh", "tp", "city", "province"] where folded.hasPrefix(prefix) {
            forms.append(String(folded.dropFirst(prefix.count)))
        }
        for suffix in ["province", "city", "tinh"] where folded.hasSuffix(suffix) {
            forms.append(String(folded.dropLast(suffix.count)))
        }
        return forms.filter { !$0.isEmpty }
    }

    /// Lower-case ASCII letters and digits only: diacritics removed (đ → d), spaces,
    /// punctuation and hyphens dropped. `Thái Nguyên`, `THAI-NGUYEN` and `thai nguyen` all fold
    /// to `thainguyen`.
    public static func fold(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            if let base = baseLetter(scalar) { out.unicodeScalars.append(base) }
        }
        return out
    }

    /// The ASCII base of a Latin letter or digit, lower-cased; nil for anything else (marks,
    /// spaces, punctuation).
    static func baseLetter(_ s: Unicode.Scalar) -> Unicode.Scalar? {
        switch s.value {
        case 0x30...0x39, 0x61...0x7A: return s
        case 0x41...0x5A: return Unicode.Scalar(s.value + 32)
        default: break
        }
        if let mapped = vietnameseBase[s] { return mapped }
        return nil
    }

    /// Every precomposed Vietnamese letter mapped to its ASCII base. Combining marks
    /// (U+0300…U+036F), as in decomposed input, are simply dropped by `baseLetter`.
    static let vietnameseBase: [Unicode.Scalar: Unicode.Scalar] = {
        let groups: [(Unicode.Scalar, String)] = [
            ("a", "àáảãạăằắẳẵặâầấẩẫậÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬ"),
            ("e", "èéẻẽẹêềếểễệÈÉẺẼẸÊỀẾỂỄỆ"),
            ("i", "ìíỉĩịÌÍỈĨỊ"),
            ("o", "òóỏõọôồốổỗộơờớởỡợÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢ"),
            ("u", "ùúủũụưừứửữựÙÚỦŨỤƯỪỨỬỮỰ"),
            ("y", "ỳýỷỹỵỲÝỶỸỴ"),
            ("d", "đĐ"),
        ]
        var map: [Unicode.Scalar: Unicode.Scalar] = [:]
        for (base, letters) in groups {
            for scalar in letters.unicodeScalars { map[scalar] = base }
        }
        return map
    }()

    static func editDistance(_ a: String, _ b: String) -> Int {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var previous = Array(0...y.count)
        var current = [Int](repeating: 0, count: y.count + 1)
        for i in 1...x.count {
            current[0] = i
            for j in 1...y.count {
                let cost = x[i - 1] == y[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            }
            swap(&previous, &current)
        }
        return previous[y.count]
    }
}
