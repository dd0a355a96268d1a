import Testing

@testable import STOrders

/// The roles' rights, every role × every capability × an order in and out of scope, against a
/// table written out by hand (from docs: the README's roles table), not computed by the policy.
@Suite struct AccessTests {
    static let thaiNguyen = Province.all.first { $0.code == "19" }
    static let daNang = Province.all.first { $0.code == "48" }
    static let e1 = try? TaxCode(parsing: "0100233488")  // the enterprise account's own
    static let e2 = try? TaxCode(parsing: "0312345673")  // another, also in Thái Nguyên (orders A-C)
    static let e3 = try? TaxCode(parsing: "4812152807")  // another, in Đà Nẵng

    /// The accounts of the table: each role, an auditor of each kind, and a disabled officer.
    static func account(_ name: String) -> Account {
        func make(_ role: Role, _ enterprise: TaxCode?, _ province: Province?, disabled: Bool = false) -> Account {
            Account(
                id: 1, login: name, role: role, enterprise: enterprise, province: province, disabled: disabled,
                createdAt: "2026-01-01T00:00:00Z")
        }
        switch name {
        case "enterprise": return make(.enterprise, e1, nil)
        case "officer": return make(.officer, nil, thaiNguyen)
        case "auditor": return make(.auditor, nil, thaiNguyen)
        case "national": return make(.auditor, nil, nil)
        case "admin": return make(.admin, nil, nil)
        default: return make(.officer, nil, thaiNguyen, disabled: true)  // "disabled"
        }
    }

    /// A: the enterprise's own order, ordered; B: its own, funded; C: another enterprise's in
    /// the same province; D: another province's.
    static func order(_ name: String) -> OrderScope? {
        guard let thaiNguyen, let daNang, let e1, let e2, let e3 else { return nil }
        switch name {
        case "A": return OrderScope(province: thaiNguyen, enterprise: e1, state: .ordered)
        case "B": return OrderScope(province: thaiNguyen, enterprise: e1, state: .funded)
        case "C": return OrderScope(province: thaiNguyen, enterprise: e2, state: .ordered)
        default: return OrderScope(province: daNang, enterprise: e3, state: .ordered)
        }
    }

