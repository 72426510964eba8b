import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 助残康复's measures for report-once forms: the holders of a valid 残疾人证 per community, by category and
/// grade, and their roll.
public struct DisabilityMeasures: MeasureSource {
    public init() {}

    static let filters = [MeasureFilter("kind", "残疾类别", .choice(DisabilityCategory.allCases.map { MeasureChoice($0.rawValue, $0.label) })),
                          MeasureFilter("grade", "残疾等级", .integer(1...4))]

    static let cardholders = MeasureDefinition(
        id: "disability.cardholders", label: "持证残疾人数", kind: .count, unit: "人", filters: filters,
        note: "残疾人证登记中有效的证，一人一证；类别和等级取现时状态。")

    static let roll = MeasureDefinition(
        id: "disability.roll", label: "持证残疾人名单", kind: .list, unit: "人", filters: filters,
        columns: [MeasureColumn("name", "姓名"), MeasureColumn("sex", "性别"), MeasureColumn("grid", "网格"),
                  MeasureColumn("kind", "残疾类别"), MeasureColumn("grade", "残疾等级"),
                  MeasureColumn("card_number", "残疾人证号", sensitive: true), MeasureColumn("phone", "联系电话", sensitive: true)],
        note: "同“持证残疾人数”的持证人，按网格、登记日期（新者在前）排列。")

    public var definitions: [MeasureDefinition] { [Self.cardholders, Self.roll] }

    func filtered(_ q: SQLSelectBuilder, filters: [String: String], prefix: String, sqlite: Bool) -> SQLSelectBuilder {
        var q = q.where(SQLColumn("status", table: "d"), .equal, SQLBind(DisabilityCardStatus.active.rawValue))
            .wherePrefix("d.grid_code", prefix, sqlite: sqlite)
        if let k = filters["kind"] { q = q.where(SQLColumn("category", table: "d"), .equal, SQLBind(k)) }
        if let g = filters["grade"].flatMap(Int.init) { q = q.where(SQLColumn("grade", table: "d"), .equal, SQLBind(g)) }
        return q
    }

    public func values(of measure: MeasureDefinition, filters: [String: String], communities: [String],
                       context: MeasureContext) async throws -> [String: Int64] {
        guard measure.id == Self.cardholders.id, !communities.isEmpty else { return [:] }
        let sql = SQLHelpers.sql(context.db)
        let community = MeasureContext.community(of: "grid_code", table: "d")
        let q = filtered(sql.select().column(community, as: "c").column(MeasureSQL.count, as: "n")
            .from(SQLAlias(SQLIdentifier("disability_cards"), as: SQLIdentifier("d"))),
                         filters: filters, prefix: MeasureContext.commonPrefix(communities), sqlite: context.db.isSQLite)
        return try await MeasureSQL.grouped(q, by: community, communities: communities)
    }

    public func rows(of measure: MeasureDefinition, filters: [String: String], community: String, reveal: Bool,
                     context: MeasureContext) async throws -> [[String]] {
        guard measure.id == Self.roll.id else { return [] }
        let sql = SQLHelpers.sql(context.db)
        var q = sql.select()
            .column(SQLColumn("name", table: "r")).column(SQLColumn("sex", table: "r")).column(SQLColumn("grid_code", table: "d"))
            .column(SQLColumn("category", table: "d")).column(SQLColumn("grade", table: "d"))
            .column(SQLColumn("number_masked", table: "d")).column(SQLColumn("phone_masked", table: "r"))
            .from(SQLAlias(SQLIdentifier("disability_cards"), as: SQLIdentifier("d")))
            .join(SQLAlias(SQLIdentifier(Resident.schema), as: SQLIdentifier("r")), method: SQLJoinMethod.inner,
                  on: SQLColumn("id", table: "r"), .equal, SQLColumn("resident_id", table: "d"))
        if reveal { q = q.column(SQLColumn("number_cipher", table: "d")).column(SQLColumn("phone_cipher", table: "r")) }
        q = filtered(q, filters: filters, prefix: community, sqlite: context.db.isSQLite)
        return try await q.orderBy(SQLColumn("grid_code", table: "d")).orderBy(SQLColumn("registered_on", table: "d"), SQLDirection.descending)
            .orderBy(SQLColumn("id", table: "d")).all().map { row in
                let number = try reveal ? context.cipher.open(row.decode(column: "number_cipher", as: Data.self))
                    : row.decode(column: "number_masked", as: String.self)
                let phone = try reveal ? row.decode(column: "phone_cipher", as: Data?.self).map { try context.cipher.open($0) } ?? ""
                    : row.decode(column: "phone_masked", as: String?.self) ?? ""
                let category = try row.decode(column: "category", as: String.self)
                let grade = try row.decode(column: "grade", as: Int.self)
                return [try row.decode(column: "name", as: String.self), Sex(rawValue: try row.decode(column: "sex", as: String.self))?.label ?? "",
                        try row.decode(column: "grid_code", as: String.self),
                        DisabilityCategory(rawValue: category)?.label ?? category, DisabilityGrade(rawValue: grade)?.label ?? String(grade),
                        number, phone]
            }
    }
}
