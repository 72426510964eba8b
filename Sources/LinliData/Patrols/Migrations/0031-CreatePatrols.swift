import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 网格巡查 and 社区警务室. `patrol_rounds` are the rounds walked (times are Unix seconds; `week` the ISO week code of
/// the start, China Standard Time); `open_walker` holds the walker's account id while the round is open and is NULL
/// after, so its unique constraint allows one open round per account, whoever races. `patrol_visits` are the stops
/// of a round, a building or a point, with the grid event (`request_id`) a finding became. `patrol_weeks` is the
/// tally per grid and ISO week, kept in the transaction that ends a round, so the board and the indicators never
/// count rounds. `patrol_settings` is the district's one row: the weekly norm. The police office's department and
/// its request categories are seeded here (the group 社区警务室).
public struct CreatePatrols: AsyncMigration {
    public init() {}

    public func prepare(on database: any Database) async throws {
        try await database.schema("patrol_settings")
            .field("id", .int, .identifier(auto: false))
            .field("weekly_norm", .int, .required)
            .field("version", .int, .required)
            .field("updated_by", .string, .required)
            .field("updated_at", .int64, .required)
            .create()

        try await database.schema("patrol_rounds")
            .id()
            .field("grid_code", .string, .required)
            .field("walker_account_id", .uuid, .required)
            .field("walker_name", .string, .required)
            .field("started_at", .int64, .required)
            .field("ended_at", .int64)
            .field("week", .int, .required)
            .field("visits", .int, .required)
            .field("findings", .int, .required)
            .field("counted", .bool, .required)
            .field("open_walker", .uuid)
            .field("version", .int, .required)
            .unique(on: "open_walker")
            .create()
        try await database.createIndex("patrol_rounds_grid", on: "patrol_rounds", columns: ["grid_code", "started_at"])
        try await database.createIndex("patrol_rounds_walker", on: "patrol_rounds", columns: ["walker_account_id", "started_at"])

        try await database.schema("patrol_visits")
            .id()
            .field("round_id", .uuid, .required, .references("patrol_rounds", "id"))
            .field("seq", .int, .required)
            .field("building_id", .uuid)
            .field("latitude", .double)
            .field("longitude", .double)
            .field("visited_at", .int64, .required)
            .field("finding", .string, .required)
            .field("note", .string)
            .field("request_id", .uuid)
            .field("request_seq", .int64)
            .unique(on: "round_id", "seq")
            .create()

        try await database.schema("patrol_weeks")
            .field("grid_code", .string, .required)
            .field("week", .int, .required)
            .field("rounds", .int64, .required)
            .field("visits", .int64, .required)
            .field("findings", .int64, .required)
            .compositeIdentifier(over: "grid_code", "week")
            .create()
        try await database.createIndex("patrol_weeks_week", on: "patrol_weeks", columns: ["week", "grid_code"])

        let sql = database as! any SQLDatabase
        try await sql.insert(into: "patrol_settings").columns("id", "weekly_norm", "version", "updated_by", "updated_at")
            .values(SQLBind(1), SQLBind(PatrolRules.defaultNorm), SQLBind(1), SQLBind("system"), SQLBind(Int64(Date().timeIntervalSince1970))).run()
        try await sql.insert(into: "departments").columns("code", "name")
            .values(SQLBind(PoliceOffice.department.code), SQLBind(PoliceOffice.department.name)).run()
        for c in PoliceOffice.categories {
            try await sql.insert(into: "request_categories")
                .columns("code", "name", "kind", "parent_code", "limit_hours", "level", "department_code", "attributes", "active", "version")
                .values(SQLBind(c.code), SQLBind(c.name), SQLBind(c.kind.rawValue), SQLBind(c.parent), SQLBind(c.limitHours),
                        SQLBind(c.level.rawValue), SQLBind(c.department), SQLBind("[]"), SQLBind(true), SQLBind(1))
                .run()
        }
    }

    public func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.delete(from: "request_categories").where("code", .in, SQLBind.group(PoliceOffice.categories.map(\.code))).run()
        try await sql.delete(from: "departments").where("code", .equal, SQLBind(PoliceOffice.department.code)).run()
        for t in ["patrol_weeks", "patrol_visits", "patrol_rounds", "patrol_settings"] { try await database.schema(t).delete() }
    }
}
