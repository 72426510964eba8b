import Foundation
import LinliServer
import Logging
import Vapor

// The `linli` command: serve, migrate, demo, stats, bench. See `linli --help`.
var env = try Environment.detect()
try LoggingSystem.bootstrap(from: &env)
let app = try await Application.make(env)
do {
    try await configure(app, try AppConfig.fromEnvironment())
    app.asyncCommands.use(MigrateCommand(), as: "migrate")
    app.asyncCommands.use(DemoCommand(), as: "demo")
    app.asyncCommands.use(StatsCommand(), as: "stats")
    app.asyncCommands.use(BenchCommand(), as: "bench")
    // `serve` (the default) brings the schema up to date first: migrations are append-only.
    let command = env.arguments.dropFirst().first ?? "serve"
    if command == "serve" || command.hasPrefix("-") { try await app.autoMigrate().get() }
    try await app.execute()
    try await app.asyncShutdown()
} catch {
    FileHandle.standardError.write(Data("错误：\(error)\n".utf8))
    try? await app.asyncShutdown()
    exit(1)
}
