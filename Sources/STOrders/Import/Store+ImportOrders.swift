import GRDB

extension Store {
    /// The columns of an orders CSV file: one row per order, in the state it has reached.
    public static let orderCSVColumns = [
        "code", "enterprise_tax_code", "title", "field", "province", "ordered_on", "state",
        "funded_on", "state_budget", "enterprise_funds", "other", "other_source",
        "delivered_on", "commercialized_on", "channel", "revenue", "result_note",
        "cancelled_on", "cancel_reason",
    ]
    /// The columns of an outputs CSV file: one row per output, tied to its order by code.
    public static let outputCSVColumns = [
        "order_code", "number", "title", "type", "novelty", "value", "accepted_on", "evidence",
    ]
    /// The columns an outputs file must have (both imports that read one).
    static let outputCSVRequired = ["order_code", "title", "type", "novelty", "value"]

    /// What the import keeps of each order while its outputs arrive, to check the order's
    /// invariants once all are in.
    struct ImportedOrder {
        var id: Int64
        var line: Int
        var code: String
        var state: OrderState
        var orderedOn: Day
        var fundedOn: Day?
        var deliveredOn: Day?
        var cancelledOn: Day?
        var fundingTotal: Int64
        var outputSum: Int64 = 0
        var overflow = false
        var outputs = 0
        var accepted = 0
        var lastAccepted: Day?
        var nextNumber = 1
        /// Numbers 1 to 64 used so far in this import, as bits (the database's UNIQUE catches the rest).
        var numbers: UInt64 = 0
        /// True for an order already in the database (`import outputs`), false for one of this import.
        var stored = false
        /// The whole order, written once every row has been checked (orders of this import only).
        var pending: OrderDetail?
        var enterpriseID: Int64 = 0
    }

