#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// open(2) with a mode, by a name that types with an `open` of their own (`Store.open`) can
/// call on Linux (Glibc) and macOS (Darwin) alike.
func posixOpen(_ path: String, _ flags: Int32, _ mode: mode_t) -> Int32 {
    open(path, flags, mode)
}
