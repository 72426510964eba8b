import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 社工队伍's measures for report-once forms: a community's workers (by post, form of employment, certified or not)
/// and the training hours of the year of the reference date.
public struct WorkersMeasures: MeasureSource {
    public init() {}

    static let workers = MeasureDefinition(
        id: "workers.count", label: "社区工作者人数", kind: .count, unit: "人",
        filters: [MeasureFilter("post", "岗位", .choice(WorkerPost.allCases.map { MeasureChoice($0.rawValue, $0.label) })),
                  MeasureFilter("employment", "用工方式", .choice(EmploymentForm.allCases.map { MeasureChoice($0.rawValue, $0.label) })),
                  MeasureFilter("qualified", "持职业水平证书", .choice([MeasureChoice("yes", "持证"), MeasureChoice("no", "未持证")]))],
        note: "花名册上所在区划为该社区的社区工作者（镇街、区工作人员不计入社区）；岗位、用工方式和持证情况取现时记录。")
    static let training = MeasureDefinition(
        id: "workers.training_hours", label: "社区工作者培训学时", kind: .sum, unit: "学时", filters: [],
        note: "该社区工作者在统计日期所在年度登记的培训学时合计。")

    public var definitions: [MeasureDefinition] { [Self.workers, Self.training] }

    public func values(of measure: MeasureDefinition, filters: [String: String], communities: [String],
                       context: MeasureContext) async throws -> [String: Int64] {
        guard !communities.isEmpty else { return [:] }
        let sql = SQLHelpers.sql(context.db), prefix = MeasureContext.commonPrefix(communities), sqlite = context.db.isSQLite
        switch measure.id {
        case Self.workers.id:
            let community = SQLColumn("division_code")
            var q = sql.select().column(community, as: "c").column(MeasureSQL.count, as: "n").from("workers")
                .wherePrefix("division_code", prefix, sqlite: sqlite)
            if let p = filters["post"] { q = q.where("post", .equal, SQLBind(p)) }
            if let e = filters["employment"] { q = q.where("employment", .equal, SQLBind(e)) }
            if let ql = filters["qualified"] { q = q.where("qualification", ql == "yes" ? .isNot : .is, SQLLiteral.null) }
            return try await MeasureSQL.grouped(q, by: community, communities: communities)
        case Self.training.id:
            let community = SQLColumn("division_code", table: "w")
            let q = sql.select().column(community, as: "c").column(SQLRaw("CAST(sum(t.hours) AS BIGINT)"), as: "n")
                .from(SQLAlias(SQLIdentifier("worker_training"), as: SQLIdentifier("t")))
                .join(SQLAlias(SQLIdentifier("workers"), as: SQLIdentifier("w")), method: SQLJoinMethod.inner,
                      on: SQLColumn("id", table: "w"), .equal, SQLColumn("worker_id", table: "t"))
                .wherePrefix("w.division_code", prefix, sqlite: sqlite)
                .where(SQLColumn("year", table: "t"), .equal, SQLBind(context.date.year))
            return try await MeasureSQL.grouped(q, by: community, communities: communities)
        default:
            return [:]
        }
    }
}
