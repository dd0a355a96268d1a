import Crypto
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file's content as it is attached: its bytes, their SHA-256 (lowercase hex) and size, at
/// most `Document.maximumSize` bytes and never empty.
public struct DocumentContent: Sendable, Equatable {
    public let bytes: [UInt8]
    public let sha256: String

    public var size: Int64 { Int64(bytes.count) }

    /// Content given whole (a server's upload, a test): checked against the limit and hashed.
    /// `name` is what a refusal calls it.
    public init(bytes: [UInt8], name: String) throws {
        guard Int64(bytes.count) <= Document.maximumSize else {
            throw STOrdersError.documentTooLarge(file: name, limit: Document.maximumSize)
        }
        guard !bytes.isEmpty else {
            throw STOrdersError.invalidDocument(file: name, reason: "it is empty; a document has content")
        }
        self.bytes = bytes
        self.sha256 = DocumentContent.sha256(bytes)
    }

    /// The lowercase hex SHA-256 of `bytes`.
    public static func sha256(_ bytes: [UInt8]) -> String { HistoryChain.hex(SHA256.hash(data: bytes)) }

    /// Reads a file in 64 KiB pieces, refusing it as soon as it passes the limit (a regular
    /// file's size is checked before any byte is read): memory never holds more than the
    /// limit and one piece, whatever the file (a device, a pipe) would give.
    public static func read(path: String) throws -> DocumentContent {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw STOrdersError.fileUnreadable(path: path, reason: String(cString: strerror(errno)))
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw STOrdersError.fileUnreadable(path: path, reason: String(cString: strerror(errno)))
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            throw STOrdersError.invalidDocument(file: path, reason: "it is a folder; give a file")
        }
        if (info.st_mode & S_IFMT) == S_IFREG && Int64(info.st_size) > Document.maximumSize {
            throw STOrdersError.documentTooLarge(file: path, limit: Document.maximumSize)
        }
        var bytes: [UInt8] = []
        var piece = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = piece.withUnsafeMutableBytes { posixRead(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw STOrdersError.fileUnreadable(path: path, reason: String(cString: strerror(errno)))
            }
            if n == 0 { break }
            guard Int64(bytes.count + n) <= Document.maximumSize else {
                throw STOrdersError.documentTooLarge(file: path, limit: Document.maximumSize)
            }
            bytes.append(contentsOf: piece[0..<n])
        }
        return try DocumentContent(bytes: bytes, name: path)
    }
}
