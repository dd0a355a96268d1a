import ArgumentParser
import Hummingbird
import Logging
import STOrders
import STOrdersNational
import ServiceLifecycle

/// `--publish-to URL --publish-every 60s`: the server publishes its database into the national
/// store by itself (docs/national.md).
struct ServerPublishOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Publish the database into this national store (postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE; without a password, $PGPASSWORD) at start and every --publish-every.",
            valueName: "url"))
    var publishTo: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "How often to publish: seconds (60, 60s), minutes (5m) or hours (1h).", valueName: "interval"))
    var publishEvery: String?

    func validate() throws {
        if publishEvery != nil && publishTo == nil {
            throw ValidationError("--publish-every needs --publish-to URL")
        }
        if let publishEvery { _ = try Self.interval(publishEvery) }
        if let publishTo {
            do {
                _ = try NationalURL(parsing: publishTo)
            } catch let error as STOrdersError {
                throw ValidationError("--publish-to: \(error.description)")
            }
        }
    }

    /// `60`, `60s`, `5m`, `1h`: at least one second.
    static func interval(_ text: String) throws -> Duration {
        var digits = Substring(text)
        var unit: Int64 = 1
        if let last = digits.last, !last.isNumber {
            switch last {
            case "s": unit = 1
            case "m": unit = 60
            case "h": unit = 3600
            default:
                throw ValidationError(
                    "--publish-every takes seconds (60 or 60s), minutes (5m) or hours (1h), not '\(text)'")
            }
            digits = digits.dropLast()
        }
        guard let count = Int64(digits), count >= 1, count <= 86_400 * 366 / unit else {
            throw ValidationError("--publish-every takes a whole number of at least 1 with s, m or h, not '\(text)'")
        }
        return .seconds(count * unit)
    }

    /// Runs the application, and beside it the publishing service when asked for: one service
    /// group, stopped together by SIGTERM or SIGINT.
    func run(_ app: some ApplicationProtocol & Service, database path: String, logger: Logger) async throws {
        guard let publishTo else {
            try await app.runService()
            return
        }
        let publisher = NationalPublishService(
            path: path, url: try NationalURL(parsing: publishTo), interval: try Self.interval(publishEvery ?? "60s"),
            logger: logger)
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: app), .init(service: publisher)],
                gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
