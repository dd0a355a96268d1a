/// What `storders generate` makes: how many orders, from which seed, over which years.
public struct GeneratorOptions: Sendable {
    public var orders: Int
    public var seed: UInt64
    public var years: ClosedRange<Int>
    /// Only these provinces' enterprises and orders (nil: all 34), as one province's office
    /// holds: several such files publish side by side into the national store. An empty set is all.
    public var provinces: Set<Province>?

    public init(
        orders: Int, seed: UInt64 = 1, years: ClosedRange<Int> = 2021...2030, provinces: Set<Province>? = nil
    ) {
        self.orders = orders
        self.seed = seed
        self.years = years
        self.provinces = provinces
    }

    /// One enterprise for every five orders, as a province's orderers come back with new tasks.
    public var enterprises: Int { max(1, orders / 5) }
}

/// Deterministic synthetic data: enterprises with Vietnamese names and valid tax codes across
/// the 34 provinces, and orders in every state in realistic proportions with their outputs,
/// funding, payments, results and history. Every record keeps the invariants the commands keep
/// (funding covers the outputs, payments within each output's value and each source's funding,
/// a delivered order's outputs all accepted, dates in lifecycle order); `Store.generate` checks
/// each order again with `OrderDetail.invariantViolations()` before writing it.
struct DataGenerator {
    struct Enterprise {
        var taxCode: TaxCode
        var name: String
        var province: Province
        var innovativeStartup: Bool
        var registeredOn: Day
    }

    let options: GeneratorOptions
    private var random: SplitMix64
    /// The deadlines' own draws (due dates, contract periods, amendments), apart from `random`
    /// so that a seed gives the same orders, payments and results as before deadlines existed.
    private var deadlineRandom: SplitMix64
    /// The documents' own draws, apart from the others for the same reason.
    private var documentRandom: SplitMix64
    /// The payment requests' own draws, apart from the others for the same reason.
    private var requestRandom: SplitMix64
    /// The advances' own draws, apart from the others for the same reason.
    private var advanceRandom: SplitMix64
    private(set) var enterprises: [Enterprise] = []
    private var sequence: [String: Int] = [:]

    init(_ options: GeneratorOptions) {
        self.options = options
        random = SplitMix64(seed: options.seed)
        deadlineRandom = SplitMix64(seed: options.seed ^ 0x5EED_DEAD_11E5)
        documentRandom = SplitMix64(seed: options.seed ^ 0xD0C5_0F_0DE5)
        requestRandom = SplitMix64(seed: options.seed ^ 0x9A1D_AC_7E57)
        advanceRandom = SplitMix64(seed: options.seed ^ 0xAD7A_4CE5_0001)
    }

    /// The advance limit the generated database is set to (30 %, in basis points), set by the
    /// generator before the first order: an office's own regulations give it (docs/advances.md).
    static let advanceLimit: Int64 = 3000

    // MARK: Vocabulary of the synthetic world

