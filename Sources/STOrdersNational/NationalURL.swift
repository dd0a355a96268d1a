import STOrders

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where the national store is: `postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=…]`
/// (`postgres://` too). Without a password in the URL, `$PGPASSWORD` is used. `sslmode` is
/// `disable` (the default: a loopback or a trusted network) or `require` (TLS, the server's
/// certificate checked against the system's roots). The password is never shown: `description`
/// is the URL without it.
public struct NationalURL: Sendable, CustomStringConvertible {
    public let host: String
    public let port: Int
    public let user: String
    let password: String?
    public let database: String
    public let requireTLS: Bool

    /// Parses a URL; refuses anything else with `nationalURLInvalid`, whose message never holds
    /// the password.
    public init(parsing text: String, environmentPassword: String? = NationalURL.passwordFromEnvironment()) throws {
        func refuse(_ reason: String) -> STOrdersError {
            STOrdersError.nationalURLInvalid(NationalURL.redacted(text), reason: reason)
        }
        var rest = Substring(text)
        guard let schemeEnd = rest.firstRange(of: "://") else {
            throw refuse("expected postgresql://USER:PASSWORD@HOST:PORT/DATABASE")
        }
        let scheme = rest[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "postgresql" || scheme == "postgres" else {
            throw refuse("the scheme is '\(scheme)'; expected postgresql://")
        }
        rest = rest[schemeEnd.upperBound...]
        var query = Substring("")
        if let q = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: q)...]
            rest = rest[..<q]
        }
        guard let slash = rest.firstIndex(of: "/") else { throw refuse("it names no database (…/DATABASE)") }
        let authority = rest[..<slash]
        let database = try NationalURL.decode(rest[rest.index(after: slash)...], refuse)
        guard !database.isEmpty, !database.contains("/") else { throw refuse("it names no database (…/DATABASE)") }
        var hostPort = authority
        var user = ""
        var password: String?
        if let at = authority.lastIndex(of: "@") {
            hostPort = authority[authority.index(after: at)...]
            let userInfo = authority[..<at]
            if let colon = userInfo.firstIndex(of: ":") {
                user = try NationalURL.decode(userInfo[..<colon], refuse)
                password = try NationalURL.decode(userInfo[userInfo.index(after: colon)...], refuse)
            } else {
                user = try NationalURL.decode(userInfo, refuse)
            }
        }
        guard !user.isEmpty else { throw refuse("it names no user (USER@HOST)") }
        var host = String(hostPort)
        var port = 5432
        if hostPort.hasPrefix("[") {  // [::1]:5432
            guard let close = hostPort.firstIndex(of: "]") else { throw refuse("an IPv6 host is not closed with ]") }
            host = String(hostPort[hostPort.index(after: hostPort.startIndex)..<close])
            let after = hostPort[hostPort.index(after: close)...]
            if after.hasPrefix(":") {
                guard let p = Int(after.dropFirst()), (1...65535).contains(p) else {
                    throw refuse("the port is not a number from 1 to 65535")
                }
                port = p
            } else if !after.isEmpty {
                throw refuse("unexpected text after the host")
            }
        } else if let colon = hostPort.lastIndex(of: ":") {
            host = String(hostPort[..<colon])
            guard let p = Int(hostPort[hostPort.index(after: colon)...]), (1...65535).contains(p) else {
                throw refuse("the port is not a number from 1 to 65535")
            }
            port = p
        }
        guard !host.isEmpty else { throw refuse("it names no host") }
        var requireTLS = false
        for pair in query.split(separator: "&") where !pair.isEmpty {
            let parts = pair.split(separator: "=", maxSplits: 1)
            let key = String(parts[0])
            let value = parts.count == 2 ? String(parts[1]) : ""
            switch (key, value) {
            case ("sslmode", "disable"): requireTLS = false
            case ("sslmode", "require"): requireTLS = true
            case ("sslmode", _): throw refuse("sslmode '\(value)' is not known; expected disable or require")
            default: throw refuse("the parameter '\(key)' is not known; only sslmode is accepted")
            }
        }
        self.host = host
        self.port = port
        self.user = user
        self.password = password ?? environmentPassword
        self.database = database
        self.requireTLS = requireTLS
    }

    /// The URL without its password.
    public var description: String {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return "postgresql://\(user)@\(shownHost):\(port)/\(database)" + (requireTLS ? "?sslmode=require" : "")
    }

    /// `$PGPASSWORD`, when set and not empty.
    public static func passwordFromEnvironment() -> String? {
        guard let raw = getenv("PGPASSWORD"), let text = String(validatingCString: raw), !text.isEmpty else {
            return nil
        }
        return text
    }

    /// A URL as typed, with any password replaced by `***`, for messages.
    public static func redacted(_ text: String) -> String {
        guard let schemeEnd = text.firstRange(of: "://") else { return Text.excerpt(text) }
        let rest = text[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        guard let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") else {
            return Text.excerpt(text)
        }
        return Text.excerpt(String(text[..<colon]) + ":***" + String(text[at...]))
    }

    static func decode(_ text: Substring, _ refuse: (String) -> STOrdersError) throws -> String {
        var bytes: [UInt8] = []
        var i = text.utf8.startIndex
        let utf8 = text.utf8
        while i < utf8.endIndex {
            let byte = utf8[i]
            if byte == UInt8(ascii: "%") {
                let h = utf8.index(after: i)
                guard h < utf8.endIndex, utf8.index(after: h) < utf8.endIndex,
                    let value = UInt8(
                        String(decoding: [utf8[h], utf8[utf8.index(after: h)]], as: UTF8.self), radix: 16)
                else { throw refuse("a % is not followed by two hexadecimal digits") }
                bytes.append(value)
                i = utf8.index(h, offsetBy: 2)
            } else {
                bytes.append(byte)
                i = utf8.index(after: i)
            }
        }
        guard let decoded = String(validating: bytes, as: UTF8.self) else {
            throw refuse("a percent-encoded part is not UTF-8")
        }
        return decoded
    }
}
