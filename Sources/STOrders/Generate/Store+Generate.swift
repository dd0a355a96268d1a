import GRDB

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension Store {
    /// Fills an empty store with generated data (see `DataGenerator`), in one transaction,
    /// through the bulk path the imports use, with each order's history as the commands would
    /// have written it. Each generated order is checked with `OrderDetail.invariantViolations()`
    /// (the rules `verify` applies) before it is written.
    public func generate(_ options: GeneratorOptions, progress: ProgressHandler? = nil) throws -> ImportSummary {
        try bulkWrite(commit: true) { db in
            if try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM orders) OR EXISTS (SELECT 1 FROM enterprises)")
                == true
            {
                throw STOrdersError.databaseNotEmpty(path: path)
            }
            var generator = DataGenerator(options)
            let bulk = try BulkWriter(db, actor: "generator")
            let enterprises = generator.makeEnterprises()
            // The advance limit in force before the first order (docs/advances.md).
            try Store.insertAdvanceLimit(
                db,
                AdvanceLimitSetting(
                    basisPoints: DataGenerator.advanceLimit,
                    setAt: "\(options.years.lowerBound - 1)-12-31T09:00:00Z", setBy: "generator"),
                id: nil, hash: nil)
            var ids: [Int64] = []
            ids.reserveCapacity(enterprises.count)
            for e in enterprises {
                ids.append(
                    try bulk.insertEnterprise(
                        taxCode: e.taxCode.value, name: e.name, provinceCode: e.province.code,
                        innovativeStartup: e.innovativeStartup,
                        registeredOn: e.registeredOn.description,
                        // Sealed at a moment of its own, like the generated
                        // events: the same options give the same bytes.
                        sealedAt: e.registeredOn.description + "T09:00:00Z"))
            }
            var summary = ImportSummary()
            summary.enterprises = enterprises.count
            for i in 0..<options.orders {
                let (o, e, contents) = generator.makeOrder()
                for content in contents { try bulk.insertContent(content) }
                let problems = o.invariantViolations()
                if let first = problems.first { throw STOrdersError.constraintViolated("generated \(first)") }
                try bulk.replay(o, enterpriseID: ids[e])
                summary.orders += 1
                summary.outputs += o.outputs.count
                if let progress, i % 8192 == 0 { progress(Int64(i), Int64(options.orders)) }
            }
            progress?(1, 1)
            return summary
        }
    }

    /// Writes generated data as the three CSV files `import enterprises` and `import orders
    /// --outputs` read (`enterprises.csv`, `orders.csv`, `outputs.csv` in `directory`, made if absent). Payments
    /// and all but the first result of an order have no CSV columns and are left out.
    public static func generateCSV(
        _ options: GeneratorOptions, directory: String,
        progress: ProgressHandler? = nil
    ) throws -> ImportSummary {
        // The folder is made when absent (its parent must exist), as `--csv ./sample` promises.
        if mkdir(directory, 0o755) != 0 && errno != EEXIST {
            throw STOrdersError.outputUnavailable(path: directory, reason: String(cString: strerror(errno)))
        }
        var generator = DataGenerator(options)
        let enterprises = try CSVFileWriter(path: directory + "/enterprises.csv", header: enterpriseCSVColumns)
        let orders = try CSVFileWriter(path: directory + "/orders.csv", header: orderCSVColumns)
        let outputs = try CSVFileWriter(path: directory + "/outputs.csv", header: outputCSVColumns)
        var summary = ImportSummary()
        let list = generator.makeEnterprises()
        for e in list {
            enterprises.row([
                e.taxCode.value, e.name, e.province.name, e.innovativeStartup ? "yes" : "no",
                e.registeredOn.description,
            ])
        }
        summary.enterprises = list.count
        func d(_ day: Day?) -> String { day?.description ?? "" }
        for i in 0..<options.orders {
            let (detail, e, _) = generator.makeOrder(documents: false)
            let o = detail.order
            let f = detail.funding
            let r = detail.results.first
            orders.row([
                o.code, list[e].taxCode.value, o.title, o.field.rawValue, o.province.name, d(o.orderedOn),
                o.state.rawValue, d(o.fundedOn), f.map { String($0.stateBudget) } ?? "",
                f.map { String($0.enterpriseFunds) } ?? "", f.map { $0.other > 0 ? String($0.other) : "" } ?? "",
                f?.otherSource ?? "", d(o.deliveredOn), d(o.commercializedOn), r?.channel.rawValue ?? "",
                r.map { String($0.revenue) } ?? "", r?.note ?? "", d(o.cancelledOn), o.cancelReason ?? "",
            ])
            for x in detail.outputs {
                outputs.row([
                    o.code, String(x.number), x.title, x.type.rawValue, x.novelty.rawValue, String(x.value),
                    d(x.acceptedOn), x.evidence ?? "",
                ])
            }
            summary.orders += 1
            summary.outputs += detail.outputs.count
            if let progress, i % 8192 == 0 { progress(Int64(i), Int64(options.orders)) }
        }
        try enterprises.close()
        try orders.close()
        try outputs.close()
        progress?(1, 1)
        return summary
    }
}
