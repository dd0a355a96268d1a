import ArgumentParser
import STOrders

struct OutputAcceptCommand: StoreCommand {
    static let configuration = CommandConfiguration(
        commandName: "accept", _superCommandName: "storders output",
        abstract: "Accept (nghiệm thu) one output of a funded order; the last acceptance delivers the order.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The order's code.") var order: String
    @Argument(help: "The output's number within the order (1, 2, …).") var outputNumber: Int
    @Option(help: "What shows it was delivered (minutes, test report).") var evidence: String?
    @OptionGroup var date: DateOption

    func run(store: Store, console: Console) throws {
        let (output, state) = try store.acceptOutput(
            order: order, number: outputNumber, evidence: evidence, on: try date.day())
        if global.json {
            console.line(Shape.acceptedOutput(output, orderState: state).serialized())
        } else {
            console.line(
                "Accepted output \(output.number) of order \(output.orderCode) on \(output.acceptedOn.map(String.init(describing:)) ?? ""): \(output.title)."
            )
            if state == .delivered {
                console.line("All outputs are accepted: order \(output.orderCode) is now delivered.")
            }
        }
    }
}
