import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 社区生活's measures for report-once forms: the venues a community keeps open to residents, the hours booked in
/// the reference date's year (from the monthly tallies), and the activities held that year.
public struct LifeMeasures: MeasureSource {
    public init() {}

    static let venues = MeasureDefinition(
        id: "life.venues", label: "向居民开放的文体场地数", kind: .count, unit: "处",
        note: "社区自有和辖区单位开放、可预约的场地；开放状态取现时状态。")
    static let hours = MeasureDefinition(
        id: "life.hours_booked", label: "场地预约小时数", kind: .sum, unit: "小时",
        note: "参考日期所在年度1月1日至12月31日的场地预约时长（取消的不计，爽约的计入），按小时取整。")
    static let activities = MeasureDefinition(
        id: "life.activities_held", label: "举办社区活动场次", kind: .count, unit: "场",
        note: "参考日期所在年度已举办并登记签到的文化、体育、科普和普法活动。")

    public var definitions: [MeasureDefinition] { [Self.venues, Self.hours, Self.activities] }

    public func values(of measure: MeasureDefinition, filters: [String: String], communities: [String],
                       context: MeasureContext) async throws -> [String: Int64] {
        guard !communities.isEmpty else { return [:] }
        let sql = SQLHelpers.sql(context.db), community = SQLColumn("community_code"), prefix = MeasureContext.commonPrefix(communities)
        let year = String(format: "%04d", context.date.year)
        switch measure.id {
        case Self.venues.id:
            let q = sql.select().column(community, as: "c").column(MeasureSQL.count, as: "n").from("life_venues")
                .wherePrefix("community_code", prefix, sqlite: context.db.isSQLite).where("open", .equal, SQLBind(true))
            return try await MeasureSQL.grouped(q, by: community, communities: communities)
        case Self.hours.id:
            let q = sql.select().column(community, as: "c").column(MeasureSQL.sum("minutes"), as: "n").from("life_venue_months")
                .wherePrefix("community_code", prefix, sqlite: context.db.isSQLite)
                .where("month", .greaterThanOrEqual, SQLBind(year + "-01")).where("month", .lessThanOrEqual, SQLBind(year + "-12"))
            return try await MeasureSQL.grouped(q, by: community, communities: communities).mapValues { $0 / 60 }
        case Self.activities.id:
            let q = sql.select().column(community, as: "c").column(MeasureSQL.count, as: "n").from("life_activities")
                .wherePrefix("community_code", prefix, sqlite: context.db.isSQLite).where("status", .equal, SQLBind(ActivityStatus.held.rawValue))
                .where("day", .greaterThanOrEqual, SQLBind(year + "-01-01")).where("day", .lessThanOrEqual, SQLBind(year + "-12-31"))
            return try await MeasureSQL.grouped(q, by: community, communities: communities)
        default:
            return [:]
        }
    }
}
