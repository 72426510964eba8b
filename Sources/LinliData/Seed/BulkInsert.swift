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
        try await take()?.run(on: db)
    }

    /// The rows gathered so far, as a statement to run; the buffer starts again empty.
    mutating func take() -> Batch? {
        guard !rows.isEmpty else { return nil }
        defer { rows = [] }
        return Batch(table: table, columns: columns, rows: rows)
    }

    struct Batch: Sendable {
        let table: String
        let columns: [String]
        let rows: [[any Encodable & Sendable]]

        func run(on db: any Database) async throws {
            var insert = SQLHelpers.sql(db).insert(into: table).columns(columns)
            for row in rows { insert = insert.values(row.map { SQLBind($0) }) }
            try await insert.run()
        }
    }
}

/// Double buffering for bulk loads: one batch of statements runs on the database while the caller
/// draws the next rows, so generating and encrypting use one core and SQLite the other. Batches run
/// strictly one after another, in order, on the caller's connection.
struct InsertPipeline {
    private var running: Task<Void, any Error>?

    /// Waits for the batch before (at most one is in flight), then starts these without waiting.
    mutating func submit(_ batches: [BulkInsert.Batch], on db: any Database) async throws {
        try await drain()
        guard !batches.isEmpty else { return }
        running = Task { for b in batches { try await b.run(on: db) } }
    }

    /// Waits until everything submitted has been written (before any statement of the caller's own).
    mutating func drain() async throws {
        let r = running
        running = nil
        try await r?.value
    }
}
