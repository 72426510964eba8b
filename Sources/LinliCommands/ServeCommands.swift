import ArgumentParser
import Fluent
import Foundation
import LinliData
import LinliServer
import Vapor

/// `linli serve`: brings the schema up to date (migrations are append-only) and serves until SIGTERM/SIGINT.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "升级数据库结构并启动服务（收到 SIGTERM 或 Ctrl+C 后处理完进行中的请求再退出）",
        discussion: "配置来自环境变量（见 README.md）。还没有任何账号时会提示如何创建安全管理员。"
    )

    @Option(name: [.customShort("H"), .long], help: "监听地址（默认 127.0.0.1）")
    var hostname: String?
    @Option(name: .shortAndLong, help: "端口（默认 8080）")
    var port: Int?
    @Option(name: .shortAndLong, help: "监听地址与端口，如 0.0.0.0:8080（代替 --hostname 与 --port）")
    var bind: String?
    @Option(name: .customLong("unix-socket"), help: "改为监听这个 Unix 套接字文件")
    var unixSocket: String?
    @Option(name: [.customShort("e"), .long], help: "运行环境：development 或 production（也可用 VAPOR_ENV；production 的默认日志级别为 notice）")
    var env: String?
    @Option(help: "日志级别：trace、debug、info、notice、warning、error、critical（也可用 LOG_LEVEL）")
    var log: String?

    func validate() throws {
        if let log, Logger.Level(rawValue: log) == nil {
            throw ValidationError("--log 应为 trace、debug、info、notice、warning、error、critical 之一")
        }
        if let port, !(0...65535).contains(port) { throw ValidationError("--port 应在 0 至 65535 之间（0 为任一空闲端口）") }
    }

    var vaporArguments: [String] {
        var args = ["linli", "serve"]
        if let hostname { args += ["--hostname", hostname] }
        if let port { args += ["--port", "\(port)"] }
        if let bind { args += ["--bind", bind] }
        if let unixSocket { args += ["--unix-socket", unixSocket] }
        // Vapor reads these two before its serve command sees the rest.
        if let env { args += ["--env", env] }
        if let log { args += ["--log", log] }
        return args
    }

    func run() async throws {
        try await LinliApp.run(vaporArguments: vaporArguments, prepare: { app, config in
            try await app.autoMigrate().get()
            if let problem = try await KeyRotation(app.db, cipher: config.cipher).startupProblem() {
                throw CommandFailure(problem, .config)
            }
            app.lifecycle.use(EscalationTimer())
            app.lifecycle.use(SnapshotTimer())
            if try await Account.query(on: app.db).count() == 0 {
                warn("""
                    注意：还没有任何账号，除公开的行政区划外无法使用。请先创建安全管理员，例如：
                      linli user create --username secadmin --role security_admin --scope 321271000000 --password-stdin
                    """)
            }
        }) { app in
            try await LinliApp.serve(app)
        }
    }
}

/// `linli routes`: every route the server answers.
struct Routes: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "routes", abstract: "列出服务的全部路由（方法与路径）")

    func run() async throws {
        try await LinliApp.run(vaporArguments: ["linli", "routes"]) { app in try await app.execute() }
    }
}

/// `linli migrate`: brings the schema up to date (the same migrations on SQLite and PostgreSQL).
struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "migrate", abstract: "创建或升级数据库结构（迁移）")

    func run() async throws {
        // Named, so an upgrade's log says what it changed.
        let applied = try await LinliApp.run { app in
            // The log of applied migrations must exist before it can be read (a new or half-made database).
            try await app.migrator.setupIfNeeded().get()
            let pending = try await app.migrator.previewPrepareBatch().get().map { $0.0.name }
            try await app.autoMigrate()
            return pending
        }
        say(applied.isEmpty ? "数据库结构已是最新。"
            : "已执行 \(applied.count) 个迁移（\(applied.joined(separator: "、"))），数据库结构已是最新。")
    }
}

/// `linli stats [--json]`: the registry's headline counts.
struct Stats: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stats", abstract: "统计区划、楼栋、户和人口数")

    @Flag(help: "以 JSON 输出")
    var json = false

    func run() async throws {
        let s = try await LinliApp.run { app in try await RegistryStats.compute(on: app.db, today: app.linli.today()) }
        if json {
            let e = JSONEncoder()
            e.outputFormatting = [.sortedKeys]
            say(String(decoding: try e.encode(s), as: UTF8.self))
        } else {
            say("""
                镇/街道 \(s.streets)  村/社区 \(s.communities)  网格 \(s.grids)
                楼栋 \(s.buildings)  户 \(s.households)
                居民 \(s.residents)  其中60岁以上 \(s.residentsAged60Plus)
                """)
        }
    }
}
