import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 设施与服务圈's measures for report-once forms: a community's facilities by kind, and its residents within reach
/// of a kind or of a whole life circle (from the coverage snapshot).
public struct FacilitiesMeasures: MeasureSource {
    public init() {}

    static let kinds = FacilityKind.allCases.map { MeasureChoice($0.rawValue, $0.label) }

    static let facilities = MeasureDefinition(
        id: "facilities.count", label: "服务设施数", kind: .count, unit: "处",
        filters: [MeasureFilter("kind", "设施类型", .choice(kinds))],
        note: "设施台账登记在该社区的服务设施（含居家养老服务设施）；取现时台账。")

    static let covered = MeasureDefinition(
        id: "facilities.residents_covered", label: "服务半径内的居民数", kind: .count, unit: "人",
        filters: [MeasureFilter("kind", "设施类型或生活圈（不选为10分钟生活圈）",
                                .choice(kinds + ServiceCircle.allCases.map { MeasureChoice(CoverageRow.circleKey($0), $0.label) }))],
        note: "所住楼栋到最近一处该类设施的直线距离乘以绕行系数不超过服务半径的在册居民；生活圈为该圈各类设施都覆盖。取最近一次覆盖计算的结果。")

    public var definitions: [MeasureDefinition] { [Self.facilities, Self.covered] }

    public func values(of measure: MeasureDefinition, filters: [String: String], communities: [String],
                       context: MeasureContext) async throws -> [String: Int64] {
        guard !communities.isEmpty else { return [:] }
        let sql = SQLHelpers.sql(context.db), prefix = MeasureContext.commonPrefix(communities), sqlite = context.db.isSQLite
        let community = SQLColumn("community_code")
        switch measure.id {
        case Self.facilities.id:
            var q = sql.select().column(community, as: "c").column(MeasureSQL.count, as: "n").from("facilities")
                .wherePrefix("community_code", prefix, sqlite: sqlite)
            if let k = filters["kind"] { q = q.where("kind", .equal, SQLBind(k)) }
            return try await MeasureSQL.grouped(q, by: community, communities: communities)
        case Self.covered.id:
            let q = sql.select().column(community, as: "c").column(SQLRaw("CAST(SUM(residents_covered) AS BIGINT)"), as: "n").from("facility_coverage")
                .wherePrefix("community_code", prefix, sqlite: sqlite)
                .where("kind", .equal, SQLBind(filters["kind"] ?? CoverageRow.circleKey(.ten)))
            return try await MeasureSQL.grouped(q, by: community, communities: communities)
        default:
            return [:]
        }
    }
}
