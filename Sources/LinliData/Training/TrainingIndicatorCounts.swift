import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 再就业培训's part of the indicators, grid by grid of the trainees: completions of the last twelve months, and
/// of those who completed between eighteen and six months ago, how many were followed up and how many work.
public struct TrainingIndicatorCounts: IndicatorSource {
    public init() {}

    public func count(into tally: inout IndicatorTally, on db: any Database) async throws {
        let sql = SQLHelpers.sql(db), sqlite = db.isSQLite
        func when(_ c: String) -> SQLRaw { SQLRaw("CAST(sum(CASE WHEN \(c) THEN 1 ELSE 0 END) AS BIGINT)") }
        let yearAgo = tally.today.yearsEarlier(1).description
        let due = tally.today.addingMonths(-TrainingRules.followUpMonths).description
        let window = tally.today.addingMonths(-TrainingRules.followUpMonths - 12).description
        let inWindow = "result_on <= '\(due)' AND result_on > '\(window)'"
        typealias K = TrainingIndicators.Key
        for row in try await sql.select().column("grid_code")
            .column(when("result_on > '\(yearAgo)'"), as: "completed")
            .column(when(inWindow), as: "due")
            .column(when("\(inWindow) AND followup_on IS NOT NULL"), as: "followed")
            .column(when("\(inWindow) AND followup_employed = \(sqlite ? "1" : "true")"), as: "employed")
            .from("training_enrolments").where("result", .equal, SQLBind(TrainingResult.completed.rawValue))
            .wherePrefix("grid_code", tally.scope.prefix, sqlite: sqlite).groupBy("grid_code").all() {
            func n(_ c: String) throws -> Int64 { try row.decode(column: c, as: Int64?.self) ?? 0 }
            let counts: [String: Int64] = [K.completed: try n("completed"), K.followUpsDue: try n("due"), K.followedUp: try n("followed"),
                                           K.employed: try n("employed")]
            tally.add(try row.decode(column: "grid_code", as: String.self)) { $0.more = counts }
        }
    }
}
