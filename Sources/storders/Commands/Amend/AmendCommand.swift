import ArgumentParser
import STOrders

struct AmendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "amend",
        abstract: "Extend a funded order's dates: an output's due date or the contract's end, with a reason.",
        discussion: """
            An officer extends a date directly (extend); an enterprise asks for it (request), and an officer approves or refuses the request once, with a reason. Each step is in the order's history; the original date stays shown.
            """,
        subcommands: [
            AmendExtendCommand.self, AmendRequestCommand.self, AmendApproveCommand.self, AmendRefuseCommand.self,
        ])
}

/// Which date an amendment changes: `--output N` or `--contract`.
struct AmendTargetOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The output whose due date to extend.", valueName: "number")) var output: Int?
    @Flag(help: "The contract's end instead.") var contract = false

    func validate() throws {
        if (output == nil) == !contract { throw ValidationError("give exactly one of --output NUMBER or --contract") }
    }

    var target: AmendmentTarget { output.map { .output($0) } ?? .contractEnd }
}

enum AmendmentText {
    static func line(_ a: Amendment) -> String {
        switch a.state {
        case .requested:
            return
                "Recorded amendment request \(a.number) of order \(a.orderCode): \(a.target) from \(a.previousOn) to \(a.proposedOn); it waits for an officer's decision."
        case .approved:
            return
                "Amendment \(a.number) of order \(a.orderCode) approved: \(a.target) is now due on \(a.proposedOn) (was \(a.previousOn))."
        case .refused:
            return
                "Amendment \(a.number) of order \(a.orderCode) refused: \(a.target) stays due on \(a.previousOn)."
        }
    }
}

struct AmendExtendCommand: StoreCommand {
    static let configuration = CommandConfiguration(
        commandName: "extend", _superCommandName: "storders amend",
        abstract: "Extend an output's due date or the contract's end (an officer's decision).",
        discussion: """
            Example:
              storders amend extend 19-2026-0001 --output 2 --to 2027-03-31 --reason "Chậm giao thiết bị nhập khẩu"
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The order's code.") var order: String
    @OptionGroup var which: AmendTargetOptions
    @Option(help: ArgumentHelp("The new, later date, YYYY-MM-DD.", valueName: "date")) var to: String
    @Option(help: "Why.") var reason: String
    @OptionGroup var date: DateOption

    func run(store: Store, console: Console) throws {
        let a = try store.amend(
            order: order, which.target, to: try Day(parsing: to), reason: reason, on: try date.day())
        console.line(global.json ? Shape.amendment(a, withOrder: true).serialized() : AmendmentText.line(a))
    }
}

struct AmendRequestCommand: StoreCommand {
    static let configuration = CommandConfiguration(
        commandName: "request", _superCommandName: "storders amend",
        abstract: "Ask for an output's due date or the contract's end to be extended (an enterprise's request).",
        discussion: """
            One request per date is open at a time; an officer decides it with `storders amend approve` or `refuse`.

            Example:
              storders amend request 19-2026-0001 --contract --to 2027-06-30 --reason "Thời tiết bất lợi kéo dài"
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The order's code.") var order: String
    @OptionGroup var which: AmendTargetOptions
    @Option(help: ArgumentHelp("The later date asked for, YYYY-MM-DD.", valueName: "date")) var to: String
    @Option(help: "Why.") var reason: String
    @OptionGroup var date: DateOption

    func run(store: Store, console: Console) throws {
        let a = try store.requestAmendment(
            order: order, which.target, to: try Day(parsing: to), reason: reason, on: try date.day())
        console.line(global.json ? Shape.amendment(a, withOrder: true).serialized() : AmendmentText.line(a))
    }
}

struct AmendApproveCommand: StoreCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve", _superCommandName: "storders amend",
        abstract: "Approve an open amendment request: the date asked for comes into force.",
        discussion: """
            Example:
              storders amend approve 19-2026-0001 1 --reason "Đồng ý gia hạn theo đề nghị"
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The order's code.") var order: String
    @Argument(help: "The request's number (`storders order show` lists them).") var number: Int
    @Option(help: "Why.") var reason: String
    @OptionGroup var date: DateOption

    func run(store: Store, console: Console) throws {
        let a = try store.decideAmendment(order: order, number: number, .approve, reason: reason, on: try date.day())
        console.line(global.json ? Shape.amendment(a, withOrder: true).serialized() : AmendmentText.line(a))
    }
}

struct AmendRefuseCommand: StoreCommand {
    static let configuration = CommandConfiguration(
        commandName: "refuse", _superCommandName: "storders amend",
        abstract: "Refuse an open amendment request: the date stays as it is.",
        discussion: """
            Example:
              storders amend refuse 19-2026-0001 1 --reason "Không đủ căn cứ gia hạn"
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The order's code.") var order: String
    @Argument(help: "The request's number (`storders order show` lists them).") var number: Int
    @Option(help: "Why.") var reason: String
    @OptionGroup var date: DateOption

    func run(store: Store, console: Console) throws {
        let a = try store.decideAmendment(order: order, number: number, .refuse, reason: reason, on: try date.day())
        console.line(global.json ? Shape.amendment(a, withOrder: true).serialized() : AmendmentText.line(a))
    }
}