    static let forms = [
        "Công ty TNHH", "Công ty Cổ phần", "Công ty TNHH MTV", "Hợp tác xã", "Công ty Cổ phần Tập đoàn",
    ]
    static let sectors = [
        "Công nghệ", "Cơ khí Chính xác", "Nông nghiệp Công nghệ cao", "Vật liệu Mới", "Phần mềm",
        "Điện tử", "Dược liệu", "Thực phẩm", "Năng lượng Xanh", "Tự động hóa", "Sinh học",
        "Dệt may", "Logistics Số", "Thủy sản", "Môi trường",
    ]
    static let brands = [
        "Thăng Long", "Sông Hàn", "Phú Mỹ", "Hồng Hà", "Trường Sơn", "Bạch Đằng", "Cửu Long",
        "An Phát", "Hòa Bình", "Minh Khang", "Việt Tiến", "Đông Á", "Sao Mai", "Hưng Thịnh",
        "Tân Phú", "Lam Sơn", "Ngọc Lan", "Bình Minh", "Phương Nam", "Đại Việt", "Hải Đăng",
        "Kim Ngân", "Thành Đạt", "Quang Trung",
    ]
    static let verbs = [
        "Ứng dụng", "Phát triển", "Cải tiến", "Chuyển đổi số", "Nghiên cứu chế tạo",
        "Làm chủ công nghệ", "Hoàn thiện", "Thương mại hóa",
    ]
    static let subjects = [
        "dây chuyền sấy nông sản", "hệ thống IoT giám sát ao nuôi tôm", "nền tảng truy xuất nguồn gốc",
        "robot hàn tự động", "vật liệu composite nhẹ", "chế phẩm sinh học xử lý môi trường",
        "phần mềm quản lý chuỗi cung ứng", "thiết bị đo chất lượng nước", "quy trình chiết xuất dược liệu",
        "mô hình nhà kính thông minh", "cảm biến độ ẩm đất", "hệ thống thị giác máy kiểm tra lỗi",
        "máy gặt đập liên hợp cỡ nhỏ", "vắc-xin thủy sản", "pin lưu trữ năng lượng mặt trời",
        "nền tảng thương mại điện tử nông sản", "bao bì phân hủy sinh học", "giống lúa chịu mặn",
    ]
    static let outputKinds: [OutputType: [String]] = [
        .product: ["Nguyên mẫu", "Thiết bị", "Sản phẩm thương mại", "Lô sản phẩm thử nghiệm"],
        .service: ["Dịch vụ", "Gói dịch vụ số", "Dịch vụ tư vấn vận hành"],
        .model: ["Mô hình trình diễn", "Quy trình công nghệ", "Mô hình quản lý"],
    ]
    static let cancelReasons = [
        "Doanh nghiệp rút đề xuất đặt hàng", "Không thu xếp được vốn đối ứng",
        "Thay đổi định hướng sản xuất kinh doanh", "Không đạt yêu cầu thẩm định",
    ]
    static let resultNotes = [
        "Hợp đồng cung ứng cho đối tác trong nước", "Cấp phép sử dụng cho hợp tác xã",
        "Chuyển giao cho doanh nghiệp cùng ngành", "Dùng trong dây chuyền của doanh nghiệp",
        "Xuất khẩu lô đầu tiên",
    ]
    static let amendmentReasons = [
        "Chậm giao thiết bị nhập khẩu", "Điều chỉnh thiết kế theo góp ý hội đồng",
        "Thời tiết bất lợi kéo dài ảnh hưởng thử nghiệm", "Bổ sung thử nghiệm theo yêu cầu nghiệm thu",
    ]
    static let decisionReasons: [AmendmentState: [String]] = [
        .approved: ["Đồng ý gia hạn theo đề nghị", "Lý do gia hạn hợp lý, có biên bản kèm theo"],
        .refused: ["Không đủ căn cứ gia hạn", "Đề nghị gia hạn vượt quá thời hạn hợp đồng cho phép"],
    ]
    static let returnReasons = [
        "Thiếu hóa đơn giá trị gia tăng", "Số tiền đề nghị chưa khớp biên bản nghiệm thu",
        "Hồ sơ thiếu chữ ký của kế toán trưởng", "Sai thông tin tài khoản thụ hưởng",
    ]
    static let otherSources = [
        "Quỹ đầu tư mạo hiểm Sông Sài Gòn", "Hợp tác công tư (PPP)",
        "Quỹ phát triển KH&CN của doanh nghiệp", "Quỹ Đổi mới công nghệ quốc gia",
    ]
    /// Relative weights of the 34 units (in `Province.all` order): the large cities order more.
    static let provinceWeights = [
        12, 2, 2, 1, 1, 2, 2, 3, 2, 3, 4, 3, 5, 3, 3, 3, 3, 2, 2, 3, 5, 2, 2, 3,
        2, 3, 4, 14, 2, 2, 2, 2, 4, 2,
    ]

    // MARK: Generation

    /// Makes the enterprises (call once, before the orders).
    mutating func makeEnterprises() -> [Enterprise] {
        enterprises.reserveCapacity(options.enterprises)
        let start = Day(year: options.years.lowerBound - 6, month: 1, day: 1)?.ordinal ?? 0
        let end = Day(year: options.years.lowerBound, month: 1, day: 1)?.ordinal ?? 0
        // Provinces outside `options.provinces` weigh nothing (all 34 keep their weights: the
        // same seed gives the same data as before the option existed).
        let only = options.provinces.flatMap { $0.isEmpty ? nil : $0 }
        let weights = zip(Province.all, DataGenerator.provinceWeights).map { province, weight in
            only.map { $0.contains(province) ? weight : 0 } ?? weight
        }
        for i in 0..<options.enterprises {
            let province = Province.all[random.weighted(weights)]
            let name =
                "\(random.pick(DataGenerator.forms)) \(random.pick(DataGenerator.sectors)) \(random.pick(DataGenerator.brands))"
                + (random.chance(40) ? " \(province.name)" : "")
            // `taxCode` makes valid codes only; the parse is the proof.
            let code = (try? TaxCode(parsing: taxCode(i, province: province))) ?? (try? TaxCode(parsing: "0100233488"))
            guard let code else { continue }
            enterprises.append(
                Enterprise(
                    taxCode: code, name: name, province: province,
                    innovativeStartup: random.chance(8),
                    registeredOn: Day(ordinal: start + random.below(max(1, end - start)))))
        }
        return enterprises
    }

