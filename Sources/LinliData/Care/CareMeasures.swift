import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 居家养老's measures for report-once forms: the elders of the roll (active residents 60+) per community, and
/// their roll with care level and whether they live alone.
public struct CareMeasures: MeasureSource {
    public init() {}

    static let filters = [MeasureFilter("living_alone", "独居", .flag),
                          MeasureFilter("care_level", "能力等级", .choice(CareLevel.allCases.map { MeasureChoice($0.rawValue, $0.label) })),
                          MeasureFilter("age_min", "年龄不小于", .integer(60...150))]

    static let elders = MeasureDefinition(
        id: "care.elders", label: "居家养老老人数", kind: .count, unit: "人", filters: filters,
        note: "人口登记中在册、按统计日期年满60周岁（或所填年龄）的居民；独居标记和能力等级（最近一次评估）取现时状态。")

    static let eldersRoll = MeasureDefinition(
        id: "care.elders_roll", label: "居家养老老人名单", kind: .list, unit: "人", filters: filters,
        columns: [MeasureColumn("name", "姓名"), MeasureColumn("age", "年龄"), MeasureColumn("grid", "网格"),
                  MeasureColumn("care_level", "能力等级"), MeasureColumn("living_alone", "独居"),
                  MeasureColumn("phone", "联系电话", sensitive: true)],
        note: "同“居家养老老人数”的老人，按网格、姓名排列；年龄按统计日期计算，未评估的能力等级为空。")

    public var definitions: [MeasureDefinition] { [Self.elders, Self.eldersRoll] }

    /// `residents r` left-joined to each elder's care state, with the filters applied.
    func select(_ sql: any SQLDatabase, filters: [String: String], prefix: String, context: MeasureContext) -> SQLSelectBuilder {
        let minAge = filters["age_min"].flatMap(Int.init) ?? 60
        var q = sql.select()
            .from(SQLAlias(SQLIdentifier(Resident.schema), as: SQLIdentifier("r")))
            .join(SQLAlias(SQLIdentifier("care_status"), as: SQLIdentifier("s")), method: SQLJoinMethod.left,
                  on: SQLColumn("resident_id", table: "s"), .equal, SQLColumn("id", table: "r"))
            .where(SQLColumn("life_status", table: "r"), .equal, SQLBind(LifeStatus.active.rawValue))
            .wherePrefix("r.grid_code", prefix, sqlite: context.db.isSQLite)
            .where(SQLColumn("birth_date", table: "r"), .lessThanOrEqual, SQLBind(context.date.yearsEarlier(minAge).description))
        if let level = filters["care_level"] { q = q.where(SQLColumn("level", table: "s"), .equal, SQLBind(level)) }
        if let alone = MeasureSQL.flag(filters, "living_alone") {
            q = q.where(SQLColumn("id", table: "r"), alone ? .in : .notIn, SQLGroupExpression(Self.aloneIDs(sql)))
        }
        return q
    }

    static func aloneIDs(_ sql: any SQLDatabase) -> any SQLExpression {
        sql.select().column("resident_id").from(ResidentTagRow.schema).where("tag", .equal, SQLBind(ResidentTag.livingAlone.rawValue)).select
    }

    public func values(of measure: MeasureDefinition, filters: [String: String], communities: [String],
                       context: MeasureContext) async throws -> [String: Int64] {
        guard measure.id == Self.elders.id, !communities.isEmpty else { return [:] }
        let sql = SQLHelpers.sql(context.db)
        let community = MeasureContext.community(of: "grid_code", table: "r")
        let q = select(sql, filters: filters, prefix: MeasureContext.commonPrefix(communities), context: context)
            .column(community, as: "c").column(MeasureSQL.count, as: "n")
        return try await MeasureSQL.grouped(q, by: community, communities: communities)
    }

    public func rows(of measure: MeasureDefinition, filters: [String: String], community: String, reveal: Bool,
                     context: MeasureContext) async throws -> [[String]] {
        guard measure.id == Self.eldersRoll.id else { return [] }
        let sql = SQLHelpers.sql(context.db)
        var q = select(sql, filters: filters, prefix: community, context: context)
            .column(SQLColumn("name", table: "r")).column(SQLColumn("birth_date", table: "r")).column(SQLColumn("grid_code", table: "r"))
            .column(SQLColumn("level", table: "s")).column(SQLColumn("phone_masked", table: "r"))
            .column(SQLRaw("CASE WHEN r.id IN (SELECT resident_id FROM resident_tags WHERE tag = 'living_alone') THEN 1 ELSE 0 END"), as: "alone")
        if reveal { q = q.column(SQLColumn("phone_cipher", table: "r")) }
        return try await q.orderBy(SQLColumn("grid_code", table: "r")).orderBy(SQLColumn("name_pinyin", table: "r"))
            .orderBy(SQLColumn("id", table: "r")).all().map { row in
                let born = CivilDate(try row.decode(column: "birth_date", as: String.self))
                let phone = try reveal ? row.decode(column: "phone_cipher", as: Data?.self).map { try context.cipher.open($0) } ?? ""
                    : row.decode(column: "phone_masked", as: String?.self) ?? ""
                return [try row.decode(column: "name", as: String.self), born.map { String($0.age(on: context.date)) } ?? "",
                        try row.decode(column: "grid_code", as: String.self),
                        try row.decode(column: "level", as: String?.self).flatMap(CareLevel.init(rawValue:))?.label ?? "",
                        try row.decode(column: "alone", as: Int.self) == 1 ? "是" : "否", phone]
            }
    }
}
