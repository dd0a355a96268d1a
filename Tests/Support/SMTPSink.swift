import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A local SMTP sink: listens on 127.0.0.1 on a free port, answers `conversations` conversations
/// (one by default) as a relay would (or refuses the recipient, when told to), and keeps every
/// line the clients sent.
final class SMTPSink: @unchecked Sendable {
    let port: UInt16
    private let listener: Int32
    private let lock = NSLock()
    private var received: [String] = []
    private let done = DispatchSemaphore(value: 0)
    let refuseRecipient: Bool
    let conversations: Int

    init(refuseRecipient: Bool = false, conversations: Int = 1) throws {
        self.refuseRecipient = refuseRecipient
        self.conversations = conversations
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { a in
                bind(fd, a, length) == 0 && listen(fd, 1) == 0 && getsockname(fd, a, &length) == 0
            }
        }
        guard bound else { throw CocoaError(.fileReadUnknown) }
        listener = fd
        port = UInt16(bigEndian: address.sin_port)
        Thread.detachNewThread { [self] in serve() }
    }

    var lines: [String] { lock.withLock { received } }

    /// A port on 127.0.0.1 that refuses connections: bound by a socket that never listens, so
    /// no other test can take it while `body` runs.
    static func withRefusingPort(_ body: (UInt16) throws -> Void) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { a in
                bind(fd, a, length) == 0 && getsockname(fd, a, &length) == 0
            }
        }
        guard bound else { throw CocoaError(.fileReadUnknown) }
        try body(UInt16(bigEndian: address.sin_port))
    }

    func wait() { _ = done.wait(timeout: .now() + 20) }

    private func serve() {
        defer {
            close(listener)
            done.signal()
        }
        for _ in 0..<conversations { converse() }
    }

    private func converse() {
        let c = accept(listener, nil, nil)
        guard c >= 0 else { return }
        defer { close(c) }
        func say(_ text: String) { _ = text.withCString { send(c, $0, strlen($0), Int32(MSG_NOSIGNAL)) } }
        var buffer: [UInt8] = []
        func line() -> String? {
            while true {
                if let end = buffer.firstIndex(of: 10) {
                    let text = String(decoding: buffer[..<end].filter { $0 != 13 }, as: UTF8.self)
                    buffer.removeSubrange(...end)
                    lock.withLock { received.append(text) }
                    return text
                }
                var piece = [UInt8](repeating: 0, count: 4096)
                let n = recv(c, &piece, piece.count, 0)
                guard n > 0 else { return nil }
                buffer += piece[..<n]
            }
        }
        say("220 sink.localhost ESMTP\r\n")
        var inData = false
        while let text = line() {
            if inData {
                if text == "." {
                    inData = false
                    say("250 2.0.0 Ok: queued as 4ZQ7\r\n")
                }
                continue
            }
            switch text.prefix(4).uppercased() {
            case "EHLO": say("250-sink.localhost\r\n250-SIZE 10240000\r\n250 8BITMIME\r\n")
            case "MAIL": say("250 2.1.0 Ok\r\n")
            case "RCPT": say(refuseRecipient ? "550 5.1.1 <x>: Recipient address rejected\r\n" : "250 2.1.5 Ok\r\n")
            case "DATA":
                inData = true
                say("354 End data with <CR><LF>.<CR><LF>\r\n")
            case "QUIT":
                say("221 2.0.0 Bye\r\n")
                return
            default: say("502 5.5.2 Error: command not recognized\r\n")
            }
        }
    }
}
