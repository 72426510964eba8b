import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 民主协商与网上议事's part of the indicators, per community (the meeting's or proposal's): the year's meetings by
/// kind, resolutions of the year's meetings past due and done on time, proposals of the year with their supports
/// and comments (from the counts on each proposal's row). Grouped queries over one year of a small table.
public struct DeliberationIndicatorCounts: IndicatorSource {
    public init() {}

    public func count(into tally: inout IndicatorTally, on db: any Database) async throws {
        let sql = SQLHelpers.sql(db), sqlite = db.isSQLite
        typealias K = DeliberationIndicators.Key
        let prefix = tally.scope.prefix, from = "\(tally.today.year)-01-01", to = tally.today.description
        for row in try await sql.select().columns("community_code", "kind").column(SQLRaw("CAST(count(*) AS BIGINT)"), as: "n").from("deliberation_meetings")
            .wherePrefix("community_code", prefix, sqlite: sqlite).where("held_on", .greaterThanOrEqual, SQLBind(from))
            .where("held_on", .lessThanOrEqual, SQLBind(to)).groupBy("community_code").groupBy("kind").all() {
            guard let kind = MeetingKind(rawValue: try row.decode(column: "kind", as: String.self)) else { continue }
            let n = try row.decode(column: "n", as: Int64.self)
            tally.add(try row.decode(column: "community_code", as: String.self)) { $0.more = [K.meetingsYear(kind): n] }
        }
        // Past due: due before today. On time: done no later than the due date.
        for row in try await sql.select().column("community_code")
            .column(SQLRaw("CAST(count(*) AS BIGINT)"), as: "due")
            .column(SQLRaw("CAST(sum(CASE WHEN state = 'done' AND done_on <= due_on THEN 1 ELSE 0 END) AS BIGINT)"), as: "on_time")
            .from("deliberation_resolutions").wherePrefix("community_code", prefix, sqlite: sqlite)
            .where("held_on", .greaterThanOrEqual, SQLBind(from)).where("due_on", .lessThan, SQLBind(to)).groupBy("community_code").all() {
            let counts = [K.resolutionsDue: try row.decode(column: "due", as: Int64?.self) ?? 0, K.resolutionsOnTime: try row.decode(column: "on_time", as: Int64?.self) ?? 0]
            tally.add(try row.decode(column: "community_code", as: String.self)) { $0.more = counts }
        }
        for row in try await sql.select().column("community_code").column(SQLRaw("CAST(count(*) AS BIGINT)"), as: "n")
            .column(SQLRaw("CAST(sum(supports) AS BIGINT)"), as: "supports").column(SQLRaw("CAST(sum(comments) AS BIGINT)"), as: "comments")
            .from("consultation_proposals").wherePrefix("community_code", prefix, sqlite: sqlite)
            .where("published_on", .greaterThanOrEqual, SQLBind(from)).where("published_on", .lessThanOrEqual, SQLBind(to)).groupBy("community_code").all() {
            let counts = [K.proposalsYear: try row.decode(column: "n", as: Int64?.self) ?? 0, K.supportsYear: try row.decode(column: "supports", as: Int64?.self) ?? 0,
                          K.commentsYear: try row.decode(column: "comments", as: Int64?.self) ?? 0]
            tally.add(try row.decode(column: "community_code", as: String.self)) { $0.more = counts }
        }
    }
}
