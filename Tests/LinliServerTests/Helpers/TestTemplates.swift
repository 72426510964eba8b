import Fluent
import Foundation
import LinliData
@testable import LinliServer
import SQLKit
import Testing
import Vapor

/// Most tests start from the same few databases: every migration applied and the demo district of a given
/// size and seed loaded. Building one costs the migrations and the load (seconds on PostgreSQL); copying it
/// costs a file read (SQLite) or `CREATE DATABASE … TEMPLATE` (PostgreSQL). Each is built once per test run,
/// on first use, and copied for every test that asks for it, so tests still each get a database of their own.
actor TestTemplates {
    static let shared = TestTemplates()

    struct Key: Hashable, Sendable {
        var residents: Int
        var seed: UInt64
        /// Every capability's demo as well as the registry's.
        var everyDemo = false
        var label: String { "\(residents)_\(seed)" + (everyDemo ? "_all" : "") }
    }

    /// Templates from an earlier run may have an older schema: each run names its own.
    private let run = UUID().uuidString.prefix(8).lowercased()
    private var sqliteFiles: [Key: Task<String, any Error>] = [:]
    private var postgresNames: [Key: Task<String, any Error>] = [:]

    /// A SQLite file holding the template (built on first use).
    func sqliteFile(_ key: Key) async throws -> String {
        if let built = sqliteFiles[key] { return try await built.value }
        // In a directory of its own: the server makes its database's directory private.
        let path = NSTemporaryDirectory() + "linli-templates-\(run)/\(key.label).sqlite"
        let task = Task { try await Self.build(key, storage: .sqliteFile(path)); return path }
        sqliteFiles[key] = task
        return try await task.value
    }

    /// The name of a PostgreSQL database holding the template, on the server of `admin` (built on first use).
    func postgresDatabase(_ key: Key, admin: String) async throws -> String {
        if let built = postgresNames[key] { return try await built.value }
        let name = "linli_tpl_\(run)_\(key.label)"
        let task = Task {
            try await TestDatabase.onAdmin(admin) { try await $0.raw("CREATE DATABASE \(unsafeRaw: name)").run() }
            var url = try #require(URLComponents(string: admin))
            url.path = "/" + name
            try await Self.build(key, storage: .postgres(url: try #require(url.string)))
            return name
        }
        postgresNames[key] = task
        return try await task.value
    }

    private static func build(_ key: Key, storage: AppConfig.Storage) async throws {
        let app = try await Application.make(.testing)
        do {
            let config = AppConfig(dataDirectory: NSTemporaryDirectory(), storage: storage, cipher: testCipher, today: { testToday })
            try await configure(app, config)
            try await app.autoMigrate()
            if key.residents > 0 {
                _ = try await DemoDistrict.load(on: app.db, cipher: testCipher, seed: key.seed, residents: key.residents)
            }
            if key.everyDemo { try await loadEveryDemo(app, seed: key.seed, residents: key.residents) }
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }

    /// Copies the template file into the application's in-memory database: the tables, their rows, then the
    /// indexes and triggers (after the rows, so that no trigger counts a copied row twice) and the planner's
    /// statistics. On one connection, since ATTACH and the foreign-key switch are per connection.
    static func copySQLite(_ file: String, into db: any Database) async throws {
        try await db.withConnection { conn in
            let sql = try #require(conn as? any SQLDatabase)
            try await sql.raw("PRAGMA foreign_keys = OFF").run()
            try await sql.raw("ATTACH DATABASE \(bind: file) AS template").run()
            struct Entry: Decodable { var type: String; var name: String; var sql: String }
            let schema = try await sql.raw("""
                SELECT type, name, sql FROM template.sqlite_master WHERE sql IS NOT NULL ORDER BY rowid
                """).all(decoding: Entry.self)
            let tables = schema.filter { $0.type == "table" && !$0.name.hasPrefix("sqlite_") }
            for table in tables { try await sql.raw("\(unsafeRaw: table.sql)").run() }
            for table in tables {
                try await sql.raw("INSERT INTO main.\(ident: table.name) SELECT * FROM template.\(ident: table.name)").run()
            }
            for entry in schema where ["index", "trigger", "view"].contains(entry.type) && !entry.name.hasPrefix("sqlite_") {
                try await sql.raw("\(unsafeRaw: entry.sql)").run()
            }
            // `main` named every time: a bare ANALYZE also analyzes the attached template, writing to the file that
            // other tests are reading ("database is locked").
            if schema.contains(where: { $0.name == "sqlite_stat1" }) {
                try await sql.raw("ANALYZE main").run()
                try await sql.raw("DELETE FROM main.sqlite_stat1").run()
                try await sql.raw("INSERT INTO main.sqlite_stat1 SELECT * FROM template.sqlite_stat1").run()
                try await sql.raw("ANALYZE main.sqlite_schema").run()
            }
            try await sql.raw("DETACH DATABASE template").run()
            try await sql.raw("PRAGMA foreign_keys = ON").run()
        }
    }
}

/// Every capability's demo after the registry's, as `linli demo` loads them.
func loadEveryDemo(_ app: Application, seed: UInt64, residents: Int) async throws {
    let context = DemoContext(db: app.db, cipher: testCipher, seed: seed, residents: residents, requests: nil, today: testToday,
                              now: 1_782_777_600, progress: { _, _ in DemoProgress(update: { _, _ in }, finish: {}) })
    for c in Capabilities.all where c.name != "platform" && c.name != "registry" { _ = try await c.demo?.load(context) }
}
