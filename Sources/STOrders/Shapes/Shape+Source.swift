extension Shape {
    /// A database's identity as a source of the national store.
    public static func source(_ s: SourceIdentity) -> JSONValue {
        .object([("id", .string(s.id)), ("name", .string(s.name)), ("created_at", .string(s.createdAt))])
    }
}
