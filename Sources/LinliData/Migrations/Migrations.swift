import FluentKit
import SQLKit

/// Every migration, in order. Append only: a released migration is never edited.
public enum LinliMigrations {
    public static let all: [any Migration] = [
        CreateDivisions(),
        CreateBuildingsAndHouseholds(),
        CreateResidents(),
        CreateAccountsAndAudit(),
        CreateRequests(),
        CreateIndicatorSnapshots(),
    ]
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
