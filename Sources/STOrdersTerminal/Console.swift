import STOrders

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Buffered standard output: rows are appended as they are produced and written in large
/// chunks, so streaming a million rows costs a few hundred system calls, not a million.
public final class Console {
    private var buffer: [UInt8] = []
    private let capacity = 1 << 16

    public init() { buffer.reserveCapacity(capacity) }

    public func write(_ text: String) {
        // Whatever a command prints (a table, CSV, JSON, a detail or history line) shows stored
        // text's invisible format characters escaped (`\u{202E}`), never raw.
        buffer.append(contentsOf: Text.escapingInvisible(text, controls: false).utf8)
        if buffer.count >= capacity { flush() }
    }

    public func line(_ text: String = "") {
        write(text)
        buffer.append(10)
        if buffer.count >= capacity { flush() }
    }

    public func bytes(_ b: [UInt8]) {
        buffer.append(contentsOf: b)
        if buffer.count >= capacity { flush() }
    }

    /// Whether any command output reached stdout in this process (so a refusal under --json
    /// adds no second JSON value after it).
    nonisolated(unsafe) public static var wroteOutput = false

    public func flush() {
        guard !buffer.isEmpty else { return }
        Console.wroteOutput = true
        // A failure (stdout closed, for example `| head`) drops the rest quietly.
        _ = buffer.withUnsafeBytes { writeFully(1, $0) }
        buffer.removeAll(keepingCapacity: true)
    }

    deinit { flush() }
}

/// Writes all of `bytes` to `fd`, retrying short and interrupted writes: 0 when done, else the
/// errno that stopped it (EPIPE for a closed pipe). Each caller decides what a failure means.
public func writeFully(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Int32 {
    guard let base = bytes.baseAddress else { return 0 }
    var offset = 0
    while offset < bytes.count {
        let n = write(fd, base + offset, bytes.count - offset)
        if n < 0 && errno == EINTR { continue }
        guard n > 0 else { return n < 0 ? errno : EIO }
        offset += n
    }
    return 0
}
