import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Files and folders that hold personal data (the database, backups, full exports, reports, uploads)
/// are made readable by the service's own user only, whatever the process umask is: 0600 files in a
/// 0700 data folder.
public enum PrivateFiles {
    public static let fileMode: mode_t = 0o600
    public static let directoryMode: mode_t = 0o700

    /// Creates (or empties) `path` with mode 0600 from the start, so it is never readable by others even
    /// for an instant; an existing file keeps its inode but loses any wider permission.
    @discardableResult
    public static func create(_ path: String, contents: Data? = nil) -> Bool {
        let fd = Glibc.open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, fileMode)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        guard fchmod(fd, fileMode) == 0 else { return false }
        guard let contents, !contents.isEmpty else { return true }
        return contents.withUnsafeBytes { raw -> Bool in
            var offset = 0
            while offset < raw.count {
                let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 { if errno == EINTR { continue }; return false }
                offset += n
            }
            return true
        }
    }

    /// Takes away every permission but the owner's read and write from an existing file (no-op if absent).
    public static func restrict(_ path: String) {
        _ = chmod(path, fileMode)
    }

    /// Creates the folder (and its parents) if needed and makes the folder itself 0700. Another user
    /// than the owner cannot change an existing folder's mode: the owner's next start does.
    public static func directory(_ path: String) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: Int(directoryMode)])
        guard chmod(path, directoryMode) == 0 || errno == EPERM else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
        }
    }

    /// The SQLite database file made 0600 before SQLite opens it: SQLite creates a new database with
    /// 0644 less the umask, and gives its -wal and -shm files the database file's own mode.
    public static func prepareSQLite(_ path: String) {
        if !FileManager.default.fileExists(atPath: path) { create(path) }
        for p in [path, path + "-wal", path + "-shm", path + "-journal"] { restrict(p) }
    }
}
