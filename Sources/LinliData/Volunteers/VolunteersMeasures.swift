import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 志愿者's measures for report-once forms: registered volunteers and verified service hours per community.
public struct VolunteersMeasures: MeasureSource {
    public init() {}

    static let registered = MeasureDefinition(
        id: "volunteers.registered", label: "注册志愿者人数", kind: .count, unit: "人",
        note: "统计日期前登记、已确认或已签约且未退出的志愿者，按登记社区计；状态取现时状态。")

    static let hours = MeasureDefinition(
        id: "volunteers.hours", label: "志愿服务时长", kind: .sum, unit: "小时", filters: [MeasurePeriod.filter],
        note: "统计期（本年度或本季度，缺省为本年度）内至统计日期核实的服务时长（含更正），按分钟累计后四舍五入为小时。")

    public var definitions: [MeasureDefinition] { [Self.registered, Self.hours] }

    public func values(of measure: MeasureDefinition, filters: [String: String], communities: [String],
                       context: MeasureContext) async throws -> [String: Int64] {
        guard !communities.isEmpty else { return [:] }
        let sql = SQLHelpers.sql(context.db), prefix = MeasureContext.commonPrefix(communities), sqlite = context.db.isSQLite
        let community = SQLColumn("community_code")
        if measure.id == Self.hours.id {
            let period = MeasurePeriod.days(filters, on: context.date)
            let q = sql.select().column(community, as: "c").column(MeasureSQL.sum("minutes"), as: "n").from("volunteer_hours")
                .wherePrefix("community_code", prefix, sqlite: sqlite)
                .where("served_on", .greaterThanOrEqual, SQLBind(period.start.description))
                .where("served_on", .lessThan, SQLBind(period.end.description))
            // Minutes to hours, half up, after summing (so no community loses its odd minutes).
            return try await MeasureSQL.grouped(q, by: community, communities: communities).mapValues { ($0 + 30) / 60 }.filter { $0.value != 0 }
        }
        guard measure.id == Self.registered.id else { return [:] }
        let q = sql.select().column(community, as: "c").column(MeasureSQL.count, as: "n").from("volunteers")
            .wherePrefix("community_code", prefix, sqlite: sqlite)
            .where("state", .in, SQLBind.group([VolunteerState.confirmed.rawValue, VolunteerState.signed.rawValue]))
            .where("registered_on", .lessThanOrEqual, SQLBind(context.date.description))
        return try await MeasureSQL.grouped(q, by: community, communities: communities)
    }
}
