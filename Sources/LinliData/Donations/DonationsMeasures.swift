import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 捐赠物资接收点's measures for report-once forms: the points a community keeps open.
public struct DonationsMeasures: MeasureSource {
    public init() {}

    static let points = MeasureDefinition(
        id: "donations.points", label: "捐赠物资接收点数", kind: .count, unit: "个",
        note: "社区设立、正在开放的捐赠物资接收点；开放状态取现时状态。")

    public var definitions: [MeasureDefinition] { [Self.points] }

    public func values(of measure: MeasureDefinition, filters: [String: String], communities: [String],
                       context: MeasureContext) async throws -> [String: Int64] {
        guard measure.id == Self.points.id, !communities.isEmpty else { return [:] }
        let community = SQLColumn("community_code")
        let q = SQLHelpers.sql(context.db).select().column(community, as: "c").column(MeasureSQL.count, as: "n")
            .from("donation_points")
            .wherePrefix("community_code", MeasureContext.commonPrefix(communities), sqlite: context.db.isSQLite)
            .where("open", .equal, SQLBind(true))
        return try await MeasureSQL.grouped(q, by: community, communities: communities)
    }
}
