import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Every option and argument of every command (read from `storders --experimental-dump-help`,
/// so a new command is covered the day it lands) is fed hostile values: empty, the longest
/// argument Linux passes (128 KiB; a 1 MB argument is refused by the kernel before storders
/// runs, so 1 MB values are tested through the library in RefusalMessageTests), control
/// characters, invalid UTF-8 as raw bytes, SQL fragments, numbers at and past Int64, impossible
/// dates. The rest of each command line is valid, so the hostile value is what is judged.
///
/// Each run must end with exit 0 (a value that is merely odd, like an SQL fragment as a title,
/// is fine and is stored verbatim) or with exit 1/64 and exactly one `Error:` line: never a
/// crash, a signal or a stack trace; and a refused run leaves the database byte for byte as it
/// was. Values a rule forbids (a date, a tax code, a state, …) must be refused.
@Suite("hostile input")
struct HostileInputTests {
    struct Value {
        let label: String
        let bytes: [UInt8]
        init(_ label: String, _ text: String) {
            self.label = label
            bytes = Array(text.utf8)
        }
        init(_ label: String, bytes: [UInt8]) {
            self.label = label
            self.bytes = bytes
        }
    }

    /// Linux's limit for one argument (MAX_ARG_STRLEN, 32 pages) less its terminating NUL.
    static let longest = 131_071

    static let values: [Value] = [
        Value("empty", ""), Value("blank", "   "),
        Value("long", String(repeating: "a", count: longest)),
        Value("long-digits", String(repeating: "9", count: longest)),
        Value("long-vietnamese", String(repeating: "ệ", count: longest / 3)),
        Value("newline", "dòng 1\ndòng 2"), Value("escape", "\u{1B}[31mđỏ\u{1B}[0m\u{1B}[2J"),
        Value("controls", "a\u{1}\u{7}\u{8}\u{7F}\u{85}b"), Value("line-separator", "a\u{2028}b"),
        Value("invalid-utf8", bytes: [0x41, 0xFF, 0xFE, 0x42]), Value("overlong-utf8", bytes: [0xC0, 0xAF]),
        Value("surrogate-utf8", bytes: [0xED, 0xA0, 0x80]), Value("latin1", bytes: Array("Th".utf8) + [0xE1, 0x69]),
        Value("sql-drop", "'; DROP TABLE orders; --"), Value("sql-or", "1 OR 1=1"),
        Value("sql-quote", "\"); DELETE FROM payments; --"), Value("sql-comment", "*/ SELECT * FROM events /*"),
        Value("int64-max", "9223372036854775807"), Value("int64-max+1", "9223372036854775808"),
        Value("int64-min", "-9223372036854775808"), Value("huge", "99999999999999999999999999999"),
        Value("negative", "-1"), Value("zero", "0"), Value("fraction", "1.5"), Value("exponent", "1e9"),
        Value("month-13", "2026-13-01"), Value("zero-date", "0000-00-00"), Value("feb-30", "2026-02-30"),
        Value("format", "%s%n%x%d"), Value("rtl-override", "\u{202E}gnp.exe"), Value("emoji", "💥🚀"),
        Value("option-like", "--json"),
    ]

    /// A valid command line for each command: option values and positional arguments. A hostile
    /// value replaces one of them at a time.
    struct Baseline {
        var options: [(String, String)]
        var positionals: [String]
    }

    static let enterprise = CLI.taxCode(1)
    static let baselines: [String: Baseline] = [
        "init": Baseline(options: [], positionals: []),
        "demo": Baseline(options: [], positionals: []),
        "enterprise add": Baseline(
            options: [
                ("name", "Công ty Cổ phần Mới"), ("tax-code", CLI.taxCode(2)),
                ("province", "Hà Nội"), ("date", "2026-01-10"),
            ], positionals: []),
        "enterprise list": Baseline(options: [("province", "Thái Nguyên")], positionals: []),
        "order register": Baseline(
            options: [
                ("enterprise", enterprise), ("title", "Nhiệm vụ mới"), ("field", "science"),
                ("province", "Thái Nguyên"), ("code", "O-NEW"), ("date", "2026-01-10"),
            ],
            positionals: []),
        "order fund": Baseline(
            options: [
                ("state-budget", "600.000"), ("enterprise-funds", "400.000"), ("other", "1"),
                ("other-source", "Quỹ đầu tư"), ("date", "2026-01-10"),
            ], positionals: ["O-ORD"]),
        "order commercialize": Baseline(
            options: [
                ("channel", "sale"), ("revenue", "1.000"), ("note", "Hợp đồng bán"),
                ("date", "2026-02-01"),
            ], positionals: ["O-DEL"]),
        "order cancel": Baseline(
            options: [("reason", "Rút đặt hàng"), ("date", "2026-02-01")], positionals: ["O-FUN"]),
        "order show": Baseline(options: [], positionals: ["O-PAY"]),
        "order list": Baseline(
            options: [
                ("state", "funded"), ("province", "19"), ("enterprise", enterprise),
                ("field", "science"), ("year", "2026"),
            ], positionals: []),
        "output add": Baseline(
            options: [
                ("title", "Sản phẩm thêm"), ("type", "product"), ("novelty", "new"),
                ("value", "1.000"), ("date", "2026-01-10"),
            ], positionals: ["O-ORD"]),
        "output accept": Baseline(
            options: [("evidence", "Biên bản"), ("date", "2026-02-01")], positionals: ["O-FUN", "1"]),
        "payment record": Baseline(
            options: [
                ("output", "1"), ("amount", "100.000"), ("source", "state"),
                ("reference", "UNC 1/KBNN"), ("date", "2026-02-01"),
            ], positionals: ["O-PAY"]),
        "results list": Baseline(
            options: [
                ("province", "19"), ("year", "2026"), ("enterprise", enterprise),
                ("channel", "sale"),
            ], positionals: []),
        "history": Baseline(options: [], positionals: ["O-PAY"]),
        "payment reverse": Baseline(
            options: [("reason", "Nhập trùng chứng từ"), ("amount", "1.000"), ("date", "2026-02-01")],
            positionals: ["O-PAY", "1"]),
        "result retract": Baseline(
            options: [("reason", "Ghi nhầm"), ("date", "2026-02-01")], positionals: ["O-COM", "1"]),
        "verify": Baseline(options: [], positionals: []),
        "backup": Baseline(options: [], positionals: ["bản-sao.sqlite"]),
        "report indicators": Baseline(
            options: [
                ("province", "Thái Nguyên"), ("from", "2024"), ("to", "2026"),
                ("field", "science"),
            ], positionals: []),
        "due": Baseline(
            options: [("within", "30"), ("province", "19"), ("enterprise", enterprise), ("as-of", "2026-06-15")],
            positionals: []),
        "inbox": Baseline(options: [("province", "19"), ("as-of", "2026-06-15"), ("limit", "10")], positionals: []),
        "notices": Baseline(
            options: [("province", "19"), ("since", "2026-05-01"), ("as-of", "2026-06-15"), ("limit", "10")],
            positionals: []),
        "amend extend": Baseline(
            options: [("output", "1"), ("to", "2026-09-30"), ("reason", "Gia hạn sản phẩm"), ("date", "2026-02-01")],
            positionals: ["O-DUE"]),
        "amend request": Baseline(
            options: [
                ("output", "1"), ("to", "2026-09-30"), ("reason", "Xin gia hạn sản phẩm"), ("date", "2026-02-01"),
            ],
            positionals: ["O-DUE"]),
        "amend approve": Baseline(
            options: [("reason", "Đồng ý"), ("date", "2026-02-01")], positionals: ["O-DUE", "1"]),
        "amend refuse": Baseline(
            options: [("reason", "Không đủ căn cứ"), ("date", "2026-02-01")], positionals: ["O-DUE", "1"]),
        "report provinces": Baseline(
            options: [("year", "2026"), ("field", "digital"), ("sort", "province")], positionals: []),
        "report html": Baseline(
            options: [("year", "2026"), ("province", "19"), ("output", "báo-cáo.html")], positionals: []),
        "target list": Baseline(options: [("province", "19")], positionals: []),
        "target set": Baseline(options: [("province", "Thái Nguyên")], positionals: ["new_or_improved_outputs", "40"]),
        "import enterprises": Baseline(options: [], positionals: ["ent.csv"]),
        "import orders": Baseline(options: [("outputs", "outputs.csv")], positionals: ["orders.csv"]),
        "import outputs": Baseline(options: [("date", "2026-02-01")], positionals: ["more-outputs.csv"]),
        "import dump": Baseline(options: [("db", "restored.sqlite")], positionals: ["dump.jsonl"]),
        "export": Baseline(options: [("format", "jsonl"), ("output", "export.jsonl")], positionals: []),
        "generate": Baseline(
            options: [("orders", "3"), ("seed", "1"), ("years", "2021-2030"), ("csv", "gen")],
            positionals: []),
        // Accounts: the fixture has the officer can-bo.tn, its token 1, and the password file.
        "user add": Baseline(
            options: [("role", "officer"), ("province", "Thái Nguyên"), ("password-file", "mật-khẩu.txt")],
            positionals: ["can-bo.moi"]),
        "user list": Baseline(options: [], positionals: []),
        "user disable": Baseline(options: [], positionals: ["can-bo.tn"]),
        "user enable": Baseline(options: [], positionals: ["can-bo.tn"]),
        "user password": Baseline(options: [("password-file", "mật-khẩu.txt")], positionals: ["can-bo.tn"]),
        "user role": Baseline(options: [("role", "auditor"), ("province", "19")], positionals: ["can-bo.tn"]),
        "user email": Baseline(options: [], positionals: ["can-bo.tn", "lan.tn@sokhcn.example.vn"]),
        "user audit": Baseline(options: [("limit", "10")], positionals: []),
        "token create": Baseline(options: [("name", "máy chủ báo cáo")], positionals: ["can-bo.tn"]),
        "token list": Baseline(options: [("login", "can-bo.tn")], positionals: []),
        "token revoke": Baseline(options: [], positionals: ["1"]),
        "source show": Baseline(options: [], positionals: []),
        "source rename": Baseline(options: [], positionals: ["Sở KH&CN Thái Nguyên"]),
        "document attach": Baseline(
            options: [("kind", "report"), ("output", "1"), ("title", "Báo cáo tiến độ"), ("date", "2026-02-01")],
            positionals: ["O-PAY", "ent.csv"]),
        "document list": Baseline(options: [], positionals: ["O-PAY"]),
        "document extract": Baseline(options: [("to", "bản-trích.csv")], positionals: ["O-PAY", "1"]),
        "checklist show": Baseline(options: [], positionals: []),
        "checklist set": Baseline(options: [], positionals: ["accept", "minutes"]),
        "checklist clear": Baseline(options: [], positionals: ["pay"]),
        // Payment requests (docs/requests.md): the fixture's O-PAY has request 1 requested, 2 approved.
        "request pay": Baseline(
            options: [("output", "1"), ("amount", "100.000"), ("source", "state"), ("date", "2026-02-01")],
            positionals: ["O-PAY"]),
        "request approve": Baseline(options: [("date", "2026-02-01")], positionals: ["O-PAY", "1"]),
        "request return": Baseline(
            options: [("reason", "Thiếu hóa đơn GTGT"), ("date", "2026-02-01")], positionals: ["O-PAY", "1"]),
        "request disburse": Baseline(
            options: [("reference", "UNC 2/KBNN"), ("date", "2026-02-01")], positionals: ["O-PAY", "2"]),
        "request list": Baseline(
            options: [("state", "approved"), ("province", "19"), ("enterprise", enterprise)], positionals: []),
        // Advances (docs/advances.md): the fixture sets a limit of 30 % and advances 100.000 on O-DUE.
        "advance pay": Baseline(
            options: [("amount", "10.000"), ("reference", "UNC 3/KBNN"), ("date", "2026-02-01")],
            positionals: ["O-DUE"]),
        "advance recover": Baseline(
            options: [
                ("amount", "50.000"), ("reason", "Hoàn trả tạm ứng"), ("reference", "GNT 1/KBNN"),
                ("date", "2026-02-01"),
            ], positionals: ["O-DUE"]),
        "advance list": Baseline(options: [("province", "19"), ("enterprise", enterprise)], positionals: []),
        "advance-limit show": Baseline(options: [], positionals: []),
        "advance-limit set": Baseline(options: [], positionals: ["12.5%"]),
        "advance-limit clear": Baseline(options: [], positionals: []),
    ]

    /// Free text: any printable value is accepted (and stored verbatim); these must be refused.
    static let requiredText: Set<String> = ["name", "title", "reason"]
    static let optionalText: Set<String> = ["note", "evidence", "reference", "other-source"]
    static let refusedAsText: Set<String> = [
        "long", "long-digits", "long-vietnamese", "newline", "escape", "controls",
        "line-separator", "invalid-utf8", "overlong-utf8", "surrogate-utf8", "latin1",
        "rtl-override",
    ]
    static let amounts: Set<String> = ["state-budget", "enterprise-funds", "other", "revenue", "value", "amount"]

    /// Whether a hostile value may be accepted in this slot; anything else must be refused.
    static func mayAccept(command: String, slot: String, value: String, bytes: [UInt8]) -> Bool {
        // A document's title is optional text (empty or blank means none).
        if command == "document attach" && slot == "title" { return !refusedAsText.contains(value) }
        // A disbursement's treasury reference is required.
        if command == "request disburse" && slot == "reference" {
            return !refusedAsText.contains(value) && value != "empty" && value != "blank"
        }
        if requiredText.contains(slot) { return !refusedAsText.contains(value) && value != "empty" && value != "blank" }
        if optionalText.contains(slot) { return !refusedAsText.contains(value) }
        // `target set`'s positional is also called value; a target is 1 to 1,000,000,000: default.
        if amounts.contains(slot) && command != "target set" {
            return value == "int64-max" || (value == "zero" && slot == "revenue")
        }
        switch slot {
        case "db":
            return ["init", "demo", "import dump", "generate"].contains(command)  // they create the file
                && value != "empty"  // "" is refused, not taken for ./storders.sqlite
        case "code": return validCode(bytes)
        case "file": return command == "backup"  // any name a file may have
        case "to": return command == "document extract"  // any name a file may have
        case "output": return command == "report html" || command == "export"  // any name a file may have
        case "csv": return command == "generate"  // any name a folder may have (made if absent)
        case "seed": return ["int64-max", "int64-max+1", "zero"].contains(value)
        // A new account's login: any value that is a well-formed login (digits and dots are).
        case "login": return command == "user add" && validLogin(bytes)
        case "limit": return value == "int64-max"  // the whole audit log
        default: return false  // dates, tax codes, provinces, states, numbers, order codes
        }
    }

    /// A login as schema.sql allows it: 3 to 64 of a-z 0-9 . - _ (not starting with `-`, which
    /// the parser reads as an option).
    static func validLogin(_ bytes: [UInt8]) -> Bool {
        (3...64).contains(bytes.count) && bytes.first != UInt8(ascii: "-")
            && bytes.allSatisfy { (48...57).contains($0) || (97...122).contains($0) || [46, 95, 45].contains($0) }
    }

    /// An order code as schema.sql allows it: 1 to 40 of A-Z a-z 0-9 . _ / - (not starting with
    /// `-`, which the parser reads as an option).
    static func validCode(_ bytes: [UInt8]) -> Bool {
        (1...40).contains(bytes.count) && bytes.first != UInt8(ascii: "-")
            && bytes.allSatisfy {
                (48...57).contains($0) || (65...90).contains($0) || (97...122).contains($0)
                    || [46, 95, 47, 45].contains($0)
            }
    }

    /// The commands and their value slots (options taking a value, positional arguments).
    static func commands() throws -> [(path: String, slots: [(name: String, positional: Int?)])] {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let output = try cli.run(["--experimental-dump-help"])
        guard let root = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any],
            let top = root["command"] as? [String: Any]
        else { return [] }
        var found: [(String, [(String, Int?)])] = []
        func walk(_ command: [String: Any], _ path: [String]) {
            let subcommands = command["subcommands"] as? [[String: Any]] ?? []
            if subcommands.isEmpty && !path.isEmpty && path != ["help"] {
                var slots: [(String, Int?)] = []
                var position = 0
                for argument in command["arguments"] as? [[String: Any]] ?? [] {
                    let kind = argument["kind"] as? String
                    let names = argument["names"] as? [[String: Any]] ?? []
                    let long = names.first { $0["kind"] as? String == "long" }?["name"] as? String
                    if kind == "option", let long { slots.append((long, nil)) }
                    if kind == "positional" {
                        slots.append((argument["valueName"] as? String ?? "argument", position))
                        position += 1
                    }
                }
                found.append((path.joined(separator: " "), slots))
            }
            for sub in subcommands { walk(sub, path + [sub["commandName"] as? String ?? "?"]) }
        }
        walk(top, [])
        return found
    }

    /// The fixture: an enterprise and an order in each state a command needs.
    static func makeFixture(_ cli: CLI) throws {
        let d = ["--date", "2026-01-05"]
        try cli.ok(["init"])
        try cli.ok([
            "enterprise", "add", "--name", "Công ty TNHH Thử nghiệm", "--tax-code", enterprise,
            "--province", "Thái Nguyên", "--date", "2026-01-01",
        ])
        for code in ["O-ORD", "O-FUN", "O-PAY", "O-DEL", "O-COM"] {
            try cli.ok(
                [
                    "order", "register", "--enterprise", enterprise, "--title", "Nhiệm vụ \(code)", "--field",
                    "science",
                    "--code", code,
                ] + d)
            try cli.ok(
                [
                    "output", "add", code, "--title", "Sản phẩm 1", "--type", "model", "--novelty", "new",
                    "--value", "500.000",
                ] + d)
            if code == "O-DEL" || code == "O-COM" { continue }
            try cli.ok(
                [
                    "output", "add", code, "--title", "Sản phẩm 2", "--type", "service", "--novelty", "improved",
                    "--value", "500.000",
                ] + d)
        }
        for code in ["O-FUN", "O-PAY", "O-DEL", "O-COM"] {
            try cli.ok(["order", "fund", code, "--state-budget", "1.000.000"] + d)
        }
        try cli.ok(["output", "accept", "O-PAY", "1"] + d)
        try cli.ok(["payment", "record", "O-PAY", "--output", "1", "--amount", "200.000"] + d)
        try cli.ok(["request", "pay", "O-PAY", "--output", "1", "--amount", "100.000"] + d)
        try cli.ok(["request", "pay", "O-PAY", "--output", "1", "--amount", "100.000"] + d)
        try cli.ok(["request", "approve", "O-PAY", "2"] + d)
        try cli.ok(["output", "accept", "O-DEL", "1"] + d)
        try cli.ok(["output", "accept", "O-COM", "1"] + d)
        try cli.ok(["order", "commercialize", "O-COM", "--channel", "license", "--revenue", "2.000.000"] + d)
        // An order with deadlines and an open request, for the amend baselines (docs/deadlines.md).
        try cli.ok(
            [
                "order", "register", "--enterprise", enterprise, "--title", "Nhiệm vụ có hạn", "--field", "science",
                "--code", "O-DUE",
            ] + d)
        try cli.ok(
            [
                "output", "add", "O-DUE", "--title", "Sản phẩm có hạn", "--type", "model", "--novelty", "new",
                "--value", "500.000", "--due", "2026-06-30",
            ] + d)
        try cli.ok(
            ["order", "fund", "O-DUE", "--state-budget", "500.000", "--starts", "2026-01-10", "--ends", "2026-12-31"]
                + d)
        try cli.ok(
            ["amend", "request", "O-DUE", "--contract", "--to", "2027-01-31", "--reason", "Xin gia hạn"] + d)
        try cli.ok(["advance-limit", "set", "30%"])
        try cli.ok(["advance", "pay", "O-DUE", "--amount", "100.000", "--reference", "UNC 0/KBNN"] + d)
        // Files for the import, export and generate baselines.
        let files = [
            "ent.csv": "tax_code,name,province,registered_on\n0102000009,Công ty Mới Nhập,19,2026-01-02\n",
            "orders.csv":
                "code,enterprise_tax_code,title,field,ordered_on\nIMP-1,\(enterprise),Nhiệm vụ nhập,science,2026-01-03\n",
            "outputs.csv": "order_code,title,type,novelty,value\nIMP-1,Sản phẩm nhập,product,new,1000\n",
            "more-outputs.csv": "order_code,title,type,novelty,value\nO-ORD,Sản phẩm thêm,product,new,1000\n",
        ]
        for (name, text) in files {
            try text.write(to: cli.directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        try cli.ok(["document", "attach", "O-PAY", "ent.csv", "--kind", "minutes"] + d)
        try cli.ok(["export", "--format", "jsonl", "--output", "dump.jsonl"])
        try "mật-khẩu-thử-nghiệm\n".write(
            to: cli.directory.appendingPathComponent("mật-khẩu.txt"), atomically: true, encoding: .utf8)
        try cli.ok([
            "user", "add", "can-bo.tn", "--role", "officer", "--province", "19", "--password-file", "mật-khẩu.txt",
        ])
        try cli.ok(["token", "create", "can-bo.tn"])
        try FileManager.default.createDirectory(
            at: cli.directory.appendingPathComponent("gen"), withIntermediateDirectories: true)
    }

    /// The database's files, to prove a refused run changed no byte.
    struct Snapshot: Equatable {
        var files: [String: Data?]
        init(_ cli: CLI) {
            files = [:]
            for suffix in ["", "-wal"] {
                files[suffix] = FileManager.default.contents(atPath: cli.database + suffix)
            }
        }
        func restore(_ cli: CLI) throws {
            for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: cli.database + suffix) }
            for (suffix, data) in files {
                if let data { try data.write(to: URL(fileURLWithPath: cli.database + suffix)) }
            }
        }
    }

    @Test func everyOptionOfEveryCommandSurvivesHostileValues() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try Self.makeFixture(cli)
        let snapshot = Snapshot(cli)
        let dump = try cli.dump()
        let commands = try Self.commands()
        #expect(commands.count >= 15)
        let initialFiles = try FileManager.default.contentsOfDirectory(atPath: cli.directory.path)

        // Every baseline is valid as it stands, so a refusal below is the hostile value's doing.
        for (path, _) in commands {
            guard let baseline = Self.baselines[path] else { continue }
            let arguments =
                path.split(separator: " ").map(String.init) + baseline.positionals
                + baseline.options.flatMap { ["--\($0.0)", $0.1] }
            try cli.ok(arguments)
            try snapshot.restore(cli)
        }

        var runs = 0
        var refused = 0
        var accepted = 0
        var slotsCovered = 0
        var missingBaselines: [String] = []
        var kindsUsed: [String] = []
        for (index, (path, slots)) in commands.enumerated() {
            let baseline = Self.baselines[path] ?? Baseline(options: [], positionals: [])
            if Self.baselines[path] == nil { missingBaselines.append(path) }
            for (slotIndex, slot) in slots.enumerated() {
                slotsCovered += 1
                // The default run gives each slot 2 of the values, in rotation (every kind is used);
                // the long run all of them.
                let chosen =
                    longTests
                    ? Self.values
                    : (0..<2).map {
                        Self.values[(index * 7 + slotIndex * 2 + $0) % Self.values.count]
                    }
                for value in chosen {
                    kindsUsed.append(value.label)
                    var positionals = baseline.positionals.map { Array($0.utf8) }
                    var options = baseline.options.map { ($0.0, Array($0.1.utf8)) }
                    if let position = slot.positional {
                        while positionals.count <= position { positionals.append([]) }
                        positionals[position] = value.bytes
                    } else if let i = options.firstIndex(where: { $0.0 == slot.name }) {
                        options[i].1 = value.bytes
                    } else {
                        options.append((slot.name, value.bytes))
                    }
                    let arguments =
                        path.split(separator: " ").map { Array($0.utf8) } + positionals
                        + options.flatMap { [Array("--\($0.0)".utf8), $0.1] }
                    let output = try Child.run(rawArguments: arguments, cli: cli)
                    runs += 1
                    let what = "storders \(path) [\(slot.name) = \(value.label)]"
                    if output.status == 0 {
                        accepted += 1
                        #expect(
                            Self.mayAccept(command: path, slot: slot.name, value: value.label, bytes: value.bytes),
                            "\(what) was accepted")
                        try snapshot.restore(cli)
                        try removeFilesCreated(since: initialFiles, in: cli)
                        continue
                    }
                    refused += 1
                    #expect(output.status == 1 || output.status == 64, "\(what) exited \(output.status)")
                    #expect(
                        output.stderr.hasPrefix("Error: ") && output.stderr.hasSuffix("\n")
                            && output.stderr.dropLast().allSatisfy { $0 != "\n" && $0 != "\r" },
                        "\(what): expected one Error: line, got \(output.stderr.prefix(500).debugDescription)")
                    #expect(
                        output.stderr.utf8.count < 2_000, "\(what): an error line of \(output.stderr.utf8.count) bytes")
                    #expect(!output.stderr.lowercased().contains("sqlite"), "\(what): \(output.stderr)")
                    if arguments.contains(Array("--json".utf8)) {
                        // The hostile value `--json` is read as the flag: the refusal is one JSON value.
                        #expect(
                            output.stdout.hasPrefix("{\n  \"error\": {") && output.stdout.hasSuffix("}\n"),
                            "\(what) printed \(output.stdout.prefix(200))")
                    } else {
                        #expect(output.stdout.isEmpty, "\(what) printed \(output.stdout.prefix(200))")
                    }
                    if Snapshot(cli) != snapshot {
                        #expect(try cli.dump() == dump, "\(what) was refused but changed the database")
                        try snapshot.restore(cli)
                    }
                }
            }
        }
        #expect(missingBaselines.isEmpty, "commands without a valid baseline here: \(missingBaselines)")
        #expect(
            Set(kindsUsed) == Set(Self.values.map(\.label)),
            "value kinds never tried: \(Set(Self.values.map(\.label)).subtracting(kindsUsed))")
        #expect(try cli.integrity() == "ok")
        #expect(try cli.dump() == dump)
        print(
            "hostile input: \(runs) runs over \(slotsCovered) options and arguments of \(commands.count) commands"
                + " (\(Self.values.count) kinds of value): \(refused) refused with one Error: line and the database unchanged,"
                + " \(accepted) accepted as valid text; 0 crashes")
    }

    /// `init --db NAME` made a file in the folder: remove it, so a later run starts from the fixture.
    func removeFilesCreated(since initial: [String], in cli: CLI) throws {
        for name in try FileManager.default.contentsOfDirectory(atPath: cli.directory.path)
        where !initial.contains(name) && !name.hasPrefix(".std") {
            try FileManager.default.removeItem(at: cli.directory.appendingPathComponent(name))
        }
    }

    @Test func sqlFragmentsAreStoredVerbatimAndTheSchemaStands() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try Self.makeFixture(cli)
        let fragments = [
            "'; DROP TABLE orders; --", "Robert'); DELETE FROM payments; --", "\" OR \"1\"=\"1",
            "x' UNION SELECT tax_code FROM enterprises --",
        ]
        for (i, fragment) in fragments.enumerated() {
            try cli.ok([
                "enterprise", "add", "--name", fragment, "--tax-code", CLI.taxCode(10 + i), "--province", "Huế",
            ])
            let order = try cli.ok([
                "order", "register", "--enterprise", CLI.taxCode(10 + i), "--title", fragment,
                "--field", "digital", "--json",
            ]).object()
            let code = order["code"] as? String ?? "?"
            try cli.ok([
                "output", "add", code, "--title", fragment, "--type", "service", "--novelty", "new", "--value", "10",
            ])
            try cli.ok(["order", "fund", code, "--other", "10", "--other-source", fragment])
            try cli.ok(["output", "accept", code, "1", "--evidence", fragment])
            try cli.ok([
                "payment", "record", code, "--output", "1", "--amount", "10", "--source", "other", "--reference",
                fragment,
            ])
            try cli.ok(["order", "commercialize", code, "--channel", "sale", "--revenue", "0", "--note", fragment])
            let detail = try cli.ok(["order", "show", code, "--json"]).object()
            #expect(detail["title"] as? String == fragment)
            #expect(detail["enterprise_name"] as? String == fragment)
            #expect((detail["outputs"] as? [[String: Any]])?.first?["evidence"] as? String == fragment)
            #expect((detail["funding"] as? [String: Any])?["other_source"] as? String == fragment)
            #expect((detail["payments"] as? [[String: Any]])?.first?["reference"] as? String == fragment)
            #expect((detail["results"] as? [[String: Any]])?.first?["note"] as? String == fragment)
            #expect(try cli.refused(["order", "show", fragment]).contains("no order with code"))
            #expect(try cli.ok(["order", "list", "--json"]).array().count == 7 + i)
        }
        #expect(
            try cli.sql(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('orders', 'payments', 'events');")
                == "3")
        try cli.ok(["verify"])
        #expect(try cli.integrity() == "ok")
        #expect(try cli.consistencyViolations() == [])
    }

    @Test func databasePathsThatAreNotStoreFilesAreRefusedUntouched() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try Self.makeFixture(cli)
        let dir = cli.directory
        func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
        let fixture = try Data(contentsOf: URL(fileURLWithPath: cli.database))

        // Another program's SQLite file, an empty file, text, truncated STOrders files, a
        // STOrders file with its first page zeroed, a device, a directory.
        _ = try cli.sql(
            "CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('Nguyễn Văn A');",
            database: path("other.sqlite"))
        _ = FileManager.default.createFile(atPath: path("empty.sqlite"), contents: Data())
        _ = FileManager.default.createFile(atPath: path("notes.txt"), contents: Data("ghi chú\n".utf8))
        _ = FileManager.default.createFile(atPath: path("header-only.sqlite"), contents: fixture.prefix(4096))
        _ = FileManager.default.createFile(atPath: path("half.sqlite"), contents: fixture.prefix(fixture.count / 2))
        _ = FileManager.default.createFile(atPath: path("hundred-bytes.sqlite"), contents: fixture.prefix(100))
        _ = FileManager.default.createFile(
            atPath: path("zeroed-header.sqlite"),
            contents: Data(count: 100) + fixture.dropFirst(100))
        let cases: [(String, String)] = [
            (path("other.sqlite"), "is not a STOrders database (it holds another program's tables)"),
            (path("notes.txt"), "is not a STOrders database"),
            (path("header-only.sqlite"), "is not a STOrders database"),
            (path("half.sqlite"), "is not a STOrders database"),
            (path("hundred-bytes.sqlite"), "is not a STOrders database"),
            (path("zeroed-header.sqlite"), "is not a STOrders database"),
            (path("empty.sqlite"), "is an empty database, not yet initialised; run `storders init"),
            ("/dev/null", "it is not a regular file"),
            (dir.path, "it is a directory"),
            (path("missing/nested.sqlite"), "no database at"),
        ]
        var tried = 0
        for (file, expected) in cases {
            let before = FileManager.default.contents(atPath: file)
            for arguments in [
                ["order", "list"], ["order", "show", "O-PAY"],
                ["enterprise", "add", "--name", "Công ty X", "--tax-code", CLI.taxCode(3), "--province", "19"],
                ["payment", "record", "O-PAY", "--output", "1", "--amount", "1"],
            ] {
                let message = try cli.refused(arguments + ["--db", file])
                #expect(message.contains(expected), "\(file): \(message)")
                tried += 1
            }
            #expect(FileManager.default.contents(atPath: file) == before, "\(file) was changed")
            #expect(!FileManager.default.fileExists(atPath: file + "-wal") || file == dir.path)
        }
        // init refuses all of them too, except the empty file, which it initialises.
        for (file, expected) in cases where !file.hasSuffix("empty.sqlite") && !file.hasSuffix("nested.sqlite") {
            let message = try cli.refused(["init", "--db", file])
            #expect(message.contains(expected), "init \(file): \(message)")
            tried += 1
        }
        try cli.ok(["init", "--db", path("empty.sqlite")])
        #expect(try cli.ok(["order", "list", "--db", path("empty.sqlite"), "--json"]).array().isEmpty)
        #expect(try cli.sql("SELECT name FROM contacts;", database: path("other.sqlite")) == "Nguyễn Văn A")
        print(
            "hostile database paths: \(tried) runs against \(cases.count) kinds of file, each refused with one line, no file changed"
        )
    }

    /// A file the user may not write: as root permissions do not apply, so the commands run as
    /// `nobody` through setpriv (skipped where neither is possible).
    @Test(.enabled(if: canRunAsAnotherUser, "root without /usr/bin/setpriv cannot test a file it may not write"))
    func aReadOnlyDatabaseIsRefusedForWritesAndUnchanged() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try Self.makeFixture(cli)
        let dump = try cli.dump()
        chmod(cli.database, 0o444)
        var runner = cli
        if getuid() == 0 {
            chmod(cli.directory.path, 0o755)
            runner.environment["STORDERS_BIN_WRAPPER"] = "setpriv"
        }
        let write = try runner.runAsOwnerOrNobody([
            "enterprise", "add", "--name", "Công ty X", "--tax-code", CLI.taxCode(3),
            "--province", "19",
        ])
        #expect(write.status == 1)
        #expect(
            write.stderr.hasPrefix("Error: cannot use database") && write.stderr.contains("read-only"),
            "\(write.stderr)")
        #expect(write.stderr.split(separator: "\n").count == 1)
        chmod(cli.database, 0o600)
        #expect(try cli.dump() == dump)
    }

    /// A file of schema version 1 is upgraded the first time it is opened; when the user may not
    /// write it, every command refuses in one line that says why, and the file is unchanged.
    @Test(.enabled(if: canRunAsAnotherUser, "root without /usr/bin/setpriv cannot test a file it may not write"))
    func aReadOnlyFileOfAnEarlierSchemaIsRefusedWithWhatToDo() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try Self.makeFixture(cli)
        _ = try cli.sql(
            """
            DROP TABLE tallies; DROP TABLE tally_durations; DROP TABLE tally_enterprises;
            DROP TRIGGER orders_tallied; DROP TRIGGER orders_retallied; DROP TRIGGER outputs_tallied;
            DROP TRIGGER outputs_retallied; DROP TRIGGER outputs_untallied; DROP TRIGGER fundings_tallied;
            DROP TRIGGER payments_tallied; DROP TRIGGER results_tallied; DROP TRIGGER result_retractions_tallied;
            PRAGMA user_version = 1;
            """)
        let before = FileManager.default.contents(atPath: cli.database)
        chmod(cli.database, 0o444)
        var runner = cli
        if getuid() == 0 {
            runner.environment["STORDERS_BIN_WRAPPER"] = "setpriv"
        }
        // A folder the user may write (for SQLite's -shm beside the file): reading works, the
        // upgrade's write does not. (In an unwritable folder the file cannot even be read in WAL
        // mode: that refusal, "it is read-only", is the test above.)
        chmod(cli.directory.path, 0o777)
        defer { chmod(cli.directory.path, 0o700) }
        for arguments in [["order", "list"], ["report", "indicators", "--year", "2025"]] {
            let read = try runner.runAsOwnerOrNobody(arguments)
            #expect(read.status == 1)
            #expect(
                read.stderr.hasPrefix("Error: cannot use database")
                    && read.stderr.contains(
                        "made by an earlier version of STOrders and must be upgraded once, which needs write access"),
                "\(read.stderr)")
            #expect(read.stderr.split(separator: "\n").count == 1)
        }
        chmod(cli.database, 0o600)
        #expect(FileManager.default.contents(atPath: cli.database) == before)
        // With write access, the first command upgrades it and verify finds it whole.
        try cli.ok(["order", "list"])
        #expect(try cli.sql("PRAGMA user_version;") == "10")
        try cli.ok(["verify"])
    }
}

/// Whether a test can run storders as a user who may not write a file: any user but root, or
/// root through setpriv.
let canRunAsAnotherUser = getuid() != 0 || FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")

extension CLI {
    /// Runs storders, as `nobody` when this process is root (see aReadOnlyDatabaseIsRefusedForWritesAndUnchanged).
    func runAsOwnerOrNobody(_ arguments: [String]) throws -> Output {
        guard environment["STORDERS_BIN_WRAPPER"] == "setpriv" else { return try run(arguments) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
        process.arguments = ["--reuid=nobody", "--regid=nogroup", "--clear-groups", CLI.binary] + arguments
        process.environment = environment
        process.currentDirectoryURL = URL(fileURLWithPath: "/")
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(
            status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self))
    }
}
