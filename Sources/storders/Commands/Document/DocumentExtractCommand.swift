import ArgumentParser
import STOrders

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

struct DocumentExtractCommand: StoreCommand {
    static let configuration = CommandConfiguration(
        commandName: "extract", _superCommandName: "storders document",
        abstract: "Write a document's content to a file (by default its own name, in the current folder).",
        discussion: """
            The content is checked against its SHA-256 before a byte is written; an existing file is replaced only with --force. Example:
              storders document extract 19-2026-0001 1 --to ~/bien-ban.pdf
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The order's code.") var order: String
    @Argument(help: "The document's number.") var number: Int
    @Option(help: ArgumentHelp("Where to write it.", valueName: "path")) var to: String?
    @Flag(help: "Replace the file if it exists.") var force = false

    func run(store: Store, console: Console) throws {
        let (document, bytes) = try store.documentContent(order: order, number: number)
        let path = to ?? document.fileName
        var info = stat()
        if !force && stat(path, &info) == 0 {
            throw STOrdersError.outputUnavailable(path: path, reason: "it already exists; pass --force to replace it")
        }
        try FileOutput.replace(path, of: store, mode: 0o600) { fd in try FileOutput.writeAll(fd, bytes, path: path) }
        if global.json {
            console.line(Shape.extractedDocument(document, file: path).serialized())
        } else {
            console.line(
                "Wrote document \(document.number) of order \(document.orderCode) (\(document.fileName), \(Money.format(document.size)) bytes, SHA-256 checked) to \(path)."
            )
        }
    }
}
