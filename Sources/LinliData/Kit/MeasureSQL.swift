import FluentKit
import Foundation
import LinliCore
import SQLKit

/// What the capabilities' measure sources share: a grouped count or sum read into values by community, and the
/// numbers of a list's people.
public enum MeasureSQL {
    /// `COUNT(*)`.
    public static var count: any SQLExpression { SQLFunction("COUNT", args: SQLLiteral.all) }

    /// A sum that decodes as a whole number on both databases (PostgreSQL sums a BIGINT to NUMERIC).
    public static func sum(_ expression: String) -> any SQLExpression { SQLRaw("CAST(SUM(\(expression)) AS BIGINT)") }

    /// Runs `q` (selecting the community as `c` and the value as `n`) grouped by `community`, keeping only
    /// `communities`: a community with nothing is absent.
    public static func grouped(_ q: SQLSelectBuilder, by community: any SQLExpression, communities: [String]) async throws -> [String: Int64] {
        let wanted = Set(communities)
        var out: [String: Int64] = [:]
        for row in try await q.groupBy(community).all() {
            guard let c = try row.decode(column: "c", as: String?.self), wanted.contains(c) else { continue }
            if let n = try row.decode(column: "n", as: Int64?.self), n != 0 { out[c] = n }
        }
        return out
    }

    /// A flag filter's value: nil when not given.
    public static func flag(_ filters: [String: String], _ name: String) -> Bool? { filters[name].map { $0 == "true" } }

    /// A list's ID number and phone: the masked forms the registry keeps, or the numbers opened with the
    /// cipher when the caller may see them in full.
    public static func numbers(_ row: any SQLRow, reveal: Bool, context: MeasureContext) throws -> (id: String, phone: String) {
        if reveal {
            let id = try context.cipher.open(try row.decode(column: "id_cipher", as: Data.self))
            let phone = try row.decode(column: "phone_cipher", as: Data?.self).map { try context.cipher.open($0) } ?? ""
            return (id, phone)
        }
        return (try row.decode(column: "id_masked", as: String.self), try row.decode(column: "phone_masked", as: String?.self) ?? "")
    }
}
