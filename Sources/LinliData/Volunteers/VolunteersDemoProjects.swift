import FluentKit
import Foundation
import LinliCore
import SQLKit

/// The demo's purchased-service projects (社会组织, loaded before the volunteers) get their activities: a few of
/// the activities of the project's area within its term are done under it, so its page lists them.
extension DemoVolunteers {
    static func linkProjects(on db: any Database) async throws -> Int {
        let sql = SQLHelpers.sql(db)
        let projects = try await sql.select().columns("id", "organization_id", "division_code", "starts_on", "ends_on").from("organization_projects")
            .orderBy("id").all()
        var linked = 0
        for p in projects {
            let division = try p.decode(column: "division_code", as: String.self)
            let prefix = division.hasSuffix("000000") ? String(division.prefix(6)) : division.hasSuffix("000") ? String(division.prefix(9)) : division
            let start = try p.decode(column: "starts_on", as: String.self), end = try p.decode(column: "ends_on", as: String.self)
            guard let from = CivilDate(start), let to = CivilDate(end) else { continue }
            let ids = try await sql.select().column("id").from("volunteer_activities")
                .where("community_code", .like, SQLBind(prefix + "%")).where("project_id", .is, SQLLiteral.null).where("team_id", .is, SQLLiteral.null)
                .where("starts_at", .greaterThanOrEqual, SQLBind(Int64(from.dayNumber) * 86_400))
                .where("starts_at", .lessThan, SQLBind(Int64(to.dayNumber + 1) * 86_400))
                .orderBy("starts_at").orderBy("id").limit(6).all().map { try $0.decode(column: "id", as: UUID.self) }
            guard !ids.isEmpty else { continue }
            try await sql.update("volunteer_activities")
                .set("project_id", to: SQLBind(try p.decode(column: "id", as: UUID.self)))
                .set("organization_id", to: SQLBind(try p.decode(column: "organization_id", as: UUID.self)))
                .where("id", .in, SQLBind.group(ids)).run()
            linked += ids.count
        }
        return linked
    }
}
