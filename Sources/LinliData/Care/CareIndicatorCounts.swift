import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 居家养老's part of the indicators: the roll's care state grid by grid, emergency calls, facilities.
public struct CareIndicatorCounts: IndicatorSource {
    public init() {}

    public func count(into tally: inout IndicatorTally, on db: any Database) async throws {
        let sql = SQLHelpers.sql(db), sqlite = db.isSQLite
        func when(_ condition: String) -> SQLRaw { SQLRaw("sum(CASE WHEN \(condition) THEN 1 ELSE 0 END)") }
        let b = AgeBand.bounds(on: tally.today).map(\.description)
        let communityPrefix = tally.scope.prefix.count > 12 ? "~" : tally.scope.prefix
        // 居家养老: the roll (active residents 60+) with each elder's care state, grid by grid (decision 0007).
        let visitBound = tally.today.adding(days: -CareRules.visitIntervalDays).description
        let alone = "r.id IN (SELECT resident_id FROM resident_tags WHERE tag = 'living_alone')"
        for row in try await sql.select().column(SQLColumn("grid_code", table: "r"))
            .column(when("s.level IS NOT NULL"), as: "assessed")
            .column(when("s.level = '\(CareLevel.independent.rawValue)'"), as: "l0")
            .column(when("s.level = '\(CareLevel.partlyDependent.rawValue)'"), as: "l1")
            .column(when("s.level = '\(CareLevel.dependent.rawValue)'"), as: "l2")
            .column(when("s.has_plan"), as: "plans").column(when(alone), as: "alone")
            .column(when("\(alone) AND s.last_visit_on >= '\(visitBound)'"), as: "visited")
            .from(SQLAlias(SQLIdentifier(Resident.schema), as: SQLIdentifier("r")))
            .join(SQLAlias(SQLIdentifier("care_status"), as: SQLIdentifier("s")), method: SQLJoinMethod.left,
                  on: SQLColumn("resident_id", table: "s"), .equal, SQLColumn("id", table: "r"))
            .where(SQLColumn("life_status", table: "r"), .equal, SQLBind(LifeStatus.active.rawValue))
            .wherePrefix("r.grid_code", tally.scope.prefix, sqlite: sqlite)
            .where(SQLColumn("birth_date", table: "r"), .lessThanOrEqual, SQLBind(b[1]))
            .groupBy(SQLColumn("grid_code", table: "r")).all() {
            var c = CareCounts()
            c.assessed = try row.decode(column: "assessed", as: Int64.self)
            c.levels = [try row.decode(column: "l0", as: Int64.self), try row.decode(column: "l1", as: Int64.self),
                        try row.decode(column: "l2", as: Int64.self)]
            c.withPlan = try row.decode(column: "plans", as: Int64.self)
            c.livingAlone = try row.decode(column: "alone", as: Int64.self)
            c.livingAloneVisited = try row.decode(column: "visited", as: Int64.self)
            tally.add(try row.decode(column: "grid_code", as: String.self)) { $0.care = c }
        }
        for row in try await sql.select().column("grid_code").column(SQLFunction("count", args: SQLLiteral.all), as: "n")
            .column(when("responded_at IS NOT NULL"), as: "responded")
            .column(SQLRaw("CAST(sum(CASE WHEN responded_at IS NOT NULL AND responded_at > received_at THEN responded_at - received_at ELSE 0 END) AS BIGINT)"),
                    as: "seconds")
            .from("care_calls").wherePrefix("grid_code", tally.scope.prefix, sqlite: sqlite).groupBy("grid_code").all() {
            var c = CareCounts()
            c.calls = try row.decode(column: "n", as: Int64.self)
            c.callsResponded = try row.decode(column: "responded", as: Int64.self)
            c.responseSeconds = try row.decode(column: "seconds", as: Int64.self)
            tally.add(try row.decode(column: "grid_code", as: String.self)) { $0.care = c }
        }

        // Facilities: beds and the floor-area standard, community by community.
        if tally.scope.prefix.count <= 12 {
            for area in try await CareQueries.communityAreas(db, prefix: communityPrefix) where tally.counts[area.code] != nil {
                tally.add(area.code) {
                    $0.care.beds = Int64(area.beds)
                    $0.care.nursingBeds = Int64(area.nursingBeds)
                    $0.care.communitiesAreaMet = area.meetsStandard ? 1 : 0
                }
            }
        }
    }
}
