import FluentKit
import Foundation
import SQLKit

extension SQLPredicateBuilder {
    /// `column` starts with `prefix`, in a form each database can answer from an index: a half-open
    /// range on SQLite (binary collation), `LIKE 'prefix%'` on PostgreSQL, whose range comparisons
    /// follow the database's collation.
    @discardableResult
    func wherePrefix(_ column: String, _ prefix: String, sqlite: Bool) -> Self {
        if prefix.isEmpty { return self }
        if sqlite {
            return self.where(SQLHelpers.column(column), .greaterThanOrEqual, SQLBind(prefix))
                .where(SQLHelpers.column(column), .lessThan, SQLBind(prefix + "\u{10FFFF}"))
        }
        return self.where(SQLHelpers.column(column), .like, SQLBind(SQLHelpers.likePrefix(prefix)))
    }

    /// `column` does not start with `prefix`.
    @discardableResult
    func whereNotPrefix(_ column: String, _ prefix: String, sqlite: Bool) -> Self {
        if sqlite {
            return self.where { g in
                g.where(SQLHelpers.column(column), .lessThan, SQLBind(prefix))
                    .orWhere(SQLHelpers.column(column), .greaterThanOrEqual, SQLBind(prefix + "\u{10FFFF}"))
            }
        }
        return self.where(SQLHelpers.column(column), .notLike, SQLBind(SQLHelpers.likePrefix(prefix)))
    }
}

enum SQLHelpers {
    /// `"r.name"` → the column `name` of table alias `r`.
    static func column(_ name: String) -> SQLColumn {
        let parts = name.split(separator: ".", maxSplits: 1)
        return parts.count == 2 ? SQLColumn(String(parts[1]), table: String(parts[0])) : SQLColumn(name)
    }

    static func likePrefix(_ prefix: String) -> String {
        // PostgreSQL's default LIKE escape is the backslash.
        prefix.replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_") + "%"
    }

    static func sql(_ db: any Database) -> any SQLDatabase { db as! any SQLDatabase }

    static func count(_ builder: SQLSelectBuilder) async throws -> Int {
        guard let row = try await builder.first() else { return 0 }
        return try row.decode(column: "n", as: Int.self)
    }
}
