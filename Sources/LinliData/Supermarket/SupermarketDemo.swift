import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 爱心超市 in the demo district: a supermarket in every street with 30 goods priced in points and stock, the
/// monthly allowance of the last twelve months to the households on assistance (at the migration's starting
/// rates), and their redemptions. Simulated in memory day by day (points and stock never below zero), then
/// written with multi-row INSERTs in one transaction. Deterministic from the seed.
public struct SupermarketDemo: DemoStep {
    public init() {}

    public func load(_ demo: DemoContext) async throws -> String? {
        let started = Date()
        let earned = try await DemoSupermarket.volunteerCredits(from: demo.today.adding(days: -364), through: demo.today, sql: SQLHelpers.sql(demo.db))
        let s = try await DemoSupermarket.load(on: demo.db, seed: demo.seed, today: demo.today, now: demo.now,
                                               extraHolders: earned.holders, extraCredits: earned.credits)
        return String(format: "爱心超市：%d 个镇/街道各一个，近12个月救助家庭月度积分 %d 笔（%d 分），志愿服务积分 %d 笔，兑换 %d 笔，用时 %.1f 秒。",
                      s.markets, s.allowances, s.points, earned.credits.count, s.redemptions, Date().timeIntervalSince(started))
    }
}

public enum DemoSupermarket {
    public struct Summary: Sendable { public var markets = 0, allowances = 0, points = 0, redemptions = 0 }

    struct Item { let name: String; let category: SupermarketCategory; let unit: String; let price: Int }

    static let items: [Item] = [
        Item(name: "大米（5公斤）", category: .grainOil, unit: "袋", price: 60), Item(name: "大米（10公斤）", category: .grainOil, unit: "袋", price: 110),
        Item(name: "面粉（5公斤）", category: .grainOil, unit: "袋", price: 45), Item(name: "菜籽油（5升）", category: .grainOil, unit: "桶", price: 120),
        Item(name: "花生油（1.8升）", category: .grainOil, unit: "桶", price: 70), Item(name: "挂面", category: .grainOil, unit: "包", price: 8),
        Item(name: "食盐", category: .food, unit: "袋", price: 3), Item(name: "酱油", category: .food, unit: "瓶", price: 10),
        Item(name: "香醋", category: .food, unit: "瓶", price: 8), Item(name: "鸡蛋（30枚）", category: .food, unit: "盒", price: 35),
        Item(name: "纯牛奶（12盒）", category: .food, unit: "箱", price: 50), Item(name: "白砂糖", category: .food, unit: "袋", price: 9),
        Item(name: "洗衣液（2公斤）", category: .daily, unit: "桶", price: 30), Item(name: "洗洁精", category: .daily, unit: "瓶", price: 10),
        Item(name: "卷纸（10卷）", category: .daily, unit: "提", price: 25), Item(name: "牙膏", category: .daily, unit: "支", price: 10),
        Item(name: "牙刷（2支）", category: .daily, unit: "套", price: 8), Item(name: "香皂", category: .daily, unit: "块", price: 5),
        Item(name: "毛巾", category: .daily, unit: "条", price: 12), Item(name: "洗发水", category: .daily, unit: "瓶", price: 28),
        Item(name: "晾衣架（10只）", category: .daily, unit: "套", price: 15), Item(name: "保温杯", category: .daily, unit: "只", price: 40),
        Item(name: "作业本（10本）", category: .stationery, unit: "套", price: 10), Item(name: "中性笔（10支）", category: .stationery, unit: "盒", price: 12),
        Item(name: "书包", category: .stationery, unit: "个", price: 60), Item(name: "文具盒", category: .stationery, unit: "个", price: 15),
        Item(name: "棉袜（3双）", category: .clothing, unit: "套", price: 15), Item(name: "保暖内衣", category: .clothing, unit: "套", price: 80),
        Item(name: "手电筒", category: .other, unit: "只", price: 20), Item(name: "雨伞", category: .other, unit: "把", price: 25),
    ]
    static let keepers = ["周建华", "吴秀兰", "徐国庆", "孙丽萍", "朱海军", "马春燕", "胡卫国", "郭美华", "林志明", "何玉梅"]

    /// A person who holds points in the simulation: the allowance's applicants here; volunteers can be added.
    public struct Holder: Sendable {
        public var grid: String
        public var household: UUID
        public var assistance: String?
        public init(grid: String, household: UUID, assistance: String?) { self.grid = grid; self.household = household; self.assistance = assistance }
    }

    /// A credit to a holder's ledger on a day (the allowance here; other sources join the same list).
    public struct Credit: Sendable {
        public var day: CivilDate
        public var resident: UUID
        public var points: Int
        public var kind: LovePointKind
        public var reference: String
        public var note: String
    }

