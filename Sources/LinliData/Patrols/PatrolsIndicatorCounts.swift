import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 网格巡查's part of the indicators: over the last whole weeks before the day, every grid of the scope counts
/// its weeks (met or not), and the weekly tally gives the rounds and the weeks that met the district's norm (the
/// norm as set now). One query over the tally.
public struct PatrolsIndicatorCounts: IndicatorSource {
    public init() {}

    public func count(into tally: inout IndicatorTally, on db: any Database) async throws {
        typealias K = PatrolsIndicators.Key
        let weeks = PatrolWeek.completed(PatrolsIndicators.weeks, before: tally.today)
        for d in tally.divisions where d.level == .grid {
            tally.add(d.code) { $0.more = [K.gridWeeks: Int64(weeks.count)] }
        }
        let norm = try await PatrolsQueries.settings(on: db).weeklyNorm
        let sql = SQLHelpers.sql(db)
        for row in try await sql.select().columns("grid_code", "rounds").from("patrol_weeks")
            .where("week", .in, SQLBind.group(weeks.map(\.code))).wherePrefix("grid_code", tally.scope.prefix, sqlite: db.isSQLite).all() {
            let rounds = try row.decode(column: "rounds", as: Int64.self)
            let met: Int64 = PatrolRules.met(rounds: Int(rounds), norm: norm) ? 1 : 0
            tally.add(try row.decode(column: "grid_code", as: String.self)) { $0.more = [K.rounds: rounds, K.gridWeeksMet: met] }
        }
    }
}
