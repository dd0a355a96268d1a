import GRDB

extension Store {
    /// Restores a file written by `export` (either format) into this database, which must hold
    /// no enterprises and no orders. Every record is checked with the domain's parsers and the
    /// lifecycle's invariants before it is written; any problem restores nothing. Events keep
    /// their dates, times and actors, so exporting the restored database gives the same bytes.
    public func restore(file: String, progress: ProgressHandler? = nil) throws -> ImportSummary {
        let reader = try JSONReader(path: file)
        let name = file.split(separator: "/").last.map(String.init) ?? file
        return try bulkWrite(commit: true) { db in
            if try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM orders) OR EXISTS (SELECT 1 FROM enterprises)") == true {
                throw STOrdersError.databaseNotEmpty(path: path)
            }
            let bulk = try BulkWriter(db, actor: actor)
            var enterprises: [String: Int64] = [:]
            var summary = ImportSummary()
            var ended = false
            var recordLine = 1
            func fail(_ reason: String) -> STOrdersError { .dumpInvalid(file: name, line: recordLine, reason: reason) }

            func enterprise(_ v: JSONValue) throws {
                let r = try Fields(v, fail)
                let taxCode = try r.parse("tax_code") { try TaxCode(parsing: $0) }
                let e = Enterprise(taxCode: taxCode, name: try r.parse("name") { try Text.validateRestored($0, what: "enterprise name") },
                                   province: try r.province("province_code"), innovativeStartup: try r.bool("innovative_startup"),
                                   registeredOn: try r.parse("registered_on") { try Day(parsing: $0) })
                if enterprises[taxCode.value] != nil { throw fail("tax code \(taxCode) appears twice") }
                enterprises[taxCode.value] = try bulk.insertEnterprise(
                    taxCode: e.taxCode.value, name: e.name, provinceCode: e.province.code,
                    innovativeStartup: e.innovativeStartup, registeredOn: e.registeredOn.description)
                summary.enterprises += 1
            }

