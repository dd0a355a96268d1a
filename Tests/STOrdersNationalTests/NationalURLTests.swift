import Testing

@testable import STOrders
@testable import STOrdersNational

/// The national store's address: parsed strictly, and never shown with its password.
@Suite struct NationalURLTests {
    @Test func aFullURLIsReadPartByPart() throws {
        let url = try NationalURL(
            parsing: "postgresql://can%20bo:m%E1%BA%ADt-kh%E1%BA%A9u@db.example.vn:6543/quoc_gia?sslmode=require",
            environmentPassword: nil)
        #expect(url.host == "db.example.vn" && url.port == 6543 && url.user == "can bo" && url.database == "quoc_gia")
        #expect(url.password == "mật-khẩu" && url.requireTLS)
        #expect(url.description == "postgresql://can bo@db.example.vn:6543/quoc_gia?sslmode=require")
    }

    @Test func thePasswordComesFromTheEnvironmentWhenTheURLHasNone() throws {
        let url = try NationalURL(parsing: "postgres://storders@[::1]/national", environmentPassword: "bí-mật")
        #expect(url.host == "::1" && url.port == 5432 && url.password == "bí-mật" && !url.requireTLS)
        #expect(url.description == "postgresql://storders@[::1]:5432/national")
    }

    @Test(arguments: [
        ("mysql://u:p@h/db", "the scheme is 'mysql'; expected postgresql://"),
        ("postgresql://u:secret@h", "it names no database (…/DATABASE)"),
        ("postgresql://h/db", "it names no user (USER@HOST)"),
        ("postgresql://u:secret@h:99999/db", "the port is not a number from 1 to 65535"),
        (
            "postgresql://u:secret@h/db?sslmode=verify-full",
            "sslmode 'verify-full' is not known; expected disable or require"
        ),
        ("postgresql://u:secret@h/db?host=/tmp", "the parameter 'host' is not known; only sslmode is accepted"),
        ("db.example.vn", "expected postgresql://USER:PASSWORD@HOST:PORT/DATABASE"),
    ])
    func aMalformedURLIsRefusedWithoutItsPassword(text: String, reason: String) throws {
        #expect(throws: STOrdersError.nationalURLInvalid(NationalURL.redacted(text), reason: reason)) {
            try NationalURL(parsing: text, environmentPassword: nil)
        }
        do {
            _ = try NationalURL(parsing: text, environmentPassword: nil)
        } catch {
            #expect(!String(describing: error).contains("secret"))
        }
        #expect(!NationalURL.redacted(text).contains("secret"))
    }

    @Test func theNewRefusalsHaveTheirOwnCodesAndCategories() {
        let errors: [STOrdersError] = [
            .nationalURLInvalid("x", reason: "r"), .nationalUnreachable(url: "u", reason: "r"),
            .nationalAuthenticationFailed(url: "u", reason: "r"),
            .nationalSchemaMismatch(url: "u", found: nil, expected: 1), .nationalFailed(url: "u", reason: "r"),
            .sourceDiverged(chain: "history", id: 1, published: "p", here: nil),
            .provincesOwned(provinces: ["Hà Nội (01)"], owner: "o"),
        ]
        #expect(
            errors.map(\.code) == [
                "national_url_invalid", "national_unreachable", "national_authentication_failed",
                "national_schema_mismatch", "national_failed", "source_diverged", "provinces_owned",
            ])
        #expect(
            errors.map(\.category) == [
                .invalid, .unavailable, .unauthenticated, .unavailable, .unavailable, .refused, .refused,
            ])
        #expect(errors.allSatisfy { !$0.description.contains("\n") })
    }
}
