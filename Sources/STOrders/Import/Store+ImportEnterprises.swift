import GRDB

extension Store {
    /// The columns of an enterprises CSV file, in the order `generate --csv` writes them.
    public static let enterpriseCSVColumns = ["tax_code", "name", "province", "innovative_startup", "registered_on"]

    /// Imports enterprises from a CSV file, all or nothing: any bad row imports none and the
    /// refusal lists the problems. With `dryRun`, checks everything and writes nothing.
    public func importEnterprises(
        file: String, dryRun: Bool = false,
        progress: ProgressHandler? = nil
    ) throws -> ImportSummary {
        let table = try CSVTable(
            path: file, columns: Store.enterpriseCSVColumns,
            required: ["tax_code", "name", "province", "registered_on"])
        return try bulkWrite(commit: !dryRun) { db in
            let bulk = try BulkWriter(db, actor: actor)
            let problems = ImportProblems()
            let existing = try db.makeStatement(sql: "SELECT name FROM enterprises WHERE tax_code = ?")
            var seen: [String: Int] = [:]
            var summary = ImportSummary()
            summary.dryRun = dryRun
            while let row = try table.next() {
                var cells = RowCells(row, table, problems)
                let taxCode = cells.required("tax_code") { try TaxCode(parsing: $0) }
                let name = cells.required("name") { try Text.validate($0, what: "enterprise name") }
                let province = cells.required("province") { try Province.named($0) }
                let startup = cells.optional("innovative_startup", Cell.flag) ?? false
                let registeredOn = cells.required("registered_on", Cell.day)
                if let taxCode {
                    if let first = seen[taxCode.value] {
                        cells.fail("tax_code", "appears again (first on line \(first)); tax codes are unique")
                    } else if let name = try String.fetchOne(existing, arguments: [taxCode.value]) {
                        cells.fail("tax_code", "is already on file for \(name); tax codes are unique")
                    } else {
                        seen[taxCode.value] = row.line
                    }
                }
                if row.fields.count > table.columnCount {
                    cells.failRow("has \(row.fields.count) fields but the header names \(table.columnCount) columns")
                }
                if let report = progress, row.line % 4096 == 0 { report(table.bytesRead, table.size) }
                guard !cells.failed, problems.isEmpty, let taxCode, let name, let province, let registeredOn else {
                    continue
                }
                do {
                    try bulk.insertEnterprise(
                        taxCode: taxCode.value, name: name, provinceCode: province.code,
                        innovativeStartup: startup, registeredOn: registeredOn.description)
                    summary.enterprises += 1
                } catch let error as DatabaseError {
                    cells.failRow(mapError(error).description)
                }
            }
            try problems.check(file: table.name)
            progress?(table.size, table.size)
            return summary
        }
    }
}
