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

/// read(2), by a name that a type with a `read` of its own (`DocumentContent.read`) can call.
func posixRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(fd, buffer, count)
}

/// close(2), by a name that a type with a `close` of its own can call.
func posixClose(_ fd: Int32) -> Int32 {
    close(fd)
}
