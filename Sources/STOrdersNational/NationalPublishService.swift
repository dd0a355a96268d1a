import Logging
import STOrders
import ServiceLifecycle

/// Publishes a database into the national store by itself: once at start, then every `interval`
/// (`storders-server --publish-to URL --publish-every 60s`). Publishes never overlap: a tick that
/// comes while one is still running is skipped (and said so). Each publish logs one line with
/// its counts (the URL never carries the password); a refused or failed one logs its one-line
/// reason and the next tick tries again. On graceful shutdown it waits for no further tick, lets
/// the batch in flight commit and stops before the next.
public struct NationalPublishService: Service {
    let path: String
    let url: NationalURL
    let interval: Duration
    let batchSize: Int
    let logger: Logger

    public init(
        path: String, url: NationalURL, interval: Duration, batchSize: Int = Publisher.defaultBatchSize,
        logger: Logger
    ) {
        self.path = path
        self.url = url
        self.interval = interval
        self.batchSize = batchSize
        self.logger = logger
    }

    public func run() async throws {
        let clock = ContinuousClock()
        var next = clock.now
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            await publishOnce()
            next += interval
            var skipped = 0
            while next <= clock.now {
                next += interval
                skipped += 1
            }
            if skipped > 0 {
                logger.warning("national publish took longer than \(interval); \(skipped) tick(s) skipped")
            }
            let deadline = next
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(until: deadline, clock: clock) }
            } catch {
                break  // shutting down (or cancelled) while waiting for the next tick
            }
        }
    }

    /// One publish, logged as one line; never throws (the next tick tries again).
    func publishOnce() async {
        do {
            let store = try Store.open(path: path, actor: "storders-server")
            defer { _ = store.closeConnection() }
            let summary = try await Publisher.publish(
                store, to: url, batchSize: batchSize, shouldContinue: { !Task.isShuttingDownGracefully })
            logger.info("\(NationalShape.publishLine(summary, url: url))")
        } catch let error as STOrdersError {
            logger.error("national publish to \(url) refused: \(error.description)")
        } catch {
            logger.error("national publish to \(url) failed: \(Text.excerpt(String(describing: error), limit: 200))")
        }
    }
}
