import ArgumentParser
import STOrders

struct PaymentReverseCommand: StoreCommand {
    static let configuration = CommandConfiguration(
        commandName: "reverse", _superCommandName: "storders payment",
        abstract: "Correct a payment recorded by mistake with a reversal entry (history is never edited).",
        discussion: """
            The reversal is a further payment of a negative amount, against the same output and source, linked to the payment it corrects. A payment is reversed once, for at most what was paid (all of it unless --amount says less); every total counts the reversal.

            Example:
              storders payment reverse 19-2026-0001 2 --reason "Nhập trùng chứng từ UNC 0142"
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The order's code.") var order: String
    @Argument(help: "The number of the payment to reverse (`storders order show` lists them).") var payment: Int
    @Option(help: "Why it is reversed.") var reason: String
    @Option(help: ArgumentHelp("How much to reverse, in đồng (default: the whole payment).", valueName: "amount"))
    var amount: String?
    @OptionGroup var date: DateOption

    func run(store: Store, console: Console) throws {
        let reversal = try store.reversePayment(
            order: order, payment: payment, amount: try amount.map(Parse.amount),
            reason: reason, on: try date.day())
        if global.json {
            console.line(Shape.payment(reversal, withOrder: true).serialized())
        } else {
            console.line(
                "Recorded payment \(reversal.number) of order \(reversal.orderCode): reverses \(Render.money(-reversal.amount)) of payment \(reversal.reverses ?? 0) (output \(reversal.outputNumber), \(reversal.source)), on \(reversal.paidOn)."
                    + (reversal.settled < 0
                        ? " It undoes \(Render.money(-reversal.settled)) of the settlement of advances: outstanding again."
                        : "")
            )
        }
    }
}
