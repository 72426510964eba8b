import FluentKit
import SQLKit

extension Database {
    /// Whether this database is SQLite (some statements differ, always guarded by this).
    public var isSQLite: Bool { (self as? any SQLDatabase)?.dialect.name == "sqlite" }

    /// Runs `body` in one write transaction. On SQLite it begins `IMMEDIATE`, taking the write lock at
    /// the start, so two writers queue on the busy timeout instead of one failing at commit with
    /// SQLITE_BUSY after both read; PostgreSQL uses an ordinary transaction.
    ///
    /// `bulk`: a load of many rows. SQLite then keeps the transaction's temporary files (the statement
    /// journal of each multi-row INSERT, the sorts of index builds) in memory, which it decides when the
    /// transaction begins; afterwards, committed or not, the connection gets its ordinary settings back
    /// (a server's pooled connection must not keep a load's settings or its larger page cache).
    public func writeTransaction<T: Sendable>(bulk: Bool = false, _ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        guard isSQLite else { return try await transaction { try await body($0) } }
        return try await withConnection { conn in
            let sql = conn as! any SQLDatabase
            try await sql.raw("PRAGMA busy_timeout = 5000").run()
            if bulk { try await sql.raw("PRAGMA temp_store = MEMORY").run() }
            func restore() async {
                guard bulk else { return }
                try? await sql.raw("PRAGMA temp_store = DEFAULT").run()
                try? await sql.raw("PRAGMA cache_size = -2000").run()
            }
            try await sql.raw("BEGIN IMMEDIATE").run()
            do {
                let result = try await body(conn)
                try await sql.raw("COMMIT").run()
                await restore()
                return result
            } catch {
                try? await sql.raw("ROLLBACK").run()
                await restore()
                throw error
            }
        }
    }
}

/// Settings for a SQLite file: write-ahead log, so readers never wait for the writer, and a busy timeout.
public enum SQLiteSetup {
    public static func configure(_ database: any Database) async throws {
        guard let sql = database as? any SQLDatabase, database.isSQLite else { return }
        try await sql.raw("PRAGMA journal_mode = WAL").run()
        try await sql.raw("PRAGMA busy_timeout = 5000").run()
    }
}
