import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import STOrders
import Testing

@testable import STOrdersServer

/// A clock the tests move (sessions' expiry, the sign-in limiter).
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var date = Date(timeIntervalSince1970: 1_790_000_000)

    func now() -> Date { lock.withLock { date } }
    func advance(seconds: TimeInterval) { lock.withLock { date += seconds } }
}

/// A server over the demo database (in memory) with one account per role, each with a token:
/// enterprise (4601234560, Thái Nguyên), officer (Thái Nguyên), hanoi-officer (Hà Nội),
/// auditor (national), tn-auditor (Thái Nguyên), admin.
struct APIFixture: Sendable {
    static let password = "mật-khẩu-thử-12"
    let store: Store
    let server: StoreServer
    let tokens: [String: String]
    let clock: TestClock

    init(configure: (inout ServerConfiguration) -> Void = { _ in }) throws {
        let store = try Store.inMemory(actor: "setup")
        try DemoData.populate(store)
        let thaiNguyen = try Province.named("Thái Nguyên")
        let accounts = [
            NewAccount(login: "enterprise", role: .enterprise, enterprise: try TaxCode(parsing: DemoData.storyTaxCode)),
            NewAccount(login: "officer", role: .officer, province: thaiNguyen),
            NewAccount(login: "hanoi-officer", role: .officer, province: try Province.named("Hà Nội")),
            NewAccount(login: "auditor", role: .auditor),
            NewAccount(login: "tn-auditor", role: .auditor, province: thaiNguyen),
            NewAccount(login: "admin", role: .admin),
        ]
        var tokens: [String: String] = [:]
        for account in accounts {
            _ = try store.addAccount(account, password: Self.password, cost: 4, by: "setup")
            tokens[account.login] = try store.createToken(login: account.login, name: "test", by: "setup").token
        }
        let clock = TestClock()
        var configuration = ServerConfiguration(database: .store(store), port: 0, now: { clock.now() })
        configure(&configuration)
        self.store = store
        self.server = try buildServer(configuration)
        self.tokens = tokens
        self.clock = clock
    }

    /// Headers of a request made as `login` with its bearer token.
    func bearer(_ login: String) -> HTTPFields {
        var headers = HTTPFields()
        headers[.authorization] = "Bearer \(tokens[login] ?? "none")"
        headers[.contentType] = "application/json"
        return headers
    }

    /// What an order looks like to `order show --json` now, and its history's length: a
    /// refused write must leave both as they were.
    func fingerprint(_ code: String) throws -> String {
        Shape.detail(try store.orderDetail(code: code)).serialized(indent: nil)
    }

    /// A new order of the story's enterprise, registered by `login` with two outputs, in
    /// Thái Nguyên.
    static let newOrderBody = """
        {"enterprise": "4601234560", "title": "Kiểm định chất lượng thấu kính", "field": "innovation",
         "date": "2026-02-01",
         "outputs": [
           {"title": "Quy trình kiểm định", "type": "model", "novelty": "new", "value": 300000000},
           {"title": "Máy đo độ cong", "type": "product", "novelty": "improved", "value": "200.000.000"}
         ]}
        """
}

extension TestClientProtocol {
    /// Sends `body` (JSON unless the headers say otherwise) and returns the answer.
    func send(
        _ method: HTTPRequest.Method, _ uri: String, headers: HTTPFields = [:], _ body: String? = nil
    ) async throws -> TestResponse {
        try await execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }

    /// The answer as a JSON object.
    func object() throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "\(text)")
    }

    func array() throws -> [[String: Any]] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]], "\(text)")
    }

    /// The error code of a refusal.
    var errorCode: String? {
        ((try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any])
            .flatMap { $0["error"] as? [String: Any] }?["code"] as? String
    }

    /// The session cookie the answer sets (`storders_session=…`), without its attributes.
    var sessionCookie: String? {
        headers[.setCookie]?.split(separator: ";").first.map(String.init)
    }
}