    /// A valid, unique tax code for enterprise `i`: digits 3-9 are a bijection of `i` (so no
    /// two enterprises share them), the first two are the first prefix from the province's code
    /// for which a check digit exists.
    func taxCode(_ i: Int, province: Province) -> String {
        let body = (i &* 2_718_281 &+ 4_193_627) % 10_000_000  // 2718281 is coprime with 10^7: a bijection below 10^7
        var bodyDigits = [Int](repeating: 0, count: 7)
        var b = body == 0 ? 1 : body
        for k in stride(from: 6, through: 0, by: -1) {
            bodyDigits[k] = b % 10
            b /= 10
        }
        let base = Int(province.code) ?? 1
        for attempt in 0..<100 {
            let prefix = (base + attempt) % 100
            let nine = [prefix / 10, prefix % 10] + bodyDigits
            if let check = TaxCode.checkDigit(nine) {
                return (nine + [check]).map(String.init).joined()
            }
        }
        return "0100233488"  // unreachable: some prefix always has a check digit
    }

    /// Makes the next order, with its history as the commands would have written it, and the
    /// index of its enterprise: its lifecycle (`makeLifecycle`), then its deadlines, then its
    /// documents (`contents`: theirs, in number order, to store before the order). Without
    /// `documents` (the CSV files, which have no column for them, nor for payment requests) none
    /// are made, nor requests: each draws from a stream of its own, so the orders are the same
    /// either way.
    mutating func makeOrder(documents: Bool = true) -> (
        detail: OrderDetail, enterprise: Int, contents: [DocumentContent]
    ) {
        var (o, e) = makeLifecycle()
        addDeadlines(&o)
        guard documents else { return (o, e, []) }
        addRequests(&o)
        addAdvances(&o)
        let contents = addDocuments(&o)
        return (o, e, contents)
    }

