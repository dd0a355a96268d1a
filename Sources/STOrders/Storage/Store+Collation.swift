import GRDB

extension Store {
    /// The name lists use in SQL, `ORDER BY name COLLATE vietnamese`: `Text.sortKey`'s order.
    /// Registered on every connection the store opens (`configuration()`), never written into
    /// the schema, so the file still opens in sqlite3 and any other SQLite tool.
    static let collationName = "vietnamese"

    static func vietnameseCollation() -> DatabaseCollation {
        DatabaseCollation(collationName) { a, b in
            let order = Text.collationOrder(a, b)
            return order < 0 ? .orderedAscending : order > 0 ? .orderedDescending : .orderedSame
        }
    }
}
