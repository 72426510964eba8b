import FluentKit
import Foundation
import LinliCore
import SQLKit

/// The supermarket's own writes: registering it (one per street), its goods and prices, stock received and
/// adjusted. Each is one transaction with its audit entry; stock changes only by a statement that checks and
/// changes at once, so it never goes below zero.
extension SupermarketQueries {
    func checked(_ input: SupermarketInput) throws -> String {
        let errors = SupermarketRules.check(input)
        guard errors.isEmpty else { throw RegistryError.invalid(errors) }
        return input.keeperPhone!.filter { $0 != " " }
    }

    /// Registers the supermarket of a street in the caller's area: one per street, a second is 409 at `street_code`.
    public func createMarket(street: String?, _ input: SupermarketInput, by actor: SupermarketActor) async throws -> SupermarketRecord {
        guard actor.mayKeepGoods else { throw RegistryError.forbidden("您没有登记爱心超市的权限") }
        let text = street?.trimmingCharacters(in: .whitespaces) ?? ""
        let full = text.count == 9 ? text + "000" : text
        guard let code = try? DivisionCode(full), code.level == .street, actor.scope.contains(code: full),
              let division = try await DivisionQueries(db).find(code: full) else {
            throw RegistryError.invalid([FieldError("street_code", text.isEmpty ? "请选择爱心超市所在的镇/街道" : "本辖区没有这个镇/街道")])
        }
        let phone = try checked(input)
        let prefix = String(full.prefix(9)), id = UUID(), at = nowSeconds
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            if !db.isSQLite { try await sql.raw("LOCK TABLE supermarkets IN SHARE ROW EXCLUSIVE MODE").run() }
            if try await sql.select().column("id").from("supermarkets").where("street_code", .equal, SQLBind(prefix)).first() != nil {
                throw RegistryError.conflict(FieldError("street_code", "\(division.name)已有爱心超市（每个镇/街道一个），请修改原超市的信息"))
            }
            try await sql.insert(into: "supermarkets")
                .columns("id", "street_code", "name", "address", "opening_hours", "keeper_name", "keeper_phone", "open", "version", "created_by",
                         "created_at", "updated_at")
                .values(SQLBind(id), SQLBind(prefix), SQLBind(input.name!.trimmed), SQLBind(input.address!.trimmed), SQLBind(input.openingHours!.trimmed),
                        SQLBind(input.keeperName!.trimmed), SQLBind(phone), SQLBind(input.open), SQLBind(1), SQLBind(actor.audit.username),
                        SQLBind(at), SQLBind(at))
                .run()
            try await AuditLog.append([AuditEvent(SupermarketAudit.create, target: .supermarket(id), detail: ["street": prefix])], by: actor.audit, on: db)
        }
        return try await requireMarket(id, in: actor.scope)
    }

    /// Edits place, hours, keeper, open or closed, at the version read.
    public func updateMarket(_ id: UUID, _ input: SupermarketInput, version: Int, by actor: SupermarketActor) async throws -> SupermarketRecord {
        let m = try await keptMarket(id, by: actor)
        let phone = try checked(input)
        let at = nowSeconds
        try await db.writeTransaction { db in
            let changed = try await SQLHelpers.sql(db).update("supermarkets")
                .set("name", to: SQLBind(input.name!.trimmed)).set("address", to: SQLBind(input.address!.trimmed))
                .set("opening_hours", to: SQLBind(input.openingHours!.trimmed)).set("keeper_name", to: SQLBind(input.keeperName!.trimmed))
                .set("keeper_phone", to: SQLBind(phone)).set("open", to: SQLBind(input.open))
                .set("version", to: SQLBind(version + 1)).set("updated_at", to: SQLBind(at))
                .where("id", .equal, SQLBind(id)).where("version", .equal, SQLBind(version)).returning("id").all()
            if changed.isEmpty { throw RegistryError.staleVersion(current: m.version) }
            try await AuditLog.append([AuditEvent(SupermarketAudit.update, target: .supermarket(id), detail: ["open": input.open ? "true" : "false"])],
                                      by: actor.audit, on: db)
        }
        return try await requireMarket(id, in: actor.scope)
    }

    /// The supermarket the caller keeps: of their street.
    func keptMarket(_ id: UUID, by actor: SupermarketActor) async throws -> SupermarketRecord {
        guard actor.mayKeepGoods else { throw RegistryError.forbidden("您没有管理爱心超市物品的权限") }
        let m = try await requireMarket(id, in: actor.scope)
        guard actor.scope.contains(code: m.streetCode) || m.streetCode.hasPrefix(actor.scope.prefix) && actor.scope.prefix.count <= 9 else {
            throw RegistryError.forbidden("只能管理本辖区的爱心超市")
        }
        return m
    }

    /// A good with its price in points (no stock yet; stock comes with a receipt). Same name and unit twice is 409.
    public func addGoods(_ marketID: UUID, _ input: GoodsInput, by actor: SupermarketActor) async throws -> SupermarketGoodsRecord {
        let m = try await keptMarket(marketID, by: actor)
        let errors = SupermarketRules.check(input)
        guard errors.isEmpty, let price = input.price, let category = input.category else { throw RegistryError.invalid(errors) }
        let name = input.name!.trimmed, unit = input.unit!.trimmed, id = UUID(), at = nowSeconds
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            let added = try await sql.raw("""
                INSERT INTO supermarket_goods (id, supermarket_id, name, category, unit, price, stock, version, updated_at)
                VALUES (\(bind: id), \(bind: marketID), \(bind: name), \(bind: category.rawValue), \(bind: unit), \(bind: price), 0, 1, \(bind: at))
                ON CONFLICT (supermarket_id, name, unit) DO NOTHING RETURNING id
                """).first()
            if added == nil { throw RegistryError.conflict(FieldError("name", "本超市已有\(name)（\(unit)），请修改它的积分")) }
            try await AuditLog.append([AuditEvent(SupermarketAudit.goods, target: .supermarket(m.id), detail: ["goods": name, "price": String(price)])],
                                      by: actor.audit, on: db)
        }
        guard let g = try await goodsItem(id) else { throw RegistryError.notFound("物品") }
        return g
    }

    /// A new price (points) for a good, at the version read.
    public func reprice(_ goodsID: UUID, price: Int?, version: Int, by actor: SupermarketActor) async throws -> SupermarketGoodsRecord {
        guard let g = try await goodsItem(goodsID) else { throw RegistryError.notFound("物品") }
        let m = try await keptMarket(g.supermarketId, by: actor)
        let errors = SupermarketRules.check(GoodsInput(name: g.name, category: g.category, unit: g.unit, price: price))
        guard errors.isEmpty, let price else { throw RegistryError.invalid(errors) }
        let at = nowSeconds
        try await db.writeTransaction { db in
            let changed = try await SQLHelpers.sql(db).update("supermarket_goods").set("price", to: SQLBind(price)).set("version", to: SQLBind(version + 1))
                .set("updated_at", to: SQLBind(at)).where("id", .equal, SQLBind(goodsID)).where("version", .equal, SQLBind(version)).returning("id").all()
            if changed.isEmpty { throw RegistryError.staleVersion(current: g.version) }
            try await AuditLog.append([AuditEvent(SupermarketAudit.goods, target: .supermarket(m.id), detail: ["goods": g.name, "price": String(price)])],
                                      by: actor.audit, on: db)
        }
        guard let after = try await goodsItem(goodsID) else { throw RegistryError.notFound("物品") }
        return after
    }

    /// Stock received (入库, positive) or adjusted (盘点调整, either sign, with its reason); an adjustment below
    /// zero is refused at `quantity` naming what is there.
    public func moveStock(_ goodsID: UUID, kind: StockMoveKind?, quantity: Int?, reason: String?, by actor: SupermarketActor) async throws -> StockMoveRecord {
        guard let g = try await goodsItem(goodsID) else { throw RegistryError.notFound("物品") }
        let m = try await keptMarket(g.supermarketId, by: actor)
        let errors = SupermarketRules.checkStock(kind: kind, quantity: quantity, reason: reason)
        guard errors.isEmpty, let kind, let quantity else { throw RegistryError.invalid(errors) }
        let id = UUID(), at = nowSeconds, day = today.description
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            guard let row = try await sql.raw("""
                UPDATE supermarket_goods SET stock = stock + \(bind: quantity), updated_at = \(bind: at)
                WHERE id = \(bind: goodsID) AND stock + \(bind: quantity) >= 0 RETURNING stock
                """).first() else {
                let have = try await sql.select().column("stock").from("supermarket_goods").where("id", .equal, SQLBind(goodsID)).first()
                throw RegistryError.invalid([SupermarketRules.shortage(g.name, unit: g.unit, have: try have?.decode(column: "stock", as: Int.self) ?? 0)])
            }
            let balance = try row.decode(column: "stock", as: Int.self)
            try await sql.insert(into: "supermarket_stock_moves")
                .columns("id", "goods_id", "supermarket_id", "kind", "quantity", "balance", "reason", "redemption_id", "on_date", "recorded_by", "created_at")
                .values(SQLBind(id), SQLBind(goodsID), SQLBind(m.id), SQLBind(kind.rawValue), SQLBind(quantity), SQLBind(balance),
                        SQLBind(reason?.trimmedOrNil), SQLBind(UUID?.none), SQLBind(day), SQLBind(actor.audit.username), SQLBind(at))
                .run()
            try await AuditLog.append([AuditEvent(SupermarketAudit.stock, target: .supermarket(m.id),
                                                  detail: ["goods": g.name, "kind": kind.rawValue, "quantity": String(quantity)])], by: actor.audit, on: db)
        }
        guard let move = try await stockMoves(of: goodsID, limit: 5).first(where: { $0.id == id }) else { throw RegistryError.notFound("库存记录") }
        return move
    }
}
