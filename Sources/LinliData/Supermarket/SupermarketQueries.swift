import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 爱心超市: supermarkets (one per street), their goods and stock. Reads take the caller's `RegistryScope`; a
/// community worker or grid worker sees the supermarket of their street. A supermarket outside is not found.
public struct SupermarketQueries: Sendable {
    let db: any Database
    let cipher: PersonalDataCipher
    let today: CivilDate
    let now: @Sendable () -> Date

    public init(_ db: any Database, cipher: PersonalDataCipher, today: CivilDate, now: @escaping @Sendable () -> Date = { Date() }) {
        self.db = db
        self.cipher = cipher
        self.today = today
        self.now = now
    }

    var sql: any SQLDatabase { SQLHelpers.sql(db) }
    var sqlite: Bool { db.isSQLite }
    var nowSeconds: Int64 { Int64(now().timeIntervalSince1970) }

    var marketSelect: SQLSelectBuilder {
        var q = sql.select()
        for c in ["id", "street_code", "name", "address", "opening_hours", "keeper_name", "keeper_phone", "open", "version", "updated_at"] {
            q = q.column(SQLColumn(c, table: "s"))
        }
        return q.column(SQLColumn("name", table: "d"), as: "street_name")
            .from(SQLAlias(SQLIdentifier("supermarkets"), as: SQLIdentifier("s")))
            .join(SQLAlias(SQLIdentifier(Division.schema), as: SQLIdentifier("d")), method: SQLJoinMethod.left,
                  on: SQLRaw("d.code = s.street_code || '000'"))
    }

    /// The street prefix (9 digits) a scope belongs to or covers: the district's sees every street.
    static func streetPrefix(_ scope: RegistryScope) -> String { scope.prefix.count > 9 ? String(scope.prefix.prefix(9)) : scope.prefix }

    /// Whether the supermarket of `street` is visible in `scope`.
    public static func sees(_ scope: RegistryScope, street: String) -> Bool {
        street.hasPrefix(scope.prefix) || scope.prefix.hasPrefix(street)
    }

    public func markets(in scope: RegistryScope) async throws -> [SupermarketRecord] {
        try await marketSelect.wherePrefix("s.street_code", Self.streetPrefix(scope), sqlite: sqlite)
            .orderBy(SQLColumn("street_code", table: "s")).all().map { try $0.decodeRecord(SupermarketRecord.self) }
    }

    /// Every supermarket, for the portal (nothing personal).
    public func publicMarkets() async throws -> [SupermarketRecord] { try await markets(in: .everything) }

    public func market(_ id: UUID, in scope: RegistryScope) async throws -> SupermarketRecord? {
        guard let row = try await marketSelect.where(SQLColumn("id", table: "s"), .equal, SQLBind(id)).first() else { return nil }
        let m = try row.decodeRecord(SupermarketRecord.self)
        return Self.sees(scope, street: m.streetCode) ? m : nil
    }

    public func requireMarket(_ id: UUID, in scope: RegistryScope) async throws -> SupermarketRecord {
        guard let m = try await market(id, in: scope) else { throw RegistryError.notFound("爱心超市") }
        return m
    }

    public func market(street: String) async throws -> SupermarketRecord? {
        try await marketSelect.where(SQLColumn("street_code", table: "s"), .equal, SQLBind(street)).first()
            .map { try $0.decodeRecord(SupermarketRecord.self) }
    }

    /// The streets of the scope without a supermarket yet (code 12 digits, name).
    public func streetsWithout(in scope: RegistryScope) async throws -> [(code: String, name: String)] {
        try await sql.select().columns("code", "name").from(Division.schema)
            .where("level", .equal, SQLBind(DivisionLevel.street.rawValue)).wherePrefix("code", Self.streetPrefix(scope), sqlite: sqlite)
            .where("code", .notIn, SQLGroupExpression(sql.select().column(SQLRaw("street_code || '000'")).from("supermarkets").select))
            .orderBy("code").all()
            .map { (try $0.decode(column: "code", as: String.self), try $0.decode(column: "name", as: String.self)) }
    }

    /// A supermarket's goods, all of them, by category in the order of the form (粮油 first), then by name.
    public func goods(of marketID: UUID) async throws -> [SupermarketGoodsRecord] {
        let order = Dictionary(uniqueKeysWithValues: SupermarketCategory.allCases.enumerated().map { ($1, $0) })
        return try await sql.select().columns("id", "supermarket_id", "name", "category", "unit", "price", "stock", "version").from("supermarket_goods")
            .where("supermarket_id", .equal, SQLBind(marketID)).all()
            .map { try $0.decodeRecord(SupermarketGoodsRecord.self) }
            .sorted { (order[$0.category] ?? 0, $0.name) < (order[$1.category] ?? 0, $1.name) }
    }

    public func goodsItem(_ id: UUID) async throws -> SupermarketGoodsRecord? {
        try await sql.select().columns("id", "supermarket_id", "name", "category", "unit", "price", "stock", "version").from("supermarket_goods")
            .where("id", .equal, SQLBind(id)).first().map { try $0.decodeRecord(SupermarketGoodsRecord.self) }
    }

    /// A good's stock movements, newest first.
    public func stockMoves(of goodsID: UUID, limit: Int = 50) async throws -> [StockMoveRecord] {
        try await sql.select().columns("id", "goods_id", "kind", "quantity", "balance", "reason", "on_date", "recorded_by", "created_at")
            .from("supermarket_stock_moves").where("goods_id", .equal, SQLBind(goodsID))
            .orderBy(SQLOrderBy(expression: SQLColumn("created_at"), direction: SQLDirection.descending)).limit(limit).all()
            .map { try $0.decodeRecord(StockMoveRecord.self) }
    }

    /// The rates as configured, newest first within each kind.
    public func rates() async throws -> [LovePointRateRecord] {
        try await sql.select().columns("kind", "points", "effective_from", "set_by").from("love_point_rates")
            .orderBy("kind").orderBy(SQLOrderBy(expression: SQLColumn("effective_from"), direction: SQLDirection.descending)).all()
            .map { try $0.decodeRecord(LovePointRateRecord.self) }
    }
}
