import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 绩效: what the street and the district read — volunteers with no service in 12 months, teams by hours, and each
/// community's months (registrations, activities, hours) from `volunteer_monthly`, the figures kept with the writes.
extension VolunteersQueries {
    public struct MonthFigures: Sendable, Equatable {
        public var month: String
        public var registrations: Int
        public var activities: Int
        public var minutes: Int
    }

    public struct CommunityFigures: Sendable, Equatable {
        public var code: String
        public var name: String
        public var registrations: Int
        public var activities: Int
        public var minutes: Int
    }

    func communityPrefix(_ scope: RegistryScope) -> String { scope.prefix.count > 12 ? String(scope.prefix.prefix(12)) : scope.prefix }

    /// The scope's figures month by month, from `from` ('YYYY-MM') to `to`, months without any left out.
    public func months(in scope: RegistryScope, from: String, to: String) async throws -> [MonthFigures] {
        try await sql.select().column("month")
            .column(SQLRaw("CAST(SUM(registrations) AS BIGINT)"), as: "r").column(SQLRaw("CAST(SUM(activities) AS BIGINT)"), as: "a")
            .column(SQLRaw("CAST(SUM(minutes) AS BIGINT)"), as: "m")
            .from("volunteer_monthly").wherePrefix("community_code", communityPrefix(scope), sqlite: sqlite)
            .where("month", .greaterThanOrEqual, SQLBind(from)).where("month", .lessThanOrEqual, SQLBind(to))
            .groupBy("month").orderBy("month").all().map {
                MonthFigures(month: try $0.decode(column: "month", as: String.self), registrations: try $0.decode(column: "r", as: Int.self),
                             activities: try $0.decode(column: "a", as: Int.self), minutes: try $0.decode(column: "m", as: Int.self))
            }
    }

    /// Each community of the scope over the months `from`…`to`, most hours first.
    public func communities(in scope: RegistryScope, from: String, to: String) async throws -> [CommunityFigures] {
        try await sql.select().column(SQLColumn("community_code", table: "f")).column(SQLColumn("name", table: "d"))
            .column(SQLRaw("CAST(SUM(f.registrations) AS BIGINT)"), as: "r").column(SQLRaw("CAST(SUM(f.activities) AS BIGINT)"), as: "a")
            .column(SQLRaw("CAST(SUM(f.minutes) AS BIGINT)"), as: "m")
            .from(SQLAlias(SQLIdentifier("volunteer_monthly"), as: SQLIdentifier("f")))
            .join(SQLAlias(SQLIdentifier(Division.schema), as: SQLIdentifier("d")), on: SQLColumn("code", table: "d"), .equal, SQLColumn("community_code", table: "f"))
            .wherePrefix("f.community_code", communityPrefix(scope), sqlite: sqlite)
            .where(SQLColumn("month", table: "f"), .greaterThanOrEqual, SQLBind(from)).where(SQLColumn("month", table: "f"), .lessThanOrEqual, SQLBind(to))
            .groupBy(SQLColumn("community_code", table: "f")).groupBy(SQLColumn("name", table: "d"))
            .orderBy(SQLRaw("m"), SQLDirection.descending).all().map {
                CommunityFigures(code: try $0.decode(column: "community_code", as: String.self), name: try $0.decode(column: "name", as: String.self),
                                 registrations: try $0.decode(column: "r", as: Int.self), activities: try $0.decode(column: "a", as: Int.self),
                                 minutes: try $0.decode(column: "m", as: Int.self))
            }
    }

    /// Volunteers of the scope confirmed by their community (已确认, 已签约): the home page's figure, read from the index.
    public func registeredCount(in scope: RegistryScope) async throws -> Int {
        try await SQLHelpers.count(sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("volunteers")
            .wherePrefix("community_code", communityPrefix(scope), sqlite: sqlite)
            .where("state", .in, SQLBind.group([VolunteerState.confirmed.rawValue, VolunteerState.signed.rawValue])))
    }

    /// Sign-ups checked out and not yet verified, of activities of the scope still in their 7 days: the organizer's to-do.
    public func toVerify(in scope: RegistryScope) async throws -> Int {
        let now = nowSeconds, since = now - Int64(VolunteerRules.verifyDays) * 86_400
        // Activities last at most a day: those that started in the period (one index range on `starts_at`).
        return try await SQLHelpers.count(sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from(SQLAlias(SQLIdentifier("volunteer_activities"), as: SQLIdentifier("a")))
            .join(SQLAlias(SQLIdentifier("volunteer_signups"), as: SQLIdentifier("s")), on: SQLColumn("activity_id", table: "s"), .equal, SQLColumn("id", table: "a"))
            .where(SQLColumn("starts_at", table: "a"), .greaterThanOrEqual, SQLBind(since - 86_400))
            .where(SQLColumn("ends_at", table: "a"), .greaterThanOrEqual, SQLBind(since))
            .wherePrefix("a.community_code", communityPrefix(scope), sqlite: sqlite)
            .where(SQLColumn("check_out_at", table: "s"), .isNot, SQLLiteral.null)
            .where(SQLColumn("verified_minutes", table: "s"), .is, SQLLiteral.null))
    }

    /// Signed volunteers with no verified service since `since` (or never), by community, oldest registration first.
    public func inactive(in scope: RegistryScope, since: CivilDate, page: PageRequest) async throws -> ResultPage<VolunteerRecord> {
        func filtered(_ q: SQLSelectBuilder) -> SQLSelectBuilder {
            scoped(q, scope).where(SQLColumn("state", table: "v"), .equal, SQLBind(VolunteerState.signed.rawValue))
                .where { $0.where(SQLColumn("last_served_on", table: "v"), .is, SQLLiteral.null)
                    .orWhere(SQLColumn("last_served_on", table: "v"), .lessThan, SQLBind(since.description)) }
        }
        let items = try await filtered(volunteerSelect).orderBy(SQLColumn("community_code", table: "v")).orderBy(SQLColumn("registered_on", table: "v"))
            .orderBy(SQLColumn("id", table: "v"))
            .limit(page.perPage).offset(page.offset).all().map { try $0.decodeRecord(VolunteerRecord.self) }
        var count = sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(SQLAlias(SQLIdentifier("volunteers"), as: SQLIdentifier("v")))
        if scope.prefix.count > 12 {
            count = count.join(SQLAlias(SQLIdentifier(Resident.schema), as: SQLIdentifier("r")), on: SQLColumn("resident_id", table: "v"), .equal, SQLColumn("id", table: "r"))
        }
        let total = try await SQLHelpers.count(filtered(count))
        return ResultPage(items: items, total: total, page: page.page, perPage: page.perPage)
    }
}
