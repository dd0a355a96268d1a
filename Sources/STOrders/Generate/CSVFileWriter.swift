#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes a CSV file (RFC 4180: comma-separated, fields quoted when they hold a comma, a quote
/// or a line break, LF line ends), buffered.
final class CSVFileWriter {
    private let file: UnsafeMutablePointer<FILE>
    private let path: String
    private var buffer: [UInt8] = []

    init(path: String, header: [String]) throws {
        guard let f = fopen(path, "w") else {
            throw STOrdersError.outputUnavailable(path: path, reason: String(cString: strerror(errno)))
        }
        file = f
        self.path = path
        buffer.reserveCapacity(1 << 17)
        row(header)
    }

    func row(_ fields: [String]) {
        for (i, field) in fields.enumerated() {
            if i > 0 { buffer.append(44) }
            var quote = false
            for b in field.utf8 where b == 44 || b == 34 || b == 10 || b == 13 || b == 59 {
                quote = true
                break
            }
            if quote {
                buffer.append(34)
                for b in field.utf8 {
                    if b == 34 { buffer.append(34) }
                    buffer.append(b)
                }
                buffer.append(34)
            } else {
                buffer.append(contentsOf: field.utf8)
            }
        }
        buffer.append(10)
        if buffer.count >= 1 << 16 { flush() }
    }

    private func flush() {
        _ = buffer.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count, file) }
        buffer.removeAll(keepingCapacity: true)
    }

    func close() throws {
        flush()
        let failed = ferror(file) != 0
        fclose(file)
        if failed { throw STOrdersError.outputUnavailable(path: path, reason: "writing it failed (disk full?)") }
    }
}
