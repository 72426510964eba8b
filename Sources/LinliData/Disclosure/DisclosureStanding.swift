import FluentKit
import Foundation
import LinliCore
import SQLKit

/// The disclosure part of 居民依法自治达标率 (docs/disclosure.md, "The standard"): a community meets it on
/// `today` when, for each of 政务, 事务, 财务 and 服务, it has a notice that keeps the kind current
/// (`DisclosureRules.keepsCurrent`: not withdrawn, published on or before today and either within the last 92
/// days or still up), and its quarterly statement of the last ended quarter is published — within that
/// quarter's grace (to the end of the following month) the statement of the quarter before suffices.
public enum DisclosureStanding {
    public static func communitiesMeetingStandard(on db: any Database, prefix: String, today: CivilDate) async throws -> Set<String> {
        let current = try await fourCurrent(on: db, prefix: prefix, today: today)
        guard !current.isEmpty else { return [] }
        let sql = SQLHelpers.sql(db), sqlite = db.isSQLite
        let quarters = DisclosureRules.statementQuartersAccepted(today: today).map(\.description)
        let published = try await sql.select().distinct().column("community_code").from("disclosure_statements")
            .where("quarter", .in, SQLBind.group(quarters)).wherePrefix("community_code", prefix, sqlite: sqlite).all()
            .map { try $0.decode(column: "community_code", as: String.self) }
        return current.intersection(published)
    }

    /// The communities under `prefix` whose four disclosures are current on `today`.
    public static func fourCurrent(on db: any Database, prefix: String, today: CivilDate) async throws -> Set<String> {
        let sql = SQLHelpers.sql(db), sqlite = db.isSQLite
        let day = today.description, recent = today.adding(days: -DisclosureRules.currentDays).description
        // Per community and kind, whether a notice keeps it current: one grouped read on the notices index.
        let rows = try await sql.select().column("community_code").column("kind").from("disclosure_notices")
            .where("status", .equal, SQLBind(DisclosureNoticeStatus.published.rawValue))
            .where("publish_on", .lessThanOrEqual, SQLBind(day))
            .where { $0.where("publish_on", .greaterThanOrEqual, SQLBind(recent)).orWhere("end_on", .is, SQLLiteral.null)
                .orWhere("end_on", .greaterThanOrEqual, SQLBind(day)) }
            .wherePrefix("community_code", prefix, sqlite: sqlite)
            .groupBy("community_code").groupBy("kind").all()
        var kinds: [String: Set<String>] = [:]
        for r in rows { kinds[try r.decode(column: "community_code", as: String.self), default: []].insert(try r.decode(column: "kind", as: String.self)) }
        let all = Set(NoticeKind.allCases.map(\.rawValue))
        return Set(kinds.filter { $0.value.isSuperset(of: all) }.keys)
    }
}
