import STOrders

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Files the commands write (`export --output`, `report html --output`): whole or not at all.
enum FileOutput {
    /// Writes `path` through a temporary file beside it: `body` writes to its descriptor, then
    /// it is synced and renamed into place, so a reader never sees half a file and a failure
    /// leaves `path` as it was. A directory, or the database's own file (or its WAL or
    /// shared-memory file), is refused before anything is written. `mode`: 0o600 for what holds
    /// the records (an export, like the database), 0o644 for a report meant to be shared.
    static func replace(_ path: String, of store: Store, mode: mode_t, _ body: (Int32) throws -> Void) throws {
        var info = stat()
        if stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR {
            throw STOrdersError.outputUnavailable(path: path, reason: "it is a directory; give a file name")
        }
        if store.isOwnFile(path) {
            throw STOrdersError.outputUnavailable(
                path: path, reason: "it is the database itself; write to another file")
        }
        let temporary = path + ".tmp-\(getpid())"
        let fd = open(temporary, O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, mode)
        guard fd >= 0 else {
            throw STOrdersError.outputUnavailable(path: path, reason: String(cString: strerror(errno)))
        }
        var failure: (any Error)? = nil
        do {
            try body(fd)
            if fsync(fd) != 0 {
                throw STOrdersError.outputUnavailable(path: path, reason: String(cString: strerror(errno)))
            }
        } catch {
            failure = error
        }
        close(fd)
        if failure == nil && rename(temporary, path) != 0 {
            failure = STOrdersError.outputUnavailable(path: path, reason: String(cString: strerror(errno)))
        }
        if let failure {
            unlink(temporary)
            throw failure
        }
    }

    /// Writes all of `bytes` to `fd`, or refuses naming `path`.
    static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws {
        let failure = bytes.withUnsafeBytes { writeFully(fd, $0) }
        if failure != 0 {
            throw STOrdersError.outputUnavailable(
                path: path, reason: "writing failed: \(String(cString: strerror(failure)))")
        }
    }
}
