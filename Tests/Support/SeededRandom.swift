/// A seeded pseudo-random generator (SplitMix64) so every random test can be replayed: each
/// such test prints its seed, and `STORDERS_SEED=<seed>` runs it again with the same choices.
struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64
    let seed: UInt64

    init(seed: UInt64) {
        self.seed = seed
        state = seed
    }

    /// The seed from $STORDERS_SEED, else `fallback` (fixed, so the default run is reproducible).
    static func fromEnvironment(fallback: UInt64) -> SeededRandom {
        if let text = environmentValue("STORDERS_SEED"), let seed = UInt64(text) { return SeededRandom(seed: seed) }
        return SeededRandom(seed: fallback)
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Whether the long reliability modes run: `STORDERS_LONG_TESTS=1` (see scripts/long-tests).
var longTests: Bool { environmentValue("STORDERS_LONG_TESTS") == "1" }

func environmentValue(_ name: String) -> String? {
    guard let value = getenv(name) else { return nil }
    return String(cString: value)
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
