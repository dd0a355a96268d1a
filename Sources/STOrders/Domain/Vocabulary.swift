/// A closed vocabulary stored as text: its raw values are what users type, what JSON carries and
/// what schema.sql's CHECK constraints accept.
public protocol Vocabulary: RawRepresentable, CaseIterable, Hashable, Sendable, CustomStringConvertible
where RawValue == String {
    /// What the word names, for error messages: "field", "output type".
    static var noun: String { get }
}

extension Vocabulary {
    public var description: String { rawValue }

    /// Parses a value as typed, in any case; an unknown one is refused with the accepted list.
    public static func parse(_ text: String) throws -> Self {
        let lowered = text.trimmingSpaces().lowercased()
        if let value = Self(rawValue: lowered) { return value }
        throw STOrdersError.invalidValue(noun, text, accepted: allCases.map(\.rawValue))
    }
}

/// The framework's three pillars.
public enum Field: String, Vocabulary {
    case science, innovation, digital
    public static let noun = "field"
}

public enum OutputType: String, Vocabulary {
    case product, service, model
    public static let noun = "output type"
}

public enum Novelty: String, Vocabulary {
    case new, improved
    public static let noun = "novelty"
}

/// Where the money of a payment comes from; it must have been committed by the funding.
public enum FundingSource: String, Vocabulary {
    case state, enterprise, other
    public static let noun = "payment source"
}

/// How a delivered order's outputs reach the market.
public enum Channel: String, Vocabulary {
    case sale, license, transfer
    case spinOff = "spin-off"
    case internalUse = "internal-use"
    public static let noun = "channel"
}
