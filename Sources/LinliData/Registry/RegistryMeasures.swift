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
        note: "人口登记中在册（未死亡、未迁出）的居民；年龄（含60岁以上、80岁以上标记）按报表的统计日期计算，其余标记和居住类型取现时状态。")

    static let households = MeasureDefinition(
        id: "registry.households", label: "户数", kind: .count, unit: "户", note: "人口登记中的户，取现时状态。")

    static let veteransRoll = MeasureDefinition(
        id: "registry.veterans_roll", label: "退役军人名单", kind: .list, unit: "人",
        columns: [MeasureColumn("name", "姓名"), MeasureColumn("sex", "性别"), MeasureColumn("birth_date", "出生日期"),
                  MeasureColumn("grid", "网格"), MeasureColumn("phone", "联系电话", sensitive: true),
                  MeasureColumn("id_number", "身份证号", sensitive: true)],
        note: "人口登记中在册、带“退役军人”标记的居民，按网格、姓名排列；标记取现时状态。")

    public var definitions: [MeasureDefinition] { [Self.residents, Self.households, Self.veteransRoll] }

    public func rows(of measure: MeasureDefinition, filters: [String: String], community: String, reveal: Bool,
                     context: MeasureContext) async throws -> [[String]] {
        guard measure.id == Self.veteransRoll.id else { return [] }
        let sql = SQLHelpers.sql(context.db)
        let sealed: [String] = reveal ? ["id_cipher", "phone_cipher"] : []
        let q = sql.select().columns("name", "sex", "birth_date", "grid_code", "id_masked", "phone_masked").columns(sealed)
            .from(Resident.schema)
            .where("life_status", .equal, SQLBind(LifeStatus.active.rawValue))
            .wherePrefix("grid_code", community, sqlite: context.db.isSQLite)
            .where(SQLColumn("id"), .in, SQLGroupExpression(
                sql.select().column("resident_id").from(ResidentTagRow.schema).where("tag", .equal, SQLBind(ResidentTag.veteran.rawValue)).select))
            .orderBy("grid_code").orderBy("name_pinyin").orderBy("id")
        return try await q.all().map { row in
            let n = try MeasureSQL.numbers(row, reveal: reveal, context: context)
            return [try row.decode(column: "name", as: String.self), Sex(rawValue: try row.decode(column: "sex", as: String.self))?.label ?? "",
                    try row.decode(column: "birth_date", as: String.self), try row.decode(column: "grid_code", as: String.self), n.phone, n.id]
        }
    }

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
            if let t = filters["tag"].flatMap(ResidentTag.init(rawValue:)), let age = t.minimumAge {
                // 60+ and 80+ follow from the birth date and are never stored as tags.
                q = q.where(SQLColumn("birth_date", table: "r"), .lessThanOrEqual, SQLBind(context.date.yearsEarlier(age).description))
            } else if let t = filters["tag"] {
                q = q.where(SQLColumn("id", table: "r"), .in, SQLGroupExpression(
                    sql.select().column("resident_id").from(ResidentTagRow.schema).where("tag", .equal, SQLBind(t)).select))
            }
        }
        return try await MeasureSQL.grouped(q, by: MeasureContext.community(of: "grid_code", table: "r"), communities: communities)
    }
}
