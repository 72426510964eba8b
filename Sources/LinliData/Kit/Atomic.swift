import FluentKit
import SQLKit

/// Runs a migration in one transaction (both databases have transactional DDL), so that a process
/// killed halfway leaves the schema as it was and the next start runs the migration again. It keeps the
/// wrapped migration's name, which is what the migration log records.
struct Atomic: AsyncMigration {
    let inner: any AsyncMigration
    var name: String { inner.name }

    func prepare(on database: any Database) async throws {
        try await database.transaction { try await inner.prepare(on: $0) }
    }

    func revert(on database: any Database) async throws {
        try await database.transaction { try await inner.revert(on: $0) }
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
