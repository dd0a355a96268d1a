import ArgumentParser
import STOrders

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
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
        let year = try Parse.year(year) ?? Today.day().year
        let dashboard = try store.dashboard(year: year, province: try Parse.province(province))
        let html = DashboardHTML(dashboard).document()
        try FileOutput.replace(output, of: store, mode: 0o644) { fd in
            try FileOutput.writeAll(fd, Array(html.utf8), path: output)
        }
        if global.json {
            console.line(
                JSONValue.object([
                    ("output", .string(output)), ("bytes", .int(html.utf8.count)),
                    ("year", .int(year)), ("province", .optional(dashboard.province?.name)),
                ]).serialized())
        } else {
            console.line(
                "Wrote \(output) (\(html.utf8.count) bytes): the \(year) dashboard for "
                    + (dashboard.province?.name ?? "all provinces") + ".")
        }
    }
}
