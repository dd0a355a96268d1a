import GRDB

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What `backup` wrote.
public struct BackupSummary: Sendable, Equatable {
    public var path: String
    public var bytes: Int64
    public var orders: Int
    public var events: Int
    /// The copy's last event hash (its history's head), as `verify` prints it.
    public var chainHead: String
}

extension Store {
    /// Whether `path` names this database's file, or its WAL or shared-memory file (by device and
    /// inode, so another spelling of the path or a link counts too): somewhere no command may write.
    public func isOwnFile(_ path: String) -> Bool {
        var target = stat()
        guard stat(path, &target) == 0 else { return false }
        for own in [self.path, self.path + "-wal", self.path + "-shm"] {
            var info = stat()
            if stat(own, &info) == 0 && info.st_dev == target.st_dev && info.st_ino == target.st_ino { return true }
        }
        return false
    }

    /// Copies the database to `path` with SQLite's online backup API, in one read snapshot:
    /// writers in other processes go on meanwhile, and the copy holds exactly the transactions
    /// committed when it started. The copy is written to a temporary file beside `path`, then
    /// moved into place, so `path` never holds half a backup. An existing `path` is refused
    /// unless `replacing` (and the database itself always is); a refusal changes nothing.
    @discardableResult
    public func backup(to path: String, replacing: Bool = false) throws -> BackupSummary {
        var target = stat()
        let exists = stat(path, &target) == 0
        if exists {
            if isOwnFile(path) { throw STOrdersError.backupOntoItself(path: path) }
            if (target.st_mode & S_IFMT) == S_IFDIR {
                throw STOrdersError.backupFailed(path: path, reason: "it is a directory; give a file name")
            }
            guard replacing else { throw STOrdersError.backupExists(path: path) }
        }
        let temporary = "\(path).part-\(getpid())"
        let fd = posixOpen(temporary, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw STOrdersError.backupFailed(path: path, reason: String(cString: strerror(errno)))
        }
        close(fd)
        func removeTemporary() {
            for suffix in ["", "-wal", "-shm", "-journal"] { unlink(temporary + suffix) }
        }
        do {
            var summary = BackupSummary(path: path, bytes: 0, orders: 0, events: 0, chainHead: "")
            let copy = try DatabaseQueue(path: temporary)
            do {
                try writer.backup(to: copy)
                try copy.read { db in
                    summary.orders = try Int.fetchOne(db, sql: "SELECT count(*) FROM orders") ?? 0
                    summary.events = try Int.fetchOne(db, sql: "SELECT count(*) FROM events") ?? 0
                    summary.chainHead =
                        try String.fetchOne(db, sql: "SELECT hash FROM events ORDER BY id DESC LIMIT 1") ?? ""
                }
                try copy.close()
            } catch {
                try? copy.close()
                throw error
            }
            if replacing {
                guard rename(temporary, path) == 0 else {
                    throw STOrdersError.backupFailed(path: path, reason: String(cString: strerror(errno)))
                }
            } else {
                // link(2) refuses an existing name: a file that appeared meanwhile is never replaced.
                guard link(temporary, path) == 0 else {
                    let code = errno
                    if code == EEXIST { throw STOrdersError.backupExists(path: path) }
                    throw STOrdersError.backupFailed(path: path, reason: String(cString: strerror(code)))
                }
                unlink(temporary)
            }
            var written = stat()
            if stat(path, &written) == 0 { summary.bytes = Int64(written.st_size) }
            return summary
        } catch let error as DatabaseError {
            removeTemporary()
            throw STOrdersError.backupFailed(
                path: path, reason: error.message ?? "SQLite error \(error.resultCode.rawValue)")
        } catch {
            removeTemporary()
            throw error
        }
    }
}
