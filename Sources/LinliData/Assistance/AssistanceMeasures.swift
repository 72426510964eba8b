import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 社会救助's measures for report-once forms: households and people on 低保 now, and what was paid in a period.
public struct AssistanceMeasures: MeasureSource {
    public init() {}

    static let dibaoHouseholds = MeasureDefinition(
        id: "assistance.dibao_households", label: "低保户数", kind: .count, unit: "户",
        note: "已批准、仍在保的最低生活保障案件，一户一件；在保状态取现时状态。")

    static let dibaoPersons = MeasureDefinition(
        id: "assistance.dibao_persons", label: "低保人数", kind: .sum, unit: "人",
        note: "已批准、仍在保的最低生活保障案件的保障人数之和；取现时状态。")

    static let paid = MeasureDefinition(
        id: "assistance.paid", label: "救助金发放金额", kind: .sum, unit: "元",
        filters: [MeasureFilter("kind", "救助类别", .choice(AssistanceKind.allCases.map { MeasureChoice($0.rawValue, $0.label) })),
                  MeasurePeriod.filter],
        note: "已发放的救助金（单位为元，含更正行），按发放所属月份计入统计期（本年度或本季度，至统计日期所在月）。")

    public var definitions: [MeasureDefinition] { [Self.dibaoHouseholds, Self.dibaoPersons, Self.paid] }

    public func values(of measure: MeasureDefinition, filters: [String: String], communities: [String],
                       context: MeasureContext) async throws -> [String: Int64] {
        guard !communities.isEmpty else { return [:] }
        let sql = SQLHelpers.sql(context.db), prefix = MeasureContext.commonPrefix(communities)
        let community = SQLColumn("community_code")
        if measure.id == Self.paid.id {
            let period = MeasurePeriod.days(filters, on: context.date)
            let month = { (d: CivilDate) in String(d.description.prefix(7)) }
            var q = sql.select().column(community, as: "c").column(MeasureSQL.sum("amount"), as: "n").from("assistance_payments")
                .where("status", .equal, SQLBind(AssistancePaymentStatus.paid.rawValue))
                .where("month", .greaterThanOrEqual, SQLBind(month(period.start)))
                .where("month", .lessThanOrEqual, SQLBind(month(context.date)))
                .wherePrefix("community_code", prefix, sqlite: context.db.isSQLite)
            if let k = filters["kind"] { q = q.where("kind", .equal, SQLBind(k)) }
            return try await MeasureSQL.grouped(q, by: community, communities: communities)
        }
        let value = measure.id == Self.dibaoPersons.id ? MeasureSQL.sum("members") : MeasureSQL.count
        let q = sql.select().column(community, as: "c").column(value, as: "n").from("assistance_cases")
            .where("stage", .equal, SQLBind(AssistanceStage.approved.rawValue))
            .where("kind", .equal, SQLBind(AssistanceKind.dibao.rawValue))
            .wherePrefix("community_code", prefix, sqlite: context.db.isSQLite)
        return try await MeasureSQL.grouped(q, by: community, communities: communities)
    }
}
