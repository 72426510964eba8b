import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 网格化管理 / 网上受理's measures for report-once forms: requests received, closed on time and still open per
/// community. A request counts in the community of its place (its grid or community code).
public struct RequestMeasures: MeasureSource {
    public init() {}

    /// 居民诉求 (reported on the web, by Open311 or by a deliberation) or 网格事件 (found on a grid worker's patrol).
    static let kind = MeasureFilter("kind", "来源", .choice([MeasureChoice("request", "居民诉求"), MeasureChoice("event", "网格巡查事件")]))

    static let received = MeasureDefinition(
        id: "requests.received", label: "受理诉求事件数", kind: .count, unit: "件", filters: [MeasurePeriod.filter, kind],
        note: "统计期（本年度或本季度，缺省为本年度）内至统计日期反映的诉求和事件，按所在网格的社区计。")

    static let closedOnTime = MeasureDefinition(
        id: "requests.closed_on_time", label: "按期办结数", kind: .count, unit: "件", filters: [MeasurePeriod.filter, kind],
        note: "统计期内至统计日期办结、且在处置时限内办理完毕的诉求和事件。")

    static let open = MeasureDefinition(
        id: "requests.open", label: "未办结数", kind: .count, unit: "件", filters: [kind],
        note: "尚未办结（未关闭、未不予受理）的诉求和事件，取现时状态。")

    public var definitions: [MeasureDefinition] { [Self.received, Self.closedOnTime, Self.open] }

    public func values(of measure: MeasureDefinition, filters: [String: String], communities: [String],
                       context: MeasureContext) async throws -> [String: Int64] {
        guard !communities.isEmpty else { return [:] }
        let sql = SQLHelpers.sql(context.db)
        let community = MeasureContext.community(of: "area_code")
        let period = MeasurePeriod.seconds(filters, on: context.date)
        var q = sql.select().column(community, as: "c").column(MeasureSQL.count, as: "n").from("requests")
            .wherePrefix("area_code", MeasureContext.commonPrefix(communities), sqlite: context.db.isSQLite)
        switch measure.id {
        case Self.received.id:
            q = q.where("reported_at", .greaterThanOrEqual, SQLBind(period.start)).where("reported_at", .lessThan, SQLBind(period.end))
        case Self.closedOnTime.id:
            q = q.where("status", .equal, SQLBind(RequestStatus.closed.rawValue))
                .where("closed_at", .greaterThanOrEqual, SQLBind(period.start)).where("closed_at", .lessThan, SQLBind(period.end))
                .where(SQLColumn("resolved_at"), .lessThanOrEqual, SQLColumn("due_at"))
        case Self.open.id:
            q = q.where("status", .notIn, SQLBind.group([RequestStatus.closed.rawValue, RequestStatus.refused.rawValue]))
        default: return [:]
        }
        if let k = filters["kind"] { q = q.where("channel", k == "event" ? .equal : .notEqual, SQLBind("patrol")) }
        return try await MeasureSQL.grouped(q, by: community, communities: communities)
    }
}
