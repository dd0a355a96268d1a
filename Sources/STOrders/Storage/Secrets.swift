import Crypto

/// Random secrets (session ids, API tokens, CSRF tokens) and the one-way form the store keeps.
enum Secrets {
    /// 32 bytes from the system's secure generator, as base64url without padding (43 characters).
    static func random() -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        for _ in 0..<4 {
            var word = generator.next()
            for _ in 0..<8 {
                bytes.append(UInt8(truncatingIfNeeded: word))
                word >>= 8
            }
        }
        return base64url(bytes)
    }

    /// SHA-256 of the secret's UTF-8 bytes, lowercase hex: what is stored and looked up.
    static func digest(_ secret: String) -> String {
        SHA256.hash(data: Array(secret.utf8)).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    static func base64url(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        var i = 0
        while i + 3 <= bytes.count {
            let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
            out += [18, 12, 6, 0].map { alphabet[Int((n >> $0) & 63)] }
            i += 3
        }
        let rest = bytes.count - i
        if rest == 1 {
            let n = UInt32(bytes[i]) << 16
            out += [18, 12].map { alphabet[Int((n >> $0) & 63)] }
        } else if rest == 2 {
            let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8
            out += [18, 12, 6].map { alphabet[Int((n >> $0) & 63)] }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
