import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 爱心超市's part of the indicators: open supermarkets per street, and the year's points and redemptions per
/// grid (the grid of the person when the entry was written), read from the tallies the writes keep.
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
        let year = tally.today.year
        for row in try await sql.select().columns("grid_code", "earned", "redeemed", "redemptions").from("love_point_tallies")
            .where("year", .equal, SQLBind(year)).wherePrefix("grid_code", prefix, sqlite: sqlite).all() {
            func n(_ c: String) throws -> Int64 { try row.decode(column: c, as: Int64.self) }
            let counts = [K.pointsEarnedYear: try n("earned"), K.pointsRedeemedYear: try n("redeemed"), K.redemptionsYear: try n("redemptions")]
            tally.add(try row.decode(column: "grid_code", as: String.self)) { $0.more = counts }
        }
        for row in try await sql.select().column("grid_code").column(SQLRaw("CAST(count(*) AS BIGINT)"), as: "n").from("supermarket_assisted_years")
            .where("year", .equal, SQLBind(year)).wherePrefix("grid_code", prefix, sqlite: sqlite).groupBy("grid_code").all() {
            let n = try row.decode(column: "n", as: Int64?.self) ?? 0
            tally.add(try row.decode(column: "grid_code", as: String.self)) { $0.more = [K.assistedHouseholdsYear: n] }
        }
    }
}
