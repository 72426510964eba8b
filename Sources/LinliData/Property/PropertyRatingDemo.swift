import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 物业服务评价 in the demo district: this year, about four households in ten of each compound rate its property service,
/// each by one of its active residents, on a day between 1 January and today; last year, about a third did. Scores as such surveys come out: compounds
/// under a company mostly 4–5, 准物业管理 in the middle, unmanaged compounds lower; a few leave a short comment.
/// Deterministic by seed; bulk inserts in one transaction.
public enum DemoRatings {
    static let comments: [Int: [String]] = [
        5: ["保洁及时，门岗负责", "维修上门很快，态度好", "小区环境越来越好"],
        4: ["总体满意，希望加强绿化养护", "停车管理还可以再规范些", "服务不错，收费透明"],
        3: ["楼道卫生一般", "报修响应偏慢", "夜间巡逻不够"],
        2: ["电梯经常故障，维修拖延", "垃圾清运不及时", "门禁长期损坏没人修"],
        1: ["没人管理，楼道堆满杂物", "反映多次问题没有解决"],
    ]

    /// Weights of scores 1…5 by how the compound is managed.
    static func weights(_ mode: ManagementMode) -> [Double] {
        switch mode {
        case .company: return [2, 4, 12, 42, 40]
        case .quasi: return [5, 12, 33, 35, 15]
        case .unmanaged: return [20, 30, 30, 15, 5]
        }
    }

    /// The ratings written: this year's and last year's.
    @discardableResult
    public static func load(on db: any Database, seed: UInt64, today: CivilDate, now: Int64) async throws -> (thisYear: Int, lastYear: Int) {
        let sql = SQLHelpers.sql(db)
        // One active resident per household (the first by id), for who rated.
        var rater: [UUID: UUID] = [:]
        for row in try await sql.raw("""
            SELECT r.household_id, r.id FROM residents r JOIN households h ON h.id = r.household_id
            JOIN property_compound_buildings pb ON pb.building_id = h.building_id
            WHERE r.life_status = \(bind: LifeStatus.active.rawValue) ORDER BY r.household_id, r.id
            """).all() {
            let h = try row.decode(column: "household_id", as: UUID.self)
            if rater[h] == nil { rater[h] = try row.decode(column: "id", as: UUID.self) }
        }
        var bulk = BulkInsert("property_ratings", ["id", "compound_id", "company_id", "community_code", "household_id", "year", "score", "comment",
                                                   "resident_id", "created_at"])
        var batches: [BulkInsert.Batch] = []
        var n = 0, thisYear = 0
        // This year up to today, then last year whole (a stream of its own, so this year's ratings stay as they were),
        // each rating the company whose contract was in force at the end of that period.
        let lastYear = today.year - 1
        for (year, day, share, salt) in [(today.year, today, 0.4, UInt64(0x9E_0934)), (lastYear, CivilDate(year: lastYear, month: 12, day: 31)!, 0.35, UInt64(0x9E_1934))] {
            var rng = SeededRandom(seed: seed ^ salt)
            let households = try await sql.raw("""
                SELECT h.id AS household_id, pb.compound_id, c.community_code, c.quasi_services, k.company_id
                FROM households h JOIN property_compound_buildings pb ON pb.building_id = h.building_id JOIN property_compounds c ON c.id = pb.compound_id
                LEFT JOIN property_contracts k ON k.compound_id = c.id AND k.starts_on <= \(bind: day.description) AND k.ends_on >= \(bind: day.description)
                ORDER BY c.community_code, pb.compound_id, h.id
                """).all()
            let (from, to) = PropertyRatingRules.yearSeconds(year)
            let span = max(Int64(1), min(now, to - 1) - from)
            for row in households {
                let household = try row.decode(column: "household_id", as: UUID.self)
                guard let resident = rater[household], rng.chance(share) else { continue }
                let company = try row.decode(column: "company_id", as: UUID?.self)
                let mode = PropertyRules.mode(contractInForce: company != nil, quasiServices: PropertyService.decode(try row.decode(column: "quasi_services", as: String.self)))
                let w = weights(mode)
                let score = rng.weighted(Array(zip(1...5, w)))
                let comment: String? = rng.chance(0.15) ? comments[score].map { $0[rng.int(0...($0.count - 1))] } : nil
                bulk.add([rng.uuid(), try row.decode(column: "compound_id", as: UUID.self), company, try row.decode(column: "community_code", as: String.self),
                          household, year, score, comment, resident, from + Int64(rng.int(0...Int(span)))])
                if bulk.isFull, let x = bulk.take() { batches.append(x) }
                n += 1
            }
            if year == today.year { thisYear = n }
        }
        if let x = bulk.take() { batches.append(x) }
        guard n > 0 else { return (0, 0) }
        let total = n, ready = batches, lastYearCount = n - thisYear
        try await db.writeTransaction(bulk: true) { db in
            for x in ready { try await x.run(on: db) }
            try await AuditLog.append([AuditEvent(PropertyAudit.demoLoad, target: .table("property_ratings"), detail: ["ratings": String(total)])],
                                      by: .system("demo"), on: db)
        }
        return (thisYear, lastYearCount)
    }
}
