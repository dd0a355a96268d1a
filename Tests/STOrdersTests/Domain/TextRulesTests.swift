import Foundation
import GRDB
import Testing

@testable import STOrders

/// Issue 10 §5: text people cannot see, or that looks the same.
@Suite("text rules")
struct TextRulesTests {
    static let empty = "it is empty; expected some text"

    /// Nothing visible: zero-width characters, other format characters, no-break and other
    /// Unicode spaces, line and paragraph separators, Hangul filler.
    static let invisible = [
        "\u{200B}", "\u{200C}\u{200D}", "\u{2060}", "\u{FEFF}", "\u{00AD}", "\u{180E}", "\u{00A0}",
        "\u{2007}\u{202F}", "\u{3000}", "\u{2003}\u{2009}\u{205F}", "\u{2028}\u{2029}", " \u{200B} \u{00A0} ",
        "\u{3164}", "\u{200B}\u{FE0F}",
    ]

    @Test(arguments: invisible)
    func textWithNothingVisibleIsEmpty(_ text: String) throws {
        for what in ["order title", "enterprise name", "output title", "reason"] {
            #expect(throws: STOrdersError.invalidText(what: what, reason: Self.empty)) {
                try Text.validate(text, what: what)
            }
        }
        #expect(try Text.validateOptional(text, what: "note") == nil)
        #expect(Text.isBlank(text))
    }

    @Test func invisibleTextIsRefusedInEveryRequiredFieldOfTheStoreAndChangesNothing() throws {
        let f = try Fixture()
        let code = try f.ordered()
        let blank = "\u{200B}\u{00A0}\u{3000}"
        func empty(_ what: String) -> (STOrdersError) -> Bool {
            { $0 == .invalidText(what: what, reason: Self.empty) }
        }
        try f.expectRefusal(empty("enterprise name")) {
            try f.store.addEnterprise(
                name: blank, taxCode: try TaxCode(parsing: taxCode(101)),
                province: try Province.named("Huế"), on: try day("2025-01-03"))
        }
        try f.expectRefusal(empty("order title")) {
            try f.store.registerOrder(
                enterprise: f.enterprise, title: blank, field: .science, on: try day("2025-03-10"))
        }
        try f.expectRefusal(empty("output title")) {
            try f.store.addOutput(
                order: code, NewOutput(title: "\u{FEFF}\u{2060}", type: .model, novelty: .new, value: 1),
                on: try day("2025-03-11"))
        }
        try f.expectRefusal(empty("reason")) {
            try f.store.cancel(order: code, reason: "\u{2028}\u{200D}", on: try day("2025-05-01"))
        }
    }

    @Test func invisibleCharactersAtEitherEndAreTrimmedLikeSpaces() throws {
        #expect(
            try Text.validate("\u{00A0}\u{200B}Công ty Mặt Trời\u{3000}\u{FEFF}", what: "enterprise name")
                == "Công ty Mặt Trời")
        let f = try Fixture()
        let order = try f.store.registerOrder(
            enterprise: f.enterprise, title: "\u{2060}Nhiệm vụ A\u{202F}", field: .science,
            on: try day("2025-03-10"))
        #expect(order.title == "Nhiệm vụ A")
        #expect(
            try f.store.writer.read { db in try String.fetchOne(db, sql: "SELECT title FROM orders") } == "Nhiệm vụ A")
    }

    static let bidi: [Unicode.Scalar] = [
        "\u{202A}", "\u{202B}", "\u{202C}", "\u{202D}", "\u{202E}", "\u{2066}", "\u{2067}",
        "\u{2068}", "\u{2069}", "\u{200E}", "\u{200F}", "\u{061C}",
    ]

    @Test(arguments: bidi)
    func bidirectionalControlsAreRefusedWithTheirPosition(_ control: Unicode.Scalar) throws {
        let hex = String(control.value, radix: 16, uppercase: true)
        let hex4 = String(repeating: "0", count: 4 - hex.count) + hex
        // "Hoá đơn " is 8 code points (á precomposed): the control is the 9th.
        #expect(
            throws: STOrdersError.invalidText(
                what: "order title",
                reason:
                    "it contains the invisible bidirectional control U+\(hex4) at position 9"
                    + " (counting code points); expected visible text"
            )
        ) {
            try Text.validate("Hoá đơn \(control)fdp.exe", what: "order title")
        }
        // Not trimmed at an end either: a leading override would reverse the whole text.
        #expect(
            throws: STOrdersError.invalidText(
                what: "reason",
                reason:
                    "it contains the invisible bidirectional control U+\(hex4) at position 1"
                    + " (counting code points); expected visible text"
            )
        ) {
            try Text.validate("\(control)exe.fdp", what: "reason")
        }
    }

    @Test func otherFormatCharactersInsideTextAreRefused() throws {
        #expect(
            throws: STOrdersError.invalidText(
                what: "enterprise name",
                reason:
                    "it contains the invisible format character U+200B at position 5"
                    + " (counting code points); expected visible text"
            )
        ) {
            try Text.validate("Công\u{200B} ty", what: "enterprise name")
        }
        #expect(
            throws: STOrdersError.invalidText(
                what: "order title",
                reason:
                    "it contains the invisible format character U+200D at position 2"
                    + " (counting code points); expected visible text"
            )
        ) {
            try Text.validate("a\u{200D}b", what: "order title")
        }
        #expect(
            throws: STOrdersError.invalidText(
                what: "order title",
                reason:
                    "it contains the invisible format character U+00AD at position 3"
                    + " (counting code points); expected visible text"
            )
        ) {
            try Text.validate("Hà\u{00AD}Nội", what: "order title")
        }
        let f = try Fixture()
        try f.expectRefusal({ if case .invalidText(what: "order title", _) = $0 { return true } else { return false } })
        {
            try f.store.registerOrder(
                enterprise: f.enterprise, title: "Nhiệm vụ \u{202E}gnp.exe", field: .science,
                on: try day("2025-03-10"))
        }
    }

    /// A zero-width joiner is part of an emoji ZWJ sequence (one character on screen): kept there.
    @Test func zeroWidthJoinerInsideAnEmojiIsKept() throws {
        for text in ["Nhóm 👩‍💻 lập trình", "Cờ 🏳️‍🌈", "Gia đình 👨‍👩‍👧‍👦", "Thợ 👷🏽‍♀️ xây"] {
            #expect(try Text.validate(text, what: "order title").utf8.elementsEqual(text.utf8))
        }
    }

    static let composed = "Công ty Cổ phần Đổi mới Sáng tạo"

    @Test func decomposedAndComposedVietnameseAreStoredAsTheSameBytes() throws {
        let decomposed = Self.composed.decomposedStringWithCanonicalMapping
        #expect(!decomposed.utf8.elementsEqual(Self.composed.utf8))  // the input really differs in bytes
        #expect(Array(try Text.validate(decomposed, what: "enterprise name").utf8) == Array(Self.composed.utf8))
        // Marks typed in another order (dot below before circumflex) are the same letter too.
        #expect(Array(try Text.validate("Nghe\u{323}\u{302} An", what: "order title").utf8) == Array("Nghệ An".utf8))
        let f = try Fixture()
        let a = try f.store.addEnterprise(
            name: decomposed, taxCode: try TaxCode(parsing: taxCode(101)),
            province: try Province.named("Đà Nẵng"), on: try day("2025-01-03"))
        let b = try f.store.addEnterprise(
            name: Self.composed, taxCode: try TaxCode(parsing: taxCode(102)),
            province: try Province.named("Đà Nẵng"), on: try day("2025-01-03"))
        #expect(Array(a.name.utf8) == Array(b.name.utf8))
        for title in [decomposed, Self.composed] {
            try f.store.registerOrder(
                enterprise: f.enterprise, title: title, field: .science, on: try day("2025-03-10"))
        }
        let stored = try f.store.writer.read { db in
            (
                try String.fetchAll(
                    db, sql: "SELECT DISTINCT hex(name) FROM enterprises WHERE tax_code IN (?, ?)",
                    arguments: [taxCode(101), taxCode(102)]),
                try String.fetchAll(db, sql: "SELECT DISTINCT hex(title) FROM orders")
            )
        }
        let hex = Self.composed.utf8.map { String(format: "%02X", $0) }.joined()
        #expect(stored.0 == [hex])
        #expect(stored.1 == [hex])
    }

    @Test func aCSVImportStoresNFC() throws {
        let files = try TempFiles()
        defer { files.remove() }
        let decomposed = Self.composed.decomposedStringWithCanonicalMapping
        let store = try Store.inMemory()
        let path = try files.write(
            "e.csv", "tax_code,name,province,registered_on\n\(taxCode(101)),\(decomposed),Huế,2025-01-02\n")
        #expect(try store.importEnterprises(file: path).enterprises == 1)
        let name = try store.enterprise(taxCode: try TaxCode(parsing: taxCode(101))).name
        #expect(Array(name.utf8) == Array(Self.composed.utf8))
    }

    /// A dump is restored byte for byte (the history's hashes cover the stored bytes): text an
    /// older version stored decomposed stays decomposed.
    @Test func restoredTextKeepsItsBytes() throws {
        let decomposed = Self.composed.decomposedStringWithCanonicalMapping
        #expect(Array(try Text.validateRestored(decomposed, what: "enterprise name").utf8) == Array(decomposed.utf8))
        #expect(throws: STOrdersError.invalidText(what: "order title", reason: Self.empty)) {
            try Text.validateRestored("  ", what: "order title")
        }
    }

    // MARK: Collation

    @Test func theSortKeyFollowsTheVietnameseAlphabet() {
        func before(_ a: String, _ b: String) -> Bool {
            Text.sortKey(a).lexicographicallyPrecedes(Text.sortKey(b)) && Text.collationOrder(a, b) == -1
                && Text.collationOrder(b, a) == 1
        }
        #expect(before("Dung", "Đà Nẵng"))
        #expect(before("Đà Nẵng", "Ea"))
        #expect(before("Az", "Ă"))
        #expect(before("Ăn", "Âm"))
        #expect(before("Ơn", "Pa"))
        #expect(before("Uy", "Ưa"))
        #expect(before("Ôn", "Ơn"))
        #expect(before("an", "Ăn"))  // case is ignored before the letters are compared
        #expect(before("Hà Nội", "Hải Phòng"))  // a space sorts before a letter
        #expect(before("Khu 2", "Khu A"))  // digits before letters
        // Tones after the letters, in dictionary order; lower case before upper case last.
        let tones = ["ma", "mà", "mả", "mã", "má", "mạ"]
        for (a, b) in zip(tones, tones.dropFirst()) { #expect(before(a, b), "\(a) < \(b)") }
        #expect(before("ma", "Ma") && before("Ma", "mà") && before("mà", "Mà"))
        #expect(before("mạ", "mac"))  // tones never outweigh a letter
        // Decomposed and composed spellings have the same letters and tones.
        let decomposed = "Đà Nẵng".decomposedStringWithCanonicalMapping
        let key = Text.sortKey(decomposed)
        let composedKey = Text.sortKey("Đà Nẵng")
        let letters = { (k: [UInt32]) in Array(k.prefix(while: { $0 != 0 })) }
        #expect(letters(key) == letters(composedKey))
        #expect(before("Dung", decomposed) && before(decomposed, "Ea"))
        #expect(Text.collationOrder("Huế", "Huế") == 0)
    }

    /// The comparison SQLite calls (streaming, stopping early) is the order of the sort keys.
    @Test func theComparisonIsTheSortKeysOrder() {
        let texts = [
            "", " ", "a", "A", "à", "À", "a\u{300}", "ă", "a\u{306}\u{301}", "ắ", "Ắ", "ab", "a b", "a-b", "a1", "1a",
            "Đà Nẵng", "Đa\u{300} Na\u{306}\u{303}ng", "Dung", "ĐÀ NẴNG", "đà nẵng", "Ea", "Ơn", "O\u{31B}n", "ư",
            "u\u{31B}",
            "株式会社", "Zoo", "z", "a\u{200B}b", "ab\u{300}", "\u{300}a", "Nghệ", "Nghe\u{323}\u{302}", "Nghê\u{323}",
        ]
        for a in texts {
            for b in texts {
                let x = Text.sortKey(a)
                let y = Text.sortKey(b)
                let byKey = x.lexicographicallyPrecedes(y) ? -1 : y.lexicographicallyPrecedes(x) ? 1 : 0
                #expect(Text.collationOrder(a, b) == byKey, "\(a.debugDescription) vs \(b.debugDescription)")
                let p = Text.sortKeyBytes(a)
                let q = Text.sortKeyBytes(b)
                let byBytes = p.lexicographicallyPrecedes(q) ? -1 : q.lexicographicallyPrecedes(p) ? 1 : 0
                #expect(byBytes == byKey, "\(a.debugDescription) vs \(b.debugDescription) as bytes")
            }
        }
    }

    @Test func enterpriseListsSortInVietnameseOrderInSQL() throws {
        let store = try Store.inMemory()
        let names = [
            "Ea Súp", "Đà Nẵng Xanh", "Dung Quất", "ăn sạch", "Az Tech", "Ăn Ngon", "Bạc Liêu", "Bắc Hà", "Ba Vì",
        ]
        for (i, name) in names.enumerated() {
            try store.addEnterprise(
                name: name, taxCode: try TaxCode(parsing: taxCode(i + 1)),
                province: try Province.named("Huế"), on: try day("2025-01-02"))
        }
        var listed: [String] = []
        try store.forEachEnterprise { listed.append($0.name) }
        #expect(
            listed == [
                "Az Tech", "Ăn Ngon", "ăn sạch", "Ba Vì", "Bạc Liêu", "Bắc Hà", "Dung Quất", "Đà Nẵng Xanh", "Ea Súp",
            ])
        #expect(listed != names.sorted())  // bytes would sort otherwise
        // The collation and the key function registered on the connection give the same order.
        let (collated, keyed) = try store.writer.read { db in
            (
                try String.fetchAll(db, sql: "SELECT name FROM enterprises ORDER BY name COLLATE vietnamese"),
                try String.fetchAll(db, sql: "SELECT name FROM enterprises ORDER BY vietnamese_key(name)")
            )
        }
        #expect(collated == listed && keyed == listed)
    }

    /// The collation lives on the store's connections, not in the file: sqlite3 (a connection
    /// without it) still opens, checks and reads the database.
    @Test func theFileOpensWithoutTheCollation() throws {
        #expect(!Store.schemaSQL.lowercased().contains("vietnamese"))
        let temp = try TempStore(demo: false)
        defer { temp.cleanUp() }
        try temp.store.addEnterprise(
            name: "Đà Nẵng Xanh", taxCode: try TaxCode(parsing: taxCode(1)),
            province: try Province.named("Huế"), on: try day("2025-01-02"))
        let queue = try temp.raw()
        defer { try? queue.close() }
        let (check, names) = try queue.read { db in
            (
                try String.fetchOne(db, sql: "PRAGMA integrity_check"),
                try String.fetchAll(db, sql: "SELECT name FROM enterprises ORDER BY name")
            )
        }
        #expect(check == "ok")
        #expect(names == ["Đà Nẵng Xanh"])
    }

    @Test func theProvincesReportSortsByVietnameseName() throws {
        let f = try Fixture()
        let rows = try f.store.provinceIndicators(year: 2025, sort: .province)
        #expect(
            rows.map(\.province.name) == [
                "An Giang", "Bắc Ninh", "Cà Mau", "Cao Bằng", "Cần Thơ", "Đà Nẵng", "Đắk Lắk", "Điện Biên", "Đồng Nai",
                "Đồng Tháp",
                "Gia Lai", "Hà Nội", "Hà Tĩnh", "Hải Phòng", "Huế", "Hưng Yên", "Khánh Hòa", "Lai Châu", "Lạng Sơn",
                "Lào Cai",
                "Lâm Đồng", "Nghệ An", "Ninh Bình", "Phú Thọ", "Quảng Ngãi", "Quảng Ninh", "Quảng Trị", "Sơn La",
                "Tây Ninh",
                "Thái Nguyên", "Thanh Hóa", "Thành phố Hồ Chí Minh", "Tuyên Quang", "Vĩnh Long",
            ])
        let descending = try f.store.provinceIndicators(year: 2025, sort: .province, descending: true)
        #expect(descending.map(\.province.name).first == "Vĩnh Long")
    }

    // MARK: Escaping

    @Test func errorLinesEscapeInvisibleCharacters() {
        #expect(Text.oneLine("a\u{202E}b\u{200B}c\nd") == "a\\u{202E}b\\u{200B}c\\nd")
        #expect(Text.oneLine("Nhóm 👩‍💻") == "Nhóm 👩‍💻")
        #expect(Text.escapingInvisible("x\u{2066}y\tz", controls: false) == "x\\u{2066}y\tz")
        #expect(Text.escapingInvisible("Công ty Đổi mới", controls: false) == "Công ty Đổi mới")
    }

    /// Valid tax codes (MST) that differ by `n`.
    func taxCode(_ n: Int) -> String {
        let weights = [31, 29, 23, 19, 17, 13, 7, 5, 3]
        var candidate = 10_000_000 + n * 7
        while true {
            let nine = String(format: "%09d", candidate).compactMap { $0.wholeNumberValue }
            let s = zip(nine, weights).map(*).reduce(0, +) % 11
            if s != 0 { return nine.map(String.init).joined() + String(10 - s) }
            candidate += 1
        }
    }
}