    /// One letter per capability, in `Capability.allCases` order:
    /// readOrders registerOrder addOutput fund accept pay reverse commercialize retract cancel |
    /// readEnterprises addEnterprise readReports setTarget verify export manageAccounts readAudit |
    /// amend requestAmendment decideAmendment | requestPayment decidePaymentRequest attachDocument |
    /// advance setAdvanceLimit.
    /// A allowed, F forbidden, N not found.
    static let orderTable: [(account: String, order: String, expected: String)] = [
        ("enterprise", "A", "AAAFFFFAFA" + "FFFFFFFF" + "FAF" + "AFA" + "FF"),
        // funded: no more outputs, no withdrawal
        ("enterprise", "B", "AAFFFFFAFF" + "FFFFFFFF" + "FAF" + "AFA" + "FF"),
        ("enterprise", "C", "NNNNNNNNNN" + "NNNNNNNN" + "NNN" + "NNN" + "NN"),
        ("enterprise", "D", "NNNNNNNNNN" + "NNNNNNNN" + "NNN" + "NNN" + "NN"),
        ("officer", "A", "AAAAAAAAAA" + "FFFFFFFF" + "AFA" + "FAA" + "AF"),
        ("officer", "B", "AAAAAAAAAA" + "FFFFFFFF" + "AFA" + "FAA" + "AF"),
        ("officer", "C", "AAAAAAAAAA" + "FFFFFFFF" + "AFA" + "FAA" + "AF"),
        ("officer", "D", "NNNNNNNNNN" + "NNNNNNNN" + "NNN" + "NNN" + "NN"),
        ("auditor", "A", "AFFFFFFFFF" + "FFFFFFFF" + "FFF" + "FFF" + "FF"),
        ("auditor", "B", "AFFFFFFFFF" + "FFFFFFFF" + "FFF" + "FFF" + "FF"),
        ("auditor", "C", "AFFFFFFFFF" + "FFFFFFFF" + "FFF" + "FFF" + "FF"),
        ("auditor", "D", "NNNNNNNNNN" + "NNNNNNNN" + "NNN" + "NNN" + "NN"),
        ("national", "A", "AFFFFFFFFF" + "FFFFFFFF" + "FFF" + "FFF" + "FF"),
        ("national", "B", "AFFFFFFFFF" + "FFFFFFFF" + "FFF" + "FFF" + "FF"),
        ("national", "C", "AFFFFFFFFF" + "FFFFFFFF" + "FFF" + "FFF" + "FF"),
        ("national", "D", "AFFFFFFFFF" + "FFFFFFFF" + "FFF" + "FFF" + "FF"),
        ("admin", "A", "FFFFFFFFFF" + "FFFFFFFF" + "FFF" + "FFF" + "FF"),
        ("admin", "B", "FFFFFFFFFF" + "FFFFFFFF" + "FFF" + "FFF" + "FF"),
        ("admin", "C", "FFFFFFFFFF" + "FFFFFFFF" + "FFF" + "FFF" + "FF"),
        ("admin", "D", "FFFFFFFFFF" + "FFFFFFFF" + "FFF" + "FFF" + "FF"),
        ("disabled", "A", "FFFFFFFFFF" + "FFFFFFFF" + "FFF" + "FFF" + "FF"),
        ("disabled", "B", "FFFFFFFFFF" + "FFFFFFFF" + "FFF" + "FFF" + "FF"),
        ("disabled", "C", "FFFFFFFFFF" + "FFFFFFFF" + "FFF" + "FFF" + "FF"),
        ("disabled", "D", "FFFFFFFFFF" + "FFFFFFFF" + "FFF" + "FFF" + "FF"),
    ]

    /// The same letters for `access(_:)`, asked without an order.
    static let plainTable: [(account: String, expected: String)] = [
        ("enterprise", "AAAFFFFAFA" + "AFFFFFFF" + "FAF" + "AFA" + "FF"),
        ("officer", "AAAAAAAAAA" + "AAAAFFFF" + "AFA" + "FAA" + "AF"),
        ("auditor", "AFFFFFFFFF" + "AFAFFFFF" + "FFF" + "FFF" + "FF"),
        ("national", "AFFFFFFFFF" + "AFAFAAFF" + "FFF" + "FFF" + "FF"),
        ("admin", "FFFFFFFFFF" + "AAAAAAAA" + "FFF" + "FFF" + "FA"),
        ("disabled", "FFFFFFFFFF" + "FFFFFFFF" + "FFF" + "FFF" + "FF"),
    ]

    static func letter(_ access: Access) -> Character {
        switch access {
        case .allowed: return "A"
        case .forbidden: return "F"
        case .notFound: return "N"
        }
    }

    static let cases: [(account: String, order: String, capability: Capability, expected: Character)] =
        orderTable.flatMap { row in
            zip(Capability.allCases, row.expected).map { (row.account, row.order, $0, $1) }
        }

    @Test func theTablesCoverEveryRoleCapabilityAndScope() {
        #expect(Capability.allCases.count == 26)
        #expect(Self.orderTable.allSatisfy { $0.expected.count == 26 })
        #expect(Self.plainTable.allSatisfy { $0.expected.count == 26 })
        #expect(Set(Self.orderTable.map(\.account)) == Set(Self.plainTable.map(\.account)))
        #expect(Set(Self.orderTable.map { Self.account($0.account).role }) == Set(Role.allCases))
        #expect(Self.cases.count == 6 * 4 * 26)
    }

    @Test(arguments: cases)
    func orderAccess(_ row: (account: String, order: String, capability: Capability, expected: Character)) throws {
        let order = try #require(Self.order(row.order))
        let got = Self.letter(Self.account(row.account).access(row.capability, order: order))
        #expect(got == row.expected, "\(row.account) \(row.capability) on order \(row.order)")
    }

