import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import STOrders
import Testing

@testable import STOrdersServer

/// The admin's account routes: each does what `storders user …` does (the same library calls),
/// is recorded in the audit log as the admin, and each refusal answers its exact status and code
/// and changes nothing (neither the accounts nor the audit log).
@Suite struct AccountRoutesTests {
    static func fixture() throws -> APIFixture {
        try APIFixture { $0.passwordCost = 4 }
    }

    /// The accounts and the whole audit log, as text: a refusal must leave both as they were.
    static func accountsFingerprint(_ f: APIFixture) throws -> String {
        let accounts = try f.store.accounts().map { Shape.account($0).serialized(indent: nil) }
        let audit = try f.store.auditLog(limit: 10_000).map { Shape.auditEntry($0).serialized(indent: nil) }
        return (accounts + ["--"] + audit).joined(separator: "\n")
    }

    /// Every account route, as (method, path, body), on an existing account (`officer`).
    static let routes: [(HTTPRequest.Method, String, String?)] = [
        (.get, "/api/v1/accounts", nil),
        (
            .post, "/api/v1/accounts",
            #"{"login": "can-bo.hn", "role": "officer", "province": "Hà Nội", "password": "mật-khẩu-mới-0001"}"#
        ),
        (.get, "/api/v1/accounts/officer", nil),
        (.post, "/api/v1/accounts/officer/disable", nil),
        (.post, "/api/v1/accounts/officer/enable", nil),
        (.post, "/api/v1/accounts/officer/role", #"{"role": "auditor", "province": "Thái Nguyên"}"#),
        (.post, "/api/v1/accounts/officer/password", #"{"password": "mật-khẩu-mới-0002"}"#),
        (.post, "/api/v1/accounts/officer/email", #"{"email": "lan.tn@sokhcn.example.vn"}"#),
        (.delete, "/api/v1/accounts/officer/email", nil),
        (.get, "/api/v1/audit", nil),
    ]

    @Test(arguments: ["enterprise", "officer", "auditor", "tn-auditor"])
    func everyAccountRouteIsForbiddenToAnyoneButAnAdmin(_ login: String) async throws {
        let f = try Self.fixture()
        let before = try Self.accountsFingerprint(f)
        try await f.server.application.test(.router) { client in
            for (method, uri, body) in Self.routes {
                let response = try await client.send(method, uri, headers: f.bearer(login), body)
                #expect(response.status == .forbidden, "\(login) \(method) \(uri): \(response.text)")
                #expect(response.errorCode == "forbidden", "\(login) \(method) \(uri)")
            }
        }
        #expect(try Self.accountsFingerprint(f) == before)
        #expect(try f.store.account(login: "officer").disabled == false)
    }

    @Test func anAdminListsAndReadsAccounts() async throws {
        let f = try Self.fixture()
        try await f.server.application.test(.router) { client in
            let list = try await client.send(.get, "/api/v1/accounts", headers: f.bearer("admin"))
            #expect(list.status == .ok)
            let rows = try list.array()
            #expect(
                rows.compactMap { $0["login"] as? String }
                    == ["admin", "auditor", "enterprise", "hanoi-officer", "officer", "tn-auditor"])
            #expect(!list.text.contains("password") && !list.text.contains("hash"))
            let one = try await client.send(.get, "/api/v1/accounts/hanoi-officer", headers: f.bearer("admin"))
            #expect(one.status == .ok)
            #expect(try one.object()["province"] as? String == "Hà Nội")
            #expect(
                one.text == Shape.account(try f.store.account(login: "hanoi-officer")).serialized(indent: nil) + "\n")
        }
    }

    /// The address an account's digest goes to (`storders user email`): set on creation, changed,
    /// removed, each once in the audit log as the admin; a bad address or an unknown account is
    /// refused with its code and changes nothing.
    @Test func anAdminSetsAndRemovesAnAccountsAddress() async throws {
        let f = try Self.fixture()
        try await f.server.application.test(.router) { client in
            let added = try await client.send(
                .post, "/api/v1/accounts", headers: f.bearer("admin"),
                #"{"login": "can-bo.hn", "role": "officer", "province": "Hà Nội", "email": "hoa.hn@sokhcn.example.vn", "password": "mật-khẩu-mới-0001"}"#
            )
            #expect(added.status == .created, "\(added.text)")
            #expect(try added.object()["email"] as? String == "hoa.hn@sokhcn.example.vn")
            let set = try await client.send(
                .post, "/api/v1/accounts/officer/email", headers: f.bearer("admin"),
                #"{"email": "lan.tn@sokhcn.example.vn"}"#)
            #expect(set.status == .ok, "\(set.text)")
            #expect(try set.object()["email"] as? String == "lan.tn@sokhcn.example.vn")
            #expect(try f.store.account(login: "officer").email == "lan.tn@sokhcn.example.vn")
            let before = try Self.accountsFingerprint(f)
            for (uri, body, status, code) in [
                ("/api/v1/accounts/officer/email", #"{"email": "Lê Lan@sokhcn.vn"}"#, 422, "invalid_mail_address"),
                ("/api/v1/accounts/officer/email", #"{}"#, 422, "missing_field"),
                ("/api/v1/accounts/khong-co/email", #"{"email": "a@example.vn"}"#, 404, "unknown_account"),
                (
                    "/api/v1/accounts",
                    #"{"login": "can-bo.dn", "role": "officer", "province": "Đà Nẵng", "email": "x", "password": "mật-khẩu-mới-0003"}"#,
                    422, "invalid_mail_address"
                ),
            ] {
                let refused = try await client.send(.post, uri, headers: f.bearer("admin"), body)
                #expect(refused.status.code == status, "\(uri) \(body): \(refused.text)")
                #expect(refused.errorCode == code, "\(uri) \(body)")
            }
            #expect(try Self.accountsFingerprint(f) == before)
            let removed = try await client.send(.delete, "/api/v1/accounts/officer/email", headers: f.bearer("admin"))
            #expect(removed.status == .ok)
            #expect(try removed.object()["email"] is NSNull)
        }
        let audited = try f.store.auditLog().filter { $0.event == AuditEvent.emailChanged.rawValue }
        #expect(audited.map(\.detail) == ["removed", "lan.tn@sokhcn.example.vn"])
        #expect(audited.allSatisfy { $0.actor == "admin" && $0.login == "officer" })
    }

    @Test func anAdminAddsAnAccountThatCanSignIn() async throws {
        let f = try Self.fixture()
        try await f.server.application.test(.router) { client in
            let added = try await client.send(
                .post, "/api/v1/accounts", headers: f.bearer("admin"),
                #"{"login": "can-bo.hn", "role": "officer", "province": "Hà Nội", "password": "mật-khẩu-mới-0001"}"#)
            #expect(added.status == .created, "\(added.text)")
            #expect(try added.object()["login"] as? String == "can-bo.hn")
            #expect(try added.object()["province_code"] as? String == "01")
            #expect(!added.text.contains("mật-khẩu"))
            let account = try f.store.account(login: "can-bo.hn")
            #expect(account.role == .officer && account.province?.name == "Hà Nội")
            let line = try #require(try f.store.auditLog(limit: 1).first)
            #expect(line.event == "account_created" && line.actor == "admin" && line.login == "can-bo.hn")
            let signIn = try await client.send(
                .post, "/api/v1/session", headers: [.contentType: "application/json"],
                #"{"login": "can-bo.hn", "password": "mật-khẩu-mới-0001"}"#)
            #expect(signIn.status == .created)
            // A form works as JSON does (the admin page posts one).
            var form = f.bearer("admin")
            form[.contentType] = "application/x-www-form-urlencoded"
            let byForm = try await client.send(
                .post, "/api/v1/accounts", headers: form,
                "login=dn.hagiang&role=enterprise&enterprise=4601234560&province=&password=m%E1%BA%ADt-kh%E1%BA%A9u-0003"
            )
            #expect(byForm.status == .created, "\(byForm.text)")
            #expect(try f.store.account(login: "dn.hagiang").enterprise?.value == "4601234560")
        }
    }

    /// Each malformed or refused change: its status and code, and nothing changed.
    @Test(arguments: [
        (
            #"{"login": "can-bo.hn", "role": "boss", "province": "Hà Nội", "password": "mật-khẩu-mới-0001"}"#, 422,
            "invalid_value"
        ),
        (#"{"login": "can-bo.hn", "role": "officer", "password": "mật-khẩu-mới-0001"}"#, 422, "account_binding"),
        (
            #"{"login": "Cán-Bộ", "role": "officer", "province": "Hà Nội", "password": "mật-khẩu-mới-0001"}"#, 422,
            "invalid_login"
        ),
        (
            #"{"login": "can-bo.hn", "role": "officer", "province": "Hà Nội", "password": "ngắn"}"#, 422,
            "invalid_password"
        ),
        (#"{"login": "can-bo.hn", "role": "officer", "province": "Hà Nội"}"#, 422, "missing_field"),
        (
            #"{"login": "officer", "role": "officer", "province": "Hà Nội", "password": "mật-khẩu-mới-0001"}"#, 409,
            "duplicate_login"
        ),
        (
            #"{"login": "dn.x", "role": "enterprise", "enterprise": "0100109106", "password": "mật-khẩu-mới-0001"}"#,
            404, "unknown_enterprise"
        ),
    ])
    func aRefusedNewAccountChangesNothing(_ body: String, _ status: Int, _ code: String) async throws {
        let f = try Self.fixture()
        let before = try Self.accountsFingerprint(f)
        try await f.server.application.test(.router) { client in
            let response = try await client.send(.post, "/api/v1/accounts", headers: f.bearer("admin"), body)
            #expect(Int(response.status.code) == status, "\(response.text)")
            #expect(response.errorCode == code, "\(response.text)")
        }
        #expect(try Self.accountsFingerprint(f) == before)
    }

    @Test func anUnknownLoginIs404OnEveryRouteAndChangesNothing() async throws {
        let f = try Self.fixture()
        let before = try Self.accountsFingerprint(f)
        try await f.server.application.test(.router) { client in
            for (method, uri, body) in Self.routes where uri.contains("/officer") {
                let other = uri.replacingOccurrences(of: "/officer", with: "/khong-co-ai")
                let response = try await client.send(method, other, headers: f.bearer("admin"), body)
                #expect(response.status == .notFound, "\(method) \(other): \(response.text)")
                #expect(response.errorCode == "unknown_account", "\(method) \(other)")
            }
        }
        #expect(try Self.accountsFingerprint(f) == before)
    }

    @Test func aBadRoleOrBindingForAnExistingAccountChangesNothing() async throws {
        let f = try Self.fixture()
        let before = try Self.accountsFingerprint(f)
        try await f.server.application.test(.router) { client in
            for (body, code) in [
                (#"{"role": "superuser"}"#, "invalid_value"),
                (#"{"role": "admin", "province": "Hà Nội"}"#, "account_binding"),
                (#"{"role": "officer", "province": "Gotham"}"#, "unknown_province"),
                (#"{}"#, "missing_field"),
            ] {
                let response = try await client.send(
                    .post, "/api/v1/accounts/officer/role", headers: f.bearer("admin"), body)
                #expect(response.status == .unprocessableContent, "\(body): \(response.text)")
                #expect(response.errorCode == code, "\(body): \(response.text)")
            }
            let short = try await client.send(
                .post, "/api/v1/accounts/officer/password", headers: f.bearer("admin"), #"{"password": "ngắn"}"#)
            #expect(short.status == .unprocessableContent)
            #expect(short.errorCode == "invalid_password")
        }
        #expect(try Self.accountsFingerprint(f) == before)
    }

    @Test func disablingStopsTheAccountAtOnceAndEnablingLetsItBackIn() async throws {
        let f = try Self.fixture()
        try await f.server.application.test(.router) { client in
            let signIn = try await client.send(
                .post, "/api/v1/session", headers: [.contentType: "application/json"],
                #"{"login": "officer", "password": "\#(APIFixture.password)"}"#)
            let cookie = try #require(signIn.sessionCookie)
            let disabled = try await client.send(
                .post, "/api/v1/accounts/officer/disable", headers: f.bearer("admin"))
            #expect(disabled.status == .ok)
            #expect(try disabled.object()["disabled"] as? Bool == true)
            #expect(try await client.send(.get, "/api/v1/me", headers: f.bearer("officer")).status == .unauthorized)
            #expect(try await client.send(.get, "/api/v1/me", headers: [.cookie: cookie]).status == .unauthorized)
            let line = try #require(try f.store.auditLog(limit: 1).first)
            #expect(line.event == "account_disabled" && line.actor == "admin" && line.login == "officer")

            let enabled = try await client.send(.post, "/api/v1/accounts/officer/enable", headers: f.bearer("admin"))
            #expect(enabled.status == .ok)
            #expect(try enabled.object()["disabled"] as? Bool == false)
            #expect(try await client.send(.get, "/api/v1/me", headers: f.bearer("officer")).status == .ok)
            // The session ended when the account was disabled: enabling does not bring it back.
            #expect(try await client.send(.get, "/api/v1/me", headers: [.cookie: cookie]).status == .unauthorized)
        }
    }

    @Test func aNewRoleAppliesToTheNextRequest() async throws {
        let f = try Self.fixture()
        try await f.server.application.test(.router) { client in
            #expect(try await client.send(.get, "/api/v1/verify", headers: f.bearer("officer")).status == .forbidden)
            let changed = try await client.send(
                .post, "/api/v1/accounts/officer/role", headers: f.bearer("admin"), #"{"role": "auditor"}"#)
            #expect(changed.status == .ok, "\(changed.text)")
            #expect(try changed.object()["role"] as? String == "auditor")
            #expect(try changed.object()["province"] is NSNull)
            #expect(try await client.send(.get, "/api/v1/verify", headers: f.bearer("officer")).status == .ok)
            let line = try #require(try f.store.auditLog(limit: 1).first)
            #expect(line.event == "role_changed" && line.actor == "admin")
            #expect(line.detail == "officer of 19 Thái Nguyên → auditor, national")
        }
    }

    @Test func aNewPasswordEndsTheSessionsAndReplacesTheOldOne() async throws {
        let f = try Self.fixture()
        try await f.server.application.test(.router) { client in
            let signIn = try await client.send(
                .post, "/api/v1/session", headers: [.contentType: "application/json"],
                #"{"login": "officer", "password": "\#(APIFixture.password)"}"#)
            let cookie = try #require(signIn.sessionCookie)
            let reset = try await client.send(
                .post, "/api/v1/accounts/officer/password", headers: f.bearer("admin"),
                #"{"password": "mật-khẩu-mới-0002"}"#)
            #expect(reset.status == .ok, "\(reset.text)")
            #expect(!reset.text.contains("mật-khẩu"))
            #expect(try await client.send(.get, "/api/v1/me", headers: [.cookie: cookie]).status == .unauthorized)
            let old = try await client.send(
                .post, "/api/v1/session", headers: [.contentType: "application/json"],
                #"{"login": "officer", "password": "\#(APIFixture.password)"}"#)
            #expect(old.status == .unauthorized)
            let new = try await client.send(
                .post, "/api/v1/session", headers: [.contentType: "application/json"],
                #"{"login": "officer", "password": "mật-khẩu-mới-0002"}"#)
            #expect(new.status == .created)
            #expect(
                try f.store.auditLog(limit: 10).contains {
                    $0.event == "password_changed" && $0.actor == "admin" && $0.login == "officer"
                })
        }
    }

    @Test func theAuditLogIsNewestFirstAndItsLimitIsChecked() async throws {
        let f = try Self.fixture()
        try await f.server.application.test(.router) { client in
            _ = try await client.send(.post, "/api/v1/accounts/enterprise/disable", headers: f.bearer("admin"))
            let audit = try await client.send(.get, "/api/v1/audit?limit=2", headers: f.bearer("admin"))
            #expect(audit.status == .ok)
            let rows = try audit.array()
            #expect(rows.count == 2)
            #expect(rows.first?["event"] as? String == "account_disabled")
            #expect(rows.first?["actor"] as? String == "admin")
            let ids = rows.compactMap { $0["id"] as? Int }
            #expect(ids == ids.sorted(by: >))
            for limit in ["0", "1001", "many"] {
                let bad = try await client.send(.get, "/api/v1/audit?limit=\(limit)", headers: f.bearer("admin"))
                #expect(bad.status == .unprocessableContent, "\(limit)")
                #expect(bad.errorCode == "invalid_value", "\(limit)")
            }
        }
    }
}
