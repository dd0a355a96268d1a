import ArgumentParser
import STOrders

struct Generate: StoreCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate", _superCommandName: "storders",
        abstract: "Fill an empty database (or write CSV files) with deterministic, realistic synthetic data.",
        discussion: """
            Enterprises (one per five orders) with Vietnamese names and valid tax codes across the 34 provinces; orders in every state (about 8 % ordered, 17 % funded, 25 % delivered, 38 % commercialized, 12 % cancelled) with outputs, funding, payments, results, due dates and contract periods, documents (contracts, acceptance minutes, invoices) and their history. The same seed gives the same data, byte for byte.

            Examples:
              storders generate --orders 100000 --db big.sqlite
              storders generate --orders 1000 --seed 7 --csv ./sample     (enterprises.csv, orders.csv, outputs.csv)
            """)
    static var mayCreateDatabase: Bool { true }

    @OptionGroup var global: GlobalOptions
    @Option(help: "How many orders.") var orders: Int
    @Option(help: "The seed of the pseudo-random generator.") var seed: UInt64 = 1
    @Option(help: ArgumentHelp("The years the orders are registered in, FROM-TO.", valueName: "from-to")) var years =
        "2021-2030"
    @Option(
        help: ArgumentHelp(
            "Write enterprises.csv, orders.csv and outputs.csv into this directory instead of a database.",
            valueName: "directory")) var csv: String?

    func options() throws -> GeneratorOptions {
        guard orders >= 1, orders <= 50_000_000 else {
            throw ValidationError("--orders must be between 1 and 50000000")
        }
        let parts = years.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 1, let from = Int(parts[0]), let to = Int(parts.last ?? ""),
            from <= to, from >= 1950, to <= 2900
        else {
            throw ValidationError("--years must be FROM-TO, e.g. 2021-2030, with 1950 ≤ FROM ≤ TO ≤ 2900")
        }
        return GeneratorOptions(orders: orders, seed: seed, years: from...to)
    }

    func run() throws {
        let options = try options()
        if let csv {
            let summary = try ProgressBar.run("generating") {
                try Store.generateCSV(options, directory: csv, progress: $0)
            }
            let console = Console()
            defer { console.flush() }
            report(summary, where: "\(csv)/enterprises.csv, orders.csv, outputs.csv", console: console)
            return
        }
        try openAndRun()
    }

    func run(store: Store, console: Console) throws {
        let options = try options()
        let summary = try ProgressBar.run("generating") { try store.generate(options, progress: $0) }
        report(summary, where: store.path, console: console)
    }

    func report(_ s: ImportSummary, where target: String, console: Console) {
        if global.json {
            console.line(
                JSONValue.object([
                    ("enterprises", .int(s.enterprises)), ("orders", .int(s.orders)),
                    ("outputs", .int(s.outputs)), ("seed", .int(Int64(bitPattern: seed))),
                ]).serialized())
        } else {
            console.line(
                "Generated \(s.enterprises) enterprises, \(s.orders) orders and \(s.outputs) outputs (seed \(seed)) into \(target)."
            )
        }
    }
}
