import Foundation
import GRDB
import Testing

@testable import STOrders

/// Accounts, passwords, sessions, API tokens and the audit log, in a temporary file with the
/// demo (its enterprises exist). bcrypt runs at cost 4 except where the default is the point.
@Suite struct AccountStoreTests {
    static let admin = "quản trị"  // the actor at the terminal ($STORDERS_ACTOR)
    static let password = "mật-khẩu-đủ-dài-1"
    static let thaiNguyen = Province.all.first { $0.code == "19" }

    func officer(_ t: TempStore, _ login: String = "can-bo.tn") throws -> Account {
        try t.store.addAccount(
            NewAccount(login: login, role: .officer, province: try #require(Self.thaiNguyen)),
            password: Self.password, cost: 4, by: Self.admin)
    }

    func expectRefused(_ t: TempStore, _ code: String, _ body: () throws -> Void) throws {
        let before = try t.fingerprint()
        do {
            try body()
            Issue.record("expected \(code), nothing was refused")
        } catch let error as STOrdersError {
            #expect(error.code == code, "\(error)")
        }
        #expect(try t.fingerprint() == before, "a refusal changed the file")
    }

    @Test func eachRoleIsCreatedWithItsBindingAndAudited() throws {
        let t = try TempStore()
        defer { t.cleanUp() }
        let tn = try #require(Self.thaiNguyen)
        let e = try TaxCode(parsing: "0100233488")
        let made = [
            try t.store.addAccount(
                NewAccount(login: "dn.thanglong", role: .enterprise, enterprise: e), password: Self.password, cost: 4,
                by: Self.admin),
            try officer(t),
            try t.store.addAccount(
                NewAccount(login: "kiem-toan.tn", role: .auditor, province: tn), password: Self.password, cost: 4,
                by: Self.admin),
            try t.store.addAccount(
                NewAccount(login: "kiem-toan", role: .auditor), password: Self.password, cost: 4, by: Self.admin),
            try t.store.addAccount(
                NewAccount(login: "admin", role: .admin), password: Self.password, cost: 4, by: Self.admin),
        ]
        #expect(made.map(\.role) == [.enterprise, .officer, .auditor, .auditor, .admin])
        #expect(made[0].enterprise == e && made[0].province == nil)
        #expect(made[1].province == tn && made[2].province == tn && made[3].province == nil)
        #expect(made.allSatisfy { !$0.disabled && $0.createdAt.hasSuffix("Z") && $0.createdAt.count == 20 })
        #expect(
            try t.store.accounts().map(\.login) == ["admin", "can-bo.tn", "dn.thanglong", "kiem-toan", "kiem-toan.tn"])
        #expect(try t.store.account(login: "can-bo.tn") == made[1])
        let log = try t.store.auditLog()
        #expect(log.map(\.event) == Array(repeating: "account_created", count: 5))
        #expect(log.map(\.login) == ["admin", "kiem-toan", "kiem-toan.tn", "can-bo.tn", "dn.thanglong"])
        #expect(log.allSatisfy { $0.actor == Self.admin })
        #expect(
            log.map(\.detail) == [
                "admin", "auditor, national", "auditor of 19 Thái Nguyên", "officer of 19 Thái Nguyên",
                "enterprise 0100233488",
            ])
        // The password is nowhere in the file; the hash is bcrypt's, at the cost asked for.
        let hashes = try t.raw().read { db in try String.fetchAll(db, sql: "SELECT password_hash FROM accounts") }
        #expect(hashes.allSatisfy { $0.hasPrefix("$2b$04$") && $0.count == 60 })
        #expect(!(try t.fingerprint()).contains(Self.password))
    }

    @Test func theDefaultCostIs12() throws {
        let t = try TempStore(demo: false)
        defer { t.cleanUp() }
        try t.store.addAccount(NewAccount(login: "admin", role: .admin), password: Self.password, by: Self.admin)
        let hash = try t.raw().read { db in try String.fetchOne(db, sql: "SELECT password_hash FROM accounts") }
        #expect(hash?.hasPrefix("$2b$12$") == true || hash?.hasPrefix("$2a$12$") == true)
        #expect(try t.store.authenticate(login: "admin", password: Self.password, address: nil).login == "admin")
    }

    @Test func refusalsNameTheirErrorAndChangeNothing() throws {
        let t = try TempStore()
        defer { t.cleanUp() }
        _ = try officer(t)
        let tn = try #require(Self.thaiNguyen)
        try expectRefused(t, "duplicate_login") { _ = try officer(t) }
        try expectRefused(t, "invalid_login") {
            _ = try t.store.addAccount(
                NewAccount(login: "Cán-bộ", role: .admin), password: Self.password, cost: 4, by: Self.admin)
        }
        try expectRefused(t, "invalid_password") {
            _ = try t.store.addAccount(
                NewAccount(login: "ngan", role: .admin), password: "ngắn", cost: 4, by: Self.admin)
        }
        try expectRefused(t, "account_binding") {
            _ = try t.store.addAccount(
                NewAccount(login: "can-bo2", role: .officer), password: Self.password, cost: 4, by: Self.admin)
        }
        try expectRefused(t, "account_binding") {
            _ = try t.store.addAccount(
                NewAccount(login: "dn.moi", role: .enterprise, province: tn), password: Self.password, cost: 4,
                by: Self.admin)
        }
        // A valid tax code that no enterprise of the file has.
        try expectRefused(t, "unknown_enterprise") {
            _ = try t.store.addAccount(
                NewAccount(login: "dn.moi", role: .enterprise, enterprise: try TaxCode(parsing: "0101243150")),
                password: Self.password, cost: 4, by: Self.admin)
        }
        try expectRefused(t, "invalid_hash_cost") {
            _ = try t.store.addAccount(
                NewAccount(login: "re.cost", role: .admin), password: Self.password, cost: 3, by: Self.admin)
        }
        try expectRefused(t, "unknown_account") {
            _ = try t.store.setAccountDisabled(login: "khong-co", true, by: Self.admin)
        }
        try expectRefused(t, "unknown_account") {
            try t.store.setPassword(login: "khong-co", password: Self.password, cost: 4, by: Self.admin)
        }
        try expectRefused(t, "invalid_password") {
            try t.store.setPassword(
                login: "can-bo.tn", password: String(repeating: "x", count: 73), cost: 4, by: Self.admin)
        }
        try expectRefused(t, "account_binding") {
            _ = try t.store.setRole(
                login: "can-bo.tn", role: .enterprise, enterprise: nil, province: nil, by: Self.admin)
        }
        try expectRefused(t, "unknown_token") { _ = try t.store.revokeToken(id: 99, by: Self.admin) }
        try expectRefused(t, "unknown_account") {
            _ = try t.store.createToken(login: "khong-co", name: "máy", by: Self.admin)
        }
        try expectRefused(t, "invalid_audit_event") {
            try t.store.recordAudit("Đăng nhập", login: nil, address: nil, detail: nil, by: Self.admin)
        }
        // The schema holds the same rule against raw SQL: an officer without a province is
        // refused by a CHECK, and the same row with its province is accepted.
        let hash = "$2b$04$" + String(repeating: "a", count: 53)
        func insert(_ province: String) -> String {
            """
            INSERT INTO accounts (login, role, province_code, password_hash, created_at, updated_at)
            VALUES ('x1y', 'officer', \(province), '\(hash)', 'a', 'a')
            """
        }
        do {
            try t.tamper(insert("NULL"))
            Issue.record("an officer without a province was written")
        } catch let error as DatabaseError {
            #expect(
                error.resultCode == .SQLITE_CONSTRAINT && error.message?.contains("CHECK constraint failed") == true)
        }
        try t.tamper(insert("'19'"))
        #expect(try t.store.account(login: "x1y").province == tn)
    }

    @Test func authenticationAnswersOneWayForEveryFailureAndAuditsEachAttempt() throws {
        let t = try TempStore(demo: false)
        defer { t.cleanUp() }
        _ = try officer(t)
        #expect(
            try t.store.authenticate(login: "can-bo.tn", password: Self.password, address: "10.0.0.5").login
                == "can-bo.tn")
        let failures: [(String, String)] = [
            ("can-bo.tn", "sai-mật-khẩu-rồi"), ("khong-co", Self.password), ("CAN-BO.TN", Self.password),
            ("can-bo.tn", Self.password + "\u{0}thêm"),
            ("can-bo.tn", Self.password + String(repeating: "x", count: 80)),
        ]
        for (login, password) in failures {
            #expect(throws: STOrdersError.authenticationFailed) {
                try t.store.authenticate(login: login, password: password, address: "10.0.0.6")
            }
        }
        _ = try t.store.setAccountDisabled(login: "can-bo.tn", true, by: Self.admin)
        #expect(throws: STOrdersError.authenticationFailed) {
            try t.store.authenticate(login: "can-bo.tn", password: Self.password, address: "10.0.0.7")
        }
        #expect(STOrdersError.authenticationFailed.description == "wrong login or password")
        let log = try t.store.auditLog(limit: 8).reversed().map {
            "\($0.event) \($0.login ?? "-") \($0.address ?? "-") \($0.detail ?? "-")"
        }
        #expect(
            log == [
                "login can-bo.tn 10.0.0.5 -",
                "login_failed can-bo.tn 10.0.0.6 wrong password",
                "login_failed khong-co 10.0.0.6 unknown login",
                "login_failed - 10.0.0.6 malformed login",  // what was typed may be a password: not kept
                "login_failed can-bo.tn 10.0.0.6 wrong password",
                "login_failed can-bo.tn 10.0.0.6 wrong password",
                "account_disabled can-bo.tn - -",
                "login_failed can-bo.tn 10.0.0.7 account disabled",
            ])
    }

    @Test func sessionsAreStoredHashedAndEndIdleAbsoluteOrDisabled() throws {
        let t = try TempStore(demo: false)
        defer { t.cleanUp() }
        let account = try officer(t)
        let start = Date(timeIntervalSince1970: 1_790_000_000)  // 2026-09-21T14:13:20Z
        let issued = try t.store.startSession(for: account, now: start, idle: 1800, absolute: 8 * 3600)
        #expect(issued.id.count == 43 && issued.csrfToken.count == 43 && issued.id != issued.csrfToken)
        #expect(issued.expiresAt == "2026-09-21T22:13:20Z")
        let file = try t.fingerprint()
        #expect(!file.contains(issued.id))  // only its SHA-256 is kept
        #expect(file.contains(Secrets.digest(issued.id)))

        let (found, info) = try #require(try t.store.session(id: issued.id, now: start + 30, idle: 1800))
        #expect(found == account && info.csrfToken == issued.csrfToken && info.lastSeenAt == "2026-09-21T14:13:20Z")
        #expect(try t.fingerprint() == file)  // seen within the minute: nothing written
        let later = try #require(try t.store.session(id: issued.id, now: start + 1700, idle: 1800))
        #expect(later.1.lastSeenAt == "2026-09-21T14:41:40Z")  // touched
        #expect(try t.store.session(id: issued.id, now: start + 1700 + 1799, idle: 1800) != nil)
        #expect(try t.store.session(id: "không-có", now: start, idle: 1800) == nil)
        #expect(try t.store.session(id: "", now: start, idle: 1800) == nil)
        // Idle: 30 minutes without a request.
        #expect(try t.store.session(id: issued.id, now: start + 1700 + 1799 + 1800, idle: 1800) == nil)
        #expect(try t.store.sessionCount(login: "can-bo.tn") == 0)  // the ended session's row is gone

        // Absolute: seen every 20 minutes, it still ends 8 hours after it began.
        let second = try t.store.startSession(for: account, now: start, idle: 1800, absolute: 8 * 3600)
        var now = start
        while now < start + 8 * 3600 - 1200 {
            now += 1200
            #expect(try t.store.session(id: second.id, now: now, idle: 1800) != nil)
        }
        #expect(try t.store.session(id: second.id, now: start + 8 * 3600, idle: 1800) == nil)

        // Disabling the account ends its sessions; enabling does not bring them back.
        let third = try t.store.startSession(for: account, now: start, idle: 1800, absolute: 8 * 3600)
        _ = try t.store.setAccountDisabled(login: "can-bo.tn", true, by: Self.admin)
        #expect(try t.store.sessionCount(login: "can-bo.tn") == 0)
        #expect(throws: STOrdersError.authenticationFailed) {
            try t.store.startSession(for: account, now: start, idle: 1800, absolute: 3600)
        }
        _ = try t.store.setAccountDisabled(login: "can-bo.tn", false, by: Self.admin)
        #expect(try t.store.session(id: third.id, now: start + 60, idle: 1800) == nil)

        // A password change ends them too; sign-out ends one and is audited.
        let fourth = try t.store.startSession(for: account, now: start, idle: 1800, absolute: 3600)
        try t.store.setPassword(login: "can-bo.tn", password: "một-mật-khẩu-mới", cost: 4, by: Self.admin)
        #expect(try t.store.session(id: fourth.id, now: start + 60, idle: 1800) == nil)
        let fifth = try t.store.startSession(for: account, now: start, idle: 1800, absolute: 3600)
        try t.store.endSession(id: fifth.id, address: "127.0.0.1")
        #expect(try t.store.session(id: fifth.id, now: start + 60, idle: 1800) == nil)
        let last = try #require(try t.store.auditLog(limit: 1).first)
        #expect(last.event == "logout" && last.login == "can-bo.tn" && last.address == "127.0.0.1")
        try t.store.endSession(id: fifth.id, address: nil)  // again: nothing, no second line
        #expect(try t.store.auditLog(limit: 1).first == last)
        #expect(
            try t.store.authenticate(login: "can-bo.tn", password: "một-mật-khẩu-mới", address: nil).id == account.id)
    }

    @Test func expiredSessionsAreSweptInOneWrite() throws {
        let t = try TempStore(demo: false)
        defer { t.cleanUp() }
        let account = try officer(t)
        let start = Date(timeIntervalSince1970: 1_790_000_000)
        _ = try t.store.startSession(for: account, now: start, idle: 600, absolute: 3600)
        _ = try t.store.startSession(for: account, now: start + 900, idle: 600, absolute: 3600)
        #expect(try t.store.deleteExpiredSessions(now: start + 1000, idle: 600) == 1)
        #expect(try t.store.sessionCount(login: "can-bo.tn") == 1)
    }

    @Test func tokensAreShownOnceStoredHashedAndRevocable() throws {
        let t = try TempStore(demo: false)
        defer { t.cleanUp() }
        let account = try officer(t)
        let issued = try t.store.createToken(login: "can-bo.tn", name: "xuất dữ liệu hằng đêm", by: Self.admin)
        #expect(issued.token.count == 43 && issued.info.prefix == String(issued.token.prefix(8)))
        #expect(
            issued.info.login == "can-bo.tn" && issued.info.name == "xuất dữ liệu hằng đêm"
                && issued.info.revokedAt == nil)
        #expect(!(try t.fingerprint()).contains(issued.token))
        #expect(try t.store.account(forToken: issued.token) == account)
        #expect(try t.store.account(forToken: issued.token + "x") == nil)
        #expect(try t.store.account(forToken: "") == nil)
        #expect(try t.store.tokens(login: "can-bo.tn") == [issued.info])
        #expect(try t.store.tokens(login: nil) == [issued.info])

        _ = try t.store.setAccountDisabled(login: "can-bo.tn", true, by: Self.admin)
        #expect(try t.store.account(forToken: issued.token) == nil)
        _ = try t.store.setAccountDisabled(login: "can-bo.tn", false, by: Self.admin)
        #expect(try t.store.account(forToken: issued.token)?.login == "can-bo.tn")

        let revoked = try t.store.revokeToken(id: issued.info.id, by: Self.admin)
        #expect(revoked.revokedAt != nil)
        #expect(try t.store.account(forToken: issued.token) == nil)
        try expectRefused(t, "token_already_revoked") {
            _ = try t.store.revokeToken(id: issued.info.id, by: Self.admin)
        }
        let events = try t.store.auditLog(limit: 2).map(\.event)
        #expect(events == ["token_revoked", "account_enabled"])
    }

    @Test func roleChangesAreAuditedAndTakeEffectAtOnce() throws {
        let t = try TempStore()
        defer { t.cleanUp() }
        let account = try officer(t)
        let token = try t.store.createToken(login: account.login, name: "máy", by: Self.admin)
        let changed = try t.store.setRole(
            login: account.login, role: .auditor, enterprise: nil, province: nil, by: Self.admin)
        #expect(changed.role == .auditor && changed.province == nil && changed.id == account.id)
        #expect(try t.store.account(forToken: token.token)?.role == .auditor)
        let line = try #require(try t.store.auditLog(limit: 1).first)
        #expect(line.event == "role_changed" && line.detail == "officer of 19 Thái Nguyên → auditor, national")
    }

    @Test func theAuditLogIsAppendOnlyEvenAgainstRawSQL() throws {
        let t = try TempStore(demo: false)
        defer { t.cleanUp() }
        _ = try officer(t)
        try t.store.recordAudit(
            "login_throttled", login: "can-bo.tn", address: "10.0.0.9", detail: "5 lần sai", by: "máy chủ")
        let before = try t.fingerprint()
        for sql in ["UPDATE audit_log SET detail = 'sửa'", "DELETE FROM audit_log"] {
            do {
                try t.tamper(sql)
                Issue.record("\(sql) was allowed")
            } catch let error as DatabaseError {
                #expect(error.message?.hasPrefix("the audit log is append-only") == true)
            }
        }
        #expect(try t.fingerprint() == before)
        #expect(try t.store.auditLog(limit: 1).first?.event == "login_throttled")
        #expect(try t.store.auditLog(limit: 0).isEmpty)
    }

    /// The JSON every interface answers: an account without its hash, a token listed by its
    /// prefix, and the token itself only in the answer that creates it.
    @Test func theShapesCarryNoSecret() throws {
        let t = try TempStore(demo: false)
        defer { t.cleanUp() }
        let account = try officer(t)
        #expect(
            Shape.account(account).serialized(indent: nil)
                == #"{"id":\#(account.id),"login":"can-bo.tn","role":"officer","enterprise":null,"province":"Thái Nguyên","province_code":"19","disabled":false,"created_at":"\#(account.createdAt)","email":null}"#
        )
        let issued = try t.store.createToken(login: account.login, name: "máy", by: Self.admin)
        let listed = Shape.token(issued.info).serialized(indent: nil)
        #expect(!listed.contains(issued.token) && listed.contains(#""prefix":"\#(issued.info.prefix)""#))
        #expect(
            Shape.issuedToken(issued).serialized(indent: nil)
                == #"{"token":"\#(issued.token)","# + listed.dropFirst())
        try t.store.recordAudit("login_throttled", login: nil, address: "::1", detail: nil, by: "máy chủ")
        let line = try #require(try t.store.auditLog(limit: 1).first)
        #expect(
            Shape.auditEntry(line).serialized(indent: nil)
                == #"{"id":\#(line.id),"at":"\#(line.at)","actor":"máy chủ","event":"login_throttled","login":null,"address":"::1","detail":null}"#
        )
    }

    @Test func theNewRefusalsHaveTheirOwnCodes() {
        let errors: [STOrdersError] = [
            .invalidLogin("x", reason: "r"), .invalidPassword(reason: "r"), .invalidHashCost(3),
            .accountBinding(role: .officer, needs: "n"), .unknownAccount(login: "x"), .duplicateLogin("x"),
            .authenticationFailed, .unknownToken(id: 1), .tokenAlreadyRevoked(id: 1, at: "t"), .invalidAuditEvent("x"),
        ]
        #expect(
            errors.map(\.code) == [
                "invalid_login", "invalid_password", "invalid_hash_cost", "account_binding", "unknown_account",
                "duplicate_login", "authentication_failed", "unknown_token", "token_already_revoked",
                "invalid_audit_event",
            ])
        #expect(!STOrdersError.invalidPassword(reason: "r").description.contains("x"))
    }
}
