/// What kind of refusal an error is, for interfaces that answer with a status (the server maps
/// each category to one HTTP status, in one place). Each case belongs to exactly one category.
public enum ErrorCategory: String, Sendable, CaseIterable {
    /// The input is malformed or out of range: a date, an amount, a tax code, a text, a value.
    case invalid
    /// A record named in the request does not exist.
    case notFound
    /// The input is well formed, but a rule of the lifecycle or of the money refuses it now
    /// (a transition, an amount above what remains, a date before an earlier step, a duplicate).
    case refused
    /// The database cannot be used: missing, busy, read-only, damaged or of another version.
    case unavailable
    /// The caller is not who they claim to be (a wrong login or password, an unknown token).
    case unauthenticated
    /// A file-level operation of the command line (import, export, backup) failed.
    case failed
}

extension STOrdersError {
    public var category: ErrorCategory {
        switch self {
        case .invalidDate, .invalidAmount, .amountOverflow, .invalidTaxCode, .invalidValue, .invalidText,
            .invalidOrderCode, .unknownProvince, .otherSourceMissing, .otherSourceWithoutAmount, .invalidTarget,
            .invalidYearRange, .invalidLogin, .invalidPassword, .invalidHashCost, .accountBinding, .invalidAuditEvent,
            .nationalURLInvalid, .contractPeriodInvalid, .documentTooLarge, .invalidDocument,
            .invalidMailAddress:
            return .invalid
        case .unknownEnterprise, .unknownOrder, .unknownOutput, .unknownPayment, .unknownResult, .unknownAccount,
            .unknownToken, .unknownAmendment, .unknownDocument, .unknownPaymentRequest:
            return .notFound
        case .duplicateTaxCode, .duplicateOrderCode, .transitionRefused, .outputAlreadyAccepted, .noOutputs,
            .fundingInsufficient, .fundingMissing, .outputNotAccepted, .paymentExceedsOutput, .paymentExceedsFunding,
            .dateBefore, .constraintViolated, .reversalOfReversal, .paymentAlreadyReversed, .reversalExceedsPayment,
            .resultAlreadyRetracted, .duplicateLogin, .tokenAlreadyRevoked, .sourceDiverged, .provincesOwned,
            .outputsWithoutDueDate, .contractPeriodMissing, .dueOutsidePeriod, .amendmentNotLater, .amendmentNoDate,
            .amendmentRequestOpen, .amendmentAlreadyDecided, .checklistUnmet, .paymentRequestStateRefused,
            .advanceLimitUnset, .advanceExceedsLimit, .advanceExceedsBudget, .recoveryExceedsOutstanding,
            .advanceOutstanding:
            return .refused
        case .authenticationFailed, .nationalAuthenticationFailed:
            return .unauthenticated
        case .databaseMissing, .notInitialized, .notAStoreDatabase, .databaseNewer, .databaseUnavailable,
            .nationalUnreachable, .nationalSchemaMismatch, .nationalFailed:
            return .unavailable
        case .importRejected, .fileUnreadable, .csvColumns, .dumpInvalid, .databaseNotEmpty, .outputUnavailable,
            .backupExists, .backupOntoItself, .backupFailed, .verificationFailed, .documentDamaged,
            .mailFailed:
            return .failed
        }
    }
}
