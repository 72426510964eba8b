import FluentKit
import Foundation
import LinliCore
import SQLKit

/// What one request adds to the figures of its (community, category, status, level) row of
/// `request_tallies`. Every write moves a request's contribution from its old row to its new one in
/// the same transaction, so the figures are exact without counting a million requests.
struct RequestContribution: Equatable {
    var community: String
    var category: String
    var status: String
    var level: String
    var escalated: Int64
    var handled: Int64
    var onTime: Int64
    var handlingSeconds: Int64
    var rated: Int64
    var ratingSum: Int64

    init(_ r: RequestRecord) {
        community = r.communityCode ?? ""
        category = r.categoryCode
        status = r.status.rawValue
        level = r.level.rawValue
        escalated = r.escalations > 0 ? 1 : 0
        handled = r.resolvedAt == nil ? 0 : 1
        onTime = r.resolvedAt.map { $0 <= r.dueAt ? 1 : 0 } ?? 0
        handlingSeconds = r.resolvedAt.map { max(0, $0 - r.reportedAt) } ?? 0
        rated = r.rating == nil ? 0 : 1
        ratingSum = Int64(r.rating ?? 0)
    }

    /// Adds (`sign` 1) or takes away (`sign` -1) this contribution.
    func apply(_ sign: Int64, on db: any Database) async throws {
        let sql = SQLHelpers.sql(db)
        let t = "request_tallies"
        try await sql.raw("""
            INSERT INTO \(ident: t) (community_code, category_code, status, level, n, escalated, handled, on_time, handling_seconds, rated, rating_sum)
            VALUES (\(bind: community), \(bind: category), \(bind: status), \(bind: level), \(bind: sign), \(bind: sign * escalated),
                    \(bind: sign * handled), \(bind: sign * onTime), \(bind: sign * handlingSeconds), \(bind: sign * rated), \(bind: sign * ratingSum))
            ON CONFLICT (community_code, category_code, status, level) DO UPDATE SET
                n = \(ident: t).n + excluded.n, escalated = \(ident: t).escalated + excluded.escalated,
                handled = \(ident: t).handled + excluded.handled, on_time = \(ident: t).on_time + excluded.on_time,
                handling_seconds = \(ident: t).handling_seconds + excluded.handling_seconds,
                rated = \(ident: t).rated + excluded.rated, rating_sum = \(ident: t).rating_sum + excluded.rating_sum
            """).run()
    }

    static func move(from old: RequestRecord?, to new: RequestRecord, on db: any Database) async throws {
        let after = RequestContribution(new)
        if let old {
            let before = RequestContribution(old)
            if before == after { return }
            try await before.apply(-1, on: db)
        }
        try await after.apply(1, on: db)
    }
}

/// The figures of a set of requests: counts by status, category, level and community, on-time rate,
/// mean handling time, satisfaction and escalation rate.
public struct RequestFigures: Codable, Sendable, Equatable {
    public struct Count: Codable, Sendable, Equatable {
        public var key: String
        public var count: Int64
    }
    public var total: Int64
    public var open: Int64
    public var byStatus: [Count]
    public var byCategory: [Count]
    public var byLevel: [Count]
    public var byCommunity: [Count]
    public var handled: Int64
    public var onTimeRate: Double?
    public var meanHandlingHours: Double?
    public var rated: Int64
    public var meanSatisfaction: Double?
    public var escalationRate: Double?
}

