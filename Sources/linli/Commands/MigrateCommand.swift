import Fluent
import Vapor

/// `linli migrate`: brings the schema up to date (the same migrations on SQLite and PostgreSQL).
struct MigrateCommand: AsyncCommand {
    struct Signature: CommandSignature {}
    var help: String { "创建或升级数据库结构（迁移）" }

    func run(using context: CommandContext, signature: Signature) async throws {
        try await context.application.autoMigrate()
        context.console.print("数据库结构已是最新。")
    }
}
