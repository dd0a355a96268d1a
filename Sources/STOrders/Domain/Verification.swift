/// What `Store.verify()` found: the checks it ran, what it counted, and every problem, each
/// naming the order it concerns where there is one.
public struct Verification: Sendable, Equatable {
    /// The checks, in the order they run.
    public enum Check: String, Sendable, CaseIterable {
        /// SQLite's own `PRAGMA integrity_check`: the file's pages and indexes.
        case integrity
        /// `PRAGMA foreign_key_check`: every reference points at an existing row.
        case references
        /// The tables, indexes, views and triggers are exactly those schema.sql makes.
        case schema
        /// Every event's hash follows from the previous one and its content.
        case chain
        /// Every row an event wrote still matches the record kept with its latest event.
        case records
        /// Every document's content is stored, and still has the SHA-256 and size recorded.
        case documents
        /// The domain's rules, recomputed from the rows: states agree with outputs, results and
        /// history; payments within values and funding; reversals and retractions well formed.
        case invariants
        /// The running totals (the indicators', each order's advance balance) equal what the records
        /// give, recomputed set-wise.
        case totals

        public var title: String {
            switch self {
            case .integrity: return "file integrity"
            case .references: return "references between records"
            case .schema: return "schema and its protections (triggers) as schema.sql defines them"
            case .chain: return "history hash chain"
            case .records: return "payments, results and other records match their history"
            case .documents: return "every document's content is there, with the SHA-256 and size recorded"
            case .invariants: return "the rules of the lifecycle and of the money"
            case .totals: return "the running totals (the indicators', the advance balances) agree with the records"
            }
        }
    }

    public struct Finding: Sendable, Equatable {
        public var check: Check
        /// The order concerned, when the problem belongs to one.
        public var order: String?
        public var message: String

        public init(check: Check, order: String?, message: String) {
            self.check = check
            self.order = order
            self.message = message
        }
    }

    public var findings: [Finding] = []
    public var orders = 0
    public var events = 0
    public var payments = 0
    public var results = 0
    /// The last event's hash: note it down, and a later `verify` that prints another head for
    /// the same events shows the whole history was rewritten.
    public var chainHead: String = ""

    public init() {}

    public var isClean: Bool { findings.isEmpty }

    public func findings(of check: Check) -> [Finding] { findings.filter { $0.check == check } }
}
