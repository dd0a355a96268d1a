#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import STOrders

extension Storders {
    /// swift-argument-parser's `main()`, except that every failure is reported as exactly one
    /// `Error:` line on stderr, however hostile the input: a usage error names the help to read
    /// instead of printing the usage block, and user text quoted in a message is shortened and
    /// its control characters escaped (a value holding a line break cannot split the line).
    /// Exit codes stay the parser's: 1 for a refusal, 64 for a usage error; `--help` and
    /// `--version` print as usual.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            guard code != .success else { exit(withError: error) }
            var message = Text.oneLine(message(for: error))
            if message.unicodeScalars.count > 1_000 { message = Text.excerpt(message, limit: 1_000) }
            if message.hasPrefix("Error: ") { message.removeFirst("Error: ".count) }
            if code == .validationFailure { message += " (see '\(commandPath()) --help')" }
            writeToStandardError("Error: \(message)\n")
            Glibc.exit(code.rawValue)
        }
    }

    static func writeToStandardError(_ text: String) {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return }
            offset += n
        }
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