    /// Puts payment requests into the history as the office's process makes them
    /// (docs/requests.md): 60 % of the state budget's payments were asked for by the enterprise
    /// after the acceptance and approved by an officer before the treasury paid them, one in ten
    /// of those after a first request was returned with a reason; and an order still funded with
    /// an accepted output not yet paid in full has, 60 % of the time, a request still open
    /// (requested, approved) or returned, made after its last step. The other sources' payments
    /// are recorded directly, as the enterprise pays itself.
    mutating func addRequests(_ o: inout OrderDetail) {
        let code = o.order.code
        var events: [Event] = []
        events.reserveCapacity(o.events.count + 3 * o.payments.count + 2)
        func make(_ output: Int, _ amount: Int64, on day: Day) -> Int {
            o.paymentRequests.append(
                PaymentRequest(
                    orderCode: code, number: o.paymentRequests.count + 1, outputNumber: output, amount: amount,
                    source: .state, requestedOn: day))
            step(.paymentRequested, o.paymentRequests.count - 1, on: day)
            return o.paymentRequests.count - 1
        }
        func step(_ action: Event.Action, _ i: Int, on day: Day) {
            let r = o.paymentRequests[i]
            events.append(
                Event(
                    orderCode: code, occurredOn: day, recordedAt: "\(day)T08:30:00Z", action: action,
                    details: action == .paymentRequested
                        ? EventDetails.paymentRequested(r) : EventDetails.paymentRequestStep(r),
                    actor: action == .paymentRequested ? "enterprise" : "officer"))
        }
        func returnRequest(_ i: Int, on day: Day) {
            o.paymentRequests[i].state = .returned
            o.paymentRequests[i].returnedOn = day
            o.paymentRequests[i].returnReason = requestRandom.pick(DataGenerator.returnReasons)
            step(.paymentRequestReturned, i, on: day)
        }
        func approve(_ i: Int, on day: Day) {
            o.paymentRequests[i].state = .approved
            o.paymentRequests[i].approvedOn = day
            step(.paymentRequestApproved, i, on: day)
        }
        var paid = 0
        for e in o.events {
            guard e.action == .paymentRecorded else {
                events.append(e)
                continue
            }
            let p = o.payments[paid]
            paid += 1
            guard p.source == .state, let accepted = o.outputs[p.outputNumber - 1].acceptedOn,
                requestRandom.chance(60)
            else {
                events.append(e)
                continue
            }
            // Between the acceptance and the payment (5 to 40 days in `makeLifecycle`).
            let span = p.paidOn.ordinal - accepted.ordinal
            var day = accepted.adding(days: requestRandom.within(0...span / 3))
            if span >= 9 && requestRandom.chance(10) {
                let first = make(p.outputNumber, p.amount, on: day)
                day = day.adding(days: requestRandom.within(1...span / 3))
                returnRequest(first, on: day)
            }
            let i = make(p.outputNumber, p.amount, on: day)
            approve(i, on: day.adding(days: requestRandom.within(0...(p.paidOn.ordinal - day.ordinal))))
            events.append(e)
            o.paymentRequests[i].state = .paid
            o.paymentRequests[i].paymentNumber = p.number
            o.paymentRequests[i].paidOn = p.paidOn
            o.paymentRequests[i].reference = p.reference
            events.append(
                Event(
                    orderCode: code, occurredOn: p.paidOn, recordedAt: e.recordedAt, action: .paymentRequestPaid,
                    details: EventDetails.paymentRequestStep(o.paymentRequests[i]), actor: e.actor))
        }
        o.events = events
        events = []
        guard o.order.state == .funded, let funding = o.funding, requestRandom.chance(60) else { return }
        let statePaid = o.payments.filter { $0.source == .state }.reduce(Int64(0)) { $0 + $1.amount }
        let paidByOutput = Dictionary(o.payments.map { ($0.outputNumber, $0.amount) }, uniquingKeysWith: +)
        guard let x = o.outputs.first(where: { $0.acceptedOn != nil && paidByOutput[$0.number, default: 0] < $0.value })
        else { return }
        let amount = min(x.value - paidByOutput[x.number, default: 0], funding.stateBudget - statePaid)
        guard amount > 0 else { return }
        var day = (o.events.map(\.occurredOn).max() ?? o.order.orderedOn).adding(days: requestRandom.within(1...45))
        let i = make(x.number, amount, on: day)
        switch requestRandom.weighted([50, 35, 15]) {
        case 0: break
        case 1: approve(i, on: day.adding(days: requestRandom.within(0...10)))
        default:
            day = day.adding(days: requestRandom.within(1...15))
            returnRequest(i, on: day)
        }
        o.events.append(contentsOf: events)
    }

