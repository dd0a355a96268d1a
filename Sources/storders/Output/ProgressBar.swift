#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A progress bar on standard error for long jobs: drawn only when stderr is a terminal and
/// the job has run for more than a second, redrawn at most ten times a second, erased at the end.
final class ProgressBar {
    private let label: String
    private let enabled: Bool
    private let start: Double
    private var lastDraw = 0.0
    private var drawn = false

    init(_ label: String) {
        self.label = label
        enabled = isatty(2) == 1
        start = ProgressBar.now()
    }

    static func now() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    /// Runs `body` with a bar's handler and erases the bar when it ends, however it ends, so a
    /// report printed afterwards starts on a clean line.
    static func run<T>(_ label: String, _ body: (@escaping (Int64, Int64) -> Void) throws -> T) rethrows -> T {
        let bar = ProgressBar(label)
        defer { bar.finish() }
        return try body(bar.handler)
    }

    /// The handler to give the library.
    var handler: (Int64, Int64) -> Void { { [self] done, total in update(done, total) } }

    func update(_ done: Int64, _ total: Int64) {
        guard enabled else { return }
        let now = ProgressBar.now()
        guard now - start > 1, now - lastDraw > 0.1 else { return }
        lastDraw = now
        let fraction = total > 0 ? min(1, Double(done) / Double(total)) : 0
        let width = 30
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let percent = Int(fraction * 100)
        let line = "\r\(label) \(bar) \(percent < 10 ? " " : "")\(percent) %  \(Int(now - start)) s "
        emit(line)
        drawn = true
    }

    func finish() {
        if drawn { emit("\r\u{1B}[2K") }
        drawn = false
    }

    private func emit(_ s: String) {
        var bytes = Array(s.utf8)
        _ = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress, $0.count) }
    }
}
