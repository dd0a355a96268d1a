import Hummingbird
import Prometheus

/// The server's Prometheus metrics, in a registry of its own (not the process-wide swift-metrics
/// one, so several servers in one test process each count their own).
public final class ServerMetrics: Sendable {
    public let registry = PrometheusCollectorRegistry()

    static let buckets: [Duration] = [
        .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
        .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
        .seconds(2.5), .seconds(5), .seconds(10),
    ]

    private static var requests: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "storders", subsystem: "http", metricName: "requests", unitName: "total",
            helpText: "HTTP requests answered, by route pattern, method and status")
    }
    private static var duration: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "storders", subsystem: "http", metricName: "request_duration", unitName: "seconds",
            helpText:
                "Time to answer a request (to its head; a streamed body may take longer), by route pattern and method")
    }
    private static var refused: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "storders", metricName: "writes_refused", unitName: "total",
            helpText: "Writes refused by a rule of the library, by error code")
    }

    public init() {}

    func request(route: String, method: HTTPRequest.Method, status: HTTPResponse.Status, took: Duration) {
        registry.makeCounter(
            descriptor: Self.requests,
            labels: [("route", route), ("method", method.rawValue), ("status", String(status.code))]
        ).increment()
        registry.makeDurationHistogram(
            descriptor: Self.duration, labels: [("route", route), ("method", method.rawValue)], buckets: Self.buckets
        ).record(took)
    }

    func refusedWrite(code: String) {
        registry.makeCounter(descriptor: Self.refused, labels: [("code", code)]).increment()
    }

    /// The Prometheus text exposition of every metric.
    public func exposition() -> String { registry.emitToString() }
}
