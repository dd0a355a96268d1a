import ArgumentParser

extension Storders {
    /// The command the arguments name, parsed.
    ///
    /// When the arguments start with the names of a leaf command (`payment record …`), that leaf
    /// type alone parses the rest. `parseAsRoot` from `Storders` would also build and decode each
    /// command group on the way and try two completion-script pseudo-commands: reflective work
    /// (each type's first dynamic cast scans the static binary's ~6,800 protocol conformance
    /// records) that took a sixth of a `payment record` process's instructions. The group
    /// commands have no options, arguments or `validate()` of their own, so what the leaf decodes
    /// is what the full parse decodes.
    ///
    /// Anything else goes to the full parse from the root, so its output, messages and exit
    /// codes are the parser's own: a help or version request, a usage or validation error,
    /// completion requests, arguments that do not start with a leaf's names.
    static func parseCommand(_ arguments: [String] = Array(CommandLine.arguments.dropFirst())) throws
        -> any ParsableCommand
    {
        if let command = parseLeaf(arguments) { return command }
        return try parseAsRoot(arguments)
    }

    /// The leaf command named by the leading arguments, parsed by itself; nil when the arguments
    /// do not name a leaf or the leaf's own parse does not yield that command.
    ///
    /// A leaf declares the path of its groups as `_superCommandName` (`"storders payment"`), the
    /// parser's notion of a command run under a super-command: parsed as a root, such a command
    /// skips the completion-script check (a request for one fails the leaf's parse and reaches
    /// the full parse, which answers it). Only a leaf whose declared path is the one walked here
    /// takes this way, so a wrong or missing declaration costs speed, never behaviour.
    static func parseLeaf(_ arguments: [String]) -> (any ParsableCommand)? {
        var command: any ParsableCommand.Type = Storders.self
        var path = Storders._commandName
        var index = arguments.startIndex
        while index < arguments.endIndex {
            let name = arguments[index]
            guard
                let sub = command.configuration.subcommands.first(where: {
                    $0._commandName == name || $0.configuration.aliases.contains(name)
                })
            else { break }
            if sub.configuration.subcommands.isEmpty {
                guard sub.configuration._superCommandName == path, sub.configuration.defaultSubcommand == nil else {
                    return nil
                }
            } else {
                path += " " + sub._commandName
            }
            command = sub
            index += 1
        }
        guard index > arguments.startIndex, command.configuration.subcommands.isEmpty,
            arguments[index...].first != "---completion"
        else { return nil }
        // A help request parsed by the leaf alone comes back as the parser's help command (with
        // the leaf as the whole command path): only the leaf itself counts.
        guard let parsed = try? command.parseAsRoot(Array(arguments[index...])), type(of: parsed) == command
        else { return nil }
        return parsed
    }
}
