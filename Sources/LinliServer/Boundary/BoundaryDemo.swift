import FluentKit
import Foundation
import LinliCore
import LinliData
import SQLKit

/// 区划调整 in the demo district: one change in the past — the two smallest communities of 沿江街道 merged into one, half a
/// year ago, so the new community's page shows its predecessors and its residents' pages their history — and one pending:
/// an approved merge of two grids of 凤凰街道's first community, effective next month. Both go through the same rules and
/// the same one-transaction apply as the console's orders. Tests and CI use 寺巷街道 and 野徐镇, which this leaves alone.
struct BoundaryDemo: DemoStep {
    static let mergedStreet = "321271005000"
    static let pendingStreet = "321271004000"

    func load(_ demo: DemoContext) async throws -> String? {
        let sql = demo.db as! any SQLDatabase
        let actor = AuditActor.system("demo")
        // The two communities of the street with the fewest households (ties by code).
        let counts = Dictionary(uniqueKeysWithValues: try await sql.raw("""
            SELECT SUBSTR(grid_code, 1, 12) AS c, COUNT(*) AS n FROM households WHERE grid_code LIKE \(bind: String(Self.mergedStreet.prefix(9)) + "%")
            GROUP BY SUBSTR(grid_code, 1, 12)
            """).all().map { (try $0.decode(column: "c", as: String.self), try $0.decode(column: "n", as: Int.self)) })
        let sizes = try await sql.raw("""
            SELECT code, name FROM divisions WHERE level = 'community' AND kind = '社区' AND code LIKE \(bind: String(Self.mergedStreet.prefix(9)) + "%")
            ORDER BY code
            """).all().map { (code: try $0.decode(column: "code", as: String.self), name: try $0.decode(column: "name", as: String.self)) }
            .sorted { (counts[$0.code] ?? 0, $0.code) < (counts[$1.code] ?? 0, $1.code) }
        guard sizes.count >= 3 else { return nil }
        let pair = Array(sizes.prefix(2)).sorted { $0.code < $1.code }
        let stem = { (n: String) in n.replacingOccurrences(of: "社区", with: "") }
        let past = demo.today.adding(days: -182)
        let year = past.year
        let then = BoundaryQueries(demo.db, today: past)
        let merge = try await then.create(BoundaryInput(kind: .merge, sources: pair.map(\.code), newNames: [stem(pair[0].name) + stem(pair[1].name) + "社区"],
                                                        effectiveOn: past, documentNo: "泰高新政复〔\(year)〕8号",
                                                        documentTitle: "关于同意调整沿江街道部分社区区划的批复"),
                                          in: .everything, by: actor)
        _ = try await then.decide(merge.id, approve: true, version: merge.version, in: .everything, by: actor)
        let applied = try await then.apply(merge.id, version: nil, columns: Capabilities.divisionColumns, in: .everything, by: actor)

        // The pending order: two grids of 凤凰街道's first community, approved, effective in a month.
        let now = BoundaryQueries(demo.db, today: demo.today)
        let grids = try await sql.select().columns("code", "name").from(Division.schema)
            .where("level", .equal, SQLBind(DivisionLevel.grid.rawValue)).where("code", .like, SQLBind(String(Self.pendingStreet.prefix(9)) + "001%"))
            .orderBy("code").limit(2).all().map { try $0.decode(column: "code", as: String.self) }
        var pending: BoundaryOrderRecord?
        if grids.count == 2 {
            let o = try await now.create(BoundaryInput(kind: .merge, sources: grids, newNames: ["凤凰联合网格"], effectiveOn: demo.today.adding(days: 31),
                                                       documentNo: "泰高新政复〔\(demo.today.year)〕21号", documentTitle: "关于同意调整凤凰社区网格的批复"),
                                         in: .everything, by: actor)
            pending = try await now.decide(o.id, approve: true, version: o.version, in: .everything, by: actor)
        }
        let newName = applied.newNames.first ?? ""
        return "区划调整：\(past) \(pair[0].name)、\(pair[1].name)合并为\(newName)（\(applied.plan?.created.first?.code ?? "")）"
            + (pending.map { "；待实施 1 件（\($0.effectiveOn) 网格合并）" } ?? "") + "。"
    }
}
