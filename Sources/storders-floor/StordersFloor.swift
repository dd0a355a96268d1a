// storders-floor: the in-process floor of the server benchmark (scripts/bench-server).
//
// It opens a STOrders database as storders-server does and issues, in a loop in one process, the
// transactions the benchmark sends over HTTP: (a) read one order as GET /api/v1/orders/{code}
// answers it (`orderDetail` + `Shape.detail`, serialized), (b) record a payment as
// POST /api/v1/orders/{code}/payments does (`acting(as:).recordPayment`, its answer serialized).
// What the server adds on top of these (HTTP, routing, authentication, threads) is what the
// server/floor ratio measures. It prints one line per phase: operations, ops/s, p50 and p99.
//
//   storders-floor --db PATH --mode read --codes FILE [--seconds S | --iterations N]
//   storders-floor --db PATH --mode pay --outputs FILE [--amount 1000] [--date YYYY-MM-DD]
//                  [--actor bench-floor] [--seconds S | --iterations N] [--acked FILE]
//
// --codes: one order code a line. --outputs: `CODE<TAB>OUTPUT_NUMBER` a line (accepted outputs
// with value and funding left), taken in turn, as the wrk script takes them.
import STOrders

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

struct Options {
    var database = ""
    var mode = "read"
    var codesFile: String?
    var outputsFile: String?
    var seconds = 10.0
    var iterations: Int?
    var actor = "bench-floor"
    var amount: Int64 = 1000
    var date: String?
    var readers = 4  // as storders-server opens it: a pool of 4 readers (its 4 database threads) beside the writer
    var ackedFile: String?

    static let usage = """
        usage: storders-floor --db PATH --mode read|pay [--codes FILE] [--outputs FILE]
                              [--seconds S | --iterations N] [--actor LOGIN] [--amount DONG]
                              [--date YYYY-MM-DD] [--readers N] [--acked FILE]
        """

    static func parse(_ arguments: [String]) -> Options? {
        var options = Options()
        var rest = arguments[...]
        while let flag = rest.popFirst() {
            guard let value = rest.popFirst() else { return nil }
            switch flag {
            case "--db": options.database = value
            case "--mode": options.mode = value
            case "--codes": options.codesFile = value
            case "--outputs": options.outputsFile = value
            case "--seconds":
                guard let s = Double(value), s > 0 else { return nil }
                options.seconds = s
            case "--iterations":
                guard let n = Int(value), n > 0 else { return nil }
                options.iterations = n
            case "--actor": options.actor = value
            case "--amount":
                guard let a = Int64(value), a > 0 else { return nil }
                options.amount = a
            case "--date": options.date = value
            case "--readers":
                guard let r = Int(value), r >= 0 else { return nil }
                options.readers = r
            case "--acked": options.ackedFile = value
            default: return nil
            }
        }
        guard !options.database.isEmpty, options.mode == "read" || options.mode == "pay" else { return nil }
        return options
    }
}

func fail(_ message: String) -> Never {
    let line = Array("storders-floor: \(message)\n".utf8)
    _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    exit(2)
}

func nanosecondsNow() -> UInt64 {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return UInt64(t.tv_sec) * 1_000_000_000 + UInt64(t.tv_nsec)
}

func lines(of path: String) -> [String] {
    guard let file = fopen(path, "r") else { fail("cannot read \(path)") }
    defer { fclose(file) }
    var result: [String] = []
    var line: UnsafeMutablePointer<CChar>?
    var capacity = 0
    while getline(&line, &capacity, file) > 0 {
        if let line {
            let text = String(cString: line).trimmingSuffix("\n")
            if !text.isEmpty { result.append(text) }
        }
    }
    free(line)
    return result
}

extension String {
    func trimmingSuffix(_ suffix: Character) -> String {
        var s = self
        while s.last == suffix || s.last == "\r" { s.removeLast() }
        return s
    }
}

