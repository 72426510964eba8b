import FluentKit
import Foundation
import LinliCore
import SQLKit

/// The registry's measures for report-once forms: residents and households per community.
public struct RegistryMeasures: MeasureSource {
    public init() {}

    static let residents = MeasureDefinition(
        id: "registry.residents", label: "居民人数", kind: .count, unit: "人",
        filters: [MeasureFilter("age_min", "年龄不小于", .integer(0...150)),
                  MeasureFilter("age_max", "年龄不大于", .integer(0...150)),
                  MeasureFilter("sex", "性别", .choice([MeasureChoice("male", "男"), MeasureChoice("female", "女")])),
                  MeasureFilter("residence_status", "居住类型", .choice(ResidenceStatus.allCases.map { MeasureChoice($0.rawValue, $0.label) })),
                  MeasureFilter("tag", "标记", .choice(ResidentTag.allCases.map { MeasureChoice($0.rawValue, $0.label) }))],
        note: "人口登记中在册（未死亡、未迁出）的居民；年龄按报表的统计日期计算。")

    static let households = MeasureDefinition(
        id: "registry.households", label: "户数", kind: .count, unit: "户", note: "人口登记中的户。")

    public var definitions: [MeasureDefinition] { [Self.residents, Self.households] }

    public func values(of measure: MeasureDefinition, filters: [String: String], communities: [String],
                       context: MeasureContext) async throws -> [String: Int64] {
        guard !communities.isEmpty else { return [:] }
        let sql = SQLHelpers.sql(context.db)
        let prefix = MeasureContext.commonPrefix(communities)
        let table = measure.id == Self.households.id ? Household.schema : Resident.schema
        var q = sql.select().column(MeasureContext.community(of: "grid_code", table: "r"), as: "c")
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from(SQLAlias(SQLIdentifier(table), as: SQLIdentifier("r")))
            .wherePrefix("r.grid_code", prefix, sqlite: context.db.isSQLite)
        if measure.id == Self.residents.id {
            q = q.where(SQLColumn("life_status", table: "r"), .equal, SQLBind(LifeStatus.active.rawValue))
            if let a = filters["age_min"].flatMap(Int.init) {
                q = q.where(SQLColumn("birth_date", table: "r"), .lessThanOrEqual, SQLBind(context.date.yearsEarlier(a).description))
            }
            if let a = filters["age_max"].flatMap(Int.init) {
                q = q.where(SQLColumn("birth_date", table: "r"), .greaterThan, SQLBind(context.date.yearsEarlier(a + 1).description))
            }
            if let s = filters["sex"] { q = q.where(SQLColumn("sex", table: "r"), .equal, SQLBind(s)) }
            if let s = filters["residence_status"] { q = q.where(SQLColumn("residence_status", table: "r"), .equal, SQLBind(s)) }
            if let t = filters["tag"] {
                q = q.where(SQLColumn("id", table: "r"), .in, SQLGroupExpression(
                    sql.select().column("resident_id").from(ResidentTagRow.schema).where("tag", .equal, SQLBind(t)).select))
            }
        }
        let wanted = Set(communities)
        var out: [String: Int64] = [:]
        for row in try await q.groupBy(MeasureContext.community(of: "grid_code", table: "r")).all() {
            let c = try row.decode(column: "c", as: String.self)
            if wanted.contains(c) { out[c] = try row.decode(column: "n", as: Int64.self) }
        }
        return out
    }
}
