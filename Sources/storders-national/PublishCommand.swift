import ArgumentParser
import STOrders
import STOrdersNational

extension Publisher.Totals: ExpressibleByArgument {}

struct PublishCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish",
        abstract: "Send everything recorded since the last publish into the national store.",
        discussion: """
            Records and their hash-chained events go in batches, each one transaction that also advances this database's published position: running it twice adds nothing, and a publish cut off at any point is finished by the next. Refused, with nothing written: a national store of another schema version; a database whose history does not extend what it published before (restored from an older backup, edited, replaced); a province whose orders another source publishes.

            Example:
              storders-national publish --db thai-nguyen.sqlite --to postgresql://storders@db.example/storders_national
            """)

    @OptionGroup var options: NationalOptions
    @Option(help: "Events (or seals) per batch, one transaction each.") var batchSize = Publisher.defaultBatchSize
    @Option(
        help: """
            How the national running totals follow: batch (each batch adjusts them for the orders it moves), end (recomputed once for this source's provinces after the last batch), auto (end for a first publish or a catch-up of more than a quarter of the history, else batch).
            """)
    var totals = Publisher.Totals.automatic

    func validate() throws {
        guard batchSize > 0 else { throw ValidationError("--batch-size must be a positive number") }
    }

    func run() async throws {
        let url = try NationalURL(parsing: try options.url())
        let store = try Store.open(path: options.databasePath, actor: NationalOptions.actor)
        let summary = try await Publisher.publish(store, to: url, batchSize: batchSize, totals: totals)
        if options.json {
            print(NationalShape.publish(summary, url: url).serialized())
        } else {
            print(NationalShape.publishLine(summary, url: url))
        }
    }
}

struct NationalInitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create the national schema (national/schema.sql) in an empty PostgreSQL database.",
        discussion: """
            Does nothing when the schema is there already at this version; upgrades a store of version 1 (adds the running totals, computed from the records) or 2 (adds the sources' totals_pending flag), in one transaction; refuses another version.

            Example:
              storders-national init --to postgresql://storders@db.example/storders_national
            """)

    @OptionGroup var options: NationalOptions

    func run() async throws {
        let url = try NationalURL(parsing: try options.url())
        let national = try await NationalConnection.connect(url)
        let change: NationalConnection.SchemaChange
        do {
            change = try await national.createSchema()
            await national.close()
        } catch {
            await national.close()
            throw error
        }
        if options.json {
            var fields: [(String, JSONValue)] = [
                ("url", .string(url.description)), ("schema_version", .int(Int64(NationalSchema.version))),
                ("created", .bool(change == .created)),
            ]
            if case .upgraded(let from) = change { fields.append(("upgraded_from", .int(Int64(from)))) }
            print(JSONValue.object(fields).serialized())
        } else {
            switch change {
            case .created:
                print("Created the national schema (version \(NationalSchema.version)) at \(url).")
            case .upgraded(let from):
                let totals = from == 1 ? " (the running totals, computed from the records)" : ""
                // Version 4 keeps the deadlines and version 5 the advances, which the sources that
                // published before did not send.
                let dates =
                    from < 4
                    ? " Each source that published before sends its due dates, contract periods, advances and payments' settled parts with its next publish."
                    : " Each source that published before sends its advances and payments' settled parts with its next publish."
                print(
                    "Upgraded the national schema at \(url) from version \(from) to \(NationalSchema.version)\(totals).\(dates)"
                )
            case .unchanged:
                print("\(url) already has the national schema (version \(NationalSchema.version)); nothing to do.")
            }
        }
    }
}
