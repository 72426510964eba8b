import FluentKit
import SQLKit

/// Runs a migration in one transaction (both databases have transactional DDL), so that a process
/// killed halfway leaves the schema as it was and the next start runs the migration again. It keeps the
/// wrapped migration's name, which is what the migration log records.
///
/// Fluent writes its log row (`_fluent_migrations`) after `prepare` returns, in a transaction of its own: a process
/// killed between the two would leave the migration applied but unlogged, and the next start would fail on a table
/// that already exists. So the transaction also records the name in `linli_migrations_applied`, and a migration
/// found there is not run again — Fluent then only writes the log row it missed.
struct Atomic: AsyncMigration {
    let inner: any AsyncMigration
    var name: String { inner.name }
    static let applied = "linli_migrations_applied"

    func prepare(on database: any Database) async throws {
        try await database.transaction { db in
            guard let sql = db as? any SQLDatabase else { return try await inner.prepare(on: db) }
            try await sql.raw("CREATE TABLE IF NOT EXISTS \(unsafeRaw: Self.applied) (name VARCHAR(255) PRIMARY KEY)").run()
            if try await sql.raw("SELECT name FROM \(unsafeRaw: Self.applied) WHERE name = \(bind: name)").first() != nil { return }
            try await inner.prepare(on: db)
            try await sql.raw("INSERT INTO \(unsafeRaw: Self.applied) (name) VALUES (\(bind: name))").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.transaction { db in
            try await inner.revert(on: db)
            guard let sql = db as? any SQLDatabase else { return }
            try await sql.raw("CREATE TABLE IF NOT EXISTS \(unsafeRaw: Self.applied) (name VARCHAR(255) PRIMARY KEY)").run()
            try await sql.raw("DELETE FROM \(unsafeRaw: Self.applied) WHERE name = \(bind: name)").run()
        }
    }
}

extension Database {
    /// A plain (non-unique) index; Fluent's schema builder makes only unique constraints.
    func createIndex(_ name: String, on table: String, columns: [String]) async throws {
        guard let sql = self as? any SQLDatabase else { return }
        var builder = sql.create(index: name).on(table)
        for c in columns { builder = builder.column(c) }
        try await builder.run()
    }
}
