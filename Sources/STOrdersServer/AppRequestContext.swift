import Hummingbird
import NIOConcurrencyHelpers
import NIOCore
import STOrders

/// The context of one request: who sent it (the peer's address) and what the outer middleware
/// must learn from the inner layers (who was signed in, which refusal answered).
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The client's address; nil when unknown (a test calling the router directly).
    public let remoteAddress: SocketAddress?
    /// Shared by every copy of this context, so the logging middleware sees what was set inside.
    let notes: RequestNotes
    /// The signed-in account, once the authentication layer has found it.
    public var account: Account?
    /// The session's form token, when the account came by a session cookie (nil with a bearer token).
    public var sessionCSRFToken: String?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
        self.notes = RequestNotes()
    }

    /// The client's IP address as text, for the audit log and the sign-in limiter.
    public var clientAddress: String? { remoteAddress?.ipAddress }

    /// The signed-in account; 401 when there is none (a route behind the authentication layer
    /// always has one).
    func requireAccount() throws -> Account {
        guard let account else { throw APIError.unauthenticated() }
        return account
    }

    /// Whether the peer is this machine (127.0.0.0/8 or ::1, IPv4-mapped included).
    public var isLoopbackPeer: Bool {
        guard let address = remoteAddress else { return false }
        return Self.isLoopback(address)
    }

    static func isLoopback(_ address: SocketAddress) -> Bool {
        switch address {
        case .v4:
            return address.ipAddress?.hasPrefix("127.") ?? false
        case .v6:
            guard let ip = address.ipAddress?.lowercased() else { return false }
            return ip == "::1" || ip.hasPrefix("::ffff:127.")
        default:
            return false
        }
    }
}

/// What inner layers tell the outer ones about a request, for its log line and its metrics.
final class RequestNotes: Sendable {
    struct Values {
        /// The signed-in account's login, once known.
        var login: String?
        /// The error code of a refusal by a rule of the library (a write refused), if any.
        var refusal: String?
    }

    private let box = NIOLockedValueBox(Values())

    var login: String? {
        get { box.withLockedValue { $0.login } }
        set { box.withLockedValue { $0.login = newValue } }
    }

    var refusal: String? {
        get { box.withLockedValue { $0.refusal } }
        set { box.withLockedValue { $0.refusal = newValue } }
    }
}