extension RequestQueries {
    /// The figures from the tallies (a community or more) or, for a grid, a department or a resident, from the
    /// requests their list shows.
    public func figures(in scope: RequestScope) async throws -> RequestFigures {
        let sql = SQLHelpers.sql(db)
        // PostgreSQL sums bigints as numeric: cast back so both databases answer integers.
        func sums(_ b: SQLSelectBuilder, _ exprs: [(String, String)]) -> SQLSelectBuilder {
            exprs.reduce(b) { $0.column(SQLRaw("CAST(sum(\($1.1)) AS BIGINT)"), as: $1.0) }
        }
        let q: SQLSelectBuilder
        if let prefix = scope.communityPrefix {
            q = sums(sql.select().columns("community_code", "category_code", "status", "level"),
                     ["n", "escalated", "handled", "on_time", "handling_seconds", "rated", "rating_sum"].map { ($0, $0) })
                .from("request_tallies")
                .wherePrefix("community_code", prefix, sqlite: db.isSQLite)
                .groupBy("community_code").groupBy("category_code").groupBy("status").groupBy("level")
        } else {
            // A grid's, a department's or a resident's requests are few: count them directly, in the list's own scope.
            q = scope.apply(sums(sql.select().column(SQLRaw("coalesce(community_code, '')"), as: "community_code")
                .columns("category_code", "status", "level"), RequestQueries.contributionSums)
                .from("requests"), sqlite: db.isSQLite)
                .groupBy(SQLRaw("coalesce(community_code, '')")).groupBy("category_code").groupBy("status").groupBy("level")
        }
        var status: [String: Int64] = [:], category: [String: Int64] = [:], level: [String: Int64] = [:], community: [String: Int64] = [:]
        var total: Int64 = 0, open: Int64 = 0, escalated: Int64 = 0, handled: Int64 = 0, onTime: Int64 = 0
        var seconds: Int64 = 0, rated: Int64 = 0, ratingSum: Int64 = 0
        for row in try await q.all() {
            let n = try row.decode(column: "n", as: Int64.self)
            guard n != 0 else { continue }
            let s = try row.decodeStored(column: "status", as: RequestStatus.self, of: "request_tallies")
            total += n
            if s.isOpen { open += n }
            status[s.rawValue, default: 0] += n
            category[try row.decode(column: "category_code", as: String.self), default: 0] += n
            level[try row.decode(column: "level", as: String.self), default: 0] += n
            community[try row.decode(column: "community_code", as: String.self), default: 0] += n
            escalated += try row.decode(column: "escalated", as: Int64.self)
            handled += try row.decode(column: "handled", as: Int64.self)
            onTime += try row.decode(column: "on_time", as: Int64.self)
            seconds += try row.decode(column: "handling_seconds", as: Int64.self)
            rated += try row.decode(column: "rated", as: Int64.self)
            ratingSum += try row.decode(column: "rating_sum", as: Int64.self)
        }
        func counts(_ d: [String: Int64]) -> [RequestFigures.Count] {
            d.filter { $0.value != 0 }.map { .init(key: $0.key, count: $0.value) }.sorted { $0.key < $1.key }
        }
        func ratio(_ a: Int64, _ b: Int64) -> Double? { b == 0 ? nil : Double(a) / Double(b) }
        return RequestFigures(total: total, open: open, byStatus: counts(status), byCategory: counts(category), byLevel: counts(level),
                              byCommunity: counts(community), handled: handled, onTimeRate: ratio(onTime, handled),
                              meanHandlingHours: ratio(seconds, handled).map { $0 / 3600 }, rated: rated,
                              meanSatisfaction: ratio(ratingSum, rated), escalationRate: ratio(escalated, total))
    }

    /// A request's contribution to the tallies, as SQL over `requests` (the same as `RequestContribution`).
    static let contributionSums: [(String, String)] = [
        ("n", "1"), ("escalated", "CASE WHEN escalations > 0 THEN 1 ELSE 0 END"),
        ("handled", "CASE WHEN resolved_at IS NULL THEN 0 ELSE 1 END"), ("on_time", "CASE WHEN resolved_at <= due_at THEN 1 ELSE 0 END"),
        ("handling_seconds", "CASE WHEN resolved_at IS NULL OR resolved_at < reported_at THEN 0 ELSE resolved_at - reported_at END"),
        ("rated", "CASE WHEN rating IS NULL THEN 0 ELSE 1 END"), ("rating_sum", "coalesce(rating, 0)"),
    ]

    /// Rebuilds the tallies from the requests (after a bulk load; and to check them, in tests).
    public func rebuildTallies() async throws {
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            try await sql.delete(from: "request_tallies").run()
            try await sql.raw("""
                INSERT INTO request_tallies (community_code, category_code, status, level, n, escalated, handled, on_time, handling_seconds, rated, rating_sum)
                SELECT coalesce(community_code, ''), category_code, status, level, \(unsafeRaw: RequestQueries.contributionSums
                    .map { "CAST(sum(\($0.1)) AS BIGINT)" }.joined(separator: ", "))
                FROM requests GROUP BY coalesce(community_code, ''), category_code, status, level
                """).run()
        }
    }
}
