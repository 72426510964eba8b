import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 志愿者's part of the indicators, community by community: registered and active volunteers (one grouped pass
/// over the community index of `volunteers`), and the year's minutes from the monthly figures kept with the hours.
public struct VolunteersIndicatorCounts: IndicatorSource {
    public init() {}

    public func count(into tally: inout IndicatorTally, on db: any Database) async throws {
        let sql = SQLHelpers.sql(db), sqlite = db.isSQLite
        typealias K = VolunteersIndicators.Key
        // A grid's scope counts nothing here: volunteers are counted per community.
        let prefix = tally.scope.prefix.count > 12 ? "~" : tally.scope.prefix
        let since = tally.today.adding(days: -365).description
        for row in try await sql.select().column("community_code")
            .column(SQLRaw("CAST(COUNT(*) AS BIGINT)"), as: "registered")
            .column(SQLRaw("CAST(sum(CASE WHEN last_served_on >= '\(since)' THEN 1 ELSE 0 END) AS BIGINT)"), as: "active")
            .from("volunteers").wherePrefix("community_code", prefix, sqlite: sqlite)
            .where("state", .in, SQLBind.group([VolunteerState.confirmed.rawValue, VolunteerState.signed.rawValue]))
            .groupBy("community_code").all() {
            let counts = [K.registered: try row.decode(column: "registered", as: Int64?.self) ?? 0, K.active: try row.decode(column: "active", as: Int64?.self) ?? 0]
            tally.add(try row.decode(column: "community_code", as: String.self)) { $0.more = counts }
        }
        let yearStart = String(format: "%04d-01", tally.today.year), month = String(tally.today.description.prefix(7))
        for row in try await sql.select().column("community_code").column(SQLRaw("CAST(sum(minutes) AS BIGINT)"), as: "m")
            .from("volunteer_monthly").wherePrefix("community_code", prefix, sqlite: sqlite)
            .where("month", .greaterThanOrEqual, SQLBind(yearStart)).where("month", .lessThanOrEqual, SQLBind(month))
            .groupBy("community_code").all() {
            let m = try row.decode(column: "m", as: Int64?.self) ?? 0
            tally.add(try row.decode(column: "community_code", as: String.self)) { $0.more = [K.minutesYear: m] }
        }
    }
}
