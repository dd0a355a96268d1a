import Foundation
import Testing

/// `storders user …` and `storders token …`, the built binary run as an administrator would.
/// Passwords go in on standard input (the only way besides a terminal prompt). bcrypt runs at
/// its default cost, 12, as for real accounts.
@Suite struct AccountsCLITests {
    static let password = "mật-khẩu-đủ-dài-2026"

    /// Runs a command that must be refused with --json, and returns the refusal's code; the
    /// whole database must be byte for byte as before.
    func refusedCode(_ cli: CLI, _ arguments: [String], stdin: String? = password + "\n") throws -> String? {
        let before = try cli.dump()
        let output = try cli.run(arguments + ["--json"], stdin: stdin)
        #expect(output.status == 1, "\(arguments): \(output.stdout) \(output.stderr)")
        #expect(try cli.dump() == before, "\(arguments) changed the database")
        let error = try output.object()["error"] as? [String: Any]
        return error?["code"] as? String
    }

    func add(_ cli: CLI, _ arguments: [String]) throws -> [String: Any] {
        let output = try cli.run(["user", "add"] + arguments + ["--json"], stdin: Self.password + "\n")
        #expect(output.status == 0, "\(arguments): \(output.stderr)")
        return try output.object()
    }

    @Test func eachRoleIsAddedListedAndItsPasswordKeptOnlyAsABcryptHash() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.ok(["demo"])
        let enterprise = try add(cli, ["dn.thanglong", "--role", "enterprise", "--enterprise", "0100233488"])
        #expect(enterprise["role"] as? String == "enterprise" && enterprise["enterprise"] as? String == "0100233488")
        #expect(enterprise["province"] is NSNull)
        let officer = try add(cli, ["can-bo.tn", "--role", "officer", "--province", "thai nguyen"])
        #expect(officer["province"] as? String == "Thái Nguyên" && officer["province_code"] as? String == "19")
        let provincial = try add(cli, ["kiem-toan.dn", "--role", "auditor", "--province", "48"])
        #expect(provincial["province"] as? String == "Đà Nẵng")
        let national = try add(cli, ["kiem-toan", "--role", "auditor"])
        #expect(national["province"] is NSNull && national["enterprise"] is NSNull)
        let text = try cli.run(["user", "add", "quan-tri", "--role", "admin"], stdin: Self.password + "\n")
        #expect(text.status == 0 && text.stdout == "Added account quan-tri: admin.\n")

