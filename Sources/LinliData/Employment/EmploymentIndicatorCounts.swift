import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 就业援助's part of the indicators, grid by grid: the register now, the cohort of six to eighteen months ago
/// and how many of it left to work within 183 days, the designated and those in a public-welfare post today.
public struct EmploymentIndicatorCounts: IndicatorSource {
    public init() {}

    public func count(into tally: inout IndicatorTally, on db: any Database) async throws {
        let sql = SQLHelpers.sql(db), sqlite = db.isSQLite
        func when(_ condition: String) -> SQLRaw { SQLRaw("CAST(sum(CASE WHEN \(condition) THEN 1 ELSE 0 END) AS BIGINT)") }
        let today = tally.today
        let from = today.addingMonths(-18).description, to = today.addingMonths(-6).description
        let work = EmploymentExitReason.allCases.filter(\.isEmployment).map { "'\($0.rawValue)'" }.joined(separator: ",")
        typealias K = EmploymentIndicators.Key
        for row in try await sql.select().column("grid_code")
            .column(when("status = 'open'"), as: "registered")
            .column(when("status = 'open' AND designated = \(sqlite ? "1" : "true")"), as: "designated")
            .column(when("registered_on >= '\(from)' AND registered_on <= '\(to)'"), as: "cohort")
            .column(when("registered_on >= '\(from)' AND registered_on <= '\(to)' AND exit_reason IN (\(work)) AND exit_days <= \(EmploymentRules.employedWithinDays)"),
                    as: "cohort_employed")
            .from("employment_registrations").wherePrefix("grid_code", tally.scope.prefix, sqlite: sqlite).groupBy("grid_code").all() {
            func n(_ c: String) throws -> Int64 { try row.decode(column: c, as: Int64?.self) ?? 0 }
            let counts: [String: Int64] = [K.registered: try n("registered"), K.designated: try n("designated"), K.cohort: try n("cohort"),
                                           K.cohortEmployed: try n("cohort_employed")]
            tally.add(try row.decode(column: "grid_code", as: String.self)) { $0.more = counts }
        }
        for row in try await sql.select().column("grid_code").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("employment_placements")
            .where("start_on", .lessThanOrEqual, SQLBind(today.description)).where("until_on", .greaterThanOrEqual, SQLBind(today.description))
            .wherePrefix("grid_code", tally.scope.prefix, sqlite: sqlite).groupBy("grid_code").all() {
            let placed = try row.decode(column: "n", as: Int64.self)
            tally.add(try row.decode(column: "grid_code", as: String.self)) { $0.more = [K.placed: placed, K.designated: placed] }
        }
    }
}
