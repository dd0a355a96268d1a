#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import STOrders

extension ExportFormat: ExpressibleByArgument {}

struct Export: StoreCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", _superCommandName: "storders",
        abstract: "Write the whole database as JSON: enterprises, orders with outputs, funding, payments, results, events.",
        discussion: """
            The format is versioned ("format": "storders-export", "version": 1) and documented in the README. `storders import dump FILE` restores it; export → import dump → export gives identical bytes. Example: storders export --format jsonl --output all.jsonl
            """)

    @OptionGroup var global: GlobalOptions
    @Option(help: "json: one document; jsonl: one record per line.") var format: ExportFormat = .json
    @Option(help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file")) var output: String?

    func run(store: Store, console: Console) throws {
        let fd: Int32
        if let output {
            fd = open(output, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard fd >= 0 else {
                throw STOrdersError.fileUnreadable(path: output, reason: "cannot write it: \(String(cString: strerror(errno)))")
            }
        } else {
            fd = 1
        }
        defer { if fd != 1 { close(fd) } }
        let bar = ProgressBar("exporting")
        defer { bar.finish() }
        let path = output ?? "standard output"
        _ = try store.export(format: format, sink: { bytes in
            try bytes.withUnsafeBytes { p in
                var offset = 0
                while offset < p.count {
                    let n = write(fd, p.baseAddress! + offset, p.count - offset)
                    if n < 0 && errno == EINTR { continue }
                    guard n > 0 else {
                        throw STOrdersError.fileUnreadable(path: path, reason: "writing failed: \(String(cString: strerror(errno)))")
                    }
                    offset += n
                }
            }
        }, progress: bar.handler)
    }
}