    /// Attaches the papers an office keeps, each on the day of the step it supports and just
    /// before it in the history (as a checklist would require): the signed contract before the
    /// funding, the acceptance minutes before each acceptance; the enterprise's invoice on 80 % of
    /// its payment requests, the day it makes the request and just after it (docs/documents.md:
    /// the papers the checklist's step `request` reads at approval), and before half of the
    /// payments that came without a request. Each is a short UTF-8 text naming its order, so no
    /// two orders share a content.
    mutating func addDocuments(_ o: inout OrderDetail) -> [DocumentContent] {
        var events: [Event] = []
        var contents: [DocumentContent] = []
        events.reserveCapacity(o.events.count + o.outputs.count + 2)
        let order = o.order
        /// Attaches a paper dated on `e`'s day, by `e`'s actor; its event goes where the caller
        /// is in the history (before `e`, or after it for a request's invoice).
        func attach(
            _ kind: DocumentKind, output: Int?, request: Int? = nil, name: String, title: String, text: String,
            step e: Event
        ) {
            let lines = [
                "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "", title.uppercased(),
                "Nhiệm vụ: \(order.title)", "Mã nhiệm vụ: \(order.code)",
                "Doanh nghiệp đặt hàng: \(order.enterpriseName) (MST \(order.enterpriseTaxCode.value))", text,
                "Ngày \(e.occurredOn.day) tháng \(e.occurredOn.month) năm \(e.occurredOn.year)",
            ]
            guard let content = try? DocumentContent(bytes: Array(lines.joined(separator: "\n").utf8), name: name)
            else { return }
            let document = Document(
                orderCode: order.code, number: o.documents.count + 1, output: output, kind: kind, fileName: name,
                title: title, sha256: content.sha256, size: content.size, attachedOn: e.occurredOn, request: request)
            o.documents.append(document)
            contents.append(content)
            events.append(
                Event(
                    orderCode: order.code, occurredOn: e.occurredOn, recordedAt: e.recordedAt,
                    action: .documentAttached, details: EventDetails.documentAttached(document), actor: e.actor))
        }
        var paid = 0
        var accepted = 0
        var requested = 0
        // The payments a request asked for: their invoice is on the request.
        let askedFor = Set(o.paymentRequests.compactMap(\.paymentNumber))
        for e in o.events {
            switch e.action {
            case .funded:
                if let f = o.funding {
                    attach(
                        .contract, output: nil, name: "hop-dong-\(order.code).txt",
                        title: "Hợp đồng thực hiện nhiệm vụ",
                        text:
                            "Kinh phí: \(Money.format(f.total)) đồng, trong đó ngân sách nhà nước \(Money.format(f.stateBudget)) đồng",
                        step: e)
                }
            case .outputAccepted:
                // `makeLifecycle` accepts the outputs in number order.
                accepted += 1
                let n = accepted
                let x = o.outputs[n - 1]
                attach(
                    .minutes, output: n, name: "bien-ban-nghiem-thu-\(order.code)-sp\(n).txt",
                    title: "Biên bản nghiệm thu sản phẩm \(n)",
                    text:
                        "Sản phẩm \(n): \(x.title), giá trị \(Money.format(x.value)) đồng. Hội đồng thống nhất nghiệm thu.",
                    step: e)
            case .paymentRequested:
                // `addRequests` makes the requests in number order.
                let r = o.paymentRequests[requested]
                requested += 1
                events.append(e)
                if documentRandom.chance(80) {
                    attach(
                        .invoice, output: nil, request: r.number, name: "hoa-don-\(order.code)-dn\(r.number).txt",
                        title: "Hóa đơn kèm đề nghị thanh toán \(r.number)",
                        text: "Đề nghị thanh toán \(Money.format(r.amount)) đồng cho sản phẩm \(r.outputNumber).",
                        step: e)
                }
                continue
            case .paymentRecorded:
                let p = o.payments[paid]
                paid += 1
                if !askedFor.contains(p.number) && documentRandom.chance(50) {
                    attach(
                        .invoice, output: p.outputNumber, name: "hoa-don-\(order.code)-tt\(p.number).txt",
                        title: "Hóa đơn đề nghị thanh toán \(p.number)",
                        text: "Đề nghị thanh toán \(Money.format(p.amount)) đồng cho sản phẩm \(p.outputNumber).",
                        step: e)
                }
            default: break
            }
            events.append(e)
        }
        o.events = events
        return contents
    }

    /// Advances, as an office makes them (docs/advances.md): 35 % of the funded orders get one
    /// advance of 10 % to the limit's 30 % of their state budget, 3 to 20 days after the funding
    /// (before any acceptance, which `makeLifecycle` puts 60 days or more after it). Each later
    /// state payment settles what is outstanding first, as `Store.pay` does. An order delivered or
    /// commercialized is advanced no more than its state payments settle; an order cancelled
    /// after its funding has what is left recovered on the day of its cancellation, just before
    /// it; an order still funded may keep part outstanding, which the inbox lists.
    mutating func addAdvances(_ o: inout OrderDetail) {
        guard let funding = o.funding, let funded = o.order.fundedOn, funding.stateBudget > 0,
            advanceRandom.chance(35)
        else { return }
        let statePaid = o.payments.filter { $0.source == .state }.reduce(Int64(0)) { $0 + $1.amount }
        let limit =
            funding.stateBudget / 10_000 * DataGenerator.advanceLimit
            + funding.stateBudget % 10_000 * DataGenerator.advanceLimit / 10_000
        var amount = min(limit, funding.stateBudget / 100 * Int64(advanceRandom.within(10...30)))
        if o.order.state == .delivered || o.order.state == .commercialized { amount = min(amount, statePaid) }
        amount = amount / 1_000_000 * 1_000_000
        guard amount > 0 else { return }
        let code = o.order.code
        // Before the next step, whatever it is (a cancellation may come 10 days after the funding).
        let later = o.events.drop { $0.action != .funded }.dropFirst().map(\.occurredOn).min()
        let drawn = funded.adding(days: advanceRandom.within(3...20))
        let day = later.map { min(drawn, $0) } ?? drawn
        let advance = Advance(
            orderCode: code, number: 1, kind: .advance, amount: amount, madeOn: day,
            reference: "UNC \(advanceRandom.within(1...9999))/KBNN-\(o.order.province.code) – tạm ứng đợt 1",
            limitShare: DataGenerator.advanceLimit)
        o.advances.append(advance)
        var outstanding = amount
        var events: [Event] = []
        events.reserveCapacity(o.events.count + 2)
        var paid = 0
        for e in o.events {
            var e = e
            switch e.action {
            case .funded:
                events.append(e)
                e = Event(
                    orderCode: code, occurredOn: day, recordedAt: "\(day)T09:30:00Z", action: .advanced,
                    details: EventDetails.advance(advance), actor: "officer")
            case .paymentRecorded:
                let i = paid
                paid += 1
                let p = o.payments[i]
                if p.source == .state && outstanding > 0 {
                    let settled = min(p.amount, outstanding)
                    outstanding -= settled
                    o.payments[i].settled = settled
                    e.details = EventDetails.paymentRecorded(
                        number: p.number, amount: p.amount, source: p.source, output: p.outputNumber,
                        reference: p.reference, settled: settled)
                }
            case .cancelled where outstanding > 0:
                let recovery = Advance(
                    orderCode: code, number: 2, kind: .recovery, amount: outstanding, madeOn: e.occurredOn,
                    reference: "GNT \(advanceRandom.within(1...9999))/KBNN-\(o.order.province.code)",
                    reason: "Thu hồi tạm ứng khi dừng thực hiện nhiệm vụ")
                o.advances.append(recovery)
                outstanding = 0
                events.append(
                    Event(
                        orderCode: code, occurredOn: e.occurredOn, recordedAt: e.recordedAt, action: .advanceRecovered,
                        details: EventDetails.advance(recovery), actor: "officer"))
            default: break
            }
            events.append(e)
        }
        o.events = events
    }

