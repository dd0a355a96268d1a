#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads a password: never from the command line (where `ps` and the shell's history would
/// show it). From a terminal it prompts on stderr with echo off, twice; otherwise it takes the
/// first line of standard input (`printf '%s\n' "$PW" | storders user add …`).
enum PasswordInput {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static func read(for login: String) throws -> String {
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
