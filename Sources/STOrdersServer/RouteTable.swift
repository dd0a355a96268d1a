import Hummingbird
import NIOConcurrencyHelpers

/// The routes the router holds, as (method, pattern) pairs, filled once when the router is built:
/// the error layer asks it whether an unknown method was sent to a known path (405, not 404).
final class RouteTable: Sendable {
    struct Route: Sendable, Hashable {
        let method: HTTPRequest.Method
        let pattern: String
    }

    private let box = NIOLockedValueBox<[Route]>([])

    var routes: [Route] { box.withLockedValue { $0 } }

    func set(_ routes: [Route]) { box.withLockedValue { $0 = routes } }

    /// The methods of the routes whose pattern matches `path` (a `{name}` segment matches any one segment).
    func methods(forPath path: String) -> [HTTPRequest.Method] {
        let segments = Self.segments(path)
        return routes.filter { Self.matches(Self.segments($0.pattern), segments) }.map(\.method)
    }

    static func segments(_ path: String) -> [Substring] {
        path.split(separator: "/", omittingEmptySubsequences: true)
    }

    static func matches(_ pattern: [Substring], _ path: [Substring]) -> Bool {
        guard pattern.count == path.count else { return false }
        return zip(pattern, path).allSatisfy { p, s in (p.hasPrefix("{") && p.hasSuffix("}")) || p == s }
    }
}