    /// Gives an order its deadlines as the commands would have: each output a due date (stated
    /// in its output_added event), a funded order its contract's period (in its funded event),
    /// from the funding to a little after the last due date. An accepted output's due date
    /// falls near its acceptance, some weeks before or after (so some were accepted late); one
    /// still awaited falls months after the order's last step. An order still funded may carry
    /// amendments at the end of its history: an officer extends the contract's end (15 %), the
    /// enterprise asks for an output's due date to be extended (20 %), which is approved or
    /// refused some days later, or still open.
    mutating func addDeadlines(_ o: inout OrderDetail) {
        let last = o.events.map(\.occurredOn).max() ?? o.order.orderedOn
        for i in o.outputs.indices {
            let due: Day
            if let funded = o.order.fundedOn {
                if let accepted = o.outputs[i].acceptedOn {
                    due = max(funded, accepted.adding(days: deadlineRandom.within(-90...30)))
                } else {
                    due = last.adding(days: deadlineRandom.within(30...400))
                }
            } else {
                due = o.order.orderedOn.adding(days: deadlineRandom.within(120...720))
            }
            o.outputs[i].dueOn = due
        }
        // The outputs' events are the history's output_added ones, in number order.
        let added = o.events.indices.filter { o.events[$0].action == .outputAdded }
        for (k, x) in zip(added, o.outputs) { o.events[k].details = EventDetails.outputAdded(x) }
        guard var funding = o.funding, let funded = o.order.fundedOn else { return }
        let lastDue = o.outputs.compactMap(\.dueOn).max() ?? funded
        funding.startsOn = funded
        funding.endsOn = max(funded, lastDue).adding(days: deadlineRandom.within(0...60))
        o.funding = funding
        if let k = o.events.firstIndex(where: { $0.action == .funded }) {
            o.events[k].details = EventDetails.funded(funding)
        }
        guard o.order.state == .funded else { return }
        addAmendments(&o, after: last)
    }

