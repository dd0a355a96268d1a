import ArgumentParser
import STOrders
#if canImport(Glibc)
import Glibc
#endif

struct ReportHTMLCommand: StoreCommand {
    static let configuration = CommandConfiguration(
        commandName: "html", _superCommandName: "storders report",
        abstract: "Write the year's dashboard as one self-contained HTML file (no network; charts are inline SVG).",
        discussion: """
            Sections: the targets, every indicator, the lifecycle funnel, money committed and paid by source, the technology map (orders by province and field), the trend over the years and the commercialized results. It prints well, and opens in any browser without a network. Example: storders report html --year 2025 --province "Thái Nguyên" --output bao-cao-2025.html
            """)

    @OptionGroup var global: GlobalOptions
    @Option(help: "The year (default: this year).") var year: Int?
    @Option(help: "Only this province's orders (default: all provinces).") var province: String?
    @Option(help: ArgumentHelp("The HTML file to write (replaced if it exists).", valueName: "file")) var output: String

    func run(store: Store, console: Console) throws {
        let year = try Parse.year(year) ?? Day.today().year
        let dashboard = try store.dashboard(year: year, province: try Parse.province(province))
        let html = HTMLDashboard(dashboard).render()
        try FileOutput.replace(output, with: html)
        if global.json {
            console.line(JSON.object([("output", .string(output)), ("bytes", .int(html.utf8.count)),
                                      ("year", .int(year)), ("province", .optional(dashboard.province?.name))]).serialized())
        } else {
            console.line("Wrote \(output) (\(html.utf8.count) bytes): the \(year) dashboard for "
                + (dashboard.province?.name ?? "all provinces") + ".")
        }
    }
}

/// Writes a whole file through a temporary sibling and a rename, so a reader never sees half of it.
enum FileOutput {
    static func replace(_ path: String, with text: String) throws {
        var info = stat()
        if stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR {
            throw STOrdersError.outputUnavailable(path: path, reason: "it is a directory; give a file name")
        }
        let temporary = path + ".tmp-\(getpid())"
        let fd = open(temporary, O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw STOrdersError.outputUnavailable(path: path, reason: String(cString: strerror(errno)))
        }
        let bytes = Array(text.utf8)
        var offset = 0
        var failure: Int32 = 0
        bytes.withUnsafeBufferPointer { p in
            while offset < p.count {
                let n = write(fd, p.baseAddress! + offset, p.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                offset += n
            }
        }
        if failure == 0 && fsync(fd) != 0 { failure = errno }
        close(fd)
        if failure == 0 && rename(temporary, path) != 0 { failure = errno }
        if failure != 0 {
            unlink(temporary)
            throw STOrdersError.outputUnavailable(path: path, reason: String(cString: strerror(failure)))
        }
    }
}
