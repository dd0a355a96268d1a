import Foundation
#if canImport(Glibc)
import Glibc
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
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for fd: Int32 in [0, 1, 2] {
            posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY, 0)
        }
        let argv = ([CLI.binary] + arguments).map { strdup($0) } + [nil]
        let env = cli.environment.merging(extraEnvironment) { $1 }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            env.forEach { free($0) }
        }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, CLI.binary, &actions, nil, argv, env)
        guard rc == 0 else { throw POSIXError(POSIXErrorCode(rawValue: rc) ?? .EIO) }
        return Child(pid: pid)
    }

    /// Sends SIGKILL (harmless if the child has already exited: it stays a zombie until `wait`).
    func kill() { _ = Glibc.kill(pid, SIGKILL) }

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
