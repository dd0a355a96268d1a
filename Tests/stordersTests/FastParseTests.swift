import ArgumentParser
import Testing

@testable import storders

/// A command named in full is parsed by that command alone (Storders+Parse.swift), which keeps a
/// one-row write within 2× of sqlite3. It takes that path only when the leaf declares the path of
/// its groups as `_superCommandName`; a missing or wrong declaration would silently fall back to
/// the slow full parse, so every leaf is checked here.
@Suite struct FastParseTests {
    static func leaves(of command: any ParsableCommand.Type, path: String) -> [(String, any ParsableCommand.Type)] {
        command.configuration.subcommands.flatMap { sub -> [(String, any ParsableCommand.Type)] in
            sub.configuration.subcommands.isEmpty
                ? [(path, sub)] : leaves(of: sub, path: path + " " + sub._commandName)
        }
    }

    @Test func everyLeafDeclaresItsGroups() {
        let all = Self.leaves(of: Storders.self, path: "storders")
        #expect(all.count > 25)
        for (path, leaf) in all {
            #expect(leaf.configuration._superCommandName == path, "\(path) \(leaf._commandName)")
        }
    }

    @Test func aWriteCommandTakesTheFastPathAndAnythingUnusualDoesNot() {
        let parsed = Storders.parseLeaf(["payment", "record", "19-2025-0001", "--output", "1", "--amount", "1"])
        #expect(parsed.map { type(of: $0) == PaymentRecordCommand.self } == true)
        #expect(Storders.parseLeaf(["payment", "record", "--help"]) == nil)
        #expect(Storders.parseLeaf(["payment", "record", "19-2025-0001", "--output", "one"]) == nil)
        #expect(Storders.parseLeaf(["payment"]) == nil)
    }
}
