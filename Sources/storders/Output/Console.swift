import STOrders

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Buffered standard output: rows are appended as they are produced and written in large
/// chunks, so streaming a million rows costs a few hundred system calls, not a million.
final class Console {
    private var buffer: [UInt8] = []
    private let capacity = 1 << 16

    init() { buffer.reserveCapacity(capacity) }

    func write(_ text: String) {
        // Whatever a command prints (a table, CSV, JSON, a detail or history line) shows stored
        // text's invisible format characters escaped (`\u{202E}`), never raw.
        buffer.append(contentsOf: Text.escapingInvisible(text, controls: false).utf8)
        if buffer.count >= capacity { flush() }
    }

    func line(_ text: String = "") {
        write(text)
        buffer.append(10)
        if buffer.count >= capacity { flush() }
    }

    func bytes(_ b: [UInt8]) {
        buffer.append(contentsOf: b)
        if buffer.count >= capacity { flush() }
    }

    /// Whether any command output reached stdout in this process (so a refusal under --json
    /// adds no second JSON value after it).
    nonisolated(unsafe) static var wroteOutput = false

    func flush() {
        guard !buffer.isEmpty else { return }
        Console.wroteOutput = true
        // A failure (stdout closed, for example `| head`) drops the rest quietly.
        _ = buffer.withUnsafeBytes { writeFully(1, $0) }
        buffer.removeAll(keepingCapacity: true)
    }

    deinit { flush() }
}
