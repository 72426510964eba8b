import ArgumentParser
import Fluent
import Foundation
import SQLKit
import LinliData
import LinliServer
import Vapor

/// `linli backup --out FILE`: a consistent copy of the database while the server keeps serving — `VACUUM INTO`
/// on SQLite, `pg_dump --format=custom` (one snapshot) on PostgreSQL.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "在线备份数据库：SQLite 用 VACUUM INTO，PostgreSQL 用 pg_dump（自定义格式）",
        discussion: "服务运行时也可备份。数据密钥不在备份中，请另行保管 data.key 或 LINLI_DATA_KEY。"
    )

    @Option(help: "备份文件路径（不能已存在）")
    var out: String

    func run() async throws {
        let started = Date()
        try await LinliApp.run { app in
            if case .postgres(let url) = app.linli.storage {
                guard !FileManager.default.fileExists(atPath: out) else { throw SQLiteBackup.Failure.exists(out) }
                // pg_dump writes into the 0600 file it is given and keeps its mode.
                guard PrivateFiles.create(out) else { throw SQLiteBackup.Failure.cannotCreate(out) }
                try PostgresTools.run("pg_dump", ["--format=custom", "--no-owner", "--no-privileges", "--file=\(out)"], url: url)
            } else {
                try await SQLiteBackup.backup(app.db, to: out)
            }
            try await AuditLog.record(AuditEvent(PlatformAudit.backup, target: .file(out)), by: .system("cli"), on: app.db)
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: out)[.size] as? Int) ?? 0
        say(String(format: "已备份到 %@（%.1f MB，用时 %.1f 秒）。数据密钥不在备份中，请另行保管 data.key 或 LINLI_DATA_KEY。",
                   out, Double(size) / 1_048_576, Date().timeIntervalSince(started)))
    }
}

/// `linli restore FILE`: on SQLite the file is put in place before anything opens (and so creates) the
/// database; on PostgreSQL `pg_restore` fills the empty database of `DATABASE_URL`.
struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "把备份恢复到空的数据目录（SQLite）或空的 PostgreSQL 数据库",
        discussion: "恢复后请使用与备份时相同的数据密钥，并运行 linli audit verify 检查审计日志。"
    )

    @Argument(help: "备份文件")
    var file: String

    func run() async throws {
        let config = try AppConfig.fromEnvironment()
        if case .postgres(let url) = config.storage {
            try await LinliApp.run { app in try await Restore.runPostgres(file: file, url: url, db: app.db) }
        } else {
            try Restore.run(file: file, config: config)
        }
    }
}

/// Puts a backup in place as the database of a data folder or PostgreSQL database that has none.
enum Restore {
    static func run(file: String, config: AppConfig) throws {
        guard case .sqliteFile(let target) = config.storage else {
            throw CommandFailure("恢复只适用于 SQLite 数据目录；PostgreSQL 请用 pg_restore（见 docs/operations.md）", .usage)
        }
        let fm = FileManager.default
        guard fm.fileExists(atPath: file) else { throw CommandFailure("备份文件 \(file) 不存在", .noInput) }
        guard !fm.fileExists(atPath: target) else {
            throw CommandFailure("数据目录中已有数据库 \(target)：请恢复到新的空数据目录（LINLI_DATA_DIR）", .cannotCreate)
        }
        try PrivateFiles.directory((target as NSString).deletingLastPathComponent)
        try fm.copyItem(atPath: file, toPath: target)
        PrivateFiles.restrict(target)
        print("已恢复到 \(target)。请使用与备份时相同的数据密钥，然后运行 linli audit verify 检查审计日志。")
    }

    /// Restores a `pg_dump` file into the PostgreSQL database of `DATABASE_URL`, which must have no tables:
    /// `pg_restore` in one transaction, so a failed restore leaves the database empty.
    static func runPostgres(file: String, url: String, db: any Database) async throws {
        guard FileManager.default.fileExists(atPath: file) else { throw CommandFailure("备份文件 \(file) 不存在", .noInput) }
        let row = try await (db as! any SQLDatabase)
            .raw("SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = current_schema()").first()
        guard try row?.decode(column: "n", as: Int.self) == 0 else {
            throw CommandFailure("数据库中已有数据表：请恢复到新建的空数据库（createdb 后设置 DATABASE_URL）", .cannotCreate)
        }
        try PostgresTools.run("pg_restore", ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", file], url: url)
        print("已恢复到 PostgreSQL 数据库。请使用与备份时相同的数据密钥，然后运行 linli audit verify 检查审计日志。")
    }
}

/// Runs PostgreSQL's client programs against `DATABASE_URL`; the password goes in `PGPASSWORD`, not on
/// the command line where `ps` would show it.
enum PostgresTools {
    static func run(_ program: String, _ arguments: [String], url: String) throws {
        guard var parts = URLComponents(string: url) else { throw CommandFailure("DATABASE_URL 无法解析", .config) }
        var env = ProcessInfo.processInfo.environment
        if let password = parts.password { env["PGPASSWORD"] = password }
        parts.password = nil
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [program, "--dbname=\(parts.string ?? url)"] + arguments
        process.environment = env
        do { try process.run() } catch { throw CommandFailure("无法运行 \(program)：\(error)（请安装 postgresql-client）", .unavailable) }
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CommandFailure("\(program) 失败（退出码 \(process.terminationStatus)），见上方输出", .unavailable)
        }
    }
}
