import Fluent
import Foundation
import LinliData
import LinliServer
import Vapor

/// `linli backup --out FILE`: a consistent copy of the SQLite database while the server keeps serving.
struct BackupCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "out", help: "备份文件路径（不能已存在）")
        var out: String?
    }
    var help: String { "在线备份 SQLite 数据库（VACUUM INTO）" }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let out = signature.out else { throw CommandFailure("请用 --out 指定备份文件") }
        let started = Date()
        try await SQLiteBackup.backup(context.application.db, to: out)
        try await AuditLog.record(AuditEvent("system.backup", target: out), by: .system("cli"), on: context.application.db)
        let size = (try? FileManager.default.attributesOfItem(atPath: out)[.size] as? Int) ?? 0
        context.console.print(String(format: "已备份到 %@（%.1f MB，用时 %.1f 秒）。数据密钥不在备份中，请另行保管 data.key 或 LINLI_DATA_KEY。",
                                     out, Double(size) / 1_048_576, Date().timeIntervalSince(started)))
    }
}

/// `linli restore FILE`: puts a backup in place as the database of a data folder that has none. Runs
/// before the application opens the database (see main.swift).
enum Restore {
    static func run(file: String, config: AppConfig) throws {
        guard case .sqliteFile(let target) = config.storage else {
            throw CommandFailure("恢复只适用于 SQLite 数据目录；PostgreSQL 请用 pg_restore（见 docs/operations.md）")
        }
        let fm = FileManager.default
        guard fm.fileExists(atPath: file) else { throw CommandFailure("备份文件 \(file) 不存在") }
        guard !fm.fileExists(atPath: target) else {
            throw CommandFailure("数据目录中已有数据库 \(target)：请恢复到新的空数据目录（LINLI_DATA_DIR）")
        }
        try fm.copyItem(atPath: file, toPath: target)
        print("已恢复到 \(target)。请使用与备份时相同的数据密钥，然后运行 linli audit verify 检查审计日志。")
    }
}
