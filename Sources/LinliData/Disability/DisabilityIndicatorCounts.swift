import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 助残康复's part of the indicators, grid by grid in one grouped query over the cards' grid index: holders, those
/// assessed, those with a service in the last twelve months, those past 30 days without an assessment.
public struct DisabilityIndicatorCounts: IndicatorSource {
    public init() {}

    public func count(into tally: inout IndicatorTally, on db: any Database) async throws {
        let sql = SQLHelpers.sql(db), sqlite = db.isSQLite
        func when(_ condition: String) -> SQLRaw { SQLRaw("CAST(sum(CASE WHEN \(condition) THEN 1 ELSE 0 END) AS BIGINT)") }
        let since = DisabilityRules.rehabSince(today: tally.today).description
        let overdueBefore = DisabilityRules.overdueBefore(today: tally.today).description
        typealias K = DisabilityIndicators.Key
        for row in try await sql.select().column("grid_code")
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "holders")
            .column(when("last_assessed_on IS NOT NULL"), as: "assessed")
            .column(when("rehab_until >= '\(since)'"), as: "in_rehab")
            .column(when("last_assessed_on IS NULL AND registered_on < '\(overdueBefore)'"), as: "overdue")
            .from("disability_cards").where("status", .equal, SQLBind(DisabilityCardStatus.active.rawValue))
            .wherePrefix("grid_code", tally.scope.prefix, sqlite: sqlite).groupBy("grid_code").all() {
            func n(_ c: String) throws -> Int64 { try row.decode(column: c, as: Int64?.self) ?? 0 }
            let counts: [String: Int64] = [K.holders: try n("holders"), K.assessed: try n("assessed"), K.inRehab: try n("in_rehab"), K.overdue: try n("overdue")]
            tally.add(try row.decode(column: "grid_code", as: String.self)) { $0.more = counts }
        }
    }
}
