import ArgumentParser
import STOrders

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension Storders {
    /// swift-argument-parser's `main()`, except that every failure is reported as exactly one
    /// `Error:` line on stderr, however hostile the input: a usage error names the help to read
    /// instead of printing the usage block, and user text quoted in a message is shortened and
    /// its control characters escaped (a value holding a line break cannot split the line).
    /// Exit codes stay the parser's: 1 for a refusal, 64 for a usage error; `--help` and
    /// `--version` print as usual.
    static func main() {
        do {
            try refuseInvalidUTF8Arguments()
            var command = try parseCommand()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            guard code != .success else { exit(withError: error) }
            let refusal = error as? STOrdersError
            let details = refusal?.details ?? []
            // A refusal of the library gets the CLI's hint (the flag or command that helps).
            var message = Text.oneLine(refusal?.cliMessage ?? message(for: error))
            // The parser quotes a value whole; keep the start and the end (which says what is accepted).
            let scalars = Array(message.unicodeScalars)
            if scalars.count > 500 {
                message =
                    String(String.UnicodeScalarView(scalars[..<120])) + "…(\(scalars.count - 400) code points)…"
                    + String(String.UnicodeScalarView(scalars[(scalars.count - 280)...]))
            }
            if message.hasPrefix("Error: ") { message.removeFirst("Error: ".count) }
            if code == .validationFailure { message += " (see '\(commandPath()) --help')" }
            if jsonRequested() {
                // --json: stdout holds exactly one JSON value. A command that printed its own
                // (verify's report) keeps it; otherwise the refusal is that value.
                if !Console.wroteOutput {
                    // The library's stable code; a usage error or another failure gets its own.
                    let errorCode = refusal?.code ?? (code == .validationFailure ? "usage" : "failed")
                    let body = Shape.error(code: errorCode, message: message, details: details)
                    write(body.serialized() + "\n", to: 1)
                }
            } else if !details.isEmpty {
                // A refusal's further lines (an import's problems) go to stdout, before the one
                // Error: line on stderr.
                write(details.map { "  " + $0 + "\n" }.joined(), to: 1)
            }
            write("Error: \(message)\n", to: 2)
            #if canImport(Glibc)
                Glibc.exit(code.rawValue)
            #else
                Darwin.exit(code.rawValue)
            #endif
        }
    }

    /// Whether the command line asks for JSON (`--json` before any `--`): read from the
    /// arguments, so a refusal by the parser itself is answered in JSON too.
    static func jsonRequested() -> Bool {
        CommandLine.arguments.dropFirst().prefix { $0 != "--" }.contains("--json")
    }

    /// Swift would quietly replace bytes that are not UTF-8 (text in a legacy Vietnamese encoding
    /// such as TCVN3 or Windows-1258) with U+FFFD and store the damaged text; refuse instead.
    static func refuseInvalidUTF8Arguments() throws {
        for i in stride(from: 1, to: Int(CommandLine.argc), by: 1) {  // argc may be 0 (execve with no argv)
            guard let raw = CommandLine.unsafeArgv[i], String(validatingCString: raw) == nil else { continue }
            throw InvalidArgumentEncoding(position: i, shown: String(cString: raw))
        }
    }

    struct InvalidArgumentEncoding: Error, CustomStringConvertible {
        let position: Int
        let shown: String
        var description: String {
            "argument \(position) ('\(Text.excerpt(shown))') is not valid UTF-8; STOrders keeps text in UTF-8: convert it first (for example with iconv -f WINDOWS-1258 -t UTF-8)"
        }
    }

    static func write(_ text: String, to fd: Int32) {
        _ = Array(text.utf8).withUnsafeBytes { writeFully(fd, $0) }
    }

    /// The subcommand the arguments name, e.g. `storders order register`.
    static func commandPath() -> String {
        var command: any ParsableCommand.Type = Storders.self
        var path = ["storders"]
        for argument in CommandLine.arguments.dropFirst() {
            guard let sub = command.configuration.subcommands.first(where: { $0.configuration.commandName == argument })
            else { break }
            command = sub
            path.append(argument)
        }
        return path.joined(separator: " ")
    }
}
