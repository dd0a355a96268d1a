import ArgumentParser

/// `storders-national`: the national roll-up on PostgreSQL. Its own executable, so that `storders`
/// does not link PostgresNIO (the CLI's start-up is measured in BENCHMARKS.md).
@main
struct StordersNational: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "storders-national",
        abstract: "Publish a province's STOrders database into the national PostgreSQL store, and report from it.",
        discussion: """
            The national store is a PostgreSQL database made with national/schema.sql (or `storders-national init --to URL`). URLs are postgresql://USER:PASSWORD@HOST:PORT/DATABASE; the password may also come from $PGPASSWORD.
            """,
        version: "0.1.0",
        subcommands: []
    )
}