    @Test(arguments: plainTable.flatMap { row in zip(Capability.allCases, row.expected).map { (row.account, $0, $1) } })
    func plainAccess(_ row: (account: String, capability: Capability, expected: Character)) {
        let got = Self.letter(Self.account(row.account).access(row.capability))
        #expect(got == row.expected, "\(row.account) \(row.capability)")
    }

    /// Targets of Thái Nguyên, of Đà Nẵng, and national (nil); enterprise records e1 (own, Thái
    /// Nguyên), e2 (Thái Nguyên), e3 (Đà Nẵng); adding an enterprise in Thái Nguyên, Đà Nẵng.
    static let otherTable: [(account: String, targets: String, enterprises: String, adds: String)] = [
        ("enterprise", "FFF", "ANN", "FF"),
        ("officer", "AFF", "AAN", "AF"),
        ("auditor", "FFF", "AAN", "FF"),
        ("national", "FFF", "AAA", "FF"),
        ("admin", "FFA", "AAA", "AA"),
        ("disabled", "FFF", "FFF", "FF"),
    ]

    @Test(arguments: otherTable)
    func targetsEnterprisesAndAdding(_ row: (account: String, targets: String, enterprises: String, adds: String))
        throws
    {
        let account = Self.account(row.account)
        let tn = try #require(Self.thaiNguyen)
        let dn = try #require(Self.daNang)
        let targets = [tn, dn, nil].map { Self.letter(account.access(setTargetFor: $0)) }
        #expect(String(targets) == row.targets, "\(row.account) targets")
        let records = [(Self.e1, tn), (Self.e2, tn), (Self.e3, dn)].map { code, province in
            code.map { Self.letter(account.access(enterprise: $0, province: province)) } ?? "?"
        }
        #expect(String(records) == row.enterprises, "\(row.account) enterprise records")
        let adds = [tn, dn].map { Self.letter(account.access(addEnterpriseIn: $0)) }
        #expect(String(adds) == row.adds, "\(row.account) adding enterprises")
    }

    @Test func listsAreFilteredByTheAccountsScope() {
        #expect(Self.account("enterprise").provinceScope == nil)
        #expect(Self.account("enterprise").enterpriseScope == Self.e1)
        #expect(Self.account("officer").provinceScope == Self.thaiNguyen)
        #expect(Self.account("officer").enterpriseScope == nil)
        #expect(Self.account("auditor").provinceScope == Self.thaiNguyen)
        #expect(Self.account("national").provinceScope == nil)
        #expect(Self.account("admin").provinceScope == nil && Self.account("admin").enterpriseScope == nil)
    }

    /// An account made by hand without the binding its role needs is refused everything
    /// rather than given an unbounded scope (an officer without a province is not national).
    @Test func anUnboundAccountIsRefusedEverything() throws {
        let order = try #require(Self.order("A"))
        for (role, enterprise, province) in [
            (Role.officer, Self.e1, Province?.none), (.enterprise, nil, Self.thaiNguyen), (.admin, Self.e1, nil),
        ] {
            let account = Account(
                id: 9, login: "lac-loai", role: role, enterprise: enterprise, province: province, disabled: false,
                createdAt: "2026-01-01T00:00:00Z")
            for capability in Capability.allCases {
                #expect(account.access(capability) == .forbidden)
                #expect(account.access(capability, order: order) == .forbidden)
            }
            #expect(account.access(setTargetFor: nil) == .forbidden)
        }
    }

    @Test(arguments: [
        ("ab", false), ("abc", true), ("nguyen.van-an_2", true), ("Nguyen", false), ("nguyễn", false),
        ("a b c", false), (String(repeating: "a", count: 64), true), (String(repeating: "a", count: 65), false),
        ("", false), ("kế-toán", false),
    ])
    func loginRules(_ login: String, _ valid: Bool) {
        #expect(((try? Account.parseLogin(login)) != nil) == valid, "\(login)")
    }

