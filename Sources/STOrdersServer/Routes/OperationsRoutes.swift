import Hummingbird
import STOrders

/// `/healthz` and `/metrics`, at the root, outside the API.
struct OperationsRoutes {
    let state: ServerState

    func register(on router: Router<AppRequestContext>) {
        router.get("/healthz") { _, _ in try await health() }
        router.get("/metrics") { request, context in try metrics(request, context) }
    }

    /// 200 when the database answers, 503 when it does not; the schema version either way.
    func health() async throws -> Response {
        let version = try? await state.database { store in try store.storedSchemaVersion() }
        let body =
            #"{"status":"\#(version == nil ? "unavailable" : "ok")","schema_version":\#(version ?? Store.schemaVersion),"#
            + #""database":"\#(version == nil ? "unavailable" : "ok")"}"#
        return jsonResponse(body, status: version == nil ? .serviceUnavailable : .ok)
    }

    /// Prometheus text, for a client on this machine or one that sends the metrics token.
    func metrics(_ request: Request, _ context: AppRequestContext) throws -> Response {
        guard context.isLoopbackPeer || Self.bearerMatches(request, state.configuration.metricsToken) else {
            throw APIError(
                .forbidden, code: "metrics_forbidden",
                message: "the metrics answer clients on this machine, or with the metrics token")
        }
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
        return Response(
            status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: state.metrics.exposition())))
    }

    /// Whether the request carries `Authorization: Bearer <token>` equal to `expected`
    /// (compared in time independent of where they differ).
    static func bearerMatches(_ request: Request, _ expected: String?) -> Bool {
        guard let expected, let header = request.headers[.authorization], header.hasPrefix("Bearer ") else {
            return false
        }
        return constantTimeEqual(Array(header.utf8.dropFirst("Bearer ".utf8.count)), Array(expected.utf8))
    }
}

/// Equal bytes, compared without stopping at the first difference.
func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    var difference = UInt8(a.count == b.count ? 0 : 1)
    for i in 0..<max(a.count, b.count) {
        difference |= (i < a.count ? a[i] : 0) ^ (i < b.count ? b[i] : 0)
    }
    return difference == 0
}
