import ArgumentParser
import STOrders

struct PaymentRecordCommand: StoreCommand {
    static let configuration = CommandConfiguration(
        commandName: "record", _superCommandName: "storders payment",
        abstract: "Record a payment against one accepted output.",
        discussion: """
            A payment never exceeds what remains unpaid of the output's value, nor what remains of its source's funding. Example:
              storders payment record 19-2026-0001 --output 1 --amount 600.000.000 --reference "UNC 0142/KBNN"
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The order's code.") var order: String
    @Option(name: .customLong("output"), help: ArgumentHelp("The accepted output's number.", valueName: "number"))
    var outputNumber: Int
    @Option(parsing: .unconditional, help: ArgumentHelp("How much, in đồng.", valueName: "amount")) var amount: String
    @Option(help: "Which funding source pays.") var source: FundingSource = .state
    @Option(help: "The disbursement's reference (treasury voucher).") var reference: String?
    @OptionGroup var date: DateOption

    func run(store: Store, console: Console) throws {
        let payment = try store.recordPayment(
            order: order, output: outputNumber, amount: try Parse.amount(amount),
            source: source, reference: reference, on: try date.day())
        if global.json {
            console.line(Shape.payment(payment, withOrder: true).serialized())
        } else {
            console.line(
                "Recorded payment \(payment.number) of order \(payment.orderCode): \(Render.money(payment.amount)) from \(payment.source) against output \(payment.outputNumber), on \(payment.paidOn)."
                    + (payment.settled > 0
                        ? " It settles \(Render.money(payment.settled)) of the order's outstanding advances." : "")
            )
        }
    }
}
