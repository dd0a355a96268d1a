import ArgumentParser
import Foundation
import Testing

@testable import storders

/// docs/commands.md tells the truth about the binary: its `storders --help` block is what the
/// binary prints, and its table of commands names every command a user can run.
@Suite struct CommandsDocumentTests {
    static func document() throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return try String(contentsOf: root.appendingPathComponent("docs/commands.md"), encoding: .utf8)
    }

    @Test func theHelpShownIsTheBinarysOwn() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let help = try cli.ok(["--help"]).stdout
        let document = try Self.document()
        let opening = "```\n$ storders --help\n"
        guard let start = document.range(of: opening),
            let end = document.range(of: "```", range: start.upperBound..<document.endIndex)
        else {
            Issue.record("docs/commands.md shows no `storders --help`")
            return
        }
        #expect(String(document[start.upperBound..<end.lowerBound]) == help)
    }

    /// Every command path (`order fund`, `amend approve`, `due`, …), leaves and groups with a
    /// default subcommand alike.
    static func commands(_ command: any ParsableCommand.Type, path: [String] = []) -> [[String]] {
        let subcommands = command.configuration.subcommands
        if subcommands.isEmpty { return [path] }
        let own = command.configuration.defaultSubcommand == nil ? [] : [path]
        return own + subcommands.flatMap { commands($0, path: path + [$0._commandName]) }
    }

    @Test func theTableNamesEveryCommand() throws {
        let document = try Self.document()
        guard let start = document.range(of: "## Every command"),
            let end = document.range(of: "\n## ", range: start.upperBound..<document.endIndex)
        else {
            Issue.record("docs/commands.md has no table of every command")
            return
        }
        let table = document[start.upperBound..<end.lowerBound]
        // The code spans of the table's first column: `storders order fund ORDER …`, or after a
        // comma `user disable\|enable LOGIN`; alternatives are written `a\|b`, an optional word `[show`.
        let spans = table.split(separator: "\n").filter { $0.hasPrefix("| `") }.flatMap { row in
            (row.dropFirst(2).components(separatedBy: " | ").first ?? "").split(separator: "`").enumerated()
                .filter { $0.offset % 2 == 0 }.map { String($0.element) }
        }
        let named: Set<String> = Set(
            spans.flatMap { span -> [String] in
                var words = span.split(separator: " ").map(String.init)
                if words.first == "storders" { words.removeFirst() }
                // The command's words: lowercase, until the first argument or option.
                var paths: [[String]] = [[]]
                for word in words {
                    let bare = word.hasPrefix("[") ? String(word.dropFirst()) : word
                    let choices = bare.components(separatedBy: "\\|").map {
                        $0.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
                    }
                    guard !bare.hasPrefix("-"),
                        choices.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isLowercase || $0 == "-" } })
                    else { break }
                    let optional = word.hasPrefix("[")
                    paths = paths.flatMap { path in choices.map { path + [$0] } + (optional ? [path] : []) }
                }
                return paths.map { $0.joined(separator: " ") }
            })
        let missing = Self.commands(Storders.self).map { $0.joined(separator: " ") }.filter {
            !$0.isEmpty && !named.contains($0)
        }
        #expect(missing.isEmpty, "docs/commands.md does not name: \(missing)")
    }
}
