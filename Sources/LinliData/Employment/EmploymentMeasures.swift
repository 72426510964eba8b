import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 就业援助's measures for report-once forms: registered unemployed people per community.
public struct EmploymentMeasures: MeasureSource {
    public init() {}

    static let registeredUnemployed = MeasureDefinition(
        id: "employment.registered_unemployed", label: "登记失业人数", kind: .count, unit: "人",
        filters: [MeasureFilter("designated", "就业困难人员", .flag)],
        note: "统计日期前登记、尚未退出的失业登记，一人一条；是否退出和就业困难认定取现时状态。")

    public var definitions: [MeasureDefinition] { [Self.registeredUnemployed] }

    public func values(of measure: MeasureDefinition, filters: [String: String], communities: [String],
                       context: MeasureContext) async throws -> [String: Int64] {
        guard measure.id == Self.registeredUnemployed.id, !communities.isEmpty else { return [:] }
        let community = SQLColumn("community_code")
        var q = SQLHelpers.sql(context.db).select().column(community, as: "c").column(MeasureSQL.count, as: "n")
            .from("employment_registrations")
            .wherePrefix("community_code", MeasureContext.commonPrefix(communities), sqlite: context.db.isSQLite)
            .where("status", .equal, SQLBind("open"))
            .where("registered_on", .lessThanOrEqual, SQLBind(context.date.description))
        if let d = MeasureSQL.flag(filters, "designated") { q = q.where("designated", .equal, SQLBind(d)) }
        return try await MeasureSQL.grouped(q, by: community, communities: communities)
    }
}
