import FluentKit
import Foundation
import LinliCore
import SQLKit

/// The counter: a person found by ID number (masked, with the balance and the household's assistance in
/// payment), a redemption that takes points and stock in one transaction, its void the same day, a person's
/// whole ledger (audited) and a month's redemptions as .xlsx (audited).
extension SupermarketQueries {
    /// The household's case in payment now (approved), a monthly kind first: as the counter and the receipt see it.
    static func assistanceInPayment(household: UUID, sql: any SQLDatabase) async throws -> AssistanceKind? {
        let kinds = try await sql.select().column("kind").from("assistance_cases").where("household_id", .equal, SQLBind(household))
            .where("stage", .equal, SQLBind(AssistanceStage.approved.rawValue)).all()
            .compactMap { AssistanceKind(rawValue: try $0.decode(column: "kind", as: String.self)) }
        return kinds.sorted { ($0.isMonthly ? 0 : 1, $0.rawValue) < ($1.isMonthly ? 0 : 1, $1.rawValue) }.first
    }

    /// A person of the scope, active, for the counter of `market`; each refusal named at `field`.
    func counterPerson(_ residentID: UUID?, idNumber: String?, market: SupermarketRecord, scope: RegistryScope, field: String) async throws -> (id: UUID, grid: String, household: UUID) {
        var q = sql.select().columns("id", "grid_code", "household_id", "life_status").from(Resident.schema)
        if let residentID {
            q = q.where("id", .equal, SQLBind(residentID))
        } else if let raw = idNumber?.trimmingCharacters(in: .whitespaces), !raw.isEmpty {
            guard let cid = try? CitizenID(raw.uppercased()) else { throw RegistryError.invalid([FieldError(field, "公民身份号码格式不正确（18位，校验码正确）")]) }
            q = q.where("id_index", .in, SQLBind.group(cipher.blindIndexes(cid.value)))
        } else {
            throw RegistryError.invalid([FieldError(field, "请填写兑换人的公民身份号码")])
        }
        guard let row = try await q.first(), scope.contains(code: try row.decode(column: "grid_code", as: String.self)) else {
            throw RegistryError.invalid([FieldError(field, "本辖区没有这位居民")])
        }
        let grid = try row.decode(column: "grid_code", as: String.self)
        guard try row.decode(column: "life_status", as: String.self) == LifeStatus.active.rawValue else {
            throw RegistryError.invalid([FieldError(field, "该居民已死亡或迁出，不能兑换")])
        }
        guard grid.hasPrefix(market.streetCode) else {
            throw RegistryError.invalid([FieldError(field, "该居民不住在本超市所在的镇/街道，请到所在镇/街道的爱心超市兑换")])
        }
        return (try row.decode(column: "id", as: UUID.self), grid, try row.decode(column: "household_id", as: UUID.self))
    }

    /// The person at the counter: masked, with the balance.
    public func holder(residentID: UUID?, idNumber: String?, at marketID: UUID, by actor: SupermarketActor) async throws -> LovePointHolderRecord {
        guard actor.mayRedeem else { throw RegistryError.forbidden("您没有在爱心超市办理兑换的权限") }
        let m = try await requireMarket(marketID, in: actor.scope)
        let p = try await counterPerson(residentID, idNumber: idNumber, market: m, scope: actor.scope, field: residentID == nil ? "id_number" : "resident_id")
        return try await holderRecord(p.id)
    }

