import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 民主协商's part of 居民依法自治达标率: a community meets it when, in the 12 months ending `today` (the day a
/// year earlier excluded, `today` included), it held at least four meetings of the four deliberative forms
/// (民情恳谈会, 事务协调会, 工作听证会, 成效评议会 in any mix; 楼道/业主议事 do not count), and none of its resolutions
/// due in those 12 months before `today` is still open. Read from two grouped queries over the window.
public enum DeliberationStanding {
    public static func communitiesMeetingStandard(on db: any Database, prefix: String, today: CivilDate) async throws -> Set<String> {
        let sql = SQLHelpers.sql(db), sqlite = db.isSQLite
        let start = today.yearsEarlier(1).description, end = today.description
        let kinds = MeetingKind.allCases.filter(\.isDeliberative).map(\.rawValue)
        var held: [String: Int] = [:]
        for row in try await sql.select().column("community_code").column(SQLRaw("CAST(count(*) AS BIGINT)"), as: "n").from("deliberation_meetings")
            .wherePrefix("community_code", prefix, sqlite: sqlite).where("kind", .in, SQLBind.group(kinds))
            .where("held_on", .greaterThan, SQLBind(start)).where("held_on", .lessThanOrEqual, SQLBind(end)).groupBy("community_code").all() {
            held[try row.decode(column: "community_code", as: String.self)] = Int(try row.decode(column: "n", as: Int64.self))
        }
        var lagging = Set<String>()
        for row in try await sql.select().distinct().column("community_code").from("deliberation_resolutions")
            .wherePrefix("community_code", prefix, sqlite: sqlite).where("state", .equal, SQLBind(ResolutionState.open.rawValue))
            .where("due_on", .greaterThan, SQLBind(start)).where("due_on", .lessThan, SQLBind(end)).all() {
            lagging.insert(try row.decode(column: "community_code", as: String.self))
        }
        return Set(held.filter { $0.value >= DeliberationRules.meetingsForStandard && !lagging.contains($0.key) }.keys)
    }
}