    /// Imports orders, each in the state it has reached, with their outputs from a second file,
    /// all or nothing. Every row is checked with the same parsers and rules as the commands:
    /// dates in lifecycle order, funding that covers the outputs, a delivered order whose
    /// outputs are all accepted, and so on. Each order gets one `imported` event.
    public func importOrders(
        file: String, outputs outputsFile: String? = nil, dryRun: Bool = false,
        progress: ProgressHandler? = nil
    ) throws -> ImportSummary {
        let orders = try CSVTable(
            path: file, columns: Store.orderCSVColumns,
            required: ["enterprise_tax_code", "title", "field", "ordered_on"])
        let outputTable = try outputsFile.map {
            try CSVTable(path: $0, columns: Store.outputCSVColumns, required: Store.outputCSVRequired)
        }
        let total = orders.size + (outputTable?.size ?? 0)
        let recordedAt = Store.timestamp()
        return try bulkWrite(commit: !dryRun) { db in
            let bulk = try BulkWriter(db, actor: actor)
            let problems = ImportProblems()
            var summary = ImportSummary()
            summary.dryRun = dryRun
            var enterprises: [String: (id: Int64, province: String, name: String)] = [:]
            let rows = try Row.fetchCursor(db, sql: "SELECT tax_code, id, province_code, name FROM enterprises")
            while let row = try rows.next() { enterprises[row[0]] = (row[1], row[2], row[3]) }
            let hadOrders = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM orders)") ?? false
            let existing = try db.makeStatement(sql: "SELECT 1 FROM orders WHERE code = ?")
            var imported: [ImportedOrder] = []
            var index: [String: Int] = [:]  // upper-cased code → position in `imported`
            var refused: Set<String> = []  // codes of rows with problems: their outputs are not judged again

            while let row = try orders.next() {
                var cells = RowCells(row, orders, problems)
                if let report = progress, row.line % 4096 == 0 { report(orders.bytesRead, total) }
                if row.fields.count > orders.columnCount {
                    cells.failRow("has \(row.fields.count) fields but the header names \(orders.columnCount) columns")
                }
                let code = cells.optional("code") { try Order.validateCode($0) }
                let taxCode = cells.required("enterprise_tax_code") { try TaxCode(parsing: $0) }
                let title = cells.required("title") { try Text.validate($0, what: "order title") }
                let field = cells.required("field") { try Field.parse($0) }
                var province = cells.optional("province") { try Province.named($0) }
                let orderedOn = cells.required("ordered_on", Cell.day)
                let state =
                    cells.optional("state") { try OrderState.parse($0) } ?? (cells.isBlank("state") ? .ordered : nil)
                let fundedOn = cells.optional("funded_on", Cell.day)
                let stateBudget = cells.optional("state_budget") { try Money.parse($0, allowZero: true) }
                let enterpriseFunds = cells.optional("enterprise_funds") { try Money.parse($0, allowZero: true) }
                let other = cells.optional("other") { try Money.parse($0, allowZero: true) }
                let otherSource = cells.optional("other_source") { try Text.validate($0, what: "other source") }
                let deliveredOn = cells.optional("delivered_on", Cell.day)
                let commercializedOn = cells.optional("commercialized_on", Cell.day)
                let channel = cells.optional("channel") { try Channel.parse($0) }
                let revenue = cells.optional("revenue") { try Money.parse($0, allowZero: true) }
                let note = cells.optional("result_note") { try Text.validate($0, what: "result note") }
                let cancelledOn = cells.optional("cancelled_on", Cell.day)
                let reason = cells.optional("cancel_reason") { try Text.validate($0, what: "reason") }

                var enterprise: (id: Int64, province: String, name: String)?
                if let taxCode {
                    enterprise = enterprises[taxCode.value]
                    if enterprise == nil {
                        cells.fail(
                            "enterprise_tax_code",
                            "no enterprise has this tax code; import the enterprises first (storders import enterprises)"
                        )
                    }
                }
                if province == nil, cells.isBlank("province"), let enterprise {
                    province = Province.byCode[enterprise.province]
                }

                // The columns each state needs, and those it must leave blank.
                var funding: Funding?
                if let state {
                    let funded: Set<OrderState> = [.funded, .delivered, .commercialized]
                    func need(
                        _ column: String, _ present: Bool, when states: Set<OrderState>,
                        optionalIn: Set<OrderState> = []
                    ) {
                        if states.contains(state) {
                            if !present && !cells.isBlank(column) { return }  // refused above already
                            if !present { cells.fail(column, "is required for a \(state) order") }
                        } else if present || !cells.isBlank(column), !optionalIn.contains(state) {
                            cells.fail(
                                column,
                                "must be blank for a \(state) order; it belongs to \(states.map(\.rawValue).sorted().joined(separator: ", ")) orders"
                            )
                        }
                    }
                    need("funded_on", fundedOn != nil, when: funded, optionalIn: [.cancelled])
                    need("delivered_on", deliveredOn != nil, when: [.delivered, .commercialized])
                    need("commercialized_on", commercializedOn != nil, when: [.commercialized])
                    need("channel", channel != nil, when: [.commercialized])
                    need("revenue", revenue != nil, when: [.commercialized])
                    if state != .commercialized && !cells.isBlank("result_note") {
                        cells.fail(
                            "result_note", "must be blank for a \(state) order; it belongs to commercialized orders")
                    }
                    need("cancelled_on", cancelledOn != nil, when: [.cancelled])
                    need("cancel_reason", reason != nil, when: [.cancelled])
                    if let fundedOn {
                        do {
                            funding = try Funding.commitment(
                                order: code ?? "", stateBudget: stateBudget,
                                enterpriseFunds: enterpriseFunds, other: other,
                                otherSource: otherSource, fundedOn: fundedOn)
                        } catch STOrdersError.fundingMissing {
                            if ["state_budget", "enterprise_funds", "other"].allSatisfy({ cells.isBlank($0) }) {
                                cells.fail(
                                    "state_budget",
                                    "a funded order needs its funding: state_budget, enterprise_funds and/or other (with other_source)"
                                )
                            } else {
                                cells.fail("state_budget", "the funding adds up to 0 đồng; it must be more")
                            }
                        } catch {
                            cells.fail(other == nil ? "other_source" : "other", ImportProblems.message(error))
                        }
                    } else if cells.isBlank("funded_on") {
                        for column in ["state_budget", "enterprise_funds", "other", "other_source"]
                        where !cells.isBlank(column) {
                            cells.fail(column, "funding amounts need a funded_on date")
                        }
                    }
                    // Dates in lifecycle order.
                    func order(_ later: Day?, _ column: String, after earlier: Day?, _ earlierColumn: String) {
                        if let later, let earlier, later < earlier {
                            cells.fail(column, "is before \(earlierColumn) \(earlier); it must be \(earlier) or later")
                        }
                    }
                    order(fundedOn, "funded_on", after: orderedOn, "ordered_on")
                    order(deliveredOn, "delivered_on", after: fundedOn, "funded_on")
                    order(commercializedOn, "commercialized_on", after: deliveredOn, "delivered_on")
                    order(
                        cancelledOn, "cancelled_on", after: fundedOn ?? orderedOn,
                        fundedOn == nil ? "ordered_on" : "funded_on")
                }

                if let c = code {
                    let key = c.uppercased()
                    if let first = index[key] {
                        cells.fail(
                            "code", "appears again (first on line \(imported[first].line)); order codes are unique")
                    } else if refused.contains(key) {
                        cells.fail("code", "appears again; order codes are unique")
                    } else if hadOrders, try Bool.fetchOne(existing, arguments: [c]) == true {
                        cells.fail("code", "an order with this code is already in the database; order codes are unique")
                    }
                }
                guard !cells.failed, let taxCode, let title, let field, let province, let orderedOn, let state,
                    let enterprise
                else {
                    if let c = code { refused.insert(c.uppercased()) }
                    continue
                }
                // Every row is kept and checked; nothing is written until all rows have been.
                let key = code.map { $0.uppercased() } ?? "#\(row.line)"
                index[key] = imported.count
                var detail = OrderDetail(
                    order: Order(
                        code: code ?? "", title: title, field: field, province: province, enterpriseTaxCode: taxCode,
                        enterpriseName: enterprise.name, state: state, orderedOn: orderedOn, fundedOn: fundedOn,
                        deliveredOn: deliveredOn, commercializedOn: commercializedOn, cancelledOn: cancelledOn,
                        cancelReason: reason),
                    outputs: [], funding: funding, payments: [], results: [], events: [])
                if let channel, let revenue, let commercializedOn {
                    detail.results = [
                        Commercialization(
                            orderCode: code ?? "", number: 1, channel: channel, revenue: revenue,
                            note: note, commercializedOn: commercializedOn)
                    ]
                }
                var o = ImportedOrder(
                    id: 0, line: row.line, code: code ?? "(line \(row.line))", state: state,
                    orderedOn: orderedOn, fundedOn: fundedOn, deliveredOn: deliveredOn,
                    cancelledOn: cancelledOn, fundingTotal: funding?.total ?? 0)
                o.pending = detail
                o.enterpriseID = enterprise.id
                imported.append(o)
                summary.orders += 1
            }

            if let outputTable {
                try importOutputRows(
                    outputTable, db: db, problems: problems, summary: &summary,
                    progressBase: orders.size, total: total, progress: progress
                ) { key in
                    if let i = index[key] { return .found(i) }
                    return refused.contains(key) ? .refused : .unknown("no order with this code in \(orders.name)")
                } order: { i in
                    imported[i]
                } update: { i, o in
                    imported[i] = o
                }
            }

            // The invariants each order must keep once all its outputs are in.
            for o in imported {
                let line = o.line
                func fail(_ message: String) {
                    problems.add(
                        ImportProblem(line: line, column: "", value: "", message: "order \(o.code): \(message)"))
                }
                if o.fundedOn != nil {
                    if o.overflow && o.outputs > 0 {
                        fail(STOrdersError.amountOverflow.description)
                    } else {
                        do {
                            try Funding.requireCovers(
                                order: o.code, funding: o.fundingTotal, outputs: o.outputs, worth: o.outputSum)
                        } catch STOrdersError.noOutputs {
                            fail(
                                "is \(o.state) but has no outputs\(outputTable.map { " in \($0.name)" } ?? " (none was given with it in an outputs file)"); funding needs at least one output"
                            )
                            continue
                        } catch let STOrdersError.fundingInsufficient(_, funding, worth) {
                            fail(
                                "its funding of \(Money.format(funding)) đồng does not cover its outputs, worth \(Money.format(worth)) đồng"
                            )
                        }
                    }
                }
                switch o.state {
                case .funded where o.accepted == o.outputs:
                    fail(
                        "all its \(o.outputs) outputs are accepted, so it is delivered: give state delivered and delivered_on (the day the last was accepted)"
                    )
                case .delivered, .commercialized:
                    if let last = o.lastAccepted, let delivered = o.deliveredOn, last != delivered {
                        fail(
                            "delivered_on \(delivered) is not the day its last output was accepted (\(last)); an order is delivered when its last output is accepted"
                        )
                    }
                default: break
                }
            }
            try problems.check(file: outputTable.map { "\(orders.name) + \($0.name)" } ?? orders.name)

            // The whole-order invariant checker, on every order, before anything is written: the
            // rows go in below in their final state, with the step triggers set aside.
            for o in imported {
                guard var detail = o.pending else { continue }
                if detail.order.code.isEmpty { detail.order.code = o.code }
                for message in detail.invariantViolations().prefix(3) {
                    problems.add(ImportProblem(line: o.line, column: "", value: "", message: message))
                }
            }
            try problems.check(file: outputTable.map { "\(orders.name) + \($0.name)" } ?? orders.name)

            // Write each order whole, in its final state, with the history the commands would
            // have written step by step (see `BulkWriter.withoutStepTriggers` for why this is sound).
            // The triggers that keep the indicators' totals are set aside too: the new orders'
            // contributions are added set-wise once they are all written (about twice as fast
            // as a dozen upserts per order), before the triggers come back.
            let lastOrderBefore = try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) FROM orders") ?? 0
            try BulkWriter.withoutStepTriggers(db, also: try Tallies.triggers()) {
                for i in imported.indices {
                    let o = imported[i]
                    guard var detail = o.pending else { continue }
                    imported[i].pending = nil  // released as written: the peak is the checked orders, once
                    if detail.order.code.isEmpty {
                        detail.order.code = try Store.nextOrderCode(
                            db, province: detail.order.province, year: detail.order.orderedOn.year)
                    }
                    detail.events = Store.importedHistory(
                        detail, source: "\(orders.name) line \(o.line)", recordedAt: recordedAt,
                        actor: actor)
                    do {
                        try bulk.writeWhole(detail, enterpriseID: o.enterpriseID)
                    } catch let error as DatabaseError {
                        problems.add(
                            ImportProblem(
                                line: o.line, column: "", value: "",
                                message: "order \(detail.order.code): \(mapError(error))"))
                        break
                    }
                    if let report = progress, i % 4096 == 0 {
                        report(total - total / 10 + Int64(i) * (total / 10) / Int64(max(imported.count, 1)), total)
                    }
                }
                try Tallies.addOrders(after: lastOrderBefore, db)
            }
            try problems.check(file: outputTable.map { "\(orders.name) + \($0.name)" } ?? orders.name)
            progress?(total, total)
            return summary
        }
    }

    /// Imports outputs into orders already in the database that are still `ordered` (as
    /// `output add` does), all or nothing, each with its `output_added` event dated `day`.
    public func importOutputs(
        file: String, on day: Day, dryRun: Bool = false,
        progress: ProgressHandler? = nil
    ) throws -> ImportSummary {
        let table = try CSVTable(
            path: file, columns: Store.outputCSVColumns,
            required: Store.outputCSVRequired)
        let recordedAt = Store.timestamp()
        return try bulkWrite(commit: !dryRun) { db in
            let problems = ImportProblems()
            var summary = ImportSummary()
            summary.dryRun = dryRun
            var orders: [ImportedOrder] = []
            var index: [String: Int] = [:]
            var missing: [String: String] = [:]
            let lookup = try db.makeStatement(
                sql: """
                    SELECT id, code, state, ordered_on,
                           (SELECT coalesce(max(number), 0) FROM outputs x WHERE x.order_id = o.id),
                           (SELECT coalesce(sum(value), 0) FROM outputs x WHERE x.order_id = o.id)
                    FROM orders o WHERE code = ?
                    """)
            try importOutputRows(
                table, db: db, problems: problems, summary: &summary, progressBase: 0,
                total: table.size, progress: progress, events: (day, recordedAt)
            ) { key in
                if let i = index[key] { return .found(i) }
                if let why = missing[key] { return .unknown(why) }
                guard let row = try Row.fetchOne(lookup, arguments: [key]) else {
                    missing[key] = "no order with this code; `storders order list` shows the codes"
                    return .unknown(missing[key] ?? "")
                }
                let state = try Store.vocabulary(OrderState.self, row[2])
                let orderedOn = try Day(parsing: row[3])
                if state != .ordered {
                    missing[key] =
                        "order is \(state); adding an output needs ordered (outputs are fixed once an order is funded)"
                    return .unknown(missing[key] ?? "")
                }
                // The dates rule: an output is added on or after its order's registration.
                if (try? Chronology.check(.outputAdded, on: day, after: Chronology.Dates(registered: orderedOn))) == nil
                {
                    missing[key] = "the import date \(day) is before the order's registration on \(orderedOn)"
                    return .unknown(missing[key] ?? "")
                }
                let maxNumber: Int = row[4]
                orders.append(
                    ImportedOrder(
                        id: row[0], line: 0, code: row[1], state: state, orderedOn: orderedOn,
                        fundingTotal: 0, outputSum: row[5], nextNumber: maxNumber + 1, stored: true))
                index[key] = orders.count - 1
                return .found(orders.count - 1)
            } order: { i in
                orders[i]
            } update: { i, o in
                orders[i] = o
            }
            for o in orders where o.overflow {
                problems.add(
                    ImportProblem(
                        line: 0, column: "", value: "", message: "order \(o.code): \(STOrdersError.amountOverflow)"))
            }
            try problems.check(file: table.name)
            progress?(table.size, table.size)
            return summary
        }
    }

    enum OrderLookup {
        case found(Int)
        case refused
        case unknown(String)
    }

    /// Reads an outputs file: each row checked alone, then against its order's state and dates.
    func importOutputRows(
        _ table: CSVTable, db: Database, problems: ImportProblems,
        summary: inout ImportSummary, progressBase: Int64, total: Int64,
        progress: ProgressHandler?, events: (day: Day, recordedAt: String)? = nil,
        find: (String) throws -> OrderLookup,
        order: (Int) -> ImportedOrder, update: (Int, ImportedOrder) -> Void
    ) throws {
        while let row = try table.next() {
            var cells = RowCells(row, table, problems)
            if let report = progress, row.line % 4096 == 0 { report(progressBase + table.bytesRead, total) }
            if row.fields.count > table.columnCount {
                cells.failRow("has \(row.fields.count) fields but the header names \(table.columnCount) columns")
            }
            let code = cells.required("order_code") { try Order.validateCode($0) }
            let number = cells.optional("number", Cell.number)
            let title = cells.required("title") { try Text.validate($0, what: "output title") }
            let type = cells.required("type") { try OutputType.parse($0) }
            let novelty = cells.required("novelty") { try Novelty.parse($0) }
            let value = cells.required("value") { try Money.parse($0) }
            var acceptedOn = cells.optional("accepted_on", Cell.day)
            let evidence = cells.optional("evidence") { try Text.validate($0, what: "evidence") }
            guard let code else { continue }
            var position: Int?
            switch try find(code.uppercased()) {
            case .found(let i): position = i
            case .refused: continue  // its order's row was refused; that is reported already
            case .unknown(let why): cells.fail("order_code", why)
            }
            guard let position else { continue }
            var o = order(position)
            if let a = acceptedOn {
                if let funded = o.fundedOn {
                    if a < funded {
                        cells.fail(
                            "accepted_on",
                            "is before the order's funded_on \(funded); an output is accepted only once its order is funded"
                        )
                    }
                    if let d = o.deliveredOn, d < a {
                        cells.fail("accepted_on", "is after the order's delivered_on \(d)")
                    }
                    if let c = o.cancelledOn, c < a {
                        cells.fail("accepted_on", "is after the order's cancelled_on \(c)")
                    }
                } else {
                    cells.fail(
                        "accepted_on",
                        "must be blank: order \(o.code) is \(o.state) and was never funded; an output is accepted only once its order is funded"
                    )
                }
            } else if o.state == .delivered || o.state == .commercialized {
                // A delivered order's outputs are all accepted, by its delivery at the latest.
                acceptedOn = o.deliveredOn
            }
            if evidence != nil && acceptedOn == nil {
                cells.fail("evidence", "needs accepted_on: evidence documents an acceptance")
            }
            let n = number ?? o.nextNumber
            guard !cells.failed, let title, let type, let novelty, let value else { continue }
            if let number, number <= 64, o.numbers & (1 << UInt64(number - 1)) != 0 {
                cells.fail(
                    "number", "order \(o.code) already has an output \(number); numbers are unique within an order")
                continue
            }
            if o.stored {
                // An output added to an order already on file, as `output add` does.
                if problems.isEmpty {
                    do {
                        try db.cachedStatement(
                            sql: """
                                INSERT INTO outputs (order_id, number, title, type, novelty, value) VALUES (?, ?, ?, ?, ?, ?)
                                """
                        ).execute(arguments: [o.id, n, title, type.rawValue, novelty.rawValue, value])
                        if let events {
                            try Store.insertEvent(
                                db, orderID: o.id, occurredOn: events.day.description, recordedAt: events.recordedAt,
                                action: .outputAdded,
                                details: EventDetails.outputAdded(
                                    Output(
                                        orderCode: o.code, number: n, title: title,
                                        type: type, novelty: novelty, value: value))
                                    + " (imported from \(table.name) line \(row.line))",
                                actor: actor, record: (.outputs, db.lastInsertedRowID))
                        }
                    } catch let error as DatabaseError {
                        if error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
                            cells.fail(
                                "number",
                                "order \(o.code) already has an output \(n); numbers are unique within an order",
                                value: String(n))
                        } else {
                            cells.failRow(mapError(error).description)
                        }
                        continue
                    }
                }
            } else {
                o.pending?.outputs.append(
                    Output(
                        orderCode: o.code, number: n, title: title, type: type, novelty: novelty,
                        value: value, acceptedOn: acceptedOn, evidence: evidence))
            }
            if n <= 64 { o.numbers |= 1 << UInt64(n - 1) }
            let (sum, overflow) = o.outputSum.addingReportingOverflow(value)
            o.outputSum = sum
            o.overflow = o.overflow || overflow
            o.outputs += 1
            o.nextNumber = max(o.nextNumber, n + 1)
            if let a = acceptedOn {
                o.accepted += 1
                if o.lastAccepted.map({ $0 < a }) ?? true { o.lastAccepted = a }
            }
            update(position, o)
            summary.outputs += 1
        }
    }
}

