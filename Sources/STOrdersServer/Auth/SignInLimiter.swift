import Foundation
import NIOConcurrencyHelpers

/// Slows down guessing: after `allowed` failed sign-ins within `window` for one login, or
/// `allowedPerAddress` from one address (higher: an office shares one address), further attempts are refused (429 with Retry-After) until the oldest of those
/// failures is older than the window. In memory: a restart forgets it (the audit log keeps every
/// failure).
final class SignInLimiter: Sendable {
    let allowed: Int
    let allowedPerAddress: Int
    let window: TimeInterval
    private let failures = NIOLockedValueBox<[String: [Date]]>([:])
    /// Past this many keys, the ones with no recent failure are forgotten.
    private let maxKeys = 100_000

    init(allowed: Int = 5, allowedPerAddress: Int = 20, window: TimeInterval = 15 * 60) {
        self.allowed = allowed
        self.allowedPerAddress = allowedPerAddress
        self.window = window
    }

    static func keys(login: String, address: String?) -> [String] {
        ["login:" + login] + (address.map { ["address:" + $0] } ?? [])
    }

    /// Seconds to wait before another attempt, or nil when one may be made now.
    func wait(login: String, address: String?, now: Date) -> Int? {
        failures.withLockedValue { table in
            var longest: TimeInterval?
            for key in Self.keys(login: login, address: address) {
                let recent = (table[key] ?? []).filter { now.timeIntervalSince($0) < window }
                table[key] = recent.isEmpty ? nil : recent
                let limit = key.hasPrefix("address:") ? allowedPerAddress : allowed
                if recent.count >= limit, let oldest = recent.suffix(limit).first {
                    let remaining = window - now.timeIntervalSince(oldest)
                    longest = max(longest ?? 0, remaining)
                }
            }
            return longest.map { max(1, Int($0.rounded(.up))) }
        }
    }

    func recordFailure(login: String, address: String?, now: Date) {
        failures.withLockedValue { table in
            if table.count > maxKeys {
                table = table.filter { _, dates in dates.contains { now.timeIntervalSince($0) < window } }
            }
            for key in Self.keys(login: login, address: address) { table[key, default: []].append(now) }
        }
    }

    /// A successful sign-in clears its login's failures (not its address's).
    func recordSuccess(login: String) {
        _ = failures.withLockedValue { $0.removeValue(forKey: "login:" + login) }
    }
}
