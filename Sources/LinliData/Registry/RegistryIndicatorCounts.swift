import FluentKit
import Foundation
import LinliCore
import SQLKit

/// The registry's part of the indicators: the population structure grid by grid, households, and the
/// communities with their community workers on the platform.
public struct RegistryIndicatorCounts: IndicatorSource {
    public init() {}

    public func count(into tally: inout IndicatorTally, on db: any Database) async throws {
        let sql = SQLHelpers.sql(db), sqlite = db.isSQLite
        func when(_ condition: String) -> SQLRaw { SQLRaw("sum(CASE WHEN \(condition) THEN 1 ELSE 0 END)") }
        // Population structure: one pass over the (life_status, grid_code, birth_date, residence_status)
        // index in its own order, grid by grid (conditional sums: no sort, no temporary tree).
        let b = AgeBand.bounds(on: tally.today).map(\.description)
        let statuses = ResidenceStatus.allCases.map(\.rawValue)
        var people = sql.select().column("grid_code").column(SQLFunction("count", args: SQLLiteral.all), as: "n")
            .column(when("birth_date <= '\(b[0])'"), as: "b80").column(when("birth_date <= '\(b[1])'"), as: "b60")
            .column(when("birth_date <= '\(b[2])'"), as: "b18")
        for (i, s) in statuses.enumerated() { people = people.column(when("residence_status = '\(s)'"), as: "s\(i)") }
        for row in try await people.from(Resident.schema)
            .where("life_status", .equal, SQLBind(LifeStatus.active.rawValue)).wherePrefix("grid_code", tally.scope.prefix, sqlite: sqlite)
            .groupBy("grid_code").all() {
            let n = try row.decode(column: "n", as: Int64.self), b80 = try row.decode(column: "b80", as: Int64.self)
            let b60 = try row.decode(column: "b60", as: Int64.self), b18 = try row.decode(column: "b18", as: Int64.self)
            let residence = try statuses.indices.map { try row.decode(column: "s\($0)", as: Int64.self) }
            tally.add(try row.decode(column: "grid_code", as: String.self)) {
                $0.residents = n
                $0.ageBands = [n - b18, b18 - b60, b60 - b80, b80]
                $0.residence = residence
            }
        }
        for row in try await sql.select().column("grid_code").column(SQLFunction("count", args: SQLLiteral.all), as: "n").from(Household.schema)
            .wherePrefix("grid_code", tally.scope.prefix, sqlite: sqlite).groupBy("grid_code").all() {
            let n = try row.decode(column: "n", as: Int64.self)
            tally.add(try row.decode(column: "grid_code", as: String.self)) { $0.households = n }
        }


        let communityPrefix = tally.scope.prefix.count > 12 ? "~" : tally.scope.prefix
        // Community workers on the platform (enabled accounts), community by community.
        var workers: [String: Int64] = [:]
        for row in try await sql.select().column("division_code").column(SQLFunction("count", args: SQLLiteral.all), as: "n").from("accounts")
            .where("role", .equal, SQLBind(Role.communityWorker.rawValue)).where("disabled", .equal, SQLBind(false))
            .wherePrefix("division_code", communityPrefix, sqlite: sqlite).groupBy("division_code").all() {
            workers[try row.decode(column: "division_code", as: String.self)] = try row.decode(column: "n", as: Int64.self)
        }
        for d in tally.divisions where d.level == .community {
            let w = workers[d.code] ?? 0, residents = tally.counts[d.code]?.residents ?? 0
            tally.add(d.code) {
                $0.communities = 1
                $0.workers = w
                $0.residentsWithWorkers = w > 0 ? residents : 0
                $0.communitiesOnPlatform = w > 0 ? 1 : 0
            }
        }
    }
}
