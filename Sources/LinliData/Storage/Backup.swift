import FluentKit
import Foundation
import SQLKit

/// Online backup of the SQLite database: `VACUUM INTO` writes a consistent, compacted copy while the
/// server goes on serving (readers and the writer are not blocked for longer than the copy's read).
public enum SQLiteBackup {
    public enum Failure: Error, CustomStringConvertible {
        case notSQLite, exists(String), cannotCreate(String), integrity(String)
        public var description: String {
            switch self {
            case .notSQLite: return "当前数据库不是 SQLite：PostgreSQL 请用 pg_dump 备份（见 docs/operations.md）"
            case .exists(let p): return "目标文件 \(p) 已存在，不会覆盖"
            case .cannotCreate(let p): return "无法创建备份文件 \(p)"
            case .integrity(let r): return "备份文件完整性检查未通过：\(r)"
            }
        }
    }

    /// Writes a copy of the database to `path` (which must not exist) and checks it.
    public static func backup(_ db: any Database, to path: String) async throws {
        guard db.isSQLite else { throw Failure.notSQLite }
        guard !FileManager.default.fileExists(atPath: path) else { throw Failure.exists(path) }
        // VACUUM INTO accepts an empty file and keeps its mode: a backup is the whole registry.
        guard PrivateFiles.create(path) else { throw Failure.cannotCreate(path) }
        do {
            try await SQLHelpers.sql(db).raw("VACUUM INTO \(bind: path)").run()
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            throw error
        }
    }

    /// `PRAGMA integrity_check` on a database: "ok" or the first problems SQLite reports.
    public static func integrity(_ db: any Database) async throws -> String {
        let rows = try await SQLHelpers.sql(db).raw("PRAGMA integrity_check").all()
        return try rows.map { try $0.decode(column: "integrity_check", as: String.self) }.joined(separator: "; ")
    }
}
