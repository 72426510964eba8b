import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 区划调整's part of the indicators: households per community (one grouped pass over the households' grid index),
/// each community counted as inhabited, and as a 大社区 when above the norm.
public struct BoundaryIndicatorCounts: IndicatorSource {
    public init() {}

    public func count(into tally: inout IndicatorTally, on db: any Database) async throws {
        let sql = SQLHelpers.sql(db), sqlite = db.isSQLite
        typealias K = BoundaryIndicators.Key
        let prefix = tally.scope.prefix.count > 12 ? String(tally.scope.prefix.prefix(12)) : tally.scope.prefix
        for row in try await sql.select().column(SQLRaw("SUBSTR(grid_code, 1, 12)"), as: "c").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from(Household.schema).wherePrefix("grid_code", prefix, sqlite: sqlite).groupBy(SQLRaw("SUBSTR(grid_code, 1, 12)")).all() {
            let n = try row.decode(column: "n", as: Int64.self)
            let code = try row.decode(column: "c", as: String.self)
            guard tally.scope.contains(code: code) || code.hasPrefix(tally.scope.prefix) else { continue }
            tally.add(code) { $0.more = [K.inhabited: 1, K.large: n > BoundaryIndicators.largeCommunityHouseholds ? 1 : 0] }
        }
    }
}
