/// The dates rule: an order's history reads in date order. No step of an order is dated before
/// an earlier step of the same order, and each kind of step has its own lower bound:
///
/// | step | on or after |
/// |---|---|
/// | an output (its addition) | the registration |
/// | the funding | every earlier step: the registration and every output's addition |
/// | an acceptance | the funding |
/// | a payment | its output's acceptance |
/// | a reversal | the payment it reverses (and the cancellation, on a cancelled order) |
/// | a result | the delivery |
/// | a retraction | the result it retracts |
/// | the cancellation | every earlier step of the order (outputs, funding, acceptances, payments) |
/// | a document's attachment | the registration (and the cancellation, on a cancelled order) |
/// | a payment request | its output's acceptance |
/// | its approval, return or disbursement | the request's previous step |
///
/// Every step is also on or after the registration, and any step after a cancellation (only a
/// reversal may follow one) on or after it. An output has no date column: its date is that of
/// its `output_added` event. This is the one definition: the store's commands, the CSV import,
/// the restore (through `OrderDetail.invariantViolations()`) and `verify` all call it; schema.sql's
/// triggers repeat it against raw SQL.
public enum Chronology {
    /// An earlier step of an order and its date: a lower bound of a later step.
    public struct Step: Equatable, Sendable {
        /// How a message names it: "the order's funding", "the acceptance of output 2", …
        public var name: String
        public var on: Day

        public init(_ name: String, on: Day) {
            self.name = name
            self.on = on
        }
    }

    /// The dates of an order's steps so far that bound later ones: its registration, funding,
    /// delivery and cancellation, and its latest step of any kind.
    public struct Dates: Equatable, Sendable {
        public var registered: Day?
        public var funded: Day?
        public var delivered: Day?
        public var cancelled: Day?
        /// The latest-dated step recorded so far (the first recorded of equal dates).
        public var latest: Step?

        public init(
            registered: Day? = nil, funded: Day? = nil, delivered: Day? = nil, cancelled: Day? = nil,
            latest: Step? = nil
        ) {
            self.registered = registered
            self.funded = funded
            self.delivered = delivered
            self.cancelled = cancelled
            self.latest = latest
        }

        /// An order's own dates, with its latest step (read from its history).
        public init(_ order: Order, latest: Step?) {
            self.init(
                registered: order.orderedOn, funded: order.fundedOn, delivered: order.deliveredOn,
                cancelled: order.cancelledOn, latest: latest)
        }

        /// Takes one more step of the history into account.
        public mutating func record(_ action: Event.Action, on day: Day, number: Int? = nil) {
            switch action {
            case .registered: registered = day
            case .funded: funded = day
            case .delivered: delivered = day
            case .cancelled: cancelled = day
            default: break
            }
            if latest.map({ $0.on < day }) ?? true {
                latest = Step(Chronology.name(of: action, number: number), on: day)
            }
        }
    }

    /// What a refusal calls the step being dated ("funding date 2026-03-01 is before …").
    public static func noun(of action: Event.Action) -> String {
        switch action {
        case .registered: return "registration"
        case .outputAdded: return "output"
        case .funded: return "funding"
        case .outputAccepted: return "acceptance"
        case .delivered: return "delivery"
        case .paymentRecorded: return "payment"
        case .paymentReversed: return "reversal"
        case .commercialized, .resultRecorded: return "commercialization"
        case .resultRetracted: return "retraction"
        case .cancelled: return "cancellation"
        case .documentAttached: return "attachment"
        case .amended, .amendmentRequested: return "amendment"
        case .amendmentApproved, .amendmentRefused: return "decision"
        case .paymentRequested: return "payment request"
        case .paymentRequestApproved: return "approval"
        case .paymentRequestReturned: return "return"
        case .paymentRequestPaid: return "disbursement"
        case .advanced: return "advance"
        case .advanceRecovered: return "recovery"
        }
    }