    func holderRecord(_ residentID: UUID) async throws -> LovePointHolderRecord {
        guard let r = try await sql.select().column(SQLColumn("name", table: "r")).column(SQLColumn("id_masked", table: "r"))
            .column(SQLColumn("grid_code", table: "r")).column(SQLColumn("household_id", table: "r")).column(SQLColumn("number", table: "h"), as: "household_number")
            .from(SQLAlias(SQLIdentifier(Resident.schema), as: SQLIdentifier("r")))
            .join(SQLAlias(SQLIdentifier(Household.schema), as: SQLIdentifier("h")), on: SQLColumn("household_id", table: "r"), .equal, SQLColumn("id", table: "h"))
            .where(SQLColumn("id", table: "r"), .equal, SQLBind(residentID)).first() else { throw RegistryError.notFound("居民") }
        let b = try await sql.select().columns("balance", "earned", "spent").from("love_point_balances").where("resident_id", .equal, SQLBind(residentID)).first()
        let household = try r.decode(column: "household_id", as: UUID.self)
        return LovePointHolderRecord(residentId: residentID, nameMasked: Masking.name(try r.decode(column: "name", as: String.self)),
                                     idMasked: try r.decode(column: "id_masked", as: String.self), gridCode: try r.decode(column: "grid_code", as: String.self),
                                     householdId: household, householdNumber: try r.decode(column: "household_number", as: String.self),
                                     balance: try b?.decode(column: "balance", as: Int.self) ?? 0, earned: try b?.decode(column: "earned", as: Int.self) ?? 0,
                                     spent: try b?.decode(column: "spent", as: Int.self) ?? 0,
                                     assistanceKind: try await Self.assistanceInPayment(household: household, sql: sql))
    }

    /// A redemption: the person's points and each good's stock taken in one transaction with the receipt and
    /// its audit entry. Beyond the points → refused at `points`; beyond a good's stock → at `quantity` naming the
    /// good; nothing is written either way.
    public func redeem(at marketID: UUID, residentID: UUID?, idNumber: String?, lines: [RedemptionLine], by actor: SupermarketActor) async throws -> RedemptionRecord {
        guard actor.mayRedeem else { throw RegistryError.forbidden("您没有在爱心超市办理兑换的权限") }
        let m = try await requireMarket(marketID, in: actor.scope)
        guard m.open else { throw RegistryError.conflictingState("爱心超市已暂停开放，不能兑换") }
        let person = try await counterPerson(residentID, idNumber: idNumber, market: m, scope: actor.scope, field: residentID == nil ? "id_number" : "resident_id")
        var errors = SupermarketRules.check(lines)
        let stock = Dictionary(uniqueKeysWithValues: try await goods(of: marketID).map { ($0.id.uuidString.lowercased(), $0) })
        var wanted: [(SupermarketGoodsRecord, Int)] = []
        for l in lines {
            guard let raw = l.goodsID, let q = l.quantity, q > 0 else { continue }
            guard let g = stock[raw.lowercased()] else { errors.append(FieldError("goods_id", "本超市没有这种物品")); continue }
            wanted.append((g, q))
        }
        guard errors.isEmpty else { throw RegistryError.invalid(errors) }
        wanted.sort { $0.0.id.uuidString < $1.0.id.uuidString }
        let total = wanted.reduce(0) { $0 + $1.0.price * $1.1 }
        let summary = wanted.map { "\($0.0.name)×\($0.1)\($0.0.unit)" }.joined(separator: "、")
        let id = UUID(), at = nowSeconds, day = today.description, who = actor.audit.username
        try await db.writeTransaction { [wanted] db in
            let sql = SQLHelpers.sql(db)
            // The points first (the person's row), then the goods in one order: two counters never wait on each other in a ring.
            guard let posted = try await LovePoints.debit(residentID: person.id, grid: person.grid, points: total, kind: .redemption, on: day,
                                                         reference: id.uuidString, note: summary, recordedBy: who, now: at, sql: sql) else {
                let have = try await sql.select().column("balance").from("love_point_balances").where("resident_id", .equal, SQLBind(person.id)).first()
                throw RegistryError.invalid([SupermarketRules.notEnoughPoints(have: try have?.decode(column: "balance", as: Int.self) ?? 0, need: total)])
            }
            var moves: [(SupermarketGoodsRecord, Int, Int)] = []
            for (g, q) in wanted {
                guard let row = try await sql.raw("""
                    UPDATE supermarket_goods SET stock = stock - \(bind: q), updated_at = \(bind: at)
                    WHERE id = \(bind: g.id) AND stock >= \(bind: q) RETURNING stock
                    """).first() else {
                    let have = try await sql.select().column("stock").from("supermarket_goods").where("id", .equal, SQLBind(g.id)).first()
                    throw RegistryError.invalid([SupermarketRules.shortage(g.name, unit: g.unit, have: try have?.decode(column: "stock", as: Int.self) ?? 0)])
                }
                moves.append((g, q, try row.decode(column: "stock", as: Int.self)))
            }
            let assistance = try await Self.assistanceInPayment(household: person.household, sql: sql)
            try await SupermarketTally.add(grid: person.grid, day: day, redeemed: total, redemptions: 1, sql: sql)
            if assistance != nil { try await SupermarketTally.assisted(household: person.household, grid: person.grid, day: day, sql: sql) }
            try await sql.insert(into: "supermarket_redemptions")
                .columns("id", "supermarket_id", "street_code", "balance_after", "resident_id", "grid_code", "household_id", "assistance_kind", "points", "lines",
                         "on_date", "status", "recorded_by", "created_at")
                .values(SQLBind(id), SQLBind(marketID), SQLBind(m.streetCode), SQLBind(posted.balance), SQLBind(person.id), SQLBind(person.grid),
                        SQLBind(person.household), SQLBind(assistance?.rawValue), SQLBind(total), SQLBind(summary), SQLBind(day), SQLBind("done"),
                        SQLBind(who), SQLBind(at))
                .run()
            for (g, q, balance) in moves {
                try await sql.insert(into: "supermarket_stock_moves")
                    .columns("id", "goods_id", "supermarket_id", "kind", "quantity", "balance", "reason", "redemption_id", "on_date", "recorded_by", "created_at")
                    .values(SQLBind(UUID()), SQLBind(g.id), SQLBind(marketID), SQLBind(StockMoveKind.redeemed.rawValue), SQLBind(-q), SQLBind(balance),
                            SQLBind(String?.none), SQLBind(id), SQLBind(day), SQLBind(who), SQLBind(at))
                    .run()
            }
            try await AuditLog.append([AuditEvent(SupermarketAudit.redeem, target: .supermarket(marketID),
                                                  detail: ["redemption": id.uuidString, "points": String(total), "lines": String(moves.count)])],
                                      by: actor.audit, on: db)
        }
        return try await requireRedemption(id, in: actor.scope)
    }

