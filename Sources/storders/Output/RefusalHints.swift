import STOrders

extension STOrdersError {
    /// The CLI's own advice after the library's message: the command or flag that helps. The
    /// library names the rule and the values only; this is the one place the CLI adds its words,
    /// so the printed refusal stays one line: `Error: <message>; <hint>`.
    var cliHint: String? {
        switch self {
        case .unknownEnterprise: return "add it first with `storders enterprise add`"
        case .unknownOrder: return "`storders order list` shows the codes"
        case .duplicateOrderCode: return "omit --code to have one generated"
        case .noOutputs: return "add one with `storders output add`"
        case .fundingMissing: return "pass --state-budget, --enterprise-funds and/or --other with --other-source"
        case .otherSourceMissing: return "pass --other-source with --other"
        case .otherSourceWithoutAmount: return "--other-source was given without --other"
        case .outputNotAccepted: return "accept it first with `storders output accept`"
        case .databaseMissing(let path):
            return
                "create one with `storders init --db \(Text.excerpt(path, limit: 300))` (or pass --db / set STORDERS_DB)"
        case .notInitialized(let path): return "run `storders init --db \(Text.excerpt(path, limit: 300))` first"
        case .notAStoreDatabase: return "pass --db with a file made by `storders init`"
        case .databaseNewer: return "use a newer storders"
        case .dumpInvalid: return "expected a file written by `storders export`"
        case .unknownPayment(let order, _, let count) where count > 0:
            return "`storders order show \(order)` lists them"
        case .backupExists: return "choose a new file name, or pass --force to replace it"
        case .invalidYearRange(let from, let to, _) where from > to: return "--from must not be after --to"
        case .accountBinding:
            return
                "pass --enterprise TAX_CODE with --role enterprise, --province P with --role officer, --province P or neither with --role auditor, neither with --role admin"
        case .unknownAccount: return "`storders user list` shows the logins"
        case .unknownToken: return "`storders token list` shows the ids"
        case .checklistUnmet(let order, let step, let number, _):
            let flag = step == .request ? "--request" : "--output"
            return
                "attach each with `storders document attach \(order) FILE --kind KIND\(number.map { " \(flag) \($0)" } ?? "")`; `storders checklist` shows what each step needs"
        case .advanceLimitUnset:
            return "set it with `storders advance-limit set SHARE` (e.g. 30%, the share the office's regulations give)"
        case .unknownDocument(let order, _, let count) where count > 0:
            return "`storders document list \(order)` lists them"
        default: return nil
        }
    }

    /// The line the CLI prints after `Error: `.
    var cliMessage: String {
        guard let hint = cliHint else { return description }
        return description + "; " + hint
    }
}