/// Runs `body` until the time or the count is reached; returns each call's latency (ns), the
/// wall time, and the refusals by code.
func loop(_ options: Options, _ body: (Int) throws -> Void) -> (
    latencies: [UInt64], wall: Double, refused: [String: Int]
) {
    var latencies: [UInt64] = []
    latencies.reserveCapacity(1 << 16)
    var refused: [String: Int] = [:]
    let start = nanosecondsNow()
    let deadline = start + UInt64(options.seconds * 1e9)
    var i = 0
    while true {
        if let n = options.iterations {
            if i >= n { break }
        } else if nanosecondsNow() >= deadline {
            break
        }
        let began = nanosecondsNow()
        do {
            try body(i)
        } catch let error as STOrdersError {
            refused[error.code, default: 0] += 1
        } catch {
            refused["\(type(of: error))", default: 0] += 1
        }
        latencies.append(nanosecondsNow() - began)
        i += 1
    }
    return (latencies, Double(nanosecondsNow() - start) / 1e9, refused)
}

func percentile(_ sorted: [UInt64], _ p: Double) -> Double {
    guard !sorted.isEmpty else { return 0 }
    let rank = Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1
    return Double(sorted[min(max(rank, 0), sorted.count - 1)]) / 1e6
}

func report(_ what: String, _ result: (latencies: [UInt64], wall: Double, refused: [String: Int])) {
    let sorted = result.latencies.sorted()
    let ok = sorted.count - result.refused.values.reduce(0, +)
    let rate = Double(sorted.count) / result.wall
    let refusals = result.refused.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
    print(
        "floor \(what): \(sorted.count) ops (\(ok) ok) in \(fmt(result.wall, 2)) s = \(fmt(rate, 1)) ops/s;"
            + " p50 \(fmt(percentile(sorted, 50), 3)) ms; p99 \(fmt(percentile(sorted, 99), 3)) ms;"
            + " max \(fmt(Double(sorted.last ?? 0) / 1e6, 3)) ms; refused \(refusals.isEmpty ? "0" : refusals)")
}

func fmt(_ x: Double, _ digits: Int) -> String {
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let r = (x * scale).rounded() / scale
    var s = "\(r)"
    if let dot = s.firstIndex(of: ".") {
        let decimals = s.distance(from: dot, to: s.endIndex) - 1
        if decimals < digits { s += String(repeating: "0", count: digits - decimals) }
    }
    return s
}

guard let options = Options.parse(Array(CommandLine.arguments.dropFirst())) else {
    fail(Options.usage)
}

do {
    let store = try Store.open(path: options.database, actor: "storders-server", readers: options.readers)
    switch options.mode {
    case "read":
        guard let file = options.codesFile else { fail("--mode read needs --codes FILE") }
        let codes = lines(of: file)
        guard !codes.isEmpty else { fail("\(file) lists no order code") }
        var bytes = 0
        let result = loop(options) { i in
            let detail = try store.orderDetail(code: codes[i % codes.count])
            bytes &+= Shape.detail(detail).serialized(indent: nil).utf8.count
        }
        report(
            "read (orderDetail + Shape.detail, \(codes.count) codes, \(bytes / max(result.latencies.count, 1)) B each)",
            result)
    default:
        guard let file = options.outputsFile else { fail("--mode pay needs --outputs FILE") }
        let outputs: [(code: String, number: Int)] = lines(of: file).map { line in
            let fields = line.split(separator: "\t")
            guard fields.count >= 2, let number = Int(fields[1]) else { fail("bad line in \(file): \(line)") }
            return (String(fields[0]), number)
        }
        guard !outputs.isEmpty else { fail("\(file) lists no output") }
        let day = try options.date.map { try Day(parsing: $0) } ?? Day.today()
        let officer = try store.acting(as: options.actor)
        var acked: [String] = []
        let result = loop(options) { i in
            let (code, number) = outputs[i % outputs.count]
            let payment = try officer.recordPayment(
                order: code, output: number, amount: options.amount, source: .state, on: day)
            _ = Shape.payment(payment, withOrder: true).serialized(indent: nil)
            if options.ackedFile != nil { acked.append("\(payment.orderCode)\t\(payment.number)") }
        }
        report("pay (recordPayment as \(options.actor), \(outputs.count) outputs, \(options.amount) đồng)", result)
        if let path = options.ackedFile {
            guard let out = fopen(path, "w") else { fail("cannot write \(path)") }
            for line in acked { fputs(line + "\n", out) }
            fclose(out)
        }
    }
    _ = store.closeConnection()
} catch let error as STOrdersError {
    fail("\(error.code): \(error)")
} catch {
    fail("\(error)")
}