    private mutating func addAmendments(_ o: inout OrderDetail, after last: Day) {
        guard var end = o.funding?.endsOn else { return }
        var day = last
        func event(_ action: Event.Action, _ details: String) {
            o.events.append(
                Event(
                    orderCode: o.order.code, occurredOn: day, recordedAt: "\(day)T10:00:00Z", action: action,
                    details: details, actor: action == .amendmentRequested ? "enterprise" : "officer"))
        }
        if deadlineRandom.chance(15) {
            day = day.adding(days: deadlineRandom.within(1...60))
            let a = Amendment(
                orderCode: o.order.code, number: o.amendments.count + 1, target: .contractEnd, previousOn: end,
                proposedOn: end.adding(days: deadlineRandom.within(90...180)),
                reason: deadlineRandom.pick(DataGenerator.amendmentReasons), requestedBy: .officer, requestedOn: day,
                state: .approved, decidedOn: day)
            o.amendments.append(a)
            end = a.proposedOn
            o.funding?.endsExtendedTo = end
            event(.amended, EventDetails.amendment(a))
        }
        guard deadlineRandom.chance(20), let i = o.outputs.firstIndex(where: { $0.acceptedOn == nil }),
            let due = o.outputs[i].dueInForce, due < end
        else { return }
        day = day.adding(days: deadlineRandom.within(1...60))
        var a = Amendment(
            orderCode: o.order.code, number: o.amendments.count + 1, target: .output(o.outputs[i].number),
            previousOn: due, proposedOn: min(end, due.adding(days: deadlineRandom.within(30...120))),
            reason: deadlineRandom.pick(DataGenerator.amendmentReasons), requestedBy: .enterprise, requestedOn: day,
            state: .requested)
        event(.amendmentRequested, EventDetails.amendment(a))
        if deadlineRandom.chance(70) {
            day = day.adding(days: deadlineRandom.within(3...20))
            a.state = deadlineRandom.chance(70) ? .approved : .refused
            a.decidedOn = day
            a.decision = deadlineRandom.pick(DataGenerator.decisionReasons[a.state] ?? ["Đã xem xét"])
            if a.state == .approved { o.outputs[i].extendedTo = a.proposedOn }
            event(a.state == .approved ? .amendmentApproved : .amendmentRefused, EventDetails.amendmentDecided(a))
        }
        o.amendments.append(a)
    }