    static let redemptionColumns = ["id", "supermarket_id", "balance_after", "resident_id", "grid_code", "household_id", "assistance_kind", "points", "lines",
                                    "on_date", "status", "void_reason", "recorded_by", "created_at"]

    var redemptionSelect: SQLSelectBuilder {
        var q = sql.select()
        for c in Self.redemptionColumns { q = q.column(SQLColumn(c, table: "x")) }
        return q.column(SQLColumn("name", table: "r"), as: "holder_name").from(SQLAlias(SQLIdentifier("supermarket_redemptions"), as: SQLIdentifier("x")))
            .join(SQLAlias(SQLIdentifier(Resident.schema), as: SQLIdentifier("r")), on: SQLColumn("resident_id", table: "x"), .equal, SQLColumn("id", table: "r"))
    }

    func masked(_ r: RedemptionRecord) -> RedemptionRecord {
        var r = r
        r.holderName = r.holderName.map(Masking.name)
        return r
    }

    public func redemption(_ id: UUID, in scope: RegistryScope) async throws -> RedemptionRecord? {
        guard let row = try await redemptionSelect.where(SQLColumn("id", table: "x"), .equal, SQLBind(id)).first() else { return nil }
        let r = masked(try row.decodeRecord(RedemptionRecord.self))
        guard let m = try await market(r.supermarketId, in: scope), Self.sees(scope, street: m.streetCode) else { return nil }
        return r
    }

    func requireRedemption(_ id: UUID, in scope: RegistryScope) async throws -> RedemptionRecord {
        guard let r = try await redemption(id, in: scope) else { throw RegistryError.notFound("兑换记录") }
        return r
    }

