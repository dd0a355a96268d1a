/// Every refusal STOrders makes, each with a one-line description that says what was wrong and
/// what is accepted. A user never sees SQL.
public enum STOrdersError: Error, Equatable, CustomStringConvertible, Sendable {
    case invalidDate(String, reason: String)
    case invalidAmount(String, reason: String)
    case amountOverflow
    case invalidTaxCode(String, reason: String)
    case invalidValue(String, String, accepted: [String])
    case invalidText(what: String, reason: String)
    case invalidOrderCode(String, reason: String)
    case unknownProvince(String, suggestions: [String], note: String?)
    case unknownEnterprise(taxCode: String)
    case duplicateTaxCode(String, existing: String)
    case unknownOrder(code: String)
    case duplicateOrderCode(String)
    case unknownOutput(order: String, number: Int, count: Int)
    case transitionRefused(code: String, from: OrderState, action: String, needs: String)
    case outputAlreadyAccepted(order: String, number: Int, on: Day)
    case noOutputs(order: String)
    case fundingInsufficient(order: String, funding: Int64, outputs: Int64)
    case fundingMissing(order: String)
    case otherSourceMissing
    case otherSourceWithoutAmount
    case outputNotAccepted(order: String, number: Int)
    case paymentExceedsOutput(order: String, number: Int, amount: Int64, remaining: Int64)
    case paymentExceedsFunding(order: String, source: FundingSource, amount: Int64, remaining: Int64)
    case dateBefore(what: String, date: Day, earlier: String, earliest: Day)
    case databaseMissing(path: String)
    case notInitialized(path: String)
    case notAStoreDatabase(path: String, reason: String)
    case databaseNewer(path: String, version: Int, supported: Int)
    case databaseUnavailable(path: String, reason: String)
    case constraintViolated(String)
    case importRejected(file: String, problems: [ImportProblem], total: Int)
    case fileUnreadable(path: String, reason: String)
    case csvColumns(file: String, reason: String)
    case dumpInvalid(file: String, line: Int, reason: String)
    case databaseNotEmpty(path: String)
    case invalidTarget(key: String, String, reason: String)
    case invalidYearRange(from: Int, to: Int, reason: String)
    case outputUnavailable(path: String, reason: String)
    case unknownPayment(order: String, number: Int, count: Int)
    case reversalOfReversal(order: String, number: Int, reverses: Int)
    case paymentAlreadyReversed(order: String, number: Int, by: Int)
    case reversalExceedsPayment(order: String, number: Int, amount: Int64, paid: Int64)
    case unknownResult(order: String, number: Int, count: Int)
    case resultAlreadyRetracted(order: String, number: Int, on: Day)
    case backupExists(path: String)
    case backupOntoItself(path: String)
    case backupFailed(path: String, reason: String)
    case verificationFailed(path: String, findings: Int)

    /// The message, as one printable line: user text quoted in it is shortened and its control
    /// characters escaped, so a refusal is always one `Error:` line however hostile the input.
    public var description: String { Text.oneLine(message) }

    /// Further lines a refusal carries, one printable line each: an import's problems (line,
    /// column, value, what is accepted) and how many more there were. The CLI prints them on
    /// stdout before its one `Error:` line on stderr; empty for every other refusal.
    public var details: [String] {
        guard case let .importRejected(_, problems, total) = self else { return [] }
        var lines = problems.map { Text.oneLine($0.description) }
        if total > problems.count { lines.append("… and \(total - problems.count) more") }
        return lines
    }

