import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A plain-text message in UTF-8 (Vietnamese): its subject as an RFC 2047 encoded word, its
/// body in base64, so that any SMTP relay carries it unchanged.
public struct MailMessage: Sendable, Equatable {
    public var from: String
    public var to: String
    public var subject: String
    public var body: String

    public init(from: String, to: String, subject: String, body: String) throws {
        self.from = try MailMessage.address(from)
        self.to = try MailMessage.address(to)
        self.subject = subject
        self.body = body
    }

    /// An address as SMTP takes it: `local@domain`, printable ASCII, no space, angle bracket,
    /// comma or quote (so that no header or command can be smuggled in).
    public static func address(_ text: String) throws -> String {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        let allowed = text.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && !"<>(),;:\"[]\\".utf8.contains($0) }
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."),
            !parts[1].hasSuffix("."), allowed, text.utf8.count <= 254
        else {
            throw STOrdersError.invalidMailAddress(text)
        }
        return text
    }

    /// The message as DATA sends it: headers, a blank line, the body in base64 lines of 76,
    /// each line ended by CRLF (never a line that is a lone dot).
    public func rendered(date: Date = Date(), messageID: String) -> String {
        let subjectWord = "=?UTF-8?B?" + Data(subject.utf8).base64EncodedString() + "?="
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        let encoded = Data(body.utf8).base64EncodedString(options: [
            .lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed,
        ])
        return [
            "From: <\(from)>", "To: <\(to)>", "Subject: \(subjectWord)", "Date: \(formatter.string(from: date))",
            "Message-ID: <\(messageID)>", "MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: base64", "", encoded,
        ].joined(separator: "\r\n") + "\r\n"
    }
}

/// An SMTP relay (`host` or `host:port`, port 25 by default), reached without TLS or sign-in:
/// the office's own relay, which forwards the mail on. A conversation that fails at any step
/// is refused with `mailFailed`, naming the step and the relay's reply.
public struct SMTPRelay: Sendable, Equatable {
    public let host: String
    public let port: UInt16
    /// How long one reply may take, in seconds.
    public var timeout: Int = 30

    public init(parsing text: String) throws {
        let pieces = text.split(separator: ":", omittingEmptySubsequences: false)
        guard (1...2).contains(pieces.count), !pieces[0].isEmpty,
            pieces[0].utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != 0x2F }),
            pieces.count == 1 || UInt16(pieces[1]).map({ $0 > 0 }) == true
        else {
            throw STOrdersError.invalidValue("SMTP relay", text, accepted: ["HOST", "HOST:PORT"])
        }
        host = String(pieces[0])
        port = pieces.count == 2 ? UInt16(pieces[1]) ?? 25 : 25
    }

    public var description: String { "\(host):\(port)" }

    /// Sends one message: EHLO, MAIL FROM, RCPT TO, DATA, QUIT. Returns the relay's reply to
    /// the message (its queue id, usually).
    @discardableResult
    public func send(_ message: MailMessage, hello: String = "storders.localhost") throws -> String {
        let connection = try SMTPConnection(self)
        defer { connection.close() }
        func step(_ command: String?, expect codes: Set<Int>, _ what: String) throws -> String {
            if let command { try connection.write(command + "\r\n", what) }
            let (code, text) = try connection.reply(what)
            guard codes.contains(code) else {
                throw STOrdersError.mailFailed(
                    relay: description, reason: "\(what): the relay answered \(code) \(text)")
            }
            return text
        }
        _ = try step(nil, expect: [220], "greeting")
        _ = try step("EHLO \(hello)", expect: [250], "EHLO")
        _ = try step("MAIL FROM:<\(message.from)>", expect: [250], "MAIL FROM")
        _ = try step("RCPT TO:<\(message.to)>", expect: [250, 251], "RCPT TO")
        _ = try step("DATA", expect: [354], "DATA")
        let id = "\(UUID().uuidString.lowercased())@\(hello)"
        let accepted = try step(message.rendered(messageID: id) + ".", expect: [250], "the message")
        _ = try? step("QUIT", expect: [221], "QUIT")
        return accepted
    }
}

/// One TCP connection to a relay, with a timeout on each read and write.
private final class SMTPConnection {
    let relay: SMTPRelay
    let fd: Int32
    var buffer: [UInt8] = []

    init(_ relay: SMTPRelay) throws {
        self.relay = relay
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
            hints.ai_socktype = SOCK_STREAM
        #endif
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(relay.host, String(relay.port), &hints, &list)
        guard status == 0, let first = list else {
            throw STOrdersError.mailFailed(
                relay: relay.description,
                reason: "cannot resolve \(relay.host): \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(list) }
        var reason = "no address"
        var candidate: UnsafeMutablePointer<addrinfo>? = first
        var connected: Int32 = -1
        while let a = candidate, connected < 0 {
            let s = socket(a.pointee.ai_family, a.pointee.ai_socktype, a.pointee.ai_protocol)
            if s >= 0 {
                var tv = timeval(tv_sec: relay.timeout, tv_usec: 0)
                setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
                setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
                if connect(s, a.pointee.ai_addr, a.pointee.ai_addrlen) == 0 {
                    connected = s
                } else {
                    reason = String(cString: strerror(errno))
                    _ = posixClose(s)
                }
            }
            candidate = a.pointee.ai_next
        }
        guard connected >= 0 else {
            throw STOrdersError.mailFailed(relay: relay.description, reason: "cannot connect: \(reason)")
        }
        fd = connected
    }

    func close() { _ = posixClose(fd) }

    func write(_ text: String, _ what: String) throws {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let n = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n < 0 {
                if errno == EINTR { continue }
                throw STOrdersError.mailFailed(
                    relay: relay.description, reason: "\(what): cannot send: \(String(cString: strerror(errno)))")
            }
            bytes = bytes.dropFirst(n)
        }
    }

    /// One reply: its code and its text (the lines of a multi-line reply joined by spaces).
    func reply(_ what: String) throws -> (Int, String) {
        var lines: [String] = []
        while true {
            let line = try readLine(what)
            let bytes = Array(line.utf8)
            guard bytes.count >= 3, let code = Int(String(decoding: bytes[0..<3], as: UTF8.self)) else {
                throw STOrdersError.mailFailed(
                    relay: relay.description, reason: "\(what): not an SMTP reply: \(Text.excerpt(line))")
            }
            lines.append(String(decoding: bytes.dropFirst(4), as: UTF8.self))
            if bytes.count == 3 || bytes[3] != UInt8(ascii: "-") { return (code, lines.joined(separator: " ")) }
        }
    }

    private func readLine(_ what: String) throws -> String {
        while true {
            if let end = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = buffer[..<end].last == UInt8(ascii: "\r") ? buffer[..<(end - 1)] : buffer[..<end]
                defer { buffer.removeSubrange(...end) }
                return String(decoding: line, as: UTF8.self)
            }
            guard buffer.count < 65536 else {
                throw STOrdersError.mailFailed(relay: relay.description, reason: "\(what): a reply line too long")
            }
            var piece = [UInt8](repeating: 0, count: 4096)
            let n = piece.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                let reason = n == 0 ? "the relay closed the connection" : String(cString: strerror(errno))
                throw STOrdersError.mailFailed(relay: relay.description, reason: "\(what): \(reason)")
            }
            buffer += piece[..<n]
        }
    }
}