    /// A supermarket's redemptions of a day or a month ('YYYY-MM-DD' or 'YYYY-MM'), newest first, names masked.
    public func redemptions(of marketID: UUID, period: String, page: PageRequest) async throws -> ResultPage<RedemptionRecord> {
        let (from, to) = period.count == 7 ? (period + "-01", period + "-31") : (period, period)
        func narrowed(_ q: SQLSelectBuilder) -> SQLSelectBuilder {
            q.where(SQLColumn("supermarket_id", table: "x"), .equal, SQLBind(marketID))
                .where(SQLColumn("on_date", table: "x"), .greaterThanOrEqual, SQLBind(from)).where(SQLColumn("on_date", table: "x"), .lessThanOrEqual, SQLBind(to))
        }
        let items = try await narrowed(redemptionSelect)
            .orderBy(SQLOrderBy(expression: SQLColumn("created_at", table: "x"), direction: SQLDirection.descending))
            .limit(page.perPage).offset(page.offset).all().map { masked(try $0.decodeRecord(RedemptionRecord.self)) }
        let total = try await SQLHelpers.count(narrowed(sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from(SQLAlias(SQLIdentifier("supermarket_redemptions"), as: SQLIdentifier("x")))))
        return ResultPage(items: items, total: total, page: page.page, perPage: page.perPage)
    }

