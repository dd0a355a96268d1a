import ArgumentParser
import STOrders

struct RequestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "request",
        abstract: "Payment requests: an enterprise asks to be paid against an accepted output; an officer decides.",
        discussion: """
            A request is made (pay), then approved or returned with a reason; an approved request is disbursed with the treasury's reference, which records the payment, or returned. While a request is requested or approved its amount is held: it counts, with the payments, against what remains of the output's value and of the source's funding.
            """,
        subcommands: [
            RequestPayCommand.self, RequestApproveCommand.self, RequestReturnCommand.self,
            RequestDisburseCommand.self, RequestListCommand.self,
        ])
}

enum PaymentRequestText {
    static func line(_ r: PaymentRequest) -> String {
        let what = "payment request \(r.number) of order \(r.orderCode)"
        switch r.state {
        case .requested:
            return
                "Recorded \(what): \(Render.money(r.amount)) from \(r.source) against output \(r.outputNumber), on \(r.requestedOn); it waits for an officer's decision."
        case .approved:
            return "Approved \(what) on \(r.approvedOn?.description ?? ""): \(Render.money(r.amount)) to disburse."
        case .returned:
            return "Returned \(what) on \(r.returnedOn?.description ?? ""): \(r.returnReason ?? "")"
        case .paid:
            return
                "Disbursed \(what) on \(r.paidOn?.description ?? ""): payment \(r.paymentNumber.map(String.init) ?? "") of \(Render.money(r.amount)) from \(r.source) against output \(r.outputNumber), reference \(r.reference ?? "")."
        }
    }
}

/// The table `order show` prints of an order's payment requests.
enum PaymentRequestTable {
    static func write(_ requests: [PaymentRequest], heading: Bool, console: Console) {
        let open = requests.filter(\.state.isOpen)
        let held = open.reduce(Int64(0)) { $0 + $1.amount }
        if heading {
            console.line(
                "Payment requests (\(requests.count)"
                    + (open.isEmpty ? "" : ", \(open.count) open holding \(Render.money(held))") + ")")
        }
        let table = Table(
            [
                .init("NO", right: true), .init("DATE"), .init("OUTPUT", right: true), .init("AMOUNT", right: true),
                .init("SOURCE"), .init("STATE"), .init("NOTE"),
            ], console: console)
        for r in requests {
            let state: String
            let note: String
            switch r.state {
            case .requested:
                state = "requested"
                note = ""
            case .approved:
                state = "approved \(r.approvedOn?.description ?? "")"
                note = ""
            case .returned:
                state = "returned \(r.returnedOn?.description ?? "")"
                note = r.returnReason ?? ""
            case .paid:
                state = "paid \(r.paidOn?.description ?? "")"
                note = "payment \(r.paymentNumber.map(String.init) ?? "")" + (r.reference.map { ", \($0)" } ?? "")
            }
            table.add([
                String(r.number), r.requestedOn.description, String(r.outputNumber), Money.format(r.amount),
                r.source.rawValue, state, note,
            ])
        }
        table.finish(empty: "")
    }
}

struct RequestPayCommand: StoreCommand {
    static let configuration = CommandConfiguration(
        commandName: "pay", _superCommandName: "storders request",
        abstract: "Ask to be paid against an accepted output (an enterprise's request).",
        discussion: """
            The amount is within what remains of the output's value and of the source's funding, counting the payments and the other open requests. The checklist's `pay` step applies (the papers come with the request: attach them to the output first).

            Example:
              storders request pay 19-2026-0001 --output 1 --amount 300.000.000 --source state
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The order's code.") var order: String
    @Option(name: .customLong("output"), help: ArgumentHelp("The accepted output's number.", valueName: "number"))
    var outputNumber: Int
    @Option(parsing: .unconditional, help: ArgumentHelp("How much, in đồng.", valueName: "amount")) var amount: String
    @Option(help: "Which funding source is to pay.") var source: FundingSource = .state
    @OptionGroup var date: DateOption

    func run(store: Store, console: Console) throws {
        let r = try store.requestPayment(
            order: order, output: outputNumber, amount: try Parse.amount(amount), source: source, on: try date.day())
        console.line(global.json ? Shape.paymentRequest(r, withOrder: true).serialized() : PaymentRequestText.line(r))
    }
}

struct RequestApproveCommand: StoreCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve", _superCommandName: "storders request",
        abstract: "Approve a payment request (an officer's decision); it then waits to be disbursed.",
        discussion: """
            Example:
              storders request approve 19-2026-0001 1
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The order's code.") var order: String
    @Argument(help: "The request's number (`storders order show` lists them).") var number: Int
    @OptionGroup var date: DateOption

    func run(store: Store, console: Console) throws {
        let r = try store.approvePaymentRequest(order: order, number: number, on: try date.day())
        console.line(global.json ? Shape.paymentRequest(r, withOrder: true).serialized() : PaymentRequestText.line(r))
    }
}

struct RequestReturnCommand: StoreCommand {
    static let configuration = CommandConfiguration(
        commandName: "return", _superCommandName: "storders request",
        abstract: "Return a requested or approved payment request with a reason; it holds nothing any more.",
        discussion: """
            Example:
              storders request return 19-2026-0001 1 --reason "Thiếu hóa đơn GTGT"
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The order's code.") var order: String
    @Argument(help: "The request's number (`storders order show` lists them).") var number: Int
    @Option(help: "Why.") var reason: String
    @OptionGroup var date: DateOption

    func run(store: Store, console: Console) throws {
        let r = try store.returnPaymentRequest(order: order, number: number, reason: reason, on: try date.day())
        console.line(global.json ? Shape.paymentRequest(r, withOrder: true).serialized() : PaymentRequestText.line(r))
    }
}

struct RequestDisburseCommand: StoreCommand {
    static let configuration = CommandConfiguration(
        commandName: "disburse", _superCommandName: "storders request",
        abstract: "Disburse an approved payment request with the treasury's reference: records its payment.",
        discussion: """
            The payment is recorded by the same rules as `storders payment record`, on or after the approval.

            Example:
              storders request disburse 19-2026-0001 1 --reference "UNC 0142/KBNN"
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The order's code.") var order: String
    @Argument(help: "The request's number (`storders order show` lists them).") var number: Int
    @Option(help: "The disbursement's reference (treasury voucher).") var reference: String
    @OptionGroup var date: DateOption

    func run(store: Store, console: Console) throws {
        let (r, _) = try store.disbursePaymentRequest(
            order: order, number: number, reference: reference, on: try date.day())
        console.line(global.json ? Shape.paymentRequest(r, withOrder: true).serialized() : PaymentRequestText.line(r))
    }
}

struct RequestListCommand: ListCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", _superCommandName: "storders request",
        abstract: "List payment requests, by order and number.",
        discussion: """
            Examples:
              storders request list --state requested --state approved --province "Thái Nguyên"
              storders request list --enterprise 4601234560 --csv
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var list: ListOptions
    @Option(help: "Only requests in this state (repeat for several).") var state: [PaymentRequestState] = []
    @Option(help: "Only orders of this province.") var province: String?
    @Option(help: ArgumentHelp("Only orders of this enterprise.", valueName: "tax-code")) var enterprise: String?

    func run(store: Store, console: Console) throws {
        let filter = PaymentRequestFilter(
            states: state, province: try Parse.province(province), enterprise: try Parse.taxCode(enterprise))
        let writer = ListWriter<PaymentRequestLine>(format(), columns: Columns.paymentRequests, console: console)
        try store.forEachPaymentRequest(filter) { writer.add($0) }
        writer.finish(empty: "No payment requests.")
    }
}