    private var message: String {
        switch self {
        case let .invalidDate(text, reason):
            return "invalid date '\(Text.excerpt(text))': \(reason)"
        case let .invalidAmount(text, reason):
            return "invalid amount '\(Text.excerpt(text))': \(reason)"
        case .amountOverflow:
            return "the amounts add up to more than \(Money.format(Int64.max)) đồng, the largest amount STOrders can hold"
        case let .invalidTaxCode(text, reason):
            return "invalid tax code '\(Text.excerpt(text))': \(reason)"
        case let .invalidValue(noun, text, accepted):
            return "invalid \(noun) '\(Text.excerpt(text))': expected one of \(accepted.joined(separator: ", "))"
        case let .invalidText(what, reason):
            return "invalid \(what): \(reason)"
        case let .invalidOrderCode(text, reason):
            return "invalid order code '\(Text.excerpt(text))': \(reason)"
        case let .unknownProvince(text, suggestions, note):
            var message = "unknown province '\(Text.excerpt(text))'"
            if let note { message += ": \(note)" }
            if !suggestions.isEmpty {
                message += note == nil ? "; did you mean \(suggestions.joined(separator: ", "))?" : ""
            } else if note == nil {
                message += "; expected one of the 34 provinces or centrally run cities, by name (with or without diacritics) or code (e.g. 19, Thái Nguyên, thai nguyen, HCMC)"
            }
            return message
        case let .unknownEnterprise(taxCode):
            return "no enterprise with tax code \(taxCode); add it first with `storders enterprise add`"
        case let .duplicateTaxCode(code, existing):
            return "an enterprise with tax code \(code) already exists (\(existing)); tax codes are unique"
        case let .unknownOrder(code):
            return "no order with code '\(Text.excerpt(code))'; `storders order list` shows the codes"
        case let .duplicateOrderCode(code):
            return "an order with code '\(Text.excerpt(code))' already exists; order codes are unique (omit --code to have one generated)"
        case let .unknownOutput(order, number, count):
            return count == 0
                ? "order \(order) has no output \(number): it has no outputs"
                : "order \(order) has no output \(number): its outputs are numbered 1 to \(count)"
        case let .transitionRefused(code, from, action, needs):
            return "order \(code) is \(from); \(action) needs \(needs)"
        case let .outputAlreadyAccepted(order, number, day):
            return "output \(number) of order \(order) was already accepted on \(day); an output is accepted once"
        case let .noOutputs(order):
            return "order \(order) has no outputs; fund needs at least one output (add one with `storders output add`)"
        case let .fundingInsufficient(order, funding, outputs):
            return "funding of \(Money.format(funding)) đồng does not cover the outputs of order \(order), worth \(Money.format(outputs)) đồng; fund needs at least that much"
        case let .fundingMissing(order):
            return "no funding given for order \(Text.excerpt(order)); pass --state-budget, --enterprise-funds and/or --other with --other-source"
        case .otherSourceMissing:
            return "--other needs --other-source naming where the money comes from (e.g. 'PPP', 'quỹ đầu tư mạo hiểm')"
        case .otherSourceWithoutAmount:
            return "--other-source was given without --other; give the amount too, or leave both out"
        case let .outputNotAccepted(order, number):
            return "output \(number) of order \(order) is not accepted yet; a payment needs an accepted output (`storders output accept`)"
        case let .paymentExceedsOutput(order, number, amount, remaining):
            return "payment of \(Money.format(amount)) đồng is more than what remains unpaid of output \(number) of order \(order): \(Money.format(remaining)) đồng"
        case let .paymentExceedsFunding(order, source, amount, remaining):
            return "payment of \(Money.format(amount)) đồng from source '\(source)' is more than what remains of that source's funding for order \(order): \(Money.format(remaining)) đồng"
        case let .dateBefore(what, date, earlier, earliest):
            return "\(what) date \(date) is before \(earlier) on \(earliest); it must be \(earliest) or later"
        case let .databaseMissing(path):
            return "no database at \(Text.excerpt(path, limit: 300)); create one with `storders init --db \(Text.excerpt(path, limit: 300))` (or pass --db / set STORDERS_DB)"
        case let .notInitialized(path):
            return "\(Text.excerpt(path, limit: 300)) is an empty database; run `storders init --db \(Text.excerpt(path, limit: 300))` first"
        case let .notAStoreDatabase(path, reason):
            return "\(Text.excerpt(path, limit: 300)) is not a STOrders database (\(reason)); pass --db with a file made by `storders init`"
        case let .databaseNewer(path, version, supported):
            return "\(Text.excerpt(path, limit: 300)) has schema version \(version), newer than this storders supports (\(supported)); use a newer storders"
        case let .databaseUnavailable(path, reason):
            return "cannot use database \(Text.excerpt(path, limit: 300)): \(reason)"
        case let .constraintViolated(message):
            return "refused by the database's rules: \(message)"
        case let .importRejected(file, _, total):
            // One line; the problems themselves are `details` (the CLI lists them on stdout).
            return "\(Text.excerpt(file, limit: 300)): \(total) problem\(total == 1 ? "" : "s") found; nothing was imported"
        case let .fileUnreadable(path, reason):
            return "cannot read \(path): \(reason)"
        case let .csvColumns(file, reason):
            return "\(file): \(reason)"
        case let .dumpInvalid(file, line, reason):
            return "\(file) line \(line): \(reason); expected a file written by `storders export`"
        case let .databaseNotEmpty(path):
            return "\(path) already holds data; `import dump` restores into a new file or a freshly initialised, empty database"
        case let .invalidTarget(key, text, reason):
            return "invalid target '\(Text.excerpt(text))' for \(key): \(reason)"
        case let .invalidYearRange(from, to, reason):
            return "invalid years \(from) to \(to): \(reason)"
        case let .outputUnavailable(path, reason):
            return "cannot write \(path): \(reason)"
        case let .unknownPayment(order, number, count):
            return count == 0
                ? "order \(order) has no payment \(number): it has no payments"
                : "order \(order) has no payment \(number): its payments are numbered 1 to \(count) (`storders order show \(order)` lists them)"
        case let .reversalOfReversal(order, number, reverses):
            return "payment \(number) of order \(order) is itself the reversal of payment \(reverses); a reversal is never reversed (record the payment again instead)"
        case let .paymentAlreadyReversed(order, number, by):
            return "payment \(number) of order \(order) was already reversed by payment \(by); a payment is reversed once"
        case let .reversalExceedsPayment(order, number, amount, paid):
            return "reversal of \(Money.format(amount)) đồng is more than payment \(number) of order \(order), which was \(Money.format(paid)) đồng; a reversal is for at most what was paid"
        case let .unknownResult(order, number, count):
            return count == 0
                ? "order \(order) has no result \(number): it has no results"
                : "order \(order) has no result \(number): its results are numbered 1 to \(count)"
        case let .resultAlreadyRetracted(order, number, day):
            return "result \(number) of order \(order) was already retracted on \(day); a result is retracted once"
        case let .backupExists(path):
            return "\(path) already exists; choose a new file name, or pass --force to replace it"
        case let .backupOntoItself(path):
            return "\(path) is the database itself; a backup goes to another file"
        case let .backupFailed(path, reason):
            return "cannot write the backup \(path): \(reason)"
        case let .verificationFailed(path, findings):
            return "verify found \(findings) problem\(findings == 1 ? "" : "s") in \(path); each is listed above"
        }
    }
}