            func order(_ v: JSONValue) throws {
                let r = try Fields(v, fail)
                let code = try r.parse("code") { try Order.validateCode($0) }
                let taxCode = try r.parse("enterprise_tax_code") { try TaxCode(parsing: $0) }
                guard let enterpriseID = enterprises[taxCode.value] else {
                    throw fail("order \(code) names enterprise \(taxCode), which is not in the file before it")
                }
                let order = Order(
                    code: code, title: try r.parse("title") { try Text.validateRestored($0, what: "order title") },
                    field: try r.vocabulary("field"), province: try r.province("province_code"), enterpriseTaxCode: taxCode,
                    enterpriseName: "", state: try r.vocabulary("state"), orderedOn: try r.day("ordered_on"),
                    fundedOn: try r.optionalDay("funded_on"), deliveredOn: try r.optionalDay("delivered_on"),
                    commercializedOn: try r.optionalDay("commercialized_on"), cancelledOn: try r.optionalDay("cancelled_on"),
                    cancelReason: try r.optionalText("cancel_reason", what: "reason"))
                var funding: Funding?
                if case .object = r.value("funding") {
                    let f = try Fields(r.value("funding"), fail)
                    do {
                        funding = try Funding(stateBudget: try f.int("state_budget"), enterpriseFunds: try f.int("enterprise_funds"),
                                              other: try f.int("other"), otherSource: try f.optionalText("other_source", what: "other source"),
                                              fundedOn: try f.day("funded_on"))
                    } catch let e as STOrdersError where !Fields.isOwn(e) { throw fail("order \(code): \(e)") }
                }
                let outputs = try r.array("outputs").map { v -> Output in
                    let x = try Fields(v, fail)
                    let value = try x.int("value")
                    if value <= 0 { throw fail("order \(code): an output's value must be greater than zero") }
                    return Output(orderCode: code, number: try x.positive("number"),
                                  title: try x.parse("title") { try Text.validateRestored($0, what: "output title") },
                                  type: try x.vocabulary("type"), novelty: try x.vocabulary("novelty"), value: value,
                                  acceptedOn: try x.optionalDay("accepted_on"), evidence: try x.optionalText("evidence", what: "evidence"))
                }
                let payments = try r.array("payments").map { v -> Payment in
                    let p = try Fields(v, fail)
                    let amount = try p.int("amount")
                    let reverses: Int? = p.value("reverses") == .null ? nil : try p.positive("reverses")
                    if (amount > 0) != (reverses == nil) || amount == 0 {
                        throw fail("order \(code): a payment's amount must be greater than zero, a reversal's below zero")
                    }
                    return Payment(orderCode: code, number: try p.positive("number"), outputNumber: try p.positive("output_number"),
                                   amount: amount, source: try p.vocabulary("source"),
                                   reference: try p.optionalText("reference", what: "reference"), paidOn: try p.day("paid_on"),
                                   reverses: reverses, reason: try p.optionalText("reason", what: "reason"))
                }
                let results = try r.array("results").map { v -> Commercialization in
                    let c = try Fields(v, fail)
                    let revenue = try c.int("revenue")
                    if revenue < 0 { throw fail("order \(code): a revenue cannot be negative") }
                    return Commercialization(orderCode: code, number: try c.positive("number"), channel: try c.vocabulary("channel"),
                                             revenue: revenue, note: try c.optionalText("note", what: "note"),
                                             commercializedOn: try c.day("commercialized_on"),
                                             retractedOn: try c.optionalDay("retracted_on"),
                                             retractReason: try c.optionalText("retract_reason", what: "reason"))
                }
                let events = try r.array("events").map { v -> Event in
                    let e = try Fields(v, fail)
                    let text = try e.string("action")
                    guard let action = Event.Action(rawValue: text) else {
                        throw fail("order \(code): unknown event action '\(text)'; expected one of \(Event.Action.allCases.map(\.rawValue).joined(separator: ", "))")
                    }
                    return Event(orderCode: code, occurredOn: try e.day("occurred_on"), recordedAt: try e.string("recorded_at"),
                                 action: action, details: try e.string("details"), actor: try e.string("actor"))
                }
                let detail = OrderDetail(order: order, outputs: outputs, funding: funding, payments: payments,
                                         results: results, events: events)
                if let problem = detail.invariantViolations().first { throw fail(problem) }
                do {
                    try bulk.replay(detail, enterpriseID: enterpriseID)
                } catch let error as DatabaseError {
                    throw fail("order \(code): \(mapError(error))")
                } catch let error as STOrdersError {
                    throw fail(error.description)
                }
                summary.orders += 1
                if let progress, summary.orders % 8192 == 0 { progress(reader.consumed, reader.size) }
            }

