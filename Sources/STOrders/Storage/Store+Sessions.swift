import Foundation
import GRDB

/// Signed-in sessions (schema.sql's `sessions`): kept in the database so they survive a restart.
/// The raw session id is shown once, to be put in a cookie; the store keeps its SHA-256 only.
/// A session ends when idle longer than the server's idle time, at its absolute end, at sign-out,
/// or when its account is disabled or its password changed.
extension Store {
    /// Starts a session for an account just authenticated: a new random id (so an id known
    /// before sign-in is worth nothing after it) and a CSRF token for its forms. It ends at
    /// `now + absolute` at the latest. Refused (`authenticationFailed`) if the account is gone
    /// or disabled.
    public func startSession(
        for account: Account, now: Date, idle: TimeInterval, absolute: TimeInterval
    ) throws -> IssuedSession {
        let id = Secrets.random()
        let csrf = Secrets.random()
        let created = Store.timestamp(now)
        let expires = Store.timestamp(now.addingTimeInterval(max(absolute, 1)))
        try write { db in
            let live = try Bool.fetchOne(
                db, sql: "SELECT disabled = 0 FROM accounts WHERE id = ?", arguments: [account.id])
            guard live == true else { throw STOrdersError.authenticationFailed }
            try db.execute(
                sql: """
                    INSERT INTO sessions (id_hash, account_id, csrf_token, created_at, last_seen_at, expires_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [Secrets.digest(id), account.id, csrf, created, created, expires])
        }
        return IssuedSession(id: id, csrfToken: csrf, expiresAt: expires)
    }

    /// The account and session behind a raw session id, or nil when the id is unknown, the
    /// session idle for `idle` seconds or more, past its absolute end, or its account disabled
    /// (an ended session's row is deleted). Marks the session seen, a write, at most once a
    /// minute: most requests only read.
    public func session(id: String, now: Date, idle: TimeInterval) throws -> (Account, SessionInfo)? {
        guard !id.isEmpty else { return nil }
        let hash = Secrets.digest(id)
        let found = try read { db -> (Account, SessionInfo)? in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT \(Store.accountColumns), s.csrf_token, s.created_at, s.last_seen_at, s.expires_at
                        FROM sessions s JOIN accounts a ON a.id = s.account_id WHERE s.id_hash = ?
                        """, arguments: [hash])
            else { return nil }
            return (
                try Store.decodeAccount(row),
                SessionInfo(
                    csrfToken: row[Store.accountColumnCount], createdAt: row[Store.accountColumnCount + 1],
                    lastSeenAt: row[Store.accountColumnCount + 2], expiresAt: row[Store.accountColumnCount + 3])
            )
        }
        guard let (account, info) = found else { return nil }
        let nowText = Store.timestamp(now)
        if account.disabled || info.expiresAt <= nowText || info.lastSeenAt <= Store.timestamp(now - idle) {
            try write { db in try db.execute(sql: "DELETE FROM sessions WHERE id_hash = ?", arguments: [hash]) }
            return nil
        }
        if info.lastSeenAt <= Store.timestamp(now - 60) {
            try write { db in
                try db.execute(
                    sql: "UPDATE sessions SET last_seen_at = max(last_seen_at, ?) WHERE id_hash = ?",
                    arguments: [nowText, hash])
            }
            return (
                account,
                SessionInfo(
                    csrfToken: info.csrfToken, createdAt: info.createdAt, lastSeenAt: nowText,
                    expiresAt: info.expiresAt)
            )
        }
        return (account, info)
    }

    /// Signs out: deletes the session and records `logout`. An unknown id changes nothing.
    public func endSession(id: String, address: String?) throws {
        let address = try Text.validateOptional(address, what: "address")
        let hash = Secrets.digest(id)
        try write { db in
            guard
                let login = try String.fetchOne(
                    db,
                    sql: "SELECT a.login FROM sessions s JOIN accounts a ON a.id = s.account_id WHERE s.id_hash = ?",
                    arguments: [hash])
            else { return }
            try db.execute(sql: "DELETE FROM sessions WHERE id_hash = ?", arguments: [hash])
            try Store.appendAudit(db, .logout, actor: login, login: login, address: address, detail: nil)
        }
    }

    /// Deletes every session that has ended by `now` (idle for `idle` seconds, or past its
    /// absolute end); returns how many. For a server's housekeeping.
    @discardableResult
    public func deleteExpiredSessions(now: Date, idle: TimeInterval) throws -> Int {
        try write { db in
            try db.execute(
                sql: "DELETE FROM sessions WHERE expires_at <= ? OR last_seen_at <= ?",
                arguments: [Store.timestamp(now), Store.timestamp(now - idle)])
            return db.changesCount
        }
    }

    /// How many sessions an account has open (for tests and an admin's view).
    public func sessionCount(login: String) throws -> Int {
        try read { db in
            let account = try Store.fetchAccount(db, login: login)
            return try Int.fetchOne(
                db, sql: "SELECT count(*) FROM sessions WHERE account_id = ?", arguments: [account.id]) ?? 0
        }
    }

    /// A moment as `YYYY-MM-DDTHH:MM:SSZ`, to the second (rounded down).
    static func timestamp(_ date: Date) -> String {
        timestamp(epochSeconds: Int(date.timeIntervalSince1970.rounded(.down)))
    }
}