    /// Voids a redemption of today: its points back to the person, its goods back to stock, audited. Another
    /// day's, or one voided already, is 409.
    public func void(_ id: UUID, reason: String?, by actor: SupermarketActor) async throws -> RedemptionRecord {
        guard actor.mayRedeem else { throw RegistryError.forbidden("您没有在爱心超市办理兑换的权限") }
        let r = try await requireRedemption(id, in: actor.scope)
        guard let why = reason?.trimmedOrNil else { throw RegistryError.invalid([FieldError("reason", "请填写作废原因")]) }
        if why.count > 100 { throw RegistryError.invalid([FieldError("reason", "作废原因最多100个字")]) }
        guard r.onDate == today.description else { throw RegistryError.conflictingState("只能作废当天的兑换（此笔兑换于\(r.onDate)）") }
        let at = nowSeconds, day = today.description, who = actor.audit.username
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            let changed = try await sql.update("supermarket_redemptions").set("status", to: SQLBind("voided")).set("voided_by", to: SQLBind(who))
                .set("void_reason", to: SQLBind(why)).where("id", .equal, SQLBind(id)).where("status", .equal, SQLBind("done")).returning("id").all()
            if changed.isEmpty { throw RegistryError.conflictingState("这笔兑换已作废") }
            let moves = try await sql.select().columns("goods_id", "quantity").from("supermarket_stock_moves")
                .where("redemption_id", .equal, SQLBind(id)).where("kind", .equal, SQLBind(StockMoveKind.redeemed.rawValue)).orderBy("goods_id").all()
            for move in moves {
                let goods = try move.decode(column: "goods_id", as: UUID.self), q = -(try move.decode(column: "quantity", as: Int.self))
                let row = try await sql.raw("UPDATE supermarket_goods SET stock = stock + \(bind: q), updated_at = \(bind: at) WHERE id = \(bind: goods) RETURNING stock").first()
                try await sql.insert(into: "supermarket_stock_moves")
                    .columns("id", "goods_id", "supermarket_id", "kind", "quantity", "balance", "reason", "redemption_id", "on_date", "recorded_by", "created_at")
                    .values(SQLBind(UUID()), SQLBind(goods), SQLBind(r.supermarketId), SQLBind(StockMoveKind.voided.rawValue), SQLBind(q),
                            SQLBind(try row?.decode(column: "stock", as: Int.self) ?? 0), SQLBind(why), SQLBind(id), SQLBind(day), SQLBind(who), SQLBind(at))
                    .run()
            }
            try await SupermarketTally.add(grid: r.gridCode, day: r.onDate, redeemed: -r.points, redemptions: -1, sql: sql)
            _ = try await LovePoints.giveBack(residentID: r.residentId, points: r.points, on: day, reference: id.uuidString, recordedBy: who, now: at, sql: sql)
            try await AuditLog.append([AuditEvent(SupermarketAudit.void, target: .supermarket(r.supermarketId),
                                                  detail: ["redemption": id.uuidString, "points": String(r.points)])], by: actor.audit, on: db)
        }
        return try await requireRedemption(id, in: actor.scope)
    }

    /// A person's whole ledger with the assistance status: a full view, recorded in the audit log before it is returned.
    public func ledger(of residentID: UUID, page: PageRequest, by actor: SupermarketActor) async throws -> (holder: LovePointHolderRecord, entries: ResultPage<LovePointEntryRecord>) {
        guard actor.mayFullView else { throw RegistryError.forbidden("您没有查看个人积分明细的权限") }
        guard let grid = try await sql.select().column("grid_code").from(Resident.schema).where("id", .equal, SQLBind(residentID)).first()?
            .decode(column: "grid_code", as: String.self), actor.scope.contains(code: grid) else { throw RegistryError.notFound("居民") }
        try await AuditLog.record(AuditEvent(SupermarketAudit.ledgerView, target: .lovePoints(residentID)), by: actor.audit, on: db, now: now())
        let holder = try await holderRecord(residentID)
        let items = try await sql.select().columns("id", "resident_id", "seq", "kind", "points", "balance", "shortfall", "on_date", "reference", "note",
                                                   "recorded_by", "created_at")
            .from("love_point_entries").where("resident_id", .equal, SQLBind(residentID))
            .orderBy(SQLOrderBy(expression: SQLColumn("seq"), direction: SQLDirection.descending)).limit(page.perPage).offset(page.offset).all()
            .map { try $0.decodeRecord(LovePointEntryRecord.self) }
        let total = try await SQLHelpers.count(sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("love_point_entries")
            .where("resident_id", .equal, SQLBind(residentID)))
        return (holder, ResultPage(items: items, total: total, page: page.page, perPage: page.perPage))
    }

    /// The person's own points on the portal (their account linked to them): balance and latest entries, no
    /// assistance status and no one else's data, so no full view to audit.
    public func ownPoints(of residentID: UUID, limit: Int = 50) async throws -> (balance: Int, entries: [LovePointEntryRecord]) {
        let balance = try await sql.select().column("balance").from("love_point_balances").where("resident_id", .equal, SQLBind(residentID)).first()?
            .decode(column: "balance", as: Int.self) ?? 0
        let entries = try await sql.select().columns("id", "resident_id", "seq", "kind", "points", "balance", "shortfall", "on_date", "reference", "note",
                                                     "recorded_by", "created_at")
            .from("love_point_entries").where("resident_id", .equal, SQLBind(residentID))
            .orderBy(SQLOrderBy(expression: SQLColumn("seq"), direction: SQLDirection.descending)).limit(limit).all()
            .map { try $0.decodeRecord(LovePointEntryRecord.self) }
        return (balance, entries)
    }

    /// A month's redemptions of a supermarket as .xlsx at `path`, oldest first, names masked. Audited.
    @discardableResult
    public func exportMonth(_ marketID: UUID, month: String?, to path: String, by actor: SupermarketActor) async throws -> Int {
        let m = try await requireMarket(marketID, in: actor.scope)
        guard let month, SupermarketRules.checkMonth(month, today: today).isEmpty else {
            throw RegistryError.invalid(SupermarketRules.checkMonth(month, today: today))
        }
        let rows = try await redemptionSelect.where(SQLColumn("supermarket_id", table: "x"), .equal, SQLBind(marketID))
            .where(SQLColumn("on_date", table: "x"), .greaterThanOrEqual, SQLBind(month + "-01")).where(SQLColumn("on_date", table: "x"), .lessThanOrEqual, SQLBind(month + "-31"))
            .orderBy(SQLColumn("created_at", table: "x")).all().map { masked(try $0.decodeRecord(RedemptionRecord.self)) }
        let w = try XLSXWriter(path: path, sheetName: "兑换明细", columnWidths: [12, 10, 14, 40, 10, 10, 12])
        try w.header(["日期", "兑换人", "救助情况", "兑换物品", "积分", "状态", "经办人"])
        for r in rows {
            try w.row([.text(r.onDate), .text(r.holderName ?? ""), r.assistanceKind.map { XLSXCell.text($0.shortLabel) } ?? .empty, .text(r.lines),
                       .number(Double(r.points)), .text(r.voided ? "已作废" : "有效"), .text(r.recordedBy)])
        }
        try w.close()
        try await AuditLog.record(AuditEvent(SupermarketAudit.export, target: .supermarket(m.id), detail: ["month": month, "rows": String(rows.count), "format": "xlsx"]),
                                  by: actor.audit, on: db, now: now())
        return rows.count
    }
}
