import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 行政事务进社区准入's part of the indicators. Tasks are the district's: admitted and refused are counted at the
/// district. Refusals of unadmitted tasks, funds and checks are counted per community and summed up the tree.
/// The tables are the district's tasks times its communities at most (thousands of rows, not the residents).
public struct AdmissionIndicatorCounts: IndicatorSource {
    public init() {}

    public func count(into tally: inout IndicatorTally, on db: any Database) async throws {
        typealias K = AdmissionIndicators.Key
        let sql = SQLHelpers.sql(db), scope = tally.scope, today = tally.today
        let day = today.description, yearStart = CivilDate(year: today.year, month: 1, day: 1)!.description
        let yearEnd = CivilDate(year: today.year, month: 12, day: 31)!.description
        for c in tally.divisions where c.level == .community { tally.add(c.code) { $0.more = [K.communities: 1] } }

        let districts = tally.divisions.filter { $0.level == .district }.map(\.code)
        if !districts.isEmpty {
            let admitted = try await sql.raw("""
                SELECT CAST(count(*) AS BIGINT) AS n FROM admission_tasks WHERE status = 'admitted' AND valid_to >= \(bind: day)
                """).first()?.decode(column: "n", as: Int64?.self) ?? 0
            let refused = try await sql.raw("""
                SELECT CAST(count(*) AS BIGINT) AS n FROM admission_tasks WHERE status = 'refused' AND decided_on >= \(bind: yearStart)
                """).first()?.decode(column: "n", as: Int64?.self) ?? 0
            for d in districts { tally.add(d) { $0.more = [K.admitted: admitted, K.refused: refused] } }
        }

        for row in try await sql.select().column("community_code").column(SQLRaw("CAST(count(*) AS BIGINT)"), as: "n").from("admission_pushes")
            .where("pushed_on", .greaterThanOrEqual, SQLBind(yearStart)).wherePrefix("community_code", scope.prefix, sqlite: db.isSQLite)
            .groupBy("community_code").all() {
            let n = try row.decode(column: "n", as: Int64?.self) ?? 0
            tally.add(try row.decode(column: "community_code", as: String.self)) { $0.more = [K.unadmitted: n] }
        }

        // Admitted tasks touching this year or today, with the communities they apply to.
        let rows = try await sql.raw("""
            SELECT c.community_code, t.id, t.kind, t.funds_fen, t.valid_from, t.valid_to FROM admission_task_communities c
            JOIN admission_tasks t ON t.id = c.task_id
            WHERE t.status = 'admitted' AND t.valid_to >= \(bind: yearStart) AND t.valid_from <= \(bind: yearEnd)
            """).all()
        var arrived: [String: Int64] = [:]
        for row in try await sql.select().column("task_id").column("community_code").column(SQLRaw("CAST(SUM(amount_fen) AS BIGINT)"), as: "s")
            .from("admission_funds").where("year", .equal, SQLBind(today.year)).wherePrefix("community_code", scope.prefix, sqlite: db.isSQLite)
            .groupBy("task_id").groupBy("community_code").all() {
            arrived["\(try row.decode(column: "task_id", as: UUID.self))|\(try row.decode(column: "community_code", as: String.self))"] =
                try row.decode(column: "s", as: Int64?.self) ?? 0
        }
        for row in rows {
            let c = try row.decode(column: "community_code", as: String.self)
            guard scope.contains(code: c) else { continue }
            let id = try row.decode(column: "id", as: UUID.self), kind = try row.decode(column: "kind", as: String.self)
            let from = try row.decode(column: "valid_from", as: String.self), to = try row.decode(column: "valid_to", as: String.self)
            if kind == AdmissionTaskKind.check.rawValue || kind == AdmissionTaskKind.plaque.rawValue, from <= day, to >= day {
                tally.add(c) { $0.more = [K.checksPlaques: 1] }
            }
            let promised = try row.decode(column: "funds_fen", as: Int64.self)
            if let executed = AdmissionRules.fundsExecuted(promisedFen: promised, arrivedFen: arrived["\(id)|\(c)"] ?? 0) {
                tally.add(c) { $0.more = executed ? [K.fundsDue: 1, K.fundsExecuted: 1] : [K.fundsDue: 1] }
            }
        }
    }
}
