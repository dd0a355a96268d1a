import Foundation
import GRDB
import Testing

@testable import STOrders

/// A seeded random harness for CSV rows (libFuzzer cannot build the importer here: it needs
/// GRDB and the CSV package, which `swiftc -sanitize=fuzzer` does not link): valid enterprise
/// and order files are mutated at random (bytes flipped, quotes, separators, line breaks, NUL,
/// invalid UTF-8, rows duplicated or cut) and imported through the library. Every import must
/// either succeed and leave a database that verifies, or be refused with an STOrdersError whose
/// message and listed problems are printable lines, writing nothing. Never a trap.
///
/// 50 mutated files by default; 1,000 with `STORDERS_LONG_TESTS=1`. `STORDERS_SEED` replays.
@Suite("CSV import harness")
struct CSVImportHarnessTests {
    static var iterations: Int { longTests ? 1_000 : 50 }

    static let enterprises = """
        tax_code,name,province,innovative_startup,registered_on
        0102000009,Công ty TNHH Quang học Yên Bình,Thái Nguyên,no,2025-01-02
        0312345673,"Công ty Cổ phần ""Sao Mai"", chi nhánh",TP.HCM,yes,2025-02-03
        0314409058-002,Chi nhánh Đà Nẵng,48,,2025-03-04

        """
    static let orders = """
        code,enterprise_tax_code,title,field,ordered_on,state,funded_on,state_budget,enterprise_funds
        TN-1,0100233488,Cải tiến quy trình sản xuất,innovation,2025-03-10,ordered,,,
        TN-2,0100233488,"Nền tảng số, truy xuất",digital,2025-03-11,funded,2025-04-01,"1.000.000",500000

        """
    static let outputs = """
        order_code,number,title,type,novelty,value
        TN-1,1,Quy trình cải tiến,model,improved,1.200.000.000
        TN-2,1,Dịch vụ truy xuất,service,new,1500000

        """

    static let insertions: [[UInt8]] = [
        [34], [44], [59], [10], [13, 10], [0], [0xFF], [0xC3], [0xE2, 0x80, 0xA8],
        [27], Array("\"\"".utf8), Array("9223372036854775808".utf8),
        Array("2026-13-01".utf8), Array("'; DROP TABLE orders; --".utf8),
    ]

    static func mutate(_ text: String, _ random: inout SeededRandom) -> [UInt8] {
        var bytes = Array(text.utf8)
        for _ in 0..<(1 + Int(random.next() % 4)) {
            guard !bytes.isEmpty else { break }
            let at = Int(random.next() % UInt64(bytes.count))
            switch random.next() % 6 {
            case 0: bytes[at] = UInt8(truncatingIfNeeded: random.next())
            case 1: bytes.insert(contentsOf: insertions[Int(random.next() % UInt64(insertions.count))], at: at)
            case 2: bytes.remove(at: at)
            case 3: bytes = Array(bytes[..<at])
            case 4:
                // Duplicate a line.
                let lines = bytes.split(separator: 10, omittingEmptySubsequences: false)
                let line = lines[Int(random.next() % UInt64(lines.count))]
                bytes += [10] + line
            default: bytes.insert(contentsOf: Array(repeating: 44, count: Int(random.next() % 50)), at: at)
            }
        }
        return bytes
    }

    @Test func mutatedSpreadsheetsImportWholeOrNotAtAll() throws {
        var random = SeededRandom.fromEnvironment(fallback: 424_242)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("storders-csv-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var imported = 0
        var refused = 0
        for i in 0..<Self.iterations {
            let f = try Fixture()
            let before = try f.snapshot()
            let kind = random.next() % 2
            let file = dir.appendingPathComponent("f-\(i).csv").path
            let outputs = dir.appendingPathComponent("o-\(i).csv").path
            do {
                if kind == 0 {
                    try Data(Self.mutate(Self.enterprises, &random)).write(to: URL(fileURLWithPath: file))
                    try f.store.importEnterprises(file: file)
                } else {
                    try Data(Self.mutate(Self.orders, &random)).write(to: URL(fileURLWithPath: file))
                    try Data(random.next() % 2 == 0 ? Array(Self.outputs.utf8) : Self.mutate(Self.outputs, &random))
                        .write(to: URL(fileURLWithPath: outputs))
                    try f.store.importOrders(file: file, outputs: outputs)
                }
                imported += 1
                #expect(
                    try f.store.verify().isClean,
                    "iteration \(i) (seed \(random.seed)) imported a file that does not verify")
            } catch let error as STOrdersError {
                refused += 1
                #expect(try f.snapshot() == before, "iteration \(i) (seed \(random.seed)): a refused import wrote")
                for line in [error.description] + error.details {
                    #expect(
                        !line.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) },
                        "iteration \(i): \(line.debugDescription)")
                }
            }
        }
        #expect(imported > 0 && refused > 0)
        print(
            "CSV import harness (seed \(random.seed)): \(Self.iterations) mutated files: \(imported) imported whole and verified,"
                + " \(refused) refused with nothing written; no trap")
    }
}