    @Test func passwordRules() throws {
        #expect(throws: STOrdersError.invalidPassword(reason: "it has 9 characters; a password has at least 10")) {
            try Account.checkPassword("ngắn-quá!")
        }
        try Account.checkPassword("mật-khẩu-đủ-dài")  // 15 characters, 22 bytes
        try Account.checkPassword(String(repeating: "a", count: 72))
        #expect(
            throws: STOrdersError.invalidPassword(
                reason: "it is 73 bytes long in UTF-8; a password has at most 72 bytes (bcrypt's limit)")
        ) { try Account.checkPassword(String(repeating: "a", count: 73)) }
        // 25 characters of 3 bytes each: 75 bytes, refused whatever the character count.
        #expect(throws: STOrdersError.self) { try Account.checkPassword(String(repeating: "ệ", count: 25)) }
        #expect(
            throws: STOrdersError.invalidPassword(reason: "it holds a control character (a line break, tab or NUL)")
        ) { try Account.checkPassword("mật khẩu\u{0}dài hơn") }
    }

    @Test func bindingRules() throws {
        let e1 = try #require(Self.e1)
        let tn = try #require(Self.thaiNguyen)
        try Account.checkBinding(role: .enterprise, enterprise: e1, province: nil)
        try Account.checkBinding(role: .officer, enterprise: nil, province: tn)
        try Account.checkBinding(role: .auditor, enterprise: nil, province: tn)
        try Account.checkBinding(role: .auditor, enterprise: nil, province: nil)
        try Account.checkBinding(role: .admin, enterprise: nil, province: nil)
        for (role, enterprise, province) in [
            (Role.enterprise, TaxCode?.none, Province?.none), (.enterprise, e1, tn), (.officer, nil, nil),
            (.officer, e1, tn), (.auditor, e1, nil), (.admin, nil, tn), (.admin, e1, nil),
        ] {
            #expect(throws: STOrdersError.self) {
                try Account.checkBinding(role: role, enterprise: enterprise, province: province)
            }
            do {
                try Account.checkBinding(role: role, enterprise: enterprise, province: province)
            } catch let error as STOrdersError {
                #expect(error.code == "account_binding")
            }
        }
    }
}

/// A list's filters narrowed to the caller's scope: kept inside it, nothing outside it.
@Suite("List scope")
struct ListScopeTests {
    @Test func filtersAreNarrowedToTheScopeAndAFilterOutsideItMatchesNothing() throws {
        let thaiNguyen = try Province.named("Thái Nguyên")
        let hanoi = try Province.named("Hà Nội")
        let own = try TaxCode(parsing: "4601234560")
        let other = try TaxCode(parsing: "0100233488")
        let officer = Account(
            id: 1, login: "can-bo.tn", role: .officer, enterprise: nil, province: thaiNguyen, disabled: false,
            createdAt: "2026-01-01T00:00:00Z")
        let enterprise = Account(
            id: 2, login: "dn", role: .enterprise, enterprise: own, province: nil, disabled: false,
            createdAt: "2026-01-01T00:00:00Z")
        let national = Account(
            id: 3, login: "kiem-toan", role: .auditor, enterprise: nil, province: nil, disabled: false,
            createdAt: "2026-01-01T00:00:00Z")
        #expect(officer.scoped(province: nil, enterprise: other)! == (thaiNguyen, other))
        #expect(officer.scoped(province: thaiNguyen, enterprise: nil)! == (thaiNguyen, nil))
        #expect(officer.scoped(province: hanoi, enterprise: nil) == nil)
        #expect(enterprise.scoped(province: nil, enterprise: nil)! == (nil, own))
        #expect(enterprise.scoped(province: hanoi, enterprise: own)! == (hanoi, own))
        #expect(enterprise.scoped(province: nil, enterprise: other) == nil)
        #expect(national.scoped(province: hanoi, enterprise: nil)! == (hanoi, nil))
    }
}
