/// The deadlines of an order (docs/deadlines.md): each output's due date, the contract's period
/// set at funding, and how late or near each is on a given day. The one definition of these rules
/// that the store's `fund`, the restore and the reports call.
public enum Deadlines {
    /// The rule of funding: an order is funded either with a contract period, every output then
    /// due within it, or (as an order of schema version 5 was) with no dates at all. `dues` are
    /// the outputs' numbers and due dates.
    public static func requireWithinPeriod(order: String, funding: Funding, dues: [(number: Int, due: Day?)]) throws {
        guard let starts = funding.startsOn, let ends = funding.endsOn else {
            if dues.contains(where: { $0.due != nil }) { throw STOrdersError.contractPeriodMissing(order: order) }
            return
        }
        let missing = dues.filter { $0.due == nil }.map(\.number)
        if !missing.isEmpty { throw STOrdersError.outputsWithoutDueDate(order: order, numbers: missing) }
        for (number, due) in dues {
            guard let due, due < starts || due > ends else { continue }
            throw STOrdersError.dueOutsidePeriod(order: order, number: number, due: due, starts: starts, ends: ends)
        }
    }

    /// How many days an output of an order in `state` is late on `day`: nil unless the order is
    /// funded, the output not accepted and its due date in force before `day`.
    public static func daysLate(_ x: Output, orderState state: OrderState, on day: Day) -> Int? {
        guard state == .funded, x.acceptedOn == nil, let due = x.dueInForce, due < day else { return nil }
        return daysLate(due: due, on: day)
    }

    /// How many days a funded order's contract is past its end in force on `day` (nil otherwise).
    public static func daysLate(_ f: Funding, orderState state: OrderState, on day: Day) -> Int? {
        guard state == .funded, let end = f.endInForce, end < day else { return nil }
        return daysLate(due: end, on: day)
    }

    /// Days from `due` to `day`: positive when `day` is past it (days late), 0 on the day itself,
    /// negative before (days left).
    public static func daysLate(due: Day, on day: Day) -> Int { Day.days(from: due, to: day) }
}

extension Day {
    /// The day `ordinal` days after 1970-01-01 (Howard Hinnant's civil_from_days, the inverse of
    /// `ordinal`), clamped to the accepted years.
    init(ordinal: Int) {
        let z = ordinal + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        let year = min(max(y, Day.years.lowerBound), Day.years.upperBound)
        self = Day(year: year, month: m, day: d) ?? Day(uncheckedYear: year, month: m, day: min(d, 28))
    }

    /// The day `days` after this one (before, when negative), clamped to `Day.years`.
    public func adding(days: Int) -> Day { Day(ordinal: ordinal + days) }
}
