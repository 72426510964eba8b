import FluentKit
import SQLKit

/// Multi-row INSERTs of plain values: one statement per batch instead of one per row, which is what
/// makes loading a district take seconds rather than minutes.
struct BulkInsert {
    let table: String
    let columns: [String]
    private(set) var rows: [[any Encodable & Sendable]] = []
    /// SQLite allows 32,766 bound values in one statement; stay well under.
    var maxRows: Int { max(1, 16_000 / columns.count) }

    init(_ table: String, _ columns: [String]) {
        self.table = table
        self.columns = columns
    }

    mutating func add(_ row: [any Encodable & Sendable]) {
        rows.append(row)
    }

    var isFull: Bool { rows.count >= maxRows }

    mutating func flush(on db: any Database) async throws {
        guard !rows.isEmpty else { return }
        var insert = SQLHelpers.sql(db).insert(into: table).columns(columns)
        for row in rows { insert = insert.values(row.map { SQLBind($0) }) }
        rows.removeAll(keepingCapacity: true)
        try await insert.run()
    }
}
