import ArgumentParser
import STOrders

struct DocumentAttachCommand: StoreCommand {
    static let configuration = CommandConfiguration(
        commandName: "attach", _superCommandName: "storders document",
        abstract:
            "Attach a file to an order, with --output to one of its outputs, or with --request to a payment request.",
        discussion: """
            Kinds: minutes, invoice, report, contract, other. The file is read whole (at most 16 MiB) and stored under its own name. Examples:
              storders document attach 19-2026-0001 "Biên bản nghiệm thu.pdf" --kind minutes --output 1
              storders document attach 19-2026-0001 "Hóa đơn GTGT.pdf" --kind invoice --request 2
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The order's code.") var order: String
    @Argument(help: "The file to attach.") var file: String
    @Option(help: "What the document is.") var kind: DocumentKind
    @Option(name: .customLong("output"), help: ArgumentHelp("Attach it to this output.", valueName: "number"))
    var outputNumber: Int?
    @Option(
        name: .customLong("request"),
        help: ArgumentHelp(
            "Attach it to this payment request (its papers, for the checklist's step request).", valueName: "number"))
    var requestNumber: Int?
    @Option(help: "A title, when the file name does not say enough.") var title: String?
    @OptionGroup var date: DateOption

    func run(store: Store, console: Console) throws {
        let document = try store.attachDocument(
            order: order, file: file, kind: kind, output: outputNumber, request: requestNumber, title: title,
            on: try date.day())
        if global.json {
            console.line(Shape.document(document).serialized())
        } else {
            console.line(
                "Attached document \(document.number) of order \(document.orderCode) (\(document.kind)) to \(document.target): \(document.fileName), \(Money.format(document.size)) bytes, SHA-256 \(document.sha256), on \(document.attachedOn)."
            )
        }
    }
}