            do {
                // The header: a document whose arrays hold the records (json), or a first line (jsonl).
                try reader.expect(123)
                var header: [String: JSONValue] = [:]
                var document = false  // the json layout: records inside the header object
                if !reader.take(125) {
                    repeat {
                        let key = try reader.string()
                        try reader.expect(58)
                        if key == "enterprises" || key == "orders" {
                            try Store.checkHeader(header, fail)
                            document = true
                            try reader.expect(91)
                            if !reader.take(93) {
                                repeat {
                                    _ = reader.peek()
                                    recordLine = reader.line
                                    let v = try reader.value()
                                    if key == "enterprises" { try enterprise(v) } else { try order(v) }
                                } while reader.take(44)
                                try reader.expect(93)
                            }
                        } else {
                            header[key] = try reader.value()
                        }
                    } while reader.take(44)
                    try reader.expect(125)
                }
                try Store.checkHeader(header, fail)
                // JSON Lines: the records follow the header, each with its type.
                while reader.peek() != nil {
                    recordLine = reader.line
                    if ended || document { throw fail("there is more after the end of the export") }
                    let v = try reader.value()
                    guard case .object(let fields) = v, case .string(let type)? = fields["type"] else {
                        throw fail("expected a record with a \"type\"")
                    }
                    switch type {
                    case "enterprise": try enterprise(v)
                    case "order": try order(v)
                    case "end":
                        ended = true
                        if fields["enterprises"] != .int(Int64(summary.enterprises)) || fields["orders"] != .int(Int64(summary.orders)) {
                            throw fail("the end record's counts do not match the records read (\(summary.enterprises) enterprises, \(summary.orders) orders)")
                        }
                    default: throw fail("unknown record type '\(type)'; expected enterprise, order or end")
                    }
                }
                if !document && !ended {
                    recordLine = reader.line
                    throw fail("the file ends without its end record; it may be cut short")
                }
            } catch let failure as JSONReader.Failure {
                throw STOrdersError.dumpInvalid(file: name, line: reader.line, reason: "not valid JSON: \(failure.reason)")
            }
            progress?(reader.size, reader.size)
            return summary
        }
    }

    static func checkHeader(_ header: [String: JSONValue], _ fail: (String) -> STOrdersError) throws {
        guard header["format"] == .string(exportFormatName) else {
            throw fail("it does not start with {\"format\":\"\(exportFormatName)\", …}")
        }
        guard case .int(let version)? = header["version"] else { throw fail("the header has no version") }
        if version > Int64(exportFormatVersion) {
            throw fail("export format version \(version) is newer than this storders reads (\(exportFormatVersion))")
        }
    }
}

/// The fields of one record, read with the domain's parsers; a missing or mistyped field is a
/// refusal naming it.
private struct Fields {
    let fields: [String: JSONValue]
    let fail: (String) -> STOrdersError

    init(_ value: JSONValue, _ fail: @escaping (String) -> STOrdersError) throws {
        guard case .object(let f) = value else { throw fail("expected an object") }
        fields = f
        self.fail = fail
    }

    static func isOwn(_ e: STOrdersError) -> Bool {
        if case .dumpInvalid = e { return true }
        return false
    }

    func value(_ key: String) -> JSONValue { fields[key] ?? .null }

    func string(_ key: String) throws -> String {
        guard case .string(let s)? = fields[key] else { throw fail("\"\(key)\" must be a string") }
        return s
    }

    func parse<T>(_ key: String, _ parse: (String) throws -> T) throws -> T {
        let s = try string(key)
        do { return try parse(s) } catch let e as STOrdersError { throw fail("\"\(key)\": \(e)") }
    }

    func int(_ key: String) throws -> Int64 {
        guard case .int(let i)? = fields[key] else { throw fail("\"\(key)\" must be a whole number") }
        return i
    }

    func positive(_ key: String) throws -> Int {
        let i = try int(key)
        guard i > 0, i <= Int64(Int32.max) else { throw fail("\"\(key)\" must be a positive number") }
        return Int(i)
    }

    func bool(_ key: String) throws -> Bool {
        guard case .bool(let b)? = fields[key] else { throw fail("\"\(key)\" must be true or false") }
        return b
    }

    func day(_ key: String) throws -> Day { try parse(key) { try Day(parsing: $0) } }

    func optionalDay(_ key: String) throws -> Day? {
        if value(key) == .null { return nil }
        return try day(key)
    }

    func optionalText(_ key: String, what: String) throws -> String? {
        if value(key) == .null { return nil }
        return try parse(key) { try Text.validateRestored($0, what: what) }
    }

    func province(_ key: String) throws -> Province {
        let code = try string(key)
        guard let p = Province.byCode[code] else { throw fail("\"\(key)\" '\(code)' is not one of the 34 province codes") }
        return p
    }

    func vocabulary<V: Vocabulary>(_ key: String) throws -> V {
        let s = try string(key)
        guard let v = V(rawValue: s) else {
            throw fail("\"\(key)\" '\(s)' is not one of \(V.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return v
    }

    func array(_ key: String) throws -> [JSONValue] {
        guard case .array(let a)? = fields[key] else { throw fail("\"\(key)\" must be an array") }
        return a
    }
}
