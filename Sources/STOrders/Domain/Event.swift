/// One line of an order's history. Events are only ever appended.
public struct Event: Hashable, Sendable {
    public enum Action: String, Sendable, CaseIterable {
        case registered
        case outputAdded = "output_added"
        case funded
        case outputAccepted = "output_accepted"
        case delivered
        case paymentRecorded = "payment_recorded"
        case paymentReversed = "payment_reversed"
        case commercialized
        case resultRecorded = "result_recorded"
        case resultRetracted = "result_retracted"
        case cancelled
    }

    public var orderCode: String
    public var occurredOn: Day
    /// When it was written, UTC, `YYYY-MM-DDTHH:MM:SSZ`.
    public var recordedAt: String
    public var action: Action
    public var details: String
    public var actor: String

    public init(orderCode: String, occurredOn: Day, recordedAt: String, action: Action, details: String, actor: String) {
        self.orderCode = orderCode
        self.occurredOn = occurredOn
        self.recordedAt = recordedAt
        self.action = action
        self.details = details
        self.actor = actor
    }
}