extension Store {
    /// The history of an order imported whole: the events the commands would have written for
    /// each step it went through, dated on the step's day, saying where the order came from.
    static func importedHistory(_ o: OrderDetail, source: String, recordedAt: String, actor: String) -> [Event] {
        let order = o.order
        var events: [Event] = []
        func add(_ day: Day, _ action: Event.Action, _ details: String) {
            events.append(
                Event(
                    orderCode: order.code, occurredOn: day, recordedAt: recordedAt, action: action,
                    details: details, actor: actor))
        }
        add(order.orderedOn, .registered, "imported from \(source): " + EventDetails.registered(order))
        for x in o.outputs { add(order.orderedOn, .outputAdded, EventDetails.outputAdded(x)) }
        if let f = o.funding { add(f.fundedOn, .funded, EventDetails.funded(f)) }
        let accepted = o.outputs.filter { $0.acceptedOn != nil }.sorted {
            ($0.acceptedOn ?? order.orderedOn, $0.number) < ($1.acceptedOn ?? order.orderedOn, $1.number)
        }
        for x in accepted {
            guard let day = x.acceptedOn else { continue }
            add(
                day, .outputAccepted,
                EventDetails.outputAccepted(number: x.number, title: x.title, evidence: x.evidence))
        }
        if let day = order.deliveredOn {
            add(day, .delivered, EventDetails.delivered(outputs: o.outputs.count))
        }
        for r in o.results {
            add(
                r.commercializedOn, r.number == 1 ? .commercialized : .resultRecorded,
                EventDetails.result(number: r.number, channel: r.channel, revenue: r.revenue, note: r.note))
        }
        if let day = order.cancelledOn, let reason = order.cancelReason {
            add(
                day, .cancelled,
                EventDetails.cancelled(from: order.fundedOn == nil ? .ordered : .funded, reason: reason))
        }
        return events
    }
}
