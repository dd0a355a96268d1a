import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs `storders` as a child this test owns outright (posix_spawn + waitpid, no automatic
/// reaping), so it can be killed with SIGKILL at a chosen moment without any risk of the pid
/// having been reused by another process.
struct Child {
    let pid: pid_t

    enum End: Equatable {
        case exited(Int32)
        case killed
    }

    /// Starts `storders ARGS…` with `cli`'s environment, stdin, stdout and stderr on /dev/null.
    static func start(_ arguments: [String], cli: CLI, extraEnvironment: [String: String] = [:]) throws -> Child {
        #if canImport(Darwin)
            var actions: posix_spawn_file_actions_t = nil  // an opaque pointer on macOS
        #else
            var actions = posix_spawn_file_actions_t()
        #endif
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for fd: Int32 in [0, 1, 2] {
            posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY, 0)
        }
        let argv = ([CLI.binary] + arguments).map { strdup($0) } + [nil]
        let env = cli.environment.merging(extraEnvironment) { $1 }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in env { free(pointer) }
        }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, CLI.binary, &actions, nil, argv, env)
        guard rc == 0 else { throw POSIXError(POSIXErrorCode(rawValue: rc) ?? .EIO) }
        return Child(pid: pid)
    }

    /// Sends SIGKILL (harmless if the child has already exited: it stays a zombie until `wait`).
    #if canImport(Glibc)
        func kill() { _ = Glibc.kill(pid, SIGKILL) }
    #else
        func kill() { _ = Darwin.kill(pid, SIGKILL) }
    #endif

    /// Waits for the child and says how it ended.
    func wait() -> End {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let signal = status & 0x7F
        if signal == 0 { return .exited((status >> 8) & 0xFF) }
        return .killed
    }
}

/// Microseconds of monotonic time, to measure how long a command takes.
func monotonicMicroseconds() -> UInt64 {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return UInt64(t.tv_sec) * 1_000_000 + UInt64(t.tv_nsec) / 1_000
}

extension Child {
    /// Runs `storders` with arguments given as raw bytes (so they may be invalid UTF-8, which a
    /// Swift String cannot hold) in `cli`'s folder, and returns its exit status and output.
    /// `/bin/sh` only changes directory and execs storders with the bytes untouched.
    static func run(rawArguments: [[UInt8]], cli: CLI) throws -> CLI.Output {
        let out = cli.directory.appendingPathComponent(".stdout").path
        let err = cli.directory.appendingPathComponent(".stderr").path
        #if canImport(Darwin)
            var actions: posix_spawn_file_actions_t = nil  // an opaque pointer on macOS
        #else
            var actions = posix_spawn_file_actions_t()
        #endif
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, err, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let words: [[UInt8]] =
            [
                Array("sh".utf8), Array("-c".utf8), Array("cd \"$0\" && exec \"$@\"".utf8),
                Array(cli.directory.path.utf8),
                Array(CLI.binary.utf8),
            ] + rawArguments
        let argv: [UnsafeMutablePointer<CChar>?] =
            words.map { bytes in
                let p = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count + 1)
                for (i, b) in bytes.enumerated() { p[i] = CChar(bitPattern: b) }
                p[bytes.count] = 0
                return p
            } + [nil]
        let env = cli.environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { pointer?.deallocate() }
            for pointer in env { free(pointer) }
        }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, "/bin/sh", &actions, nil, argv, env)
        guard rc == 0 else { throw POSIXError(POSIXErrorCode(rawValue: rc) ?? .EIO) }
        let end = Child(pid: pid).wait()
        let status: Int32
        switch end {
        case .exited(let code): status = code
        case .killed: status = -1
        }
        return CLI.Output(
            status: status, stdout: (try? String(contentsOfFile: out, encoding: .utf8)) ?? "<not UTF-8>",
            stderr: (try? String(contentsOfFile: err, encoding: .utf8)) ?? "<not UTF-8>")
    }
}
