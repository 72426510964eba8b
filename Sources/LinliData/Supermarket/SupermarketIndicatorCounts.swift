import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 爱心超市's part of the indicators: open supermarkets per street, and the year's points and redemptions per
/// grid (the grid of the person when the entry was written), read with the on-date indexes.
public struct SupermarketIndicatorCounts: IndicatorSource {
    public init() {}

    public func count(into tally: inout IndicatorTally, on db: any Database) async throws {
        let sql = SQLHelpers.sql(db), sqlite = db.isSQLite
        typealias K = SupermarketIndicators.Key
        let prefix = tally.scope.prefix
        for row in try await sql.select().column("street_code").from("supermarkets").where("open", .equal, SQLBind(true)).all() {
            let street = try row.decode(column: "street_code", as: String.self)
            if street.hasPrefix(prefix) || prefix.hasPrefix(street) { tally.add(street + "000") { $0.more = [K.streetsCovered: 1] } }
        }
        let from = String(format: "%04d-01-01", tally.today.year), to = tally.today.description
        let earned = [LovePointKind.volunteerHours, .allowance, .adjustment].map(\.rawValue)
        for row in try await sql.select().column("grid_code").column(SQLRaw("CAST(sum(points) AS BIGINT)"), as: "points").from("love_point_entries")
            .where("on_date", .greaterThanOrEqual, SQLBind(from)).where("on_date", .lessThanOrEqual, SQLBind(to))
            .where("kind", .in, SQLBind.group(earned)).where("points", .greaterThan, SQLBind(0))
            .wherePrefix("grid_code", prefix, sqlite: sqlite).groupBy("grid_code").all() {
            let n = try row.decode(column: "points", as: Int64?.self) ?? 0
            tally.add(try row.decode(column: "grid_code", as: String.self)) { $0.more = [K.pointsEarnedYear: n] }
        }
        for row in try await sql.select().column("grid_code").column(SQLRaw("CAST(sum(points) AS BIGINT)"), as: "points")
            .column(SQLRaw("CAST(count(*) AS BIGINT)"), as: "n")
            .column(SQLRaw("CAST(count(DISTINCT CASE WHEN assistance_kind IS NOT NULL THEN household_id END) AS BIGINT)"), as: "assisted")
            .from("supermarket_redemptions").where("status", .equal, SQLBind("done"))
            .where("on_date", .greaterThanOrEqual, SQLBind(from)).where("on_date", .lessThanOrEqual, SQLBind(to))
            .wherePrefix("grid_code", prefix, sqlite: sqlite).groupBy("grid_code").all() {
            func n(_ c: String) throws -> Int64 { try row.decode(column: c, as: Int64?.self) ?? 0 }
            let counts = [K.pointsRedeemedYear: try n("points"), K.redemptionsYear: try n("n"), K.assistedHouseholdsYear: try n("assisted")]
            tally.add(try row.decode(column: "grid_code", as: String.self)) { $0.more = counts }
        }
    }
}