        let list = try cli.ok(["user", "list", "--json"]).array()
        #expect(
            list.map { $0["login"] as? String } == [
                "can-bo.tn", "dn.thanglong", "kiem-toan", "kiem-toan.dn", "quan-tri",
            ])
        #expect(list.map { $0["role"] as? String } == ["officer", "enterprise", "auditor", "auditor", "admin"])
        #expect(list.allSatisfy { $0["disabled"] as? Bool == false })
        let csv = try cli.ok(["user", "list", "--csv"]).stdout
        #expect(
            csv.hasPrefix(
                "id,login,role,enterprise,province,province_code,disabled,created_at,email\n2,can-bo.tn,officer,,Thái Nguyên,19,false,"
            ))
        let table = try cli.ok(["user", "list"]).stdout
        #expect(table.hasPrefix("LOGIN ") && table.contains("kiem-toan.dn  auditor"))

        let hashes = try cli.sql("SELECT password_hash FROM accounts ORDER BY id;").split(separator: "\n")
        #expect(hashes.count == 5 && hashes.allSatisfy { $0.hasPrefix("$2b$12$") && $0.count == 60 })
        #expect(Set(hashes).count == 5)  // each with its own salt
        #expect(!(try cli.dump()).contains(Self.password))
        #expect(try cli.ok(["verify"]).stdout.hasSuffix("All checks passed.\n"))
        #expect(
            try cli.sql("SELECT event || ' ' || login || ' by ' || actor FROM audit_log ORDER BY id LIMIT 1;")
                == "account_created dn.thanglong by kiểm thử")
    }

    @Test func everyRefusalNamesItsCodeAndChangesNothing() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.ok(["demo"])
        _ = try add(cli, ["can-bo.tn", "--role", "officer", "--province", "Thái Nguyên"])
        let cases: [([String], String?, String)] = [
            (["user", "add", "can-bo.x", "--role", "officer"], Self.password, "account_binding"),
            (["user", "add", "dn.x", "--role", "enterprise"], Self.password, "account_binding"),
            (
                ["user", "add", "dn.x", "--role", "enterprise", "--enterprise", "0100233488", "--province", "19"],
                Self.password, "account_binding"
            ),
            (["user", "add", "qt.x", "--role", "admin", "--province", "19"], Self.password, "account_binding"),
            (
                ["user", "add", "can-bo.x", "--role", "officer", "--province", "Hà Giang"], Self.password,
                "unknown_province"
            ),
            (
                ["user", "add", "can-bo.x", "--role", "officer", "--province", "Atlantis"], Self.password,
                "unknown_province"
            ),
            (
                ["user", "add", "dn.x", "--role", "enterprise", "--enterprise", "0101243150"], Self.password,
                "unknown_enterprise"
            ),
            (
                ["user", "add", "dn.x", "--role", "enterprise", "--enterprise", "0100233487"], Self.password,
                "invalid_tax_code"
            ),
            (["user", "add", "can-bo.tn", "--role", "admin"], Self.password, "duplicate_login"),
            (["user", "add", "Cán-Bộ", "--role", "admin"], Self.password, "invalid_login"),
            (["user", "add", "qt", "--role", "admin"], Self.password, "invalid_login"),
            (["user", "add", "qt.x", "--role", "admin"], "ngắn-quá", "invalid_password"),
            (["user", "add", "qt.x", "--role", "admin"], String(repeating: "ệ", count: 25), "invalid_password"),
            (["user", "add", "qt.x", "--role", "admin"], nil, "failed"),  // nothing on standard input
            (["user", "password", "can-bo.tn"], "ngắn", "invalid_password"),
            (["user", "password", "khong-co"], Self.password, "unknown_account"),
            (["user", "disable", "khong-co"], nil, "unknown_account"),
            (["user", "role", "can-bo.tn", "--role", "enterprise"], nil, "account_binding"),
            (["user", "role", "khong-co", "--role", "admin"], nil, "unknown_account"),
            (["token", "create", "khong-co"], nil, "unknown_account"),
            (["token", "revoke", "7"], nil, "unknown_token"),
            (["user", "add", "qt.x", "--role", "admin", "--password-file", "không-có.txt"], nil, "file_unreadable"),
            (["token", "list", "--login", "khong-co"], nil, "unknown_account"),
        ]
        for (arguments, password, code) in cases {
            #expect(try refusedCode(cli, arguments, stdin: password.map { $0 + "\n" }) == code, "\(arguments)")
        }
        // No option takes a password: it cannot be given as an argument (a usage error, exit 64).
        let before = try cli.dump()
        for option in ["--password", "--pass", "-p"] {
            let output = try cli.run(["user", "add", "qt.x", "--role", "admin", option, Self.password])
            #expect(output.status == 64, "\(option)")
        }
        #expect(try cli.dump() == before)
        // The human line of a missing binding says which flag helps.
        let line = try cli.run(["user", "add", "can-bo.x", "--role", "officer"], stdin: Self.password + "\n").stderr
        #expect(
            line
                == "Error: an officer account needs a province and no enterprise: it works on that province's orders; pass --enterprise TAX_CODE with --role enterprise, --province P with --role officer, --province P or neither with --role auditor, neither with --role admin\n"
        )
    }

    @Test func disablingEnablingPasswordsRolesAndTheAuditLog() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.ok(["demo"])
        _ = try add(cli, ["can-bo.tn", "--role", "officer", "--province", "Thái Nguyên"])
        let hash = try cli.sql("SELECT password_hash FROM accounts;")
        #expect(try cli.ok(["user", "disable", "can-bo.tn"]).stdout.hasPrefix("Account can-bo.tn is disabled;"))
        #expect(try cli.ok(["user", "list", "--json"]).array().first?["disabled"] as? Bool == true)
        #expect(try cli.ok(["user", "enable", "can-bo.tn", "--json"]).object()["disabled"] as? Bool == false)
        let changed = try cli.run(["user", "password", "can-bo.tn"], stdin: "một-mật-khẩu-mới-hơn\r\n")
        #expect(changed.status == 0 && changed.stdout == "Password of can-bo.tn changed; its sessions have ended.\n")
        #expect(try cli.sql("SELECT password_hash FROM accounts;") != hash)
        // From a file (a mounted secret): its first line, the line end left out.
        let secret = cli.directory.appendingPathComponent("bí-mật.txt")
        try "mật-khẩu-từ-tệp-2026\nbỏ qua dòng này\n".write(to: secret, atomically: true, encoding: .utf8)
        let fromFile = try cli.sql("SELECT password_hash FROM accounts;")
        try cli.ok(["user", "password", "can-bo.tn", "--password-file", secret.path])
        #expect(try cli.sql("SELECT password_hash FROM accounts;") != fromFile)
        let role = try cli.ok(["user", "role", "can-bo.tn", "--role", "auditor"]).stdout
        #expect(role == "Account can-bo.tn is now auditor (national).\n")
        let audit = try cli.ok(["user", "audit", "--json", "--limit", "4"]).array()
        #expect(
            audit.map { $0["event"] as? String } == [
                "role_changed", "password_changed", "password_changed", "account_enabled",
            ])
        #expect(audit.first?["detail"] as? String == "officer of 19 Thái Nguyên → auditor, national")
        #expect(audit.allSatisfy { $0["actor"] as? String == "kiểm thử" && $0["login"] as? String == "can-bo.tn" })
        let all = try cli.ok(["user", "audit"]).stdout.split(separator: "\n")
        #expect(all.count == 2 + 6 && all[0].hasPrefix("AT "))
        #expect(try cli.run(["user", "audit", "--limit", "0"]).status == 64)
        #expect(!(try cli.dump()).contains("một-mật-khẩu-mới-hơn"))
    }

    @Test func aTokenIsShownOnceListedByItsPrefixAndRevoked() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.ok(["demo"])
        _ = try add(cli, ["kiem-toan", "--role", "auditor"])
        let created = try cli.ok(["token", "create", "kiem-toan", "--name", "xuất dữ liệu hằng đêm"]).stdout
        let lines = created.split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        #expect(lines.first == "API token 1 'xuất dữ liệu hằng đêm' for kiem-toan:")
        #expect(lines.last == "It will not be shown again: store it now (the database keeps only its hash).")
        let token = lines[1]
        #expect(token.count == 43 && token.unicodeScalars.allSatisfy { $0.isASCII })
        let second = try cli.ok(["token", "create", "kiem-toan", "--json"]).object()
        #expect((second["token"] as? String)?.count == 43 && second["name"] as? String == "api")

        let listed = try cli.ok(["token", "list", "--json"]).array()
        #expect(
            listed.map { $0["prefix"] as? String } == [
                String(token.prefix(8)), (second["token"] as? String).map { String($0.prefix(8)) },
            ])
        #expect(listed.allSatisfy { $0["token"] == nil && $0["revoked_at"] is NSNull })
        let everything = try cli.ok(["token", "list"]).stdout + (try cli.dump())
        #expect(!everything.contains(token))  // neither the list nor the file holds the token

        #expect(
            try cli.ok(["token", "revoke", "1"]).stdout == "Revoked API token 1 'xuất dữ liệu hằng đêm' of kiem-toan.\n"
        )
        let after = try cli.ok(["token", "list", "--login", "kiem-toan", "--json"]).array()
        #expect(after.first?["revoked_at"] is String && after.last?["revoked_at"] is NSNull)
        #expect(try refusedCode(cli, ["token", "revoke", "1"], stdin: nil) == "token_already_revoked")
        let events = try cli.ok(["user", "audit", "--json"]).array().prefix(3).map { $0["event"] as? String }
        #expect(events == ["token_revoked", "token_created", "token_created"])
    }
}
