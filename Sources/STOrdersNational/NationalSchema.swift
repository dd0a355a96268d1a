/// The national store's schema (`national/schema.sql`, embedded at build time) and the one
/// version of it this program reads and writes.
public enum NationalSchema {
    /// The `schema_version` row this program expects; any other is refused before anything is written.
    public static let version = 1
    /// national/schema.sql, exactly as in the repository.
    public static var sql: String { String(decoding: PackageResources.national_schema_sql, as: UTF8.self) }
}