    /// The order's lifecycle: registration, outputs, funding, acceptances, payments, results
    /// or cancellation, with its history.
    mutating func makeLifecycle() -> (detail: OrderDetail, enterprise: Int) {
        let e = random.below(enterprises.count)
        let enterprise = enterprises[e]
        let province = enterprise.province
        let yearStart = Day(year: options.years.lowerBound, month: 1, day: 1)?.ordinal ?? 0
        let yearEnd = Day(year: options.years.upperBound, month: 12, day: 31)?.ordinal ?? 0
        let orderedOn = Day(ordinal: yearStart + random.below(yearEnd - yearStart + 1))
        let key = "\(province.code)-\(orderedOn.year)-"
        let n = (sequence[key] ?? 0) + 1
        sequence[key] = n
        let digits = String(n)
        let code = key + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
        let subject = random.pick(DataGenerator.subjects)
        let title = "\(random.pick(DataGenerator.verbs)) \(subject) tại \(province.name)"
        var o = OrderDetail(
            order: STOrders.Order(
                code: code, title: title, field: random.pick(Field.allCases), province: province,
                enterpriseTaxCode: enterprise.taxCode, enterpriseName: enterprise.name, state: .ordered,
                orderedOn: orderedOn),
            outputs: [], funding: nil, payments: [], results: [], events: [])
        func event(_ day: Day, _ action: Event.Action, _ details: String) {
            o.events.append(
                Event(
                    orderCode: code, occurredOn: day, recordedAt: "\(day)T09:00:00Z", action: action,
                    details: details, actor: "generator"))
        }
        event(orderedOn, .registered, EventDetails.registered(o.order))

        // Outputs: one to three, worth 100 million to 3 billion đồng each.
        let count = [1, 2, 3][random.weighted([40, 40, 20])]
        var total: Int64 = 0
        for number in 1...count {
            let type = [OutputType.product, .service, .model][random.weighted([50, 20, 30])]
            let kind = random.pick(DataGenerator.outputKinds[type] ?? ["Sản phẩm"])
            let value = Int64(random.within(10...300)) * 10_000_000
            total += value
            let x = Output(
                orderCode: code, number: number, title: "\(kind) \(subject)", type: type,
                novelty: random.chance(55) ? .new : .improved, value: value)
            o.outputs.append(x)
            event(orderedOn, .outputAdded, EventDetails.outputAdded(x))
        }

        // Where it stands: ordered 8 %, funded 17 %, delivered 25 %, commercialized 38 %, cancelled 12 %.
        let fate = random.weighted([8, 17, 25, 38, 12])
        func cancel(on day: Day) {
            let reason = random.pick(DataGenerator.cancelReasons)
            event(day, .cancelled, EventDetails.cancelled(from: o.order.state, reason: reason))
            o.order.state = .cancelled
            o.order.cancelledOn = day
            o.order.cancelReason = reason
        }
        if fate == 4 && random.chance(60) {  // cancelled before funding
            cancel(on: orderedOn.adding(days: random.within(10...200)))
            return (o, e)
        }
        if fate == 0 { return (o, e) }

        // Funded: the state budget pays 40-70 %, the enterprise the rest and up to 20 % more;
        // some orders bring a third source.
        let fundedOn = orderedOn.adding(days: random.within(15...120))
        let state = total / 100 * Int64(random.within(40...70)) / 1_000_000 * 1_000_000
        var enterpriseFunds = total - state + total / 100 * Int64(random.below(21)) / 1_000_000 * 1_000_000
        var other: Int64 = 0
        var otherSource: String?
        if random.chance(15) {
            other = enterpriseFunds / 2 / 1_000_000 * 1_000_000
            enterpriseFunds -= other
            otherSource = other > 0 ? random.pick(DataGenerator.otherSources) : nil
        }
        guard
            let funding = try? Funding(
                stateBudget: state, enterpriseFunds: enterpriseFunds, other: other,
                otherSource: otherSource, fundedOn: fundedOn)
        else { return (o, e) }
        o.funding = funding
        o.order.state = .funded
        o.order.fundedOn = fundedOn
        event(fundedOn, .funded, EventDetails.funded(funding))
        var remaining: [FundingSource: Int64] = [.state: state, .enterprise: enterpriseFunds, .other: other]

        // Acceptance: all outputs for delivered and commercialized orders, some (never all) for
        // funded ones and for orders cancelled after funding.
        let acceptAll = fate == 2 || fate == 3
        let accepted = acceptAll ? count : random.below(count)
        var day = fundedOn
        for i in 0..<accepted {
            day = day.adding(days: random.within(60...360))
            o.outputs[i].acceptedOn = day
            if random.chance(70) { o.outputs[i].evidence = "Biên bản nghiệm thu số \(random.within(1...999))/BB-SKHCN" }
            event(
                day, .outputAccepted,
                EventDetails.outputAccepted(
                    number: i + 1, title: o.outputs[i].title,
                    evidence: o.outputs[i].evidence))
            if acceptAll && i == count - 1 {
                event(day, .delivered, EventDetails.delivered(outputs: count))
            }
            // Payments: usually the whole value, sometimes half so far; state money first.
            var due = random.chance(85) ? o.outputs[i].value : o.outputs[i].value / 2
            let paidOn = day.adding(days: random.within(5...40))
            for source in [FundingSource.state, .enterprise, .other] where due > 0 {
                let amount = min(due, remaining[source] ?? 0)
                guard amount > 0 else { continue }
                remaining[source] = (remaining[source] ?? 0) - amount
                due -= amount
                let reference = source == .state ? "UNC \(random.within(1...9999))/KBNN-\(province.code)" : nil
                let number = o.payments.count + 1
                o.payments.append(
                    Payment(
                        orderCode: code, number: number, outputNumber: i + 1, amount: amount,
                        source: source, reference: reference, paidOn: paidOn))
                event(
                    paidOn, .paymentRecorded,
                    EventDetails.paymentRecorded(
                        number: number, amount: amount, source: source,
                        output: i + 1, reference: reference))
            }
        }
        if fate == 4 {
            // The dates rule: on or after every step, its payments included.
            let drawn = day.adding(days: random.within(10...120))
            let lastPaid = o.payments.map(\.paidOn).max()
            cancel(on: lastPaid.map { max($0, drawn) } ?? drawn)
            return (o, e)
        }
        if !acceptAll { return (o, e) }
        o.order.state = .delivered
        o.order.deliveredOn = day
        if fate == 2 { return (o, e) }

        // Commercialized: one to three results.
        o.order.state = .commercialized
        var resultDay = day.adding(days: random.within(10...300))
        o.order.commercializedOn = resultDay
        for number in 1...[1, 2, 3][random.weighted([60, 30, 10])] {
            let channel = [Channel.sale, .license, .transfer, .spinOff, .internalUse][
                random.weighted([45, 20, 15, 5, 15])]
            let revenue = channel == .internalUse ? 0 : Int64(random.within(10...2000)) * 10_000_000
            let note = random.chance(60) ? random.pick(DataGenerator.resultNotes) : nil
            o.results.append(
                Commercialization(
                    orderCode: code, number: number, channel: channel, revenue: revenue,
                    note: note, commercializedOn: resultDay))
            event(
                resultDay, number == 1 ? .commercialized : .resultRecorded,
                EventDetails.result(number: number, channel: channel, revenue: revenue, note: note))
            resultDay = resultDay.adding(days: random.within(30...365))
        }
        return (o, e)
    }
}