    public static func load(on db: any Database, seed: UInt64, today: CivilDate, now: Int64, extraHolders: [UUID: Holder] = [:],
                            extraCredits: [Credit] = []) async throws -> Summary {
        let sql = SQLHelpers.sql(db)
        var rng = SeededRandom(seed: seed ^ 0x5EED_10FE)
        let streets = try await sql.select().columns("code", "name").from(Division.schema)
            .where("level", .equal, SQLBind(DivisionLevel.street.rawValue)).orderBy("code").all()
            .map { (code: String(try $0.decode(column: "code", as: String.self).prefix(9)), name: try $0.decode(column: "name", as: String.self)) }
        var summary = Summary()
        var markets = BulkInsert("supermarkets", ["id", "street_code", "name", "address", "opening_hours", "keeper_name", "keeper_phone", "open", "version",
                                                  "created_by", "created_at", "updated_at"])
        var goodsRows = BulkInsert("supermarket_goods", ["id", "supermarket_id", "name", "category", "unit", "price", "stock", "version", "updated_at"])
        var moves = BulkInsert("supermarket_stock_moves", ["id", "goods_id", "supermarket_id", "kind", "quantity", "balance", "reason", "redemption_id",
                                                           "on_date", "recorded_by", "created_at"])
        var entries = BulkInsert("love_point_entries", ["id", "resident_id", "seq", "grid_code", "kind", "points", "balance", "shortfall", "on_date",
                                                        "reference", "note", "recorded_by", "created_at"])
        var balances = BulkInsert("love_point_balances", ["resident_id", "grid_code", "balance", "earned", "spent", "entries", "updated_at"])
        var allowances = BulkInsert("love_point_allowances", ["household_id", "month", "resident_id", "case_id", "kind", "points", "created_at"])
        var redemptions = BulkInsert("supermarket_redemptions", ["id", "supermarket_id", "street_code", "balance_after", "resident_id", "grid_code", "household_id",
                                                                 "assistance_kind", "points", "lines", "on_date", "status", "recorded_by", "created_at"])
        var tallies: [String: (earned: Int, redeemed: Int, redemptions: Int)] = [:]
        var assistedYears: [String: (household: UUID, year: Int, grid: String)] = [:]
        var batches: [BulkInsert.Batch] = []
        func spill(_ b: inout BulkInsert) { if b.isFull, let x = b.take() { batches.append(x) } }

        let first = today.adding(days: -364)
        func at(_ day: CivilDate) -> Int { Int(now) - (today.dayNumber - day.dayNumber) * 86_400 }
        // Each street's market and goods; stock as a dictionary (market index, item index) → quantity.
        var marketIDs: [String: UUID] = [:]
        var goodsIDs: [String: [UUID]] = [:]
        var stock: [String: [Int]] = [:]
        for (i, s) in streets.enumerated() {
            let id = rng.uuid()
            marketIDs[s.code] = id
            markets.add(values: [.uuid(id), .text(s.code), .text(s.name + "爱心超市"), .text(s.name + "便民服务中心一楼"),
                                 .text(i % 2 == 0 ? "每周二、四、六 9:00-16:00" : "周一至周五 8:30-11:30、14:00-17:00"),
                                 .text(keepers[i % keepers.count]), .text("0523-8" + String(format: "%07d", rng.int(0...9_999_999))), .bool(true), .integer(1),
                                 .text("demo"), .integer(at(first)), .integer(Int(now))])
            var ids: [UUID] = [], q: [Int] = []
            for _ in items {
                let g = rng.uuid(), n = rng.int(20...60)
                ids.append(g); q.append(n)
                moves.add(values: [.uuid(rng.uuid()), .uuid(g), .uuid(id), .text(StockMoveKind.received.rawValue), .integer(n), .integer(n), .text("区慈善总会爱心采购"),
                                   .null, .text(first.description), .text("demo"), .integer(at(first))])
            }
            goodsIDs[s.code] = ids; stock[s.code] = q
            summary.markets += 1
        }

        // The allowance: each month's households with a monthly case in payment, one credit each, to the applicant.
        let rates = ["dibao": 100, "tekun": 150]
        var holders = extraHolders
        var credits = extraCredits
        let cases = try await sql.select().columns("id", "household_id", "applicant_id", "grid_code", "kind", "stage", "first_month", "ended_on")
            .from("assistance_cases").where("kind", .in, SQLBind.group(Array(rates.keys))).orderBy("household_id").orderBy("kind").all()
        var active = Set<UUID>()
        for r in try await sql.select().column("id").from(Resident.schema).where("life_status", .equal, SQLBind(LifeStatus.active.rawValue))
            .where("id", .in, SQLGroupExpression(sql.select().column("applicant_id").from("assistance_cases").select)).all() {
            active.insert(try r.decode(column: "id", as: UUID.self))
        }
        var months: [String] = []
        var m = CivilDate(year: first.year, month: first.month, day: 1)!
        while m <= today { months.append(String(m.description.prefix(7))); m = m.adding(days: CivilDate.daysIn(month: m.month, year: m.year)) }
        for month in months {
            var best: [UUID: (caseID: UUID, applicant: UUID, grid: String, kind: String, points: Int)] = [:]
            for c in cases {
                let stage = try c.decode(column: "stage", as: String.self), fm = try c.decode(column: "first_month", as: String?.self)
                let ended = try c.decode(column: "ended_on", as: String?.self)
                guard let fm, fm <= month, stage == AssistanceStage.approved.rawValue || stage == AssistanceStage.ended.rawValue && (ended ?? "") >= month + "-01"
                else { continue }
                let h = try c.decode(column: "household_id", as: UUID.self), kind = try c.decode(column: "kind", as: String.self), p = rates[kind] ?? 0
                if let b = best[h], b.points >= p { continue }
                best[h] = (try c.decode(column: "id", as: UUID.self), try c.decode(column: "applicant_id", as: UUID.self),
                           try c.decode(column: "grid_code", as: String.self), kind, p)
            }
            let day = CivilDate("\(month)-01")!
            for (h, c) in best.sorted(by: { $0.key.uuidString < $1.key.uuidString }) where active.contains(c.applicant) {
                holders[c.applicant] = Holder(grid: c.grid, household: h, assistance: c.kind)
                credits.append(Credit(day: day, resident: c.applicant, points: c.points, kind: .allowance, reference: c.caseID.uuidString,
                                      note: "\(month) \(AssistanceKind(rawValue: c.kind)?.shortLabel ?? c.kind)家庭月度爱心积分"))
                allowances.add(values: [.uuid(h), .text(month), .uuid(c.applicant), .uuid(c.caseID), .text(c.kind), .integer(c.points), .integer(at(day))])
                spill(&allowances)
                summary.allowances += 1; summary.points += c.points
            }
        }

        // Day by day: the day's credits, then the holders who come to the counter that day.
        var balance: [UUID: (points: Int, earned: Int, spent: Int, seq: Int)] = [:]
        let byDay = Dictionary(grouping: credits, by: { $0.day.dayNumber })
        let order = holders.keys.sorted { $0.uuidString < $1.uuidString }
        for d in 0..<365 {
            let day = first.adding(days: d), t = at(day)
            for c in byDay[day.dayNumber] ?? [] {
                guard let h = holders[c.resident] else { continue }
                var b = balance[c.resident] ?? (0, 0, 0, 0)
                // A correction takes back at most the balance, the rest kept as its shortfall (as LovePoints.post does).
                let change = c.points >= 0 ? c.points : -min(b.points, -c.points), shortfall = change - c.points
                b.points += change; b.earned += max(change, 0); b.seq += 1
                balance[c.resident] = b
                if change > 0 && SupermarketTally.earns(c.kind) { tallies["\(h.grid) \(day.year)", default: (0, 0, 0)].earned += change }
                entries.add(values: [.uuid(rng.uuid()), .uuid(c.resident), .integer(b.seq), .text(h.grid), .text(c.kind.rawValue), .integer(change),
                                     .integer(b.points), .integer(shortfall), .text(day.description), .text(c.reference), .text(c.note), .text("demo"), .integer(t)])
                spill(&entries)
            }
            // About one visit a holder a month, on the market's days; weekends shut.
            guard day.dayNumber % 7 != 3 else { continue }
            // Households on assistance come about monthly; volunteers now and then (about twice a year).
            for r in order where rng.chance(holders[r]?.assistance != nil ? 0.04 : 0.006) {
                guard let h = holders[r], var b = balance[r], b.points > 0, let market = marketIDs[String(h.grid.prefix(9))],
                      var q = stock[String(h.grid.prefix(9))], let ids = goodsIDs[String(h.grid.prefix(9))] else { continue }
                var lines: [(Int, Int)] = [], total = 0
                for _ in 0..<rng.int(1...3) {
                    let i = rng.int(0...(items.count - 1)), n = rng.int(1...2)
                    guard !lines.contains(where: { $0.0 == i }), q[i] >= n, total + items[i].price * n <= b.points else { continue }
                    lines.append((i, n)); total += items[i].price * n
                }
                guard !lines.isEmpty else { continue }
                let rid = rng.uuid(), street = String(h.grid.prefix(9))
                b.points -= total; b.spent += total; b.seq += 1
                balance[r] = b
                tallies["\(h.grid) \(day.year)", default: (0, 0, 0)].redeemed += total
                tallies["\(h.grid) \(day.year)", default: (0, 0, 0)].redemptions += 1
                if h.assistance != nil { assistedYears["\(h.household) \(day.year)"] = (h.household, day.year, h.grid) }
                for (i, n) in lines {
                    q[i] -= n
                    moves.add(values: [.uuid(rng.uuid()), .uuid(ids[i]), .uuid(market), .text(StockMoveKind.redeemed.rawValue), .integer(-n), .integer(q[i]),
                                       .null, .uuid(rid), .text(day.description), .text("demo"), .integer(t)])
                    if q[i] < 5 {
                        let more = rng.int(20...40)
                        q[i] += more
                        moves.add(values: [.uuid(rng.uuid()), .uuid(ids[i]), .uuid(market), .text(StockMoveKind.received.rawValue), .integer(more), .integer(q[i]),
                                           .text("区慈善总会爱心采购"), .null, .text(day.description), .text("demo"), .integer(t + 1)])
                    }
                    spill(&moves)
                }
                stock[street] = q
                let summaryText = lines.map { "\(items[$0.0].name)×\($0.1)\(items[$0.0].unit)" }.joined(separator: "、")
                entries.add(values: [.uuid(rng.uuid()), .uuid(r), .integer(b.seq), .text(h.grid), .text(LovePointKind.redemption.rawValue), .integer(-total),
                                     .integer(b.points), .integer(0), .text(day.description), .text(rid.uuidString), .text(summaryText), .text("demo"), .integer(t)])
                redemptions.add(values: [.uuid(rid), .uuid(market), .text(street), .integer(b.points), .uuid(r), .text(h.grid), .uuid(h.household),
                                         .text(h.assistance), .integer(total), .text(summaryText), .text(day.description), .text("done"),
                                         .text("demo"), .integer(t)])
                spill(&entries); spill(&redemptions)
                summary.redemptions += 1
            }
        }
        for (r, b) in balance.sorted(by: { $0.key.uuidString < $1.key.uuidString }) {
            guard let h = holders[r] else { continue }
            balances.add(values: [.uuid(r), .text(h.grid), .integer(b.points), .integer(b.earned), .integer(b.spent), .integer(b.seq), .integer(Int(now))])
            spill(&balances)
        }
        var tallyRows = BulkInsert("love_point_tallies", ["grid_code", "year", "earned", "redeemed", "redemptions"])
        for (key, t) in tallies.sorted(by: { $0.key < $1.key }) {
            let parts = key.split(separator: " ")
            tallyRows.add(values: [.text(String(parts[0])), .integer(Int(parts[1]) ?? 0), .integer(t.earned), .integer(t.redeemed), .integer(t.redemptions)])
            spill(&tallyRows)
        }
        var assistedRows = BulkInsert("supermarket_assisted_years", ["household_id", "year", "grid_code"])
        for (_, a) in assistedYears.sorted(by: { $0.key < $1.key }) {
            assistedRows.add(values: [.uuid(a.household), .integer(a.year), .text(a.grid)])
            spill(&assistedRows)
        }
        for s in streets {
            guard let ids = goodsIDs[s.code], let q = stock[s.code], let market = marketIDs[s.code] else { continue }
            for (i, item) in items.enumerated() {
                goodsRows.add(values: [.uuid(ids[i]), .uuid(market), .text(item.name), .text(item.category.rawValue), .text(item.unit), .integer(item.price),
                                       .integer(q[i]), .integer(1), .integer(Int(now))])
            }
        }
        try await db.writeTransaction(bulk: true) { [markets, goodsRows, moves, entries, balances, allowances, redemptions, tallyRows, assistedRows, batches] db in
            var markets = markets, goodsRows = goodsRows, moves = moves, entries = entries, balances = balances
            var allowances = allowances, redemptions = redemptions, tallyRows = tallyRows, assistedRows = assistedRows
            try await markets.flush(on: db)
            try await goodsRows.flush(on: db)
            try await balances.flush(on: db)
            // Markets and goods are in before any batch naming them.
            for b in batches { try await b.run(on: db) }
            try await moves.flush(on: db)
            try await entries.flush(on: db)
            try await allowances.flush(on: db)
            try await redemptions.flush(on: db)
            try await tallyRows.flush(on: db)
            try await assistedRows.flush(on: db)
            try await AuditLog.append([AuditEvent(SupermarketAudit.demoLoad, target: .table("supermarkets"))], by: .system("demo"), on: db)
        }
        return summary
    }
}
