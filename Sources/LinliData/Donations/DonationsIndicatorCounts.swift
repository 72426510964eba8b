import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 捐赠物资接收点's part of the indicators, community by community: whether it has a working point (read from
/// the point's own row, kept with every movement), the year's receipts and hand-outs and those to assisted households.
public struct DonationsIndicatorCounts: IndicatorSource {
    public init() {}

    public func count(into tally: inout IndicatorTally, on db: any Database) async throws {
        let sql = SQLHelpers.sql(db), sqlite = db.isSQLite
        typealias K = DonationsIndicators.Key
        // A grid's scope counts nothing here: points and movements are per community.
        let prefix = tally.scope.prefix.count > 12 ? "~" : tally.scope.prefix
        let today = tally.today.description
        for row in try await sql.select().columns("community_code", "open", "last_activity_on").from("donation_points")
            .wherePrefix("community_code", prefix, sqlite: sqlite).all() {
            let open = try row.decode(column: "open", as: Bool.self), last = try row.decode(column: "last_activity_on", as: String?.self)
            let working = DonationRules.isWorking(open: open, lastActivity: last.flatMap(CivilDate.init), today: tally.today)
            tally.add(try row.decode(column: "community_code", as: String.self)) { $0.more = [K.points: 1, K.workingPoints: working ? 1 : 0] }
        }
        func when(_ condition: String) -> SQLRaw { SQLRaw("CAST(sum(CASE WHEN \(condition) THEN 1 ELSE 0 END) AS BIGINT)") }
        let yearStart = String(format: "%04d-01-01", tally.today.year)
        for row in try await sql.select().column("community_code")
            .column(when("kind = '\(DonationMovementKind.received.rawValue)'"), as: "received")
            .column(when("kind = '\(DonationMovementKind.handedOut.rawValue)'"), as: "handed")
            .column(when("kind = '\(DonationMovementKind.handedOut.rawValue)' AND assistance_kind IS NOT NULL"), as: "assisted")
            .from("donation_movements").wherePrefix("community_code", prefix, sqlite: sqlite)
            .where("on_date", .greaterThanOrEqual, SQLBind(yearStart)).where("on_date", .lessThanOrEqual, SQLBind(today))
            .groupBy("community_code").all() {
            func n(_ c: String) throws -> Int64 { try row.decode(column: c, as: Int64?.self) ?? 0 }
            let counts = [K.receivedYear: try n("received"), K.handedOutYear: try n("handed"), K.assistedHandOutsYear: try n("assisted")]
            tally.add(try row.decode(column: "community_code", as: String.self)) { $0.more = counts }
        }
    }
}
