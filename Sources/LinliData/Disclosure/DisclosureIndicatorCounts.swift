import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 四个公开与财务公开's part of the indicators, per community and summed up the tree: the communities and those
/// whose four disclosures are current, this year's due statements and those published on time, and this year's
/// notices per kind. Each is one grouped read on an index (no scan of the residents).
public struct DisclosureIndicatorCounts: IndicatorSource {
    public init() {}

    public func count(into tally: inout IndicatorTally, on db: any Database) async throws {
        typealias K = DisclosureIndicators.Key
        let sql = SQLHelpers.sql(db), sqlite = db.isSQLite
        let prefix = tally.scope.prefix, today = tally.today
        let communities = tally.divisions.filter { $0.level == .community }.map(\.code)
        for c in communities { tally.add(c) { $0.more = [K.communities: 1] } }
        for c in try await DisclosureStanding.fourCurrent(on: db, prefix: prefix, today: today) { tally.add(c) { $0.more = [K.fourCurrent: 1] } }

        // A quarter's statement is due once its deadline has passed; this year's quarters only.
        let due = (1...4).compactMap { Quarter(year: today.year, number: $0) }.filter { $0.publishDeadline < today }
        if !due.isEmpty {
            for c in communities { tally.add(c) { $0.more = [K.statementsDue: Int64(due.count)] } }
            let deadlines = Dictionary(uniqueKeysWithValues: due.map { ($0.description, $0.publishDeadline.description) })
            for row in try await sql.select().columns("community_code", "quarter", "published_on").from("disclosure_statements")
                .where("quarter", .in, SQLBind.group(due.map(\.description))).wherePrefix("community_code", prefix, sqlite: sqlite).all() {
                let q = try row.decode(column: "quarter", as: String.self), on = try row.decode(column: "published_on", as: String.self)
                if let deadline = deadlines[q], on <= deadline {
                    tally.add(try row.decode(column: "community_code", as: String.self)) { $0.more = [K.statementsOnTime: 1] }
                }
            }
        }

        let yearStart = CivilDate(year: today.year, month: 1, day: 1)!.description
        for row in try await sql.select().column("community_code").column("kind").column(SQLRaw("CAST(count(*) AS BIGINT)"), as: "n")
            .from("disclosure_notices").where("status", .equal, SQLBind(DisclosureNoticeStatus.published.rawValue))
            .where("publish_on", .greaterThanOrEqual, SQLBind(yearStart)).where("publish_on", .lessThanOrEqual, SQLBind(today.description))
            .wherePrefix("community_code", prefix, sqlite: sqlite).groupBy("community_code").groupBy("kind").all() {
            guard let kind = NoticeKind(rawValue: try row.decode(column: "kind", as: String.self)) else { continue }
            let n = try row.decode(column: "n", as: Int64?.self) ?? 0
            tally.add(try row.decode(column: "community_code", as: String.self)) { $0.more = [K.noticesYear(kind): n] }
        }
    }
}
