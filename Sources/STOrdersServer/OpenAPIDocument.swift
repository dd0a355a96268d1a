import Hummingbird

/// The API's OpenAPI 3.1 document (openapi.json beside this file, embedded at build time), served
/// at /api/v1/openapi.json. A test checks it names every route of the router and no other.
enum OpenAPIDocument {
    static let text = String(decoding: PackageResources.openapi_json, as: UTF8.self)

    static func response() -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
