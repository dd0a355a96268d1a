import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import STOrders
import Testing

@testable import STOrdersServer

/// Long lists are streamed (written by the database thread chunk by chunk while the response is
/// sent), never built whole: the answer must still be one JSON array, every row the library's
/// list row, in the library's order.
@Suite("Streamed lists")
struct StreamedListTests {
    @Test func aListLongerThanOneChunkIsOneArrayOfTheLibrarysRows() async throws {
        let fixture = try APIFixture()
        let thaiNguyen = try Province.named("Thái Nguyên")
        // About 600 rows of ~230 bytes: more than two 64 KiB chunks.
        var added = 0
        var n = 1
        while added < 600 {
            let nine = String(format: "46%07d", n)
            n += 1
            guard let check = TaxCode.checkDigit(nine.compactMap(\.wholeNumberValue)),
                let tax = try? TaxCode(parsing: nine + String(check)),
                (try? fixture.store.enterprise(taxCode: tax)) == nil
            else { continue }
            try fixture.store.addEnterprise(
                name: "Công ty TNHH Sản xuất và Thương mại Đổi mới Sáng tạo Thái Nguyên số \(added)", taxCode: tax,
                province: thaiNguyen, on: try Day(parsing: "2025-01-02"))
            added += 1
        }
        var expected: [String] = []
        try fixture.store.forEachEnterprise(province: thaiNguyen) {
            expected.append(Column.row(Columns.enterprises, $0).serialized(indent: nil))
        }
        #expect(expected.count > 600)
        let rows = expected
        try await fixture.server.application.test(.router) { client in
            let answer = try await client.send(.get, "/api/v1/enterprises", headers: fixture.bearer("officer"))
            #expect(answer.status == .ok)
            #expect(answer.text.utf8.count > 2 << 16)
            #expect(answer.text == "[" + rows.joined(separator: ",") + "]")
            #expect(try answer.array().count == rows.count)
        }
    }
}