    /// What a message calls an earlier step, with the number of its output, payment or result
    /// when known.
    public static func name(of action: Event.Action, number: Int? = nil) -> String {
        let n = number.map { " \($0)" }
        switch action {
        case .registered: return "the order's registration"
        case .outputAdded: return n.map { "the addition of output\($0)" } ?? "the addition of an output"
        case .funded: return "the order's funding"
        case .outputAccepted: return n.map { "the acceptance of output\($0)" } ?? "the acceptance of an output"
        case .delivered: return "the order's delivery"
        case .paymentRecorded: return n.map { "payment\($0)" } ?? "a payment"
        case .paymentReversed: return n.map { "reversal\($0)" } ?? "a reversal"
        case .commercialized, .resultRecorded: return n.map { "result\($0)" } ?? "a result"
        case .resultRetracted: return "the retraction of a result"
        case .cancelled: return "the order's cancellation"
        case .documentAttached: return n.map { "the attachment of document\($0)" } ?? "the attachment of a document"
        case .amended, .amendmentRequested: return n.map { "amendment\($0)" } ?? "an amendment"
        case .amendmentApproved, .amendmentRefused:
            return n.map { "the decision on amendment\($0)" } ?? "the decision on an amendment"
        case .paymentRequested: return n.map { "payment request\($0)" } ?? "a payment request"
        case .paymentRequestApproved:
            return n.map { "the approval of payment request\($0)" } ?? "the approval of a payment request"
        case .paymentRequestReturned:
            return n.map { "the return of payment request\($0)" } ?? "the return of a payment request"
        case .paymentRequestPaid:
            return n.map { "the disbursement of payment request\($0)" } ?? "the disbursement of a payment request"
        case .advanced: return n.map { "advance\($0)" } ?? "an advance"
        case .advanceRecovered: return n.map { "recovery\($0)" } ?? "a recovery"
        }
    }

    /// The earliest date a step may have, as the latest of its bounds (see the table above):
    /// `dates` are the order's steps so far, `record` the step's own earlier record when it has
    /// one (a payment's output acceptance, a reversal's payment, a retraction's result).
    public static func bound(for action: Event.Action, after dates: Dates, record: Step? = nil) -> Step? {
        var bounds: [Step?] = [record]
        bounds.append(dates.registered.map { Step(name(of: .registered), on: $0) })
        bounds.append(dates.cancelled.map { Step(name(of: .cancelled), on: $0) })
        switch action {
        case .registered, .outputAdded, .paymentRecorded, .paymentReversed, .resultRetracted, .documentAttached,
            .paymentRequested, .paymentRequestApproved, .paymentRequestReturned, .paymentRequestPaid,
            .advanceRecovered:
            break
        case .funded, .cancelled: bounds.append(dates.latest)
        case .outputAccepted, .delivered, .amended, .amendmentRequested, .amendmentApproved, .amendmentRefused,
            .advanced:
            bounds.append(dates.funded.map { Step(name(of: .funded), on: $0) })
        case .commercialized, .resultRecorded: bounds.append(dates.delivered.map { Step(name(of: .delivered), on: $0) })
        }
        // The latest bound; of equal dates, the first listed (the step's own record first).
        var latest: Step?
        for case let step? in bounds where latest.map({ $0.on < step.on }) ?? true { latest = step }
        return latest
    }

    /// Refuses a step dated before its bound, naming the earlier step and its date.
    public static func check(_ action: Event.Action, on day: Day, after dates: Dates, record: Step? = nil) throws {
        guard let earliest = bound(for: action, after: dates, record: record), day < earliest.on else { return }
        throw STOrdersError.dateBefore(what: noun(of: action), date: day, earlier: earliest.name, earliest: earliest.on)
    }

    /// Reads a history in the order it was recorded, step by step, and says which steps are
    /// dated before their bound. The bounds that need a step's own record (a payment's output,
    /// a reversal's payment, a retraction's result) are checked with the records themselves.
    public struct Fold: Sendable {
        public private(set) var dates = Dates()

        public init() {}

        /// The problem with this step's date, if any, as a sentence; then records the step.
        public mutating func apply(_ action: Event.Action, on day: Day) -> String? {
            var problem: String?
            if let earliest = Chronology.bound(for: action, after: dates), day < earliest.on {
                problem =
                    "its \(Chronology.noun(of: action)) on \(day) is dated before \(earliest.name) on \(earliest.on); "
                    + "no step of an order is dated before an earlier one"
            }
            dates.record(action, on: day)
            return problem
        }
    }

    /// Every step of a whole history dated before its bound, as sentences.
    public static func violations(in events: [Event]) -> [String] {
        var fold = Fold()
        return events.compactMap { fold.apply($0.action, on: $0.occurredOn) }
    }
}
