import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A start line for processes that must really run at the same moment: each child waits on the
/// read end of one pipe before it execs `storders`; `release()` closes the write end, and every
/// waiting child sees end-of-file at once (a child that reaches the wait later passes straight
/// through). `DispatchQueue.concurrentPerform` would run only about one iteration per core.
final class StartBarrier {
    private var fds: [Int32] = [-1, -1]
    private var released = false

    init() throws {
        guard pipe(&fds) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        // Neither end leaks into a child but as its stdin: a child holding the write end would
        // never see the end-of-file.
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
    }

    var readEnd: Int32 { fds[0] }

    /// Lets every child go.
    func release() {
        guard !released else { return }
        released = true
        close(fds[1])
    }

    deinit {
        release()
        close(fds[0])
    }
}

extension Child {
    /// Starts `storders ARGS…` behind `barrier`, in `cli`'s folder and environment, its stdout
    /// and stderr written to the files `stdout` and `stderr`.
    static func start(
        _ arguments: [String], cli: CLI, barrier: StartBarrier, stdout: String, stderr: String,
        extraEnvironment: [String: String] = [:]
    ) throws -> Child {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, barrier.readEnd, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let script = "read -r _ ; cd \"$0\" && exec \"$@\""
        let words = ["sh", "-c", script, cli.directory.path, CLI.binary] + arguments
        let argv = words.map { strdup($0) } + [nil]
        let env = cli.environment.merging(extraEnvironment) { $1 }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in env { free(pointer) }
        }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, "/bin/sh", &actions, nil, argv, env)
        guard rc == 0 else { throw POSIXError(POSIXErrorCode(rawValue: rc) ?? .EIO) }
        return Child(pid: pid)
    }
}

/// A pause point of the product (Sources/STOrders/Storage/TestPause.swift): the process that
/// reaches it inside its write transaction creates `marker` and waits there, until it is killed
/// or `resume()` creates the file it waits for.
struct PausePoint {
    let marker: String
    let resumeFile: String
    let environment: [String: String]

    /// `point` is `write`, `write:N` (the N-th write transaction) or `bulk`.
    init(_ point: String, in directory: URL, name: String, resumable: Bool = false) {
        marker = directory.appendingPathComponent(".paused-\(name)").path
        resumeFile = directory.appendingPathComponent(".resume-\(name)").path
        unlink(marker)
        unlink(resumeFile)
        var env = ["STORDERS_TEST_PAUSE": point, "STORDERS_TEST_PAUSE_MARKER": marker]
        if resumable { env["STORDERS_TEST_PAUSE_RESUME"] = resumeFile }
        environment = env
    }

    /// Waits until the process has reached the point (true), or gives up after two minutes, a
    /// bound only for a product that never gets there (false), not a timing of the test.
    func awaitReached() -> Bool {
        var info = stat()
        for _ in 0..<60_000 {
            if stat(marker, &info) == 0 { return true }
            usleep(2_000)
        }
        return false
    }

    /// Lets a resumable paused process carry on and commit.
    func resume() {
        let fd = open(resumeFile, O_CREAT | O_WRONLY | O_CLOEXEC, 0o600)
        if fd >= 0 { close(fd) }
    }
}
