import Foundation
import Fluent
import LinliData
import LinliServer
import Logging
import Vapor

// The `linli` command: serve, migrate, demo, stats, bench. See `linli --help`.
MallocArenas.limitToCores()
// Whatever this process writes (database, backups, exports, reports, photos; pg_dump's output too) is
// for the service's user alone, also when it is started by hand from a shell with umask 022.
umask(0o077)
var env = try Environment.detect()
try LogFormat.bootstrap(from: &env)
let app = try await Application.make(env)
do {
    let config = try AppConfig.fromEnvironment()
    // A restore puts the file in place before anything opens (and so creates) the database.
    if env.arguments.dropFirst().first == "restore" {
        guard env.arguments.count == 3 else { throw CommandFailure("用法：linli restore 备份文件") }
        if case .postgres(let url) = config.storage {
            try await configure(app, config)
            try await Restore.runPostgres(file: env.arguments[2], url: url, db: app.db)
        } else {
            try Restore.run(file: env.arguments[2], config: config)
        }
        try await app.asyncShutdown()
        exit(0)
    }
    try await configure(app, config)
    app.asyncCommands.use(MigrateCommand(), as: "migrate")
    app.asyncCommands.use(DemoCommand(), as: "demo")
    app.asyncCommands.use(StatsCommand(), as: "stats")
    app.asyncCommands.use(BenchCommand(), as: "bench")
    app.asyncCommands.use(UserCommand(), as: "user")
    app.asyncCommands.use(AuditCommand(), as: "audit")
    app.asyncCommands.use(BackupCommand(), as: "backup")
    app.asyncCommands.use(KeysCommand(), as: "keys")
    app.asyncCommands.use(Open311Command(), as: "open311")
    app.asyncCommands.use(RequestsCommand(), as: "requests")
    app.asyncCommands.use(ImportCommand(), as: "import")
    app.asyncCommands.use(ExportCommand(), as: "export")
    app.asyncCommands.use(IndicatorsCommand(), as: "indicators")
    // `serve` (the default) brings the schema up to date first: migrations are append-only.
    let command = env.arguments.dropFirst().first ?? "serve"
    if command == "serve" || command.hasPrefix("-") {
        try await app.autoMigrate().get()
        if let problem = try await KeyRotation(app.db, cipher: config.cipher).startupProblem() {
            throw CommandExit(code: 1, description: "错误：" + problem)
        }
        app.lifecycle.use(EscalationTimer())
        app.lifecycle.use(SnapshotTimer())
        if try await Account.query(on: app.db).count() == 0 {
            FileHandle.standardError.write(Data("""
                注意：还没有任何账号，除公开的行政区划外无法使用。请先创建安全管理员，例如：
                  linli user create --username secadmin --role security_admin --scope 321271000000 --password-stdin

                """.utf8))
        }
    }
    if command == "demo" { app.lifecycle.use(EscalationTimer(startOnBoot: false)) }
    try await app.execute()
    // After SIGTERM: stop accepting connections and let the requests in flight finish (at most
    // LINLI_SHUTDOWN_TIMEOUT) while the database is still open; Vapor's own shutdown closes the
    // database pools before it stops the HTTP server, which would fail those requests.
    let shutdownServer: () async -> Void = app.http.server.shared.shutdown
    await shutdownServer()
    try await app.asyncShutdown()
} catch let e as CommandExit {
    FileHandle.standardError.write(Data("\(e.description)\n".utf8))
    try? await app.asyncShutdown()
    exit(e.code)
} catch {
    FileHandle.standardError.write(Data("错误：\(error)\n".utf8))
    try? await app.asyncShutdown()
    exit(1)
}
