import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 技能培训's measures for report-once forms: the residents of a community enrolled in a period.
public struct TrainingMeasures: MeasureSource {
    public init() {}

    static let trainees = MeasureDefinition(
        id: "training.trainees", label: "参加培训人次", kind: .count, unit: "人次", filters: [MeasurePeriod.filter],
        note: "统计期（本年度或本季度，缺省为本年度）内至统计日期报名参加培训的人次，按学员所在网格的社区计。")

    public var definitions: [MeasureDefinition] { [Self.trainees] }

    public func values(of measure: MeasureDefinition, filters: [String: String], communities: [String],
                       context: MeasureContext) async throws -> [String: Int64] {
        guard measure.id == Self.trainees.id, !communities.isEmpty else { return [:] }
        let period = MeasurePeriod.days(filters, on: context.date)
        let community = MeasureContext.community(of: "grid_code")
        let q = SQLHelpers.sql(context.db).select().column(community, as: "c").column(MeasureSQL.count, as: "n")
            .from("training_enrolments")
            .wherePrefix("grid_code", MeasureContext.commonPrefix(communities), sqlite: context.db.isSQLite)
            .where("enrolled_on", .greaterThanOrEqual, SQLBind(period.start.description))
            .where("enrolled_on", .lessThan, SQLBind(period.end.description))
        return try await MeasureSQL.grouped(q, by: community, communities: communities)
    }
}
