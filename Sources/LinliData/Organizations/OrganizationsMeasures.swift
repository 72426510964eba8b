import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 社会组织's measures for report-once forms: the organizations a community has on the register.
public struct OrganizationsMeasures: MeasureSource {
    public init() {}

    static let registered = MeasureDefinition(
        id: "organizations.registered", label: "社会组织数", kind: .count, unit: "个",
        filters: [MeasureFilter("registration", "登记方式", .choice(OrganizationRegistration.allCases.map { MeasureChoice($0.rawValue, $0.label) }))],
        note: "统计日期前登记或备案、未注销、服务范围为该社区的社会组织（服务范围为街道的不计入社区）；注销状态取现时状态。")

    public var definitions: [MeasureDefinition] { [Self.registered] }

    public func values(of measure: MeasureDefinition, filters: [String: String], communities: [String],
                       context: MeasureContext) async throws -> [String: Int64] {
        guard measure.id == Self.registered.id, !communities.isEmpty else { return [:] }
        let community = SQLColumn("division_code")
        var q = SQLHelpers.sql(context.db).select().column(community, as: "c").column(MeasureSQL.count, as: "n")
            .from("organizations")
            .wherePrefix("division_code", MeasureContext.commonPrefix(communities), sqlite: context.db.isSQLite)
            .where("status", .notEqual, SQLBind(OrganizationStatus.deregistered.rawValue))
            .where("registered_on", .lessThanOrEqual, SQLBind(context.date.description))
        if let r = filters["registration"] { q = q.where("registration", .equal, SQLBind(r)) }
        return try await MeasureSQL.grouped(q, by: community, communities: communities)
    }
}
