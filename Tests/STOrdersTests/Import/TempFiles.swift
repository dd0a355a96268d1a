import Foundation

@testable import STOrders

/// A temporary folder for one test's files, removed at the end.
struct TempFiles {
    let directory: String

    init() throws {
        directory = NSTemporaryDirectory() + "storders-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    /// Writes `text` (UTF-8 bytes, exactly as given) to a file in the folder and returns its path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let path = directory + "/" + name
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    func write(_ name: String, bytes: [UInt8]) throws -> String {
        let path = directory + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    func path(_ name: String) -> String { directory + "/" + name }

    func remove() { try? FileManager.default.removeItem(atPath: directory) }
}

extension Store {
    /// The whole export of a store, as bytes.
    func exportBytes(_ format: ExportFormat = .jsonl) throws -> [UInt8] {
        var bytes: [UInt8] = []
        _ = try export(format: format, sink: { bytes += $0 })
        return bytes
    }

    func count(_ table: String) throws -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? -1 }
    }
}

/// The refusal's problems, or nil when the error is another one.
func problems(_ error: Error) -> (problems: [ImportProblem], total: Int)? {
    if case .importRejected(_, let problems, let total) = error as? STOrdersError { return (problems, total) }
    return nil
}

let enterprisesCSV = """
    tax_code,name,province,innovative_startup,registered_on
    0100233488,Công ty Cổ phần Công nghệ Số Thăng Long,Hà Nội,yes,2024-01-10
    4601234560,Công ty TNHH Quang học Yên Bình,thai nguyen,no,2024-02-01

    """
