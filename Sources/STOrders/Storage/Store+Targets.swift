import GRDB

extension Store {
    /// Sets a target: the national default when `province` is nil, else that province's own
    /// (which then applies to it instead of the default). The earlier value stays on record
    /// (`targetHistory`); the latest is in force. Returns the stored target.
    @discardableResult
    public func setTarget(_ key: TargetKey, _ value: TargetValue, province: Province? = nil) throws -> Target {
        switch (key.isShare, value) {
        case (true, .share), (false, .count): break
        default:
            throw STOrdersError.invalidTarget(
                key: key.rawValue, value.description,
                reason: key.isShare ? "expected a share" : "expected a count")
        }
        let target = Target(key: key, province: province, value: value, setAt: Store.timestamp(), setBy: actor)
        try write { db in
            try db.execute(
                sql: """
                    INSERT INTO targets (key, province_code, value, set_at, set_by) VALUES (?, ?, ?, ?, ?)
                    """, arguments: [key.rawValue, province?.code, value.stored, target.setAt, target.setBy])
            try SealTable.targets.seal(
                db, id: db.lastInsertedRowID, action: .targetSet, actor: actor, recordedAt: target.setAt)
        }
        return target
    }

    /// The stored targets: the national defaults first, then each province's own, by province
    /// code. With `province`, the targets that apply to it (its own where set, else the default).
    public func targets(province: Province? = nil) throws -> [Target] {
        try read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT key, province_code, value, set_at, set_by FROM targets t
                    WHERE id = (SELECT max(id) FROM targets u WHERE u.key = t.key AND u.province_code IS t.province_code)
                    ORDER BY province_code IS NOT NULL, province_code,
                             CASE key WHEN 'new_or_improved_outputs' THEN 1 WHEN 'enterprises_innovating' THEN 2
                                      WHEN 'innovative_startups' THEN 3 ELSE 4 END
                    """)
            let all = try rows.map(Store.target)
            guard let province else { return all }
            return TargetKey.allCases.compactMap { key in
                all.first { $0.key == key && $0.province == province }
                    ?? all.first { $0.key == key && $0.province == nil }
            }
        }
    }

    /// Every target ever set, oldest first (the framework's defaults, then each change).
    public func targetHistory() throws -> [Target] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT key, province_code, value, set_at, set_by FROM targets ORDER BY id")
                .map(Store.target)
        }
    }

    /// The target values that apply to each province (its own, else the default), and the defaults.
    func targetTable(_ db: Database) throws -> TargetTable {
        var table = TargetTable()
        // In id order, so the latest row for a key and province is the one kept.
        for row in try Row.fetchAll(
            db, sql: "SELECT key, province_code, value, set_at, set_by FROM targets ORDER BY id")
        {
            let t = try Store.target(row)
            table.set(t.key, province: t.province, t.value)
        }
        return table
    }

    static func target(_ row: Row) throws -> Target {
        let key = try vocabulary(TargetKey.self, row[0])
        let stored: Int64 = row[2]
        let code: String? = row[1]
        return Target(
            key: key, province: try code.map { try province(code: $0) },
            value: key.isShare ? .share(basisPoints: stored) : .count(stored), setAt: row[3], setBy: row[4])
    }
}

/// The targets in force: the national defaults and each province's own. Rows are set oldest
/// first, so the latest for a key and province is the one kept.
public struct TargetTable: Sendable {
    var defaults: [TargetKey: TargetValue] = [:]
    var byProvince: [String: [TargetKey: TargetValue]] = [:]

    public init() {}

    public mutating func set(_ key: TargetKey, province: Province?, _ value: TargetValue) {
        if let province {
            byProvince[province.code, default: [:]][key] = value
        } else {
            defaults[key] = value
        }
    }

    /// A row as stored (`targets.key`, `province_code`, `value`: a count, or basis points for a share).
    public mutating func set(key: String, provinceCode: String?, stored: Int64) throws {
        let key = try Store.vocabulary(TargetKey.self, key)
        set(
            key, province: try provinceCode.map { try Store.province(code: $0) },
            key.isShare ? .share(basisPoints: stored) : .count(stored))
    }

    func value(_ key: TargetKey, province: Province?) -> TargetValue? {
        if let province, let own = byProvince[province.code]?[key] { return own }
        return defaults[key]
    }
}
