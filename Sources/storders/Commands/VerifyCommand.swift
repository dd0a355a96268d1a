import ArgumentParser
import STOrders

struct Verify: StoreCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify", _superCommandName: "storders",
        abstract:
            "Check that the database can be trusted: file, schema and triggers, history chain, records and rules.",
        discussion: """
            Prints each check and every problem found, naming the order it concerns; exits 0 when all holds and 1 (with one Error: line) when anything is wrong. Write down the chain head it prints: a later verify showing another head for the same history means the history was rewritten. Example:
              storders verify --db copy-2026-06-30.sqlite
            """)

    @OptionGroup var global: GlobalOptions

    func run(store: Store, console: Console) throws {
        let v = try store.verify()
        if global.json {
            console.line(Shape.verification(v, database: store.path).serialized())
        } else {
            console.line(
                "Verified \(store.path): \(v.orders) orders, \(v.events) events, \(v.payments) payments, \(v.results) results."
            )
            for check in Verification.Check.allCases {
                let found = v.findings(of: check)
                console.line("  \(found.isEmpty ? "ok  " : "FAIL") \(check.title)")
                for f in found {
                    console.line("         " + (f.order.map { "order \($0): " } ?? "") + f.message)
                }
            }
            if !v.chainHead.isEmpty { console.line("Chain head: \(v.chainHead)") }
            console.line(
                v.isClean
                    ? "All checks passed." : "\(v.findings.count) problem\(v.findings.count == 1 ? "" : "s") found.")
        }
        if !v.isClean { throw STOrdersError.verificationFailed(path: store.path, findings: v.findings.count) }
    }
}
