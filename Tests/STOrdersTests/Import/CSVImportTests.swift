import Foundation
import GRDB
import Testing

@testable import STOrders

@Suite struct CSVImportTests {
    @Test func importsEnterprisesWithDiacriticsAndFoldedProvinces() throws {
        let files = try TempFiles()
        defer { files.remove() }
        let store = try Store.inMemory()
        let summary = try store.importEnterprises(file: try files.write("e.csv", enterprisesCSV))
        #expect(summary.enterprises == 2)
        let e = try store.enterprise(taxCode: try TaxCode(parsing: "4601234560"))
        #expect(e.name == "Công ty TNHH Quang học Yên Bình")
        #expect(e.province.name == "Thái Nguyên")
        #expect(try store.enterprise(taxCode: try TaxCode(parsing: "0100233488")).innovativeStartup)
    }

    /// A spreadsheet saved in a locale with decimal commas: BOM, semicolons, CRLF, quoted fields
    /// holding the delimiter, a comma and doubled quotes.
    @Test func readsBOMSemicolonsQuotesAndCRLF() throws {
        let files = try TempFiles()
        defer { files.remove() }
        let text =
            "Tax_Code;Name;Province;Registered_On\r\n"
            + "0100233488;\"Công ty \"\"Sao Mai\"\"; chi nhánh Hà Nội, tầng 3\";Ha Noi;2024-01-10\r\n"
            + "4601234560;Công ty TNHH Quang học Yên Bình;19;2024-02-01\r\n"
        let path = try files.write("e.csv", bytes: [0xEF, 0xBB, 0xBF] + Array(text.utf8))
        let store = try Store.inMemory()
        #expect(try store.importEnterprises(file: path).enterprises == 2)
        #expect(
            try store.enterprise(taxCode: try TaxCode(parsing: "0100233488")).name
                == "Công ty \"Sao Mai\"; chi nhánh Hà Nội, tầng 3")
        #expect(try store.enterprise(taxCode: try TaxCode(parsing: "4601234560")).province.code == "19")
    }

    /// A quoted field may span lines; problems name the line where the row starts, counting
    /// the line breaks inside earlier fields.
    @Test func lineNumbersCountLineBreaksInsideQuotedFields() throws {
        let files = try TempFiles()
        defer { files.remove() }
        let text =
            "tax_code,name,province,registered_on\r\n"
            + "0100233488,\"Công ty\r\nhai dòng\",Hà Nội,2024-01-10\r\n"
            + "4601234560,Công ty Yên Bình,Thái Nguyên,2024-02-30\r\n"
        let store = try Store.inMemory()
        let error = try #require(throws: STOrdersError.self) {
            try store.importEnterprises(file: try files.write("e.csv", text))
        }
        let found = try #require(problems(error))
        #expect(found.total == 2)
        #expect(found.problems[0].line == 2 && found.problems[0].column == "name")
        #expect(found.problems[1].line == 4 && found.problems[1].column == "registered_on")
        #expect(found.problems[1].message == "2024-02 has days 01 to 29")
        #expect(try store.count("enterprises") == 0)
    }

    @Test func refusesUnknownAndMissingColumns() throws {
        let files = try TempFiles()
        defer { files.remove() }
        let store = try Store.inMemory()
        let unknown = try files.write("u.csv", "tax_code,name,province,registered_on,fax\n")
        #expect(
            throws: STOrdersError.csvColumns(
                file: "u.csv",
                reason:
                    "unknown column 'fax'; the accepted columns are tax_code, name, province, innovative_startup, registered_on"
            )
        ) {
            try store.importEnterprises(file: unknown)
        }
        let missing = try files.write("m.csv", "tax_code,name\n0100233488,X\n")
        let error = try #require(throws: STOrdersError.self) { try store.importEnterprises(file: missing) }
        #expect(error.description.contains("missing columns province, registered_on"))
        #expect(throws: STOrdersError.fileUnreadable(path: files.path("absent.csv"), reason: "no such file")) {
            try store.importEnterprises(file: files.path("absent.csv"))
        }
    }

    @Test func listsEveryBadCellWithWhatIsAccepted() throws {
        let files = try TempFiles()
        defer { files.remove() }
        let text = """
            tax_code,name,province,innovative_startup,registered_on
            0100233480,Công ty A,Hà Nội,no,2024-01-10
            4601234560,,Atlantis,maybe,10/01/2024
            4601234560,Công ty B,Huế,yes,2024-01-10
            4601234560,Công ty C,Huế,yes,2024-01-10

            """
        let store = try Store.inMemory()
        let error = try #require(throws: STOrdersError.self) {
            try store.importEnterprises(file: try files.write("e.csv", text))
        }
        let found = try #require(problems(error))
        let cells = found.problems.map { "\($0.line) \($0.column)" }
        #expect(
            cells == [
                "2 tax_code", "3 name", "3 province", "3 innovative_startup", "3 registered_on",
                "4 tax_code", "5 tax_code",
            ])
        #expect(found.problems[0].message.contains("check digit"))
        #expect(found.problems[1].message == "is required")
        #expect(found.problems[2].message.hasPrefix("unknown province 'Atlantis'"))
        #expect(found.problems[3].message.hasPrefix("expected one of yes, no"))
        #expect(found.problems[4].message == "expected YYYY-MM-DD, for example 2026-03-15")
        #expect(
            found.problems[6].description
                == "line 5, column tax_code '4601234560': appears again (first on line 3); tax codes are unique")
        #expect(error.description == "e.csv: 7 problems found; nothing was imported")
        #expect(error.details.first?.hasPrefix("line 2, column tax_code '0100233480': ") == true)
        #expect(try store.count("enterprises") == 0)
    }

    @Test func dryRunChecksButWritesNothing() throws {
        let files = try TempFiles()
        defer { files.remove() }
        let store = try Store.inMemory()
        let path = try files.write("e.csv", enterprisesCSV)
        let summary = try store.importEnterprises(file: path, dryRun: true)
        #expect(summary.enterprises == 2 && summary.dryRun)
        #expect(try store.count("enterprises") == 0)
        // A dry run finds what a real run would refuse, including duplicates against the database.
        try store.importEnterprises(file: path)
        let error = try #require(throws: STOrdersError.self) { try store.importEnterprises(file: path, dryRun: true) }
        #expect(problems(error)?.total == 2)
    }

    // MARK: Orders in every state, with outputs

    static let orders = """
        code,enterprise_tax_code,title,field,province,ordered_on,state,funded_on,state_budget,enterprise_funds,other,other_source,delivered_on,commercialized_on,channel,revenue,result_note,cancelled_on,cancel_reason
        HN-1,0100233488,Nền tảng số truy xuất nguồn gốc,digital,,2025-05-20,,,,,,,,,,,,,
        HN-2,0100233488,Robot kiểm kê kho,innovation,Đà Nẵng,2025-05-21,funded,2025-06-01,"400,000,000",250000000,,,,,,,,,
        TN-1,4601234560,Cải tiến mô-đun camera,innovation,,2025-03-10,commercialized,2025-04-02,1.200.000.000,900.000.000,300000000,Quỹ đầu tư mạo hiểm,2025-11-20,2026-02-10,sale,4500000000,Hợp đồng xuất khẩu,,
        TN-2,4601234560,Thị giác máy,science,,2025-06-03,cancelled,2025-07-01,350000000,,,,,,,,,2025-08-01,Doanh nghiệp rút đề xuất
        TN-3,4601234560,Tưới thông minh,digital,,2025-06-03,cancelled,,,,,,,,,,,2025-06-10,Không thu xếp được vốn

        """
    static let outputs = """
        order_code,number,title,type,novelty,value,accepted_on,evidence
        HN-1,,Dịch vụ truy xuất,service,new,650000000,,
        HN-2,,Nguyên mẫu robot,product,new,550000000,2025-09-01,Biên bản 1
        HN-2,,Phần mềm điều khiển,service,improved,0.000.000,,
        tn-1,1,Quy trình cải tiến,model,improved,1200000000,2025-09-15,Biên bản 12/BB
        TN-1,2,Dây chuyền kiểm tra,product,new,800000000,,
        TN-2,,Hệ thống thị giác,product,improved,350000000,,

        """

    /// The import sets the step triggers aside while it writes orders whole; a failure found only
    /// while writing (a repeated output number above 64, caught by the database's UNIQUE), and a
    /// dry run, must both leave the triggers in place with nothing written, and verify clean.
    @Test func aRefusalWhileWritingOrADryRunKeepsTheTriggers() throws {
        let files = try TempFiles()
        defer { files.remove() }
        let store = try storeWithEnterprises(files)
        let orders = try files.write("o.csv", CSVImportTests.orders)
        let clean = CSVImportTests.outputs.replacingOccurrences(of: "0.000.000", with: "100.000.000")
        let repeated =
            clean + """
                HN-1,65,Bản sao,service,new,1000,,
                HN-1,65,Bản sao lần hai,service,new,1000,,

                """
        let error = try #require(throws: STOrdersError.self) {
            try store.importOrders(file: orders, outputs: try files.write("x.csv", repeated))
        }
        #expect(problems(error)?.problems.contains { $0.message.contains("HN-1") } == true)
        #expect(try store.count("orders") == 0 && store.count("events") == 0)
        #expect(try store.verify().findings.isEmpty)
        let outputs = try files.write("x2.csv", clean)
        #expect(try store.importOrders(file: orders, outputs: outputs, dryRun: true).orders == 5)
        #expect(try store.count("orders") == 0)
        #expect(try store.verify().findings.isEmpty)
        #expect(try store.importOrders(file: orders, outputs: outputs).orders == 5)
        #expect(try store.verify().findings.isEmpty)
        // The triggers are back: raw SQL still cannot insert an order past `ordered`.
        #expect(throws: STOrdersError.constraintViolated("a new order starts in state ordered")) {
            try store.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO orders (code, title, field, province_code, enterprise_id, ordered_on, state, funded_on)
                        SELECT 'X-1', 't', 'science', '01', id, '2025-01-01', 'funded', '2025-01-02' FROM enterprises LIMIT 1
                        """)
            }
        }
    }

    func storeWithEnterprises(_ files: TempFiles) throws -> Store {
        let store = try Store.inMemory()
        try store.importEnterprises(file: try files.write("e.csv", enterprisesCSV))
        return store
    }

    @Test func importsOrdersInEveryStateKeepingTheInvariants() throws {
        let files = try TempFiles()
        defer { files.remove() }
        let store = try storeWithEnterprises(files)
        let outputs = CSVImportTests.outputs.replacingOccurrences(of: "0.000.000", with: "100.000.000")
        let summary = try store.importOrders(
            file: try files.write("o.csv", CSVImportTests.orders),
            outputs: try files.write("x.csv", outputs))
        #expect(summary.orders == 5 && summary.outputs == 6)
        let tn1 = try store.orderDetail(code: "TN-1")
        #expect(tn1.order.state == .commercialized && tn1.order.province.name == "Thái Nguyên")
        #expect(tn1.outputs.map(\.acceptedOn?.description) == ["2025-09-15", "2025-11-20"])  // blank = on delivery
        #expect(tn1.funding?.total == 2_400_000_000 && tn1.funding?.otherSource == "Quỹ đầu tư mạo hiểm")
        #expect(tn1.results.map(\.revenue) == [4_500_000_000])
        #expect(
            tn1.events.map(\.action) == [
                .registered, .outputAdded, .outputAdded, .funded, .outputAccepted,
                .outputAccepted, .delivered, .commercialized,
            ])
        #expect(
            tn1.events.first?.details.hasPrefix(
                "imported from o.csv line 4: ordered by Công ty TNHH Quang học Yên Bình") == true)
        #expect(try store.orderDetail(code: "HN-2").order.province.name == "Đà Nẵng")
        #expect(try store.orderDetail(code: "HN-1").order.state == .ordered)
        #expect(try store.invariantViolations().isEmpty && store.verify().findings.isEmpty)
        // Imported orders go on through the ordinary commands.
        try store.recordPayment(order: "HN-2", output: 1, amount: 400_000_000, on: try Day(parsing: "2025-09-10"))
        try store.fund(order: "HN-1", try Funding(stateBudget: 650_000_000, fundedOn: try Day(parsing: "2025-06-01")))
    }

    @Test func refusesOrdersThatBreakTheLifecycle() throws {
        let files = try TempFiles()
        defer { files.remove() }
        let store = try storeWithEnterprises(files)
        let orders = """
            code,enterprise_tax_code,title,field,ordered_on,state,funded_on,state_budget,delivered_on,cancelled_on,cancel_reason
            A,0100233488,Không đủ vốn,science,2025-01-01,funded,2025-02-01,100,,,
            B,0100233488,Giao sai ngày,science,2025-01-01,delivered,2025-02-01,900000000,2025-12-31,,
            C,0100233488,Đã nghiệm thu hết,science,2025-01-01,funded,2025-02-01,900000000,,,
            D,0100233488,Chưa cấp vốn,science,2025-01-01,ordered,,,,,
            E,0100233488,Không có đầu ra,science,2025-01-01,funded,2025-02-01,900000000,,,
            F,0100233488,Ngày lùi,science,2025-01-01,cancelled,2024-12-01,5,,2025-01-05,
            G,9999999999,Không rõ doanh nghiệp,physics,2025-01-01,shipped,,,,,

            """
        let outputs = """
            order_code,title,type,novelty,value,accepted_on
            A,Sản phẩm,product,new,500000000,
            B,Sản phẩm,product,new,500000000,2025-06-01
            C,Sản phẩm,product,new,500000000,2025-06-01
            D,Sản phẩm,product,new,500000000,2025-06-01
            Z,Sản phẩm,product,new,500000000,

            """
        let error = try #require(throws: STOrdersError.self) {
            try store.importOrders(file: try files.write("o.csv", orders), outputs: try files.write("x.csv", outputs))
        }
        let found = try #require(problems(error)).problems.map(\.description)
        #expect(
            found.contains { $0.hasPrefix("line 7, column funded_on '2024-12-01': is before ordered_on 2025-01-01") })
        #expect(found.contains { $0.hasPrefix("line 7, column cancel_reason '': is required for a cancelled order") })
        #expect(found.contains { $0.hasPrefix("line 8, column enterprise_tax_code '9999999999'") })
        #expect(
            found.contains {
                $0.hasPrefix("line 8, column field 'physics': expected one of science, innovation, digital")
            })
        #expect(found.contains { $0.hasPrefix("line 8, column state 'shipped'") })
        #expect(
            found.contains {
                $0.hasPrefix("line 5, column accepted_on '2025-06-01': must be blank: order D is ordered")
            })
        #expect(found.contains { $0.hasPrefix("line 6, column order_code 'Z': no order with this code in o.csv") })
        #expect(try store.count("orders") == 0 && store.count("outputs") == 0 && store.count("events") == 0)

        // Row by row the first orders are fine; only the whole order shows what is wrong.
        let clean = orders.split(separator: "\n").prefix(6).joined(separator: "\n") + "\n"
        let cleanOutputs = outputs.split(separator: "\n").prefix(4).joined(separator: "\n") + "\n"
        let whole = try #require(throws: STOrdersError.self) {
            try store.importOrders(
                file: try files.write("o2.csv", clean), outputs: try files.write("x2.csv", cleanOutputs))
        }
        #expect(
            try #require(problems(whole)).problems.map(\.description) == [
                "line 2: order A: its funding of 100 đồng does not cover its outputs, worth 500.000.000 đồng",
                "line 3: order B: delivered_on 2025-12-31 is not the day its last output was accepted (2025-06-01); an order is delivered when its last output is accepted",
                "line 4: order C: all its 1 outputs are accepted, so it is delivered: give state delivered and delivered_on (the day the last was accepted)",
                "line 6: order E: is funded but has no outputs in x2.csv; funding needs at least one output",
            ])
        #expect(try store.count("orders") == 0)
    }

    @Test func outputsFileAloneAddsToOrderedOrders() throws {
        let files = try TempFiles()
        defer { files.remove() }
        let store = try storeWithEnterprises(files)
        let order = try store.registerOrder(
            enterprise: try TaxCode(parsing: "0100233488"), title: "Đặt hàng",
            field: .digital, on: try Day(parsing: "2026-01-05"))
        try store.addOutput(
            order: order.code, NewOutput(title: "Đầu ra 1", type: .product, novelty: .new, value: 10),
            on: try Day(parsing: "2026-01-05"))
        let path = try files.write(
            "x.csv", "order_code,title,type,novelty,value\n\(order.code),Đầu ra 2,service,improved,\"1,000\"\n")
        let day = try Day(parsing: "2026-01-06")
        #expect(try store.importOutputs(file: path, on: day).outputs == 1)
        let detail = try store.orderDetail(code: order.code)
        #expect(detail.outputs.map(\.number) == [1, 2] && detail.outputs[1].value == 1000)
        #expect(detail.events.last?.action == .outputAdded)
        // Once funded, outputs are fixed: the same file is refused.
        try store.fund(order: order.code, try Funding(stateBudget: 1010, fundedOn: day))
        let error = try #require(throws: STOrdersError.self) { try store.importOutputs(file: path, on: day) }
        #expect(
            problems(error)?.problems.first?.message.contains("order is funded; adding an output needs ordered") == true
        )
    }
}
