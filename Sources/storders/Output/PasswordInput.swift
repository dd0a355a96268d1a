import STOrders

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads a password: never from the command line (where `ps` and the shell's history would
/// show it). From `--password-file` when given (its first line); else, from a terminal, a prompt
/// on stderr with echo off, twice; otherwise the first line of standard input
/// (`printf '%s\n' "$PW" | storders user add …`).
enum PasswordInput {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static func read(for login: String, file: String?) throws -> String {
        if let file { return try firstLine(of: file) }
        guard isatty(0) == 1 else {
            guard let line = readLine(strippingNewline: true) else {
                throw Failure(
                    description:
                        "no password on standard input; give it as the first line (printf '%s\\n' \"$PASSWORD\" | storders …), or run the command in a terminal to be asked for it"
                )
            }
            return line
        }
        let first = try prompt("Password for \(login): ")
        let second = try prompt("The same password again: ")
        guard first == second else { throw Failure(description: "the two passwords differ; nothing was changed") }
        return first
    }

    /// The first line of a file (a secret mounted for a script), without its line end.
    static func firstLine(of path: String) throws -> String {
        guard let handle = fopen(path, "r") else {
            throw STOrdersError.fileUnreadable(path: Text.excerpt(path), reason: String(cString: strerror(errno)))
        }
        defer { fclose(handle) }
        var buffer: UnsafeMutablePointer<CChar>? = nil
        var capacity = 0
        defer { free(buffer) }
        let count = getline(&buffer, &capacity, handle)
        guard count > 0, let buffer else {
            throw STOrdersError.fileUnreadable(
                path: Text.excerpt(path), reason: "it is empty; expected the password on its first line")
        }
        var bytes = Array(
            UnsafeBufferPointer(start: UnsafeRawPointer(buffer).assumingMemoryBound(to: UInt8.self), count: count))
        if bytes.last == 0x0A { bytes.removeLast() }
        if bytes.last == 0x0D { bytes.removeLast() }
        guard let line = String(validating: bytes, as: UTF8.self) else {
            throw STOrdersError.fileUnreadable(path: Text.excerpt(path), reason: "its first line is not UTF-8 text")
        }
        return line
    }

    /// One line from the terminal with echo off (restored however the read ends).
    static func prompt(_ text: String) throws -> String {
        writeToStderr(text)
        var saved = termios()
        guard tcgetattr(0, &saved) == 0 else { throw Failure(description: "cannot read the terminal's settings") }
        var silent = saved
        silent.c_lflag &= ~tcflag_t(ECHO)
        silent.c_lflag |= tcflag_t(ECHONL)
        guard tcsetattr(0, TCSAFLUSH, &silent) == 0 else {
            throw Failure(description: "cannot turn off the terminal's echo; pass the password on standard input")
        }
        defer { _ = tcsetattr(0, TCSAFLUSH, &saved) }
        guard let line = readLine(strippingNewline: true) else {
            throw Failure(description: "no password was typed")
        }
        return line
    }

    static func writeToStderr(_ text: String) {
        var bytes = Array(text.utf8)
        _ = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress, $0.count) }
    }
}
