/// A database's identity as a source of the national store: a random id made with the database
/// that never changes, and a name people know it by (the province's office), which may.
public struct SourceIdentity: Sendable, Equatable {
    /// A version-4 UUID, lowercase: `xxxxxxxx-xxxx-4xxx-[89ab]xxx-xxxxxxxxxxxx`.
    public let id: String
    public let name: String
    /// When the database (or, for a file made before version 5, its upgrade) made it: UTC
    /// `YYYY-MM-DDTHH:MM:SSZ`.
    public let createdAt: String

    public init(id: String, name: String, createdAt: String) {
        self.id = id
        self.name = name
        self.createdAt = createdAt
    }

    /// A new random id (UUID version 4, variant 1), lowercase, from the system's secure generator.
    static func newID() -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let digits = Array("0123456789abcdef")
        var text = ""
        for (i, byte) in bytes.enumerated() {
            if i == 4 || i == 6 || i == 8 || i == 10 { text.append("-") }
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 15)])
        }
        return text
    }

    /// The name a source has until it is given one (as schema.sql names it).
    static func defaultName(id: String) -> String { "source " + id.prefix(8) }

    /// A name as given: trimmed, not empty, one line, at most 200 characters (`Text.validate`).
    public static func validName(_ name: String) throws -> String {
        try Text.validate(name, what: "source name")
    }
}
