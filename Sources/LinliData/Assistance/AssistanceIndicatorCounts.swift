import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 社会救助's part of the indicators, grid by grid: households and people assisted now, decisions of the last
/// twelve months and whether they kept the time limit, re-checks done on time and those overdue.
public struct AssistanceIndicatorCounts: IndicatorSource {
    public init() {}

    public func count(into tally: inout IndicatorTally, on db: any Database) async throws {
        let sql = SQLHelpers.sql(db), sqlite = db.isSQLite
        func when(_ condition: String, _ value: String = "1") -> SQLRaw { SQLRaw("sum(CASE WHEN \(condition) THEN \(value) ELSE 0 END)") }
        let today = tally.today.description, yearAgo = tally.today.yearsEarlier(1).description
        typealias K = AssistanceIndicators.Key
        for row in try await sql.select().column("grid_code")
            .column(when("stage = 'approved' AND kind = 'dibao'"), as: "dibao")
            .column(when("stage = 'approved' AND kind = 'dibao'", "members"), as: "dibao_people")
            .column(when("stage = 'approved' AND kind = 'tekun'"), as: "tekun")
            .column(when("decided_on >= '\(yearAgo)' AND granted_first = \(sqlite ? "0" : "false")"), as: "decided")
            .column(when("decided_on >= '\(yearAgo)' AND granted_first = \(sqlite ? "0" : "false") AND decided_on <= due_on"), as: "in_time")
            .column(when("stage = 'approved' AND next_recheck_on < '\(today)'"), as: "recheck_overdue")
            .from("assistance_cases").wherePrefix("grid_code", tally.scope.prefix, sqlite: sqlite).groupBy("grid_code").all() {
            func n(_ c: String) throws -> Int64 { try row.decode(column: c, as: Int64?.self) ?? 0 }
            let counts: [String: Int64] = [K.dibaoHouseholds: try n("dibao"), K.dibaoPeople: try n("dibao_people"), K.tekunPeople: try n("tekun"),
                                           K.decided: try n("decided"), K.decidedInTime: try n("in_time"), K.rechecks: try n("recheck_overdue")]
            tally.add(try row.decode(column: "grid_code", as: String.self)) { $0.more = counts }
        }
        for row in try await sql.select().column(SQLColumn("grid_code", table: "c"))
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "done")
            .column(when("r.done_on <= r.due_on"), as: "on_time")
            .from(SQLAlias(SQLIdentifier("assistance_rechecks"), as: SQLIdentifier("r")))
            .join(SQLAlias(SQLIdentifier("assistance_cases"), as: SQLIdentifier("c")), method: SQLJoinMethod.inner,
                  on: SQLColumn("id", table: "c"), .equal, SQLColumn("case_id", table: "r"))
            .where(SQLColumn("done_on", table: "r"), .greaterThanOrEqual, SQLBind(yearAgo))
            .wherePrefix("c.grid_code", tally.scope.prefix, sqlite: sqlite).groupBy(SQLColumn("grid_code", table: "c")).all() {
            let done = try row.decode(column: "done", as: Int64.self), onTime = try row.decode(column: "on_time", as: Int64?.self) ?? 0
            tally.add(try row.decode(column: "grid_code", as: String.self)) { $0.more = [K.rechecks: done, K.rechecksOnTime: onTime] }
        }
    }
}
