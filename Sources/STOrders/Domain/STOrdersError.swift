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
    /// `reserved`: what open payment requests (requested or approved, not yet paid) hold of it,
    /// already taken out of `remaining`.
    case paymentExceedsOutput(order: String, number: Int, amount: Int64, remaining: Int64, reserved: Int64 = 0)
    case paymentExceedsFunding(
        order: String, source: FundingSource, amount: Int64, remaining: Int64, reserved: Int64 = 0)
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
    case invalidLogin(String, reason: String)
    case invalidPassword(reason: String)
    case invalidHashCost(Int)
    case accountBinding(role: Role, needs: String)
    case unknownAccount(login: String)
    case duplicateLogin(String)
    case authenticationFailed
    case unknownToken(id: Int64)
    case tokenAlreadyRevoked(id: Int64, at: String)
    case invalidAuditEvent(String)
    case nationalURLInvalid(String, reason: String)
    case nationalUnreachable(url: String, reason: String)
    case nationalAuthenticationFailed(url: String, reason: String)
    case nationalSchemaMismatch(url: String, found: Int?, expected: Int)
    case nationalFailed(url: String, reason: String)
    case sourceDiverged(chain: String, id: Int64, published: String, here: String?)
    case provincesOwned(provinces: [String], owner: String)
    case outputsWithoutDueDate(order: String, numbers: [Int])
    case contractPeriodMissing(order: String)
    case contractPeriodInvalid(starts: Day, ends: Day)
    case dueOutsidePeriod(order: String, number: Int, due: Day, starts: Day, ends: Day)
    case amendmentNotLater(order: String, what: String, proposed: Day, inForce: Day)
    case amendmentNoDate(order: String, what: String)
    case amendmentRequestOpen(order: String, what: String, number: Int)
    case unknownAmendment(order: String, number: Int, count: Int)
    case amendmentAlreadyDecided(order: String, number: Int, state: AmendmentState, on: Day)
    case checklistUnmet(order: String, step: ChecklistStep, target: Int?, missing: [DocumentKind])
    case documentTooLarge(file: String, limit: Int64)
    case invalidDocument(file: String, reason: String)
    case unknownPaymentRequest(order: String, number: Int, count: Int)
    case paymentRequestStateRefused(order: String, number: Int, state: PaymentRequestState, step: String, needs: String)
    case unknownDocument(order: String, number: Int, count: Int)
    case documentDamaged(order: String, number: Int, reason: String)
    case invalidMailAddress(String)
    case mailFailed(relay: String, reason: String)
    case advanceLimitUnset(order: String)
    case advanceExceedsLimit(order: String, amount: Int64, room: Int64, limit: String, cap: Int64)
    case advanceExceedsBudget(order: String, amount: Int64, remaining: Int64)
    case recoveryExceedsOutstanding(order: String, amount: Int64, outstanding: Int64)
    case advanceOutstanding(order: String, step: String, outstanding: Int64)

    /// A stable, machine-readable name of the refusal (snake_case), for programs and other
    /// interfaces: it never changes with the wording of the message. Each case has its own.
    public var code: String {
        switch self {
        case .invalidDate: return "invalid_date"
        case .invalidAmount: return "invalid_amount"
        case .amountOverflow: return "amount_overflow"
        case .invalidTaxCode: return "invalid_tax_code"
        case .invalidValue: return "invalid_value"
        case .invalidText: return "invalid_text"
        case .invalidOrderCode: return "invalid_order_code"
        case .unknownProvince: return "unknown_province"
        case .unknownEnterprise: return "unknown_enterprise"
        case .duplicateTaxCode: return "duplicate_tax_code"
        case .unknownOrder: return "unknown_order"
        case .duplicateOrderCode: return "duplicate_order_code"
        case .unknownOutput: return "unknown_output"
        case .transitionRefused: return "transition_refused"
        case .outputAlreadyAccepted: return "output_already_accepted"
        case .noOutputs: return "no_outputs"
        case .fundingInsufficient: return "funding_insufficient"
        case .fundingMissing: return "funding_missing"
        case .otherSourceMissing: return "other_source_missing"
        case .otherSourceWithoutAmount: return "other_source_without_amount"
        case .outputNotAccepted: return "output_not_accepted"
        case .paymentExceedsOutput: return "payment_exceeds_output"
        case .paymentExceedsFunding: return "payment_exceeds_funding"
        case .dateBefore: return "date_before"
        case .databaseMissing: return "database_missing"
        case .notInitialized: return "not_initialized"
        case .notAStoreDatabase: return "not_a_store_database"
        case .databaseNewer: return "database_newer"
        case .databaseUnavailable: return "database_unavailable"
        case .constraintViolated: return "constraint_violated"
        case .importRejected: return "import_rejected"
        case .fileUnreadable: return "file_unreadable"
        case .csvColumns: return "csv_columns"
        case .dumpInvalid: return "dump_invalid"
        case .databaseNotEmpty: return "database_not_empty"
        case .invalidTarget: return "invalid_target"
        case .invalidYearRange: return "invalid_year_range"
        case .outputUnavailable: return "output_unavailable"
        case .unknownPayment: return "unknown_payment"
        case .reversalOfReversal: return "reversal_of_reversal"
        case .paymentAlreadyReversed: return "payment_already_reversed"
        case .reversalExceedsPayment: return "reversal_exceeds_payment"
        case .unknownResult: return "unknown_result"
        case .resultAlreadyRetracted: return "result_already_retracted"
        case .backupExists: return "backup_exists"
        case .backupOntoItself: return "backup_onto_itself"
        case .backupFailed: return "backup_failed"
        case .verificationFailed: return "verification_failed"
        case .invalidLogin: return "invalid_login"
        case .invalidPassword: return "invalid_password"
        case .invalidHashCost: return "invalid_hash_cost"
        case .accountBinding: return "account_binding"
        case .unknownAccount: return "unknown_account"
        case .duplicateLogin: return "duplicate_login"
        case .authenticationFailed: return "authentication_failed"
        case .unknownToken: return "unknown_token"
        case .tokenAlreadyRevoked: return "token_already_revoked"
        case .invalidAuditEvent: return "invalid_audit_event"
        case .nationalURLInvalid: return "national_url_invalid"
        case .nationalUnreachable: return "national_unreachable"
        case .nationalAuthenticationFailed: return "national_authentication_failed"
        case .nationalSchemaMismatch: return "national_schema_mismatch"
        case .nationalFailed: return "national_failed"
        case .sourceDiverged: return "source_diverged"
        case .provincesOwned: return "provinces_owned"
        case .outputsWithoutDueDate: return "outputs_without_due_date"
        case .contractPeriodMissing: return "contract_period_missing"
        case .contractPeriodInvalid: return "contract_period_invalid"
        case .dueOutsidePeriod: return "due_outside_period"
        case .amendmentNotLater: return "amendment_not_later"
        case .amendmentNoDate: return "amendment_no_date"
        case .amendmentRequestOpen: return "amendment_request_open"
        case .unknownAmendment: return "unknown_amendment"
        case .amendmentAlreadyDecided: return "amendment_already_decided"
        case .checklistUnmet: return "checklist_unmet"
        case .documentTooLarge: return "document_too_large"
        case .invalidDocument: return "invalid_document"
        case .unknownDocument: return "unknown_document"
        case .documentDamaged: return "document_damaged"
        case .unknownPaymentRequest: return "unknown_payment_request"
        case .paymentRequestStateRefused: return "payment_request_state"
        case .invalidMailAddress: return "invalid_mail_address"
        case .mailFailed: return "mail_failed"
        case .advanceLimitUnset: return "advance_limit_unset"
        case .advanceExceedsLimit: return "advance_exceeds_limit"
        case .advanceExceedsBudget: return "advance_exceeds_budget"
        case .recoveryExceedsOutstanding: return "recovery_exceeds_outstanding"
        case .advanceOutstanding: return "advance_outstanding"
        }
    }

    /// The message, as one printable line: user text quoted in it is shortened and its control
    /// characters escaped, so a refusal is always one `Error:` line however hostile the input.
    public var description: String { Text.oneLine(message) }

    /// Further lines a refusal carries, one printable line each: an import's problems (line,
    /// column, value, what is accepted) and how many more there were. The CLI prints them on
    /// stdout before its one `Error:` line on stderr; empty for every other refusal.
    public var details: [String] {
        guard case .importRejected(_, let problems, let total) = self else { return [] }
        var lines = problems.map { Text.oneLine($0.description) }
        if total > problems.count { lines.append("… and \(total - problems.count) more") }
        return lines
    }

    private var message: String {
        switch self {
        case .invalidDate(let text, let reason):
            return "invalid date '\(Text.excerpt(text))': \(reason)"
        case .invalidAmount(let text, let reason):
            return "invalid amount '\(Text.excerpt(text))': \(reason)"
        case .amountOverflow:
            return
                "the amounts add up to more than \(Money.format(Int64.max)) đồng, the largest amount STOrders can hold"
        case .invalidTaxCode(let text, let reason):
            return "invalid tax code '\(Text.excerpt(text))': \(reason)"
        case .invalidValue(let noun, let text, let accepted):
            return "invalid \(noun) '\(Text.excerpt(text))': expected one of \(accepted.joined(separator: ", "))"
        case .invalidText(let what, let reason):
            return "invalid \(what): \(reason)"
        case .invalidOrderCode(let text, let reason):
            return "invalid order code '\(Text.excerpt(text))': \(reason)"
        case .unknownProvince(let text, let suggestions, let note):
            var message = "unknown province '\(Text.excerpt(text))'"
            if let note { message += ": \(note)" }
            if !suggestions.isEmpty {
                message += note == nil ? "; did you mean \(suggestions.joined(separator: ", "))?" : ""
            } else if note == nil {
                message +=
                    "; expected one of the 34 provinces or centrally run cities, by name (with or without diacritics) or code (e.g. 19, Thái Nguyên, thai nguyen, HCMC)"
            }
            return message
        case .unknownEnterprise(let taxCode):
            return "no enterprise with tax code \(taxCode); an order needs a registered enterprise"
        case .duplicateTaxCode(let code, let existing):
            return "an enterprise with tax code \(code) already exists (\(existing)); tax codes are unique"
        case .unknownOrder(let code):
            return "no order with code '\(Text.excerpt(code))'"
        case .duplicateOrderCode(let code):
            return "an order with code '\(Text.excerpt(code))' already exists; order codes are unique"
        case .unknownOutput(let order, let number, let count):
            return count == 0
                ? "order \(order) has no output \(number): it has no outputs"
                : "order \(order) has no output \(number): its outputs are numbered 1 to \(count)"
        case .transitionRefused(let code, let from, let action, let needs):
            return "order \(code) is \(from); \(action) needs \(needs)"
        case .outputAlreadyAccepted(let order, let number, let day):
            return "output \(number) of order \(order) was already accepted on \(day); an output is accepted once"
        case .noOutputs(let order):
            return "order \(order) has no outputs; fund needs at least one output"
        case .fundingInsufficient(let order, let funding, let outputs):
            return
                "funding of \(Money.format(funding)) đồng does not cover the outputs of order \(order), worth \(Money.format(outputs)) đồng; fund needs at least that much"
        case .fundingMissing(let order):
            return
                "no funding given for order \(Text.excerpt(order)); fund needs an amount from at least one source (state budget, enterprise funds, other)"
        case .otherSourceMissing:
            return "other funds need their source named (e.g. 'PPP', 'quỹ đầu tư mạo hiểm')"
        case .otherSourceWithoutAmount:
            return "a source of other funds was named without an amount of other funds; give the amount too, or neither"
        case .outputNotAccepted(let order, let number):
            return "output \(number) of order \(order) is not accepted yet; a payment needs an accepted output"
        case .paymentExceedsOutput(let order, let number, let amount, let remaining, let reserved):
            return
                "payment of \(Money.format(amount)) đồng is more than what remains unpaid of output \(number) of order \(order): \(Money.format(remaining)) đồng"
                + STOrdersError.reservedNote(reserved)
        case .paymentExceedsFunding(let order, let source, let amount, let remaining, let reserved):
            return
                "payment of \(Money.format(amount)) đồng from source '\(source)' is more than what remains of that source's funding for order \(order): \(Money.format(remaining)) đồng"
                + STOrdersError.reservedNote(reserved)
        case .dateBefore(let what, let date, let earlier, let earliest):
            return "\(what) date \(date) is before \(earlier) on \(earliest); it must be \(earliest) or later"
        case .databaseMissing(let path):
            return "no database at \(Text.excerpt(path, limit: 300))"
        case .notInitialized(let path):
            return "\(Text.excerpt(path, limit: 300)) is an empty database, not yet initialised"
        case .notAStoreDatabase(let path, let reason):
            return "\(Text.excerpt(path, limit: 300)) is not a STOrders database (\(reason))"
        case .databaseNewer(let path, let version, let supported):
            return
                "\(Text.excerpt(path, limit: 300)) has schema version \(version), newer than this version of STOrders supports (\(supported)); use a newer version"
        case .databaseUnavailable(let path, let reason):
            return "cannot use database \(Text.excerpt(path, limit: 300)): \(reason)"
        case .constraintViolated(let message):
            return "refused by the database's rules: \(message)"
        case .importRejected(let file, _, let total):
            // One line; the problems themselves are `details` (the CLI lists them on stdout).
            return
                "\(Text.excerpt(file, limit: 300)): \(total) problem\(total == 1 ? "" : "s") found; nothing was imported"
        case .fileUnreadable(let path, let reason):
            return "cannot read \(path): \(reason)"
        case .csvColumns(let file, let reason):
            return "\(file): \(reason)"
        case .dumpInvalid(let file, let line, let reason):
            return "\(file) line \(line): \(reason)"
        case .databaseNotEmpty(let path):
            return
                "\(path) already holds data; a dump is restored only into a new file or a freshly initialised, empty database"
        case .invalidTarget(let key, let text, let reason):
            return "invalid target '\(Text.excerpt(text))' for \(key): \(reason)"
        case .invalidYearRange(let from, let to, let reason):
            return "invalid years \(from) to \(to): \(reason)"
        case .outputUnavailable(let path, let reason):
            return "cannot write \(path): \(reason)"
        case .unknownPayment(let order, let number, let count):
            return count == 0
                ? "order \(order) has no payment \(number): it has no payments"
                : "order \(order) has no payment \(number): its payments are numbered 1 to \(count)"
        case .reversalOfReversal(let order, let number, let reverses):
            return
                "payment \(number) of order \(order) is itself the reversal of payment \(reverses); a reversal is never reversed (a new payment corrects it)"
        case .paymentAlreadyReversed(let order, let number, let by):
            return
                "payment \(number) of order \(order) was already reversed by payment \(by); a payment is reversed once"
        case .reversalExceedsPayment(let order, let number, let amount, let paid):
            return
                "reversal of \(Money.format(amount)) đồng is more than payment \(number) of order \(order), which was \(Money.format(paid)) đồng; a reversal is for at most what was paid"
        case .unknownResult(let order, let number, let count):
            return count == 0
                ? "order \(order) has no result \(number): it has no results"
                : "order \(order) has no result \(number): its results are numbered 1 to \(count)"
        case .resultAlreadyRetracted(let order, let number, let day):
            return "result \(number) of order \(order) was already retracted on \(day); a result is retracted once"
        case .backupExists(let path):
            return
                "\(path) already exists; a backup is not written over an existing file unless replacing it is asked for"
        case .backupOntoItself(let path):
            return "\(path) is the database itself; a backup goes to another file"
        case .backupFailed(let path, let reason):
            return "cannot write the backup \(path): \(reason)"
        case .verificationFailed(let path, let findings):
            return
                "verify found \(findings) problem\(findings == 1 ? "" : "s") in \(path); each is listed with the findings"
        case .invalidLogin(let text, let reason):
            return "invalid login '\(Text.excerpt(text))': \(reason)"
        case .invalidPassword(let reason):
            // Never quotes the password.
            return "the password is refused: \(reason)"
        case .invalidHashCost(let cost):
            return "invalid bcrypt cost \(cost): expected 4 to 31 (12 or more for real accounts)"
        case .accountBinding(let role, let needs):
            return "an \(role) account needs \(needs)"  // every role's name begins with a vowel
        case .unknownAccount(let login):
            return "no account with login '\(Text.excerpt(login))'"
        case .duplicateLogin(let login):
            return "an account with login '\(Text.excerpt(login))' already exists; logins are unique"
        case .authenticationFailed:
            // One message for an unknown login, a wrong password and a disabled account.
            return "wrong login or password"
        case .unknownToken(let id):
            return "no API token with id \(id)"
        case .tokenAlreadyRevoked(let id, let at):
            return "API token \(id) was already revoked at \(at); a token is revoked once"
        case .invalidAuditEvent(let text):
            return "invalid audit event '\(Text.excerpt(text))': expected a snake_case word of 1 to 40 letters"
        case .nationalURLInvalid(let url, let reason):
            return "the national store's address \(url) is not usable: \(reason)"
        case .nationalUnreachable(let url, let reason):
            return "cannot reach the national store at \(url): \(reason); nothing was published"
        case .nationalAuthenticationFailed(let url, let reason):
            return "the national store at \(url) refused the sign-in: \(reason); nothing was published"
        case .nationalSchemaMismatch(let url, let found, let expected):
            let what = found.map { "national schema version \($0)" } ?? "no STOrders national schema"
            return
                "the database at \(url) has \(what); this program needs version \(expected) (made with national/schema.sql); nothing was published"
        case .nationalFailed(let url, let reason):
            return "the national store at \(url) failed: \(reason)"
        case .sourceDiverged(let chain, let id, let published, let here):
            let now = here.map { "here it is \($0)" } ?? "this database has no such entry"
            return
                "this database's \(chain) does not extend what it published before: \(chain == "history" ? "event" : "seal") \(id) differs (published: \(published); \(now)); a database restored from an older backup, edited or replaced cannot publish over its past; nothing was published"
        case .provincesOwned(let provinces, let owner):
            return
                "the national store already has the orders of \(provinces.joined(separator: ", ")) from another source (\(owner)); one source publishes each province's orders; nothing was published"
        case .outputsWithoutDueDate(let order, let numbers):
            let list = numbers.map(String.init).joined(separator: ", ")
            return numbers.count == 1
                ? "output \(list) of order \(order) has no due date; an order funded with a contract period needs every output's due date"
                : "outputs \(list) of order \(order) have no due date; an order funded with a contract period needs every output's due date"
        case .contractPeriodMissing(let order):
            return
                "order \(order)'s outputs have due dates, so its funding needs the contract's period (a start and an end date)"
        case .contractPeriodInvalid(let starts, let ends):
            return "a contract period ending on \(ends) before it starts on \(starts); the end is on or after the start"
        case .dueOutsidePeriod(let order, let number, let due, let starts, let ends):
            return
                "output \(number) of order \(order) would be due on \(due), outside the contract's period \(starts) to \(ends); an output is due within it"
        case .amendmentNotLater(let order, let what, let proposed, let inForce):
            return
                "\(what) of order \(order) is due on \(inForce); an amendment extends it, to a later date than \(proposed)"
        case .amendmentNoDate(let order, let what):
            return
                "\(what) of order \(order) has no date to extend (the order was funded before deadlines were kept)"
        case .amendmentRequestOpen(let order, let what, let number):
            return
                "\(what) of order \(order) has amendment request \(number) open; it is decided (approved or refused) before another change of that date"
        case .unknownAmendment(let order, let number, let count):
            return count == 0
                ? "order \(order) has no amendment \(number): it has no amendments"
                : "order \(order) has no amendment \(number): its amendments are numbered 1 to \(count)"
        case .amendmentAlreadyDecided(let order, let number, let state, let day):
            return "amendment \(number) of order \(order) was already \(state) on \(day); a request is decided once"
        case .checklistUnmet(let order, let step, let number, let missing):
            let kinds = missing.map(\.rawValue).joined(separator: ", ")
            let target = step.target(number)
            // The step `request` is taken by approving the request.
            let what =
                step == .request ? "approving \(target)" : number == nil ? "\(step)" : "\(step) \(target)"
            return
                "order \(order): \(what) is refused by the checklist: \(target) lacks \(kinds) (a document of each kind, attached on or before the step's day)"
        case .documentTooLarge(let file, let limit):
            return
                "\(Text.excerpt(file, limit: 300)) is larger than \(Money.format(limit)) bytes (16 MiB), the largest document STOrders stores"
        case .invalidDocument(let file, let reason):
            return "cannot attach \(Text.excerpt(file, limit: 300)): \(reason)"
        case .unknownDocument(let order, let number, let count):
            return count == 0
                ? "order \(order) has no document \(number): it has no documents"
                : "order \(order) has no document \(number): its documents are numbered 1 to \(count)"
        case .documentDamaged(let order, let number, let reason):
            return "document \(number) of order \(order) is damaged: \(reason); nothing was written"
        case .unknownPaymentRequest(let order, let number, let count):
            return count == 0
                ? "order \(order) has no payment request \(number): it has no payment requests"
                : "order \(order) has no payment request \(number): its payment requests are numbered 1 to \(count)"
        case .paymentRequestStateRefused(let order, let number, let state, let step, let needs):
            return "payment request \(number) of order \(order) is \(state); \(step) needs \(needs)"
        case .invalidMailAddress(let text):
            return
                "invalid e-mail address '\(Text.excerpt(text))': expected local@domain in printable ASCII, without spaces"
        case .mailFailed(let relay, let reason):
            return "the mail was not sent through \(relay): \(reason)"
        case .advanceLimitUnset(let order):
            return
                "no advance may be made on order \(order): the database sets no advance limit (the share of an order's state budget that may be advanced); it must be set first"
        case .advanceExceedsLimit(let order, let amount, let room, let limit, let cap):
            return
                "an advance of \(Money.format(amount)) đồng is more than order \(order) may still be advanced: \(Money.format(room)) đồng (the limit is \(limit) of its state budget, \(Money.format(cap)) đồng, less what was advanced and not recovered)"
        case .advanceExceedsBudget(let order, let amount, let remaining):
            return
                "an advance of \(Money.format(amount)) đồng is more than what remains of the state budget of order \(order): \(Money.format(remaining)) đồng (after its state payments and outstanding advances)"
        case .recoveryExceedsOutstanding(let order, let amount, let outstanding):
            return
                "a recovery of \(Money.format(amount)) đồng is more than what is outstanding of the advances of order \(order): \(Money.format(outstanding)) đồng"
        case .advanceOutstanding(let order, let step, let outstanding):
            return
                "order \(order) has \(Money.format(outstanding)) đồng of advances outstanding; \(step) needs them settled by payments or recovered first"
        }
    }
}

extension STOrdersError {
    /// The words a refusal adds when open payment requests hold part of an amount.
    static func reservedNote(_ reserved: Int64) -> String {
        reserved == 0 ? "" : " (after \(Money.format(reserved)) đồng held by open payment requests)"
    }
}
