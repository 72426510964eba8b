import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 房屋和单位's part of the indicators, grid by grid: rentals in force and those with every check on time (the
/// settings' intervals against the tally's day), units and those opening their facilities. Two grouped queries.
public struct HousingIndicatorCounts: IndicatorSource {
    public init() {}

    public func count(into tally: inout IndicatorTally, on db: any Database) async throws {
        let sql = SQLHelpers.sql(db), sqlite = db.isSQLite
        typealias K = HousingIndicators.Key
        let settings = try await HousingQueries.settings(on: db)
        func when(_ condition: String) -> SQLRaw { SQLRaw("CAST(sum(CASE WHEN \(condition) THEN 1 ELSE 0 END) AS BIGINT)") }
        // The cutoffs are dates the code computes ('YYYY-MM-DD'), never input: safe to inline.
        let onTime = SafetyCheckKind.allCases.map { k in
            "COALESCE(last_\(k.rawValue)_on, starts_on) >= '\(HousingRules.overdueBefore(k, settings: settings, today: tally.today).description)'"
        }.joined(separator: " AND ")
        for row in try await sql.select().column("grid_code").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").column(when(onTime), as: "on_time")
            .from("rentals").wherePrefix("grid_code", tally.scope.prefix, sqlite: sqlite).where("ended_on", .is, SQLLiteral.null).groupBy("grid_code").all() {
            let counts = [K.rentals: try row.decode(column: "n", as: Int64?.self) ?? 0, K.checkedOnTime: try row.decode(column: "on_time", as: Int64?.self) ?? 0]
            tally.add(try row.decode(column: "grid_code", as: String.self)) { c in for (k, v) in counts { c.more[k, default: 0] += v } }
        }
        for row in try await sql.select().column("grid_code").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .column(when("opens_facilities <> \(sqlite ? "0" : "false")"), as: "open")
            .from("units").wherePrefix("grid_code", tally.scope.prefix, sqlite: sqlite).groupBy("grid_code").all() {
            let counts = [K.units: try row.decode(column: "n", as: Int64?.self) ?? 0, K.openUnits: try row.decode(column: "open", as: Int64?.self) ?? 0]
            tally.add(try row.decode(column: "grid_code", as: String.self)) { c in for (k, v) in counts { c.more[k, default: 0] += v } }
        }
    }
}
