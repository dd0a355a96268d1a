/// One account's digest of notices, and what became of it.
public struct NoticeDigest: Sendable, Equatable {
    public enum Outcome: Sendable, Equatable {
        /// Sent to the account's address.
        case sent
        /// Nothing to tell over the window: no message is sent.
        case nothing
        /// The relay refused it or could not be reached (the reason, as `mail_failed` words it).
        case failed(String)
    }

    public var login: String
    public var email: String
    public var notices: Int
    public var outcome: Outcome
}

extension Store {
    /// Sends each enabled account that has an e-mail address (`setEmail`) its notices of the
    /// window (`since` to `asOf`, at most `limit`, in the account's own scope,
    /// `Account.noticeScope`) as one message from `from` through `relay`, by login; an account
    /// with nothing to tell gets no message. One account's failure does not stop the others: each
    /// digest says what became of it. Nothing in the database changes.
    public func sendNoticeDigests(
        asOf: Day, since: Day?, limit: Int = 100, relay: SMTPRelay, from: String
    ) throws -> [NoticeDigest] {
        let from = try MailMessage.address(from)
        var digests: [NoticeDigest] = []
        for account in try accounts() where !account.disabled {
            guard let email = account.email else { continue }
            let scope = account.noticeScope
            let filter = NoticeFilter(
                asOf: asOf, since: since, province: scope.province, enterprise: scope.enterprise, limit: limit)
            let notices = try notices(filter)
            var digest = NoticeDigest(login: account.login, email: email, notices: notices.count, outcome: .nothing)
            if !notices.isEmpty {
                let (subject, body) = Notice.digest(notices, for: account.login, filter: filter)
                do {
                    _ = try relay.send(MailMessage(from: from, to: email, subject: subject, body: body))
                    digest.outcome = .sent
                } catch STOrdersError.mailFailed(_, let reason) {
                    digest.outcome = .failed(reason)
                }
            }
            digests.append(digest)
        }
        return digests
    }
}
