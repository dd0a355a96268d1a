import Foundation
import GRDB
import Testing

@testable import STOrders

/// Enterprises and targets are sealed (table `seals`, a second hash chain): `verify` names any
/// row edited, added or deleted outside storders by its tax code or target key and province, and
/// the commands that write them keep it clean.
@Suite struct SealTests {
    func verify(_ t: TempStore) throws -> Verification {
        try Store.open(path: t.path, actor: "kiểm toán").verify()
    }

    func has(_ v: Verification, _ check: Verification.Check, _ message: String) -> Bool {
        v.findings.contains { $0.check == check && $0.order == nil && $0.message == message }
    }

    func sealID(_ t: TempStore, _ table: String, where condition: String) throws -> Int64 {
        try t.raw().read { db in
            try Int64.fetchOne(
                db,
                sql: """
                    SELECT max(s.id) FROM seals s JOIN \(table) r ON r.id = s.record_id
                    WHERE s.record_table = '\(table)' AND \(condition)
                    """) ?? -1
        }
    }

    @Test func turningOnInnovativeStartupIsNamedForEachEnterprise() throws {
        let t = try TempStore()
        defer { t.cleanUp() }
        #expect(try verify(t).findings.isEmpty)
        let off = try t.raw().read { db in
            try Row.fetchAll(
                db, sql: "SELECT tax_code, province_code, id FROM enterprises WHERE innovative_startup = 0 ORDER BY id")
        }
        #expect(off.count == 3)
        let seals = try off.map { try sealID(t, "enterprises", where: "r.id = \($0[2] as Int64)") }
        try t.tamper("UPDATE enterprises SET innovative_startup = 1")
        let v = try verify(t)
        for (row, seal) in zip(off, seals) {
            let code: String = row[0]
            let province: String = row[1]
            #expect(
                has(
                    v, .records,
                    "enterprise \(code) (province \(province)) was changed outside storders: innovative_startup is 1 now but 0 was recorded (seal #\(seal))"
                ), "\(v.findings)")
        }
        #expect(v.findings.count == 3, "\(v.findings)")
    }

    @Test func anEnterpriseRenamedOrMovedIsNamed() throws {
        let t = try TempStore()
        defer { t.cleanUp() }
        let seal = try sealID(t, "enterprises", where: "r.tax_code = '4601234560'")
        try t.tamper(
            "UPDATE enterprises SET name = 'Công ty Giả mạo', province_code = '01' WHERE tax_code = '4601234560'")
        let v = try verify(t)
        #expect(
            has(
                v, .records,
                "enterprise 4601234560 (province 01) was changed outside storders: name is 'Công ty Giả mạo' now but 'Công ty TNHH Quang học Yên Bình' was recorded; province_code is '01' now but '19' was recorded (seal #\(seal))"
            ), "\(v.findings)")
        #expect(v.findings.count == 1, "\(v.findings)")
    }

    @Test func aForgedNationalTargetIsNamed() throws {
        let t = try TempStore()
        defer { t.cleanUp() }
        try t.tamper(
            """
            INSERT INTO targets (key, province_code, value, set_at, set_by)
            VALUES ('innovative_startups', NULL, 1, '2025-07-01T00:00:00Z', 'framework')
            """)
        let v = try verify(t)
        #expect(
            has(v, .records, "target innovative_startups (national) has no seal: it was added outside storders"),
            "\(v.findings)")
        #expect(v.findings.count == 1, "\(v.findings)")
        // The forged row is the one in force: what the report measures against changed.
        #expect(try t.store.targets().first { $0.key == .innovativeStartups }?.value == .count(1))
    }

    @Test func aProvinceTargetEditedIsNamed() throws {
        let t = try TempStore()
        defer { t.cleanUp() }
        let thaiNguyen = try Province.named("Thái Nguyên")
        try t.store.setTarget(.innovativeStartups, .count(7), province: thaiNguyen)
        #expect(try verify(t).findings.isEmpty)
        let seal = try sealID(t, "targets", where: "r.province_code = '19'")
        try t.tamper("DROP TRIGGER targets_never_changed; UPDATE targets SET value = 70 WHERE province_code = '19'")
        let v = try verify(t)
        #expect(
            has(
                v, .records,
                "target innovative_startups (province 19) was changed outside storders: value is 70 now but 7 was recorded (seal #\(seal))"
            ), "\(v.findings)")
        #expect(has(v, .schema, "trigger targets_never_changed is missing; the rule it enforces is not protected"))
        #expect(v.findings.count == 2, "\(v.findings)")
    }

    @Test func aDeletedTargetIsNamed() throws {
        let t = try TempStore()
        defer { t.cleanUp() }
        let thaiNguyen = try Province.named("Thái Nguyên")
        try t.store.setTarget(.newOrImprovedOutputs, .count(12), province: thaiNguyen)
        let seal = try sealID(t, "targets", where: "r.province_code = '19'")
        let trigger = try t.raw().read { db in
            try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = 'targets_never_deleted'") ?? ""
        }
        // Deleted, and the trigger put back so the schema looks whole.
        try t.tamper("DROP TRIGGER targets_never_deleted; DELETE FROM targets WHERE province_code = '19'; \(trigger);")
        let v = try verify(t)
        #expect(
            has(
                v, .records,
                "target new_or_improved_outputs (province 19), sealed by seal #\(seal), is no longer there: it was deleted outside storders"
            ), "\(v.findings)")
        #expect(v.findings.count == 1, "\(v.findings)")
    }

    @Test func anEditedSealBreaksTheSealChain() throws {
        let t = try TempStore()
        defer { t.cleanUp() }
        // The edit and the seal edited to match: the row agrees with its seal, the chain does not.
        try t.tamper(
            """
            DROP TRIGGER seals_never_changed;
            UPDATE enterprises SET innovative_startup = 1 WHERE tax_code = '4601234560';
            UPDATE seals SET record = replace(record, 'innovative_startup=i1:0', 'innovative_startup=i1:1')
            WHERE record_table = 'enterprises' AND record_id = (SELECT id FROM enterprises WHERE tax_code = '4601234560');
            """)
        let seal = try sealID(t, "enterprises", where: "r.tax_code = '4601234560'")
        let v = try verify(t)
        #expect(
            has(
                v, .chain,
                "seal #\(seal) (enterprise_added of enterprise 4601234560 (province 19)) does not match its hash: it was edited, or a seal before it was deleted, inserted or moved"
            ), "\(v.findings)")
        #expect(!v.findings.contains { $0.check == .records }, "\(v.findings)")
    }

    /// Every way storders writes enterprises and targets seals them: the commands, the CSV
    /// import, the generator, the demo (TempStore's), and a new file's framework targets.
    @Test func theCommandsKeepVerifyClean() throws {
        let fresh = try Store.inMemory()
        #expect(try fresh.verify().findings.isEmpty)
        #expect(try fresh.count("seals") == 4)

        let t = try TempStore()
        defer { t.cleanUp() }
        try t.store.addEnterprise(
            name: "Công ty TNHH Đổi mới Sáng tạo Huế", taxCode: try TaxCode(parsing: "3300101406"),
            province: try Province.named("Huế"), innovativeStartup: true, on: try Day(parsing: "2026-02-02"))
        try t.store.setTarget(.ordersDecidedShare, .share(basisPoints: 8500))
        try t.store.setTarget(.enterprisesInnovating, .count(20), province: try Province.named("Huế"))
        let files = try TempFiles()
        defer { files.remove() }
        _ = try Store.generateCSV(GeneratorOptions(orders: 50, seed: 5), directory: files.directory)
        #expect(try t.store.importEnterprises(file: files.path("enterprises.csv")).enterprises > 0)
        let v = try verify(t)
        #expect(v.findings.isEmpty, "\(v.findings)")
        let (rows, seals) = try t.raw().read { db in
            (
                try Int.fetchOne(db, sql: "SELECT (SELECT count(*) FROM enterprises) + (SELECT count(*) FROM targets)")
                    ?? 0,
                try Int.fetchOne(db, sql: "SELECT count(*) FROM seals") ?? -1
            )
        }
        #expect(rows == seals)

        let generated = try Store.inMemory()
        _ = try generated.generate(GeneratorOptions(orders: 200, seed: 8))
        #expect(try generated.verify().findings.isEmpty)
        #expect(try generated.count("seals") == (try generated.count("enterprises")) + 4)
    }

    /// A file of schema version 2 (no seals) is upgraded: its rows are sealed as they stand, verify
    /// is clean, and from then on an edit of an enterprise or a target is named.
    @Test func aVersion2FileIsSealedByItsUpgrade() throws {
        let t = try TempStore()
        defer { t.cleanUp() }
        try t.store.setTarget(.innovativeStartups, .count(9), province: try Province.named("Đà Nẵng"))
        try t.tamper("DROP TABLE seals; PRAGMA user_version = 2;")
        let store = try Store.open(path: t.path, actor: "nâng cấp")
        let (version, actions, rows) = try t.raw().read { db in
            (
                try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0,
                try String.fetchAll(db, sql: "SELECT DISTINCT action || ' by ' || actor FROM seals"),
                try Int.fetchOne(db, sql: "SELECT (SELECT count(*) FROM enterprises) + (SELECT count(*) FROM targets)")
                    ?? 0
            )
        }
        #expect(version == Store.schemaVersion)
        #expect(actions == ["sealed_by_upgrade by nâng cấp"])
        #expect(try store.count("seals") == rows)
        #expect(try store.verify().findings.isEmpty)
        let seal = try sealID(t, "enterprises", where: "r.tax_code = '0312345673'")
        let targetSeal = try sealID(t, "targets", where: "r.province_code = '48'")
        try t.tamper(
            """
            UPDATE enterprises SET innovative_startup = 1 WHERE tax_code = '0312345673';
            DROP TRIGGER targets_never_changed; UPDATE targets SET value = 90 WHERE province_code = '48';
            """)
        let v = try verify(t)
        #expect(
            has(
                v, .records,
                "enterprise 0312345673 (province 79) was changed outside storders: innovative_startup is 1 now but 0 was recorded (seal #\(seal))"
            ), "\(v.findings)")
        #expect(
            has(
                v, .records,
                "target innovative_startups (province 48) was changed outside storders: value is 90 now but 9 was recorded (seal #\(targetSeal))"
            ), "\(v.findings)")
    }
}
