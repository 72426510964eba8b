import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 社区生活's part of the indicators, per community: open venues, the year's minutes booked (from the monthly
/// tallies), activities held this year with their attendance, and 普法 events.
public struct LifeIndicatorCounts: IndicatorSource {
    public init() {}

    public func count(into tally: inout IndicatorTally, on db: any Database) async throws {
        let sql = SQLHelpers.sql(db), sqlite = db.isSQLite
        typealias K = LifeIndicators.Key
        let prefix = tally.scope.prefix.count > 12 ? String(tally.scope.prefix.prefix(12)) : tally.scope.prefix
        let year = String(format: "%04d", tally.today.year)
        for row in try await sql.select().columns("community_code", "owner").column(SQLRaw("CAST(count(*) AS BIGINT)"), as: "n").from("life_venues")
            .where("open", .equal, SQLBind(true)).wherePrefix("community_code", prefix, sqlite: sqlite).groupBy("community_code").groupBy("owner").all() {
            let n = try row.decode(column: "n", as: Int64?.self) ?? 0, unit = try row.decode(column: "owner", as: String.self) == VenueOwner.unit.rawValue
            tally.add(try row.decode(column: "community_code", as: String.self)) { $0.more = [K.venues: n, K.unitVenues: unit ? n : 0] }
        }
        for row in try await sql.select().column("community_code").column(SQLRaw("CAST(SUM(minutes) AS BIGINT)"), as: "m").from("life_venue_months")
            .where("month", .greaterThanOrEqual, SQLBind(year + "-01")).where("month", .lessThanOrEqual, SQLBind(year + "-12"))
            .wherePrefix("community_code", prefix, sqlite: sqlite).groupBy("community_code").all() {
            let m = try row.decode(column: "m", as: Int64?.self) ?? 0
            tally.add(try row.decode(column: "community_code", as: String.self)) { $0.more = [K.minutesYear: m] }
        }
        for row in try await sql.select().columns("community_code", "kind").column(SQLRaw("CAST(count(*) AS BIGINT)"), as: "n")
            .column(SQLRaw("CAST(SUM(attended) AS BIGINT)"), as: "people").from("life_activities")
            .where("status", .equal, SQLBind(ActivityStatus.held.rawValue))
            .where("day", .greaterThanOrEqual, SQLBind(year + "-01-01")).where("day", .lessThanOrEqual, SQLBind(year + "-12-31"))
            .wherePrefix("community_code", prefix, sqlite: sqlite).groupBy("community_code").groupBy("kind").all() {
            let n = try row.decode(column: "n", as: Int64?.self) ?? 0, people = try row.decode(column: "people", as: Int64?.self) ?? 0
            let legal = try row.decode(column: "kind", as: String.self) == ActivityKind.legal.rawValue
            tally.add(try row.decode(column: "community_code", as: String.self)) { $0.more = [K.activitiesYear: n, K.attendanceYear: people, K.legalYear: legal ? n : 0] }
        }
        for row in try await sql.raw("""
            SELECT n.community_code AS community_code, CAST(count(*) AS BIGINT) AS n FROM life_award_nominations n
            JOIN life_award_campaigns c ON c.id = n.campaign_id
            WHERE c.year = \(bind: tally.today.year) AND n.result = \(bind: AwardResult.awarded.rawValue) AND n.nominee_kind = \(bind: AwardNominee.household.rawValue)
              AND n.community_code LIKE \(bind: prefix + "%")
            GROUP BY n.community_code
            """).all() {
            let n = try row.decode(column: "n", as: Int64?.self) ?? 0
            tally.add(try row.decode(column: "community_code", as: String.self)) { $0.more = [K.awardHouseholdsYear: n] }
        }
    }
}
