import FluentKit
import LinliCore
import SQLKit

/// The registry's headline counts (for `linli stats --json` and the home page).
public struct RegistryStats: Codable, Sendable, Equatable {
    public var streets: Int
    public var communities: Int
    public var grids: Int
    public var buildings: Int
    public var households: Int
    /// People on the roll now (not deceased, not moved out).
    public var residents: Int
    public var residentsAged60Plus: Int

    enum CodingKeys: String, CodingKey {
        case streets, communities, grids, buildings, households, residents
        case residentsAged60Plus = "residents_aged_60_plus"
    }

    public static func compute(on db: any Database, in scope: RegistryScope = .everything, today: CivilDate) async throws -> RegistryStats {
        let sql = SQLHelpers.sql(db), sqlite = db.isSQLite
        func count(_ table: String, _ column: String, _ extra: (SQLSelectBuilder) -> SQLSelectBuilder = { $0 }) async throws -> Int {
            try await SQLHelpers.count(extra(sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(table)
                .wherePrefix(column, scope.prefix, sqlite: sqlite)))
        }
        // Divisions a boundary change retired stay as rows (their codes are never given again) but are not counted.
        func level(_ l: DivisionLevel) -> (SQLSelectBuilder) -> SQLSelectBuilder { { $0.where("level", .equal, SQLBind(l.rawValue)).where("retired_on", .is, SQLLiteral.null) } }
        let active: (SQLSelectBuilder) -> SQLSelectBuilder = { $0.where("life_status", .equal, SQLBind(LifeStatus.active.rawValue)) }
        return RegistryStats(
            streets: try await count(Division.schema, "code", level(.street)),
            communities: try await count(Division.schema, "code", level(.community)),
            grids: try await count(Division.schema, "code", level(.grid)),
            buildings: try await count(Building.schema, "grid_code"),
            households: try await count(Household.schema, "grid_code"),
            residents: try await count(Resident.schema, "grid_code", active),
            residentsAged60Plus: try await count(Resident.schema, "grid_code") {
                active($0).where("birth_date", .lessThanOrEqual, SQLBind(today.yearsEarlier(60).description))
            })
    }
}
