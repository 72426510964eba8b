import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 捐赠物资接收点 in the demo district: a point in most communities (a few have none, one is closed, one has been
/// idle for over a year, so the coverage is short of 100 %), and a year of donations and hand-outs with the
/// stock simulated day by day so that it never goes below zero; about two in five hand-outs go to households
/// with a social-assistance case. Deterministic from the seed; written with multi-row INSERTs in one transaction.
public struct DonationsDemo: DemoStep {
    public init() {}

    public func load(_ demo: DemoContext) async throws -> String? {
        let started = Date()
        let s = try await DemoDonations.load(on: demo.db, cipher: demo.cipher, seed: demo.seed, today: demo.today, now: demo.now)
        return String(format: "捐赠物资接收点：%d 个村/社区中 %d 个设点（%d 个在运行），近一年接收捐赠 %d 笔、发放 %d 笔，用时 %.1f 秒。",
                      s.communities, s.points, s.working, s.received, s.handedOut, Date().timeIntervalSince(started))
    }
}

public enum DemoDonations {
    public struct Summary: Sendable { public var communities = 0, points = 0, working = 0, received = 0, handedOut = 0 }

    struct Goods { let name: String; let category: DonationCategory; let unit: String; let lot: ClosedRange<Int>; let take: ClosedRange<Int> }

    static let goods: [Goods] = [
        Goods(name: "冬季棉衣", category: .clothing, unit: "件", lot: 3...20, take: 1...3),
        Goods(name: "儿童衣物", category: .clothing, unit: "件", lot: 5...30, take: 1...4),
        Goods(name: "大米（10公斤装）", category: .grainOil, unit: "袋", lot: 5...30, take: 1...2),
        Goods(name: "食用油（5升）", category: .grainOil, unit: "桶", lot: 4...20, take: 1...2),
        Goods(name: "面粉", category: .grainOil, unit: "袋", lot: 3...15, take: 1...2),
        Goods(name: "棉被", category: .daily, unit: "床", lot: 2...10, take: 1...2),
        Goods(name: "洗衣液", category: .daily, unit: "桶", lot: 6...30, take: 1...3),
        Goods(name: "课外读物", category: .books, unit: "本", lot: 10...60, take: 2...6),
        Goods(name: "书包文具套装", category: .books, unit: "套", lot: 5...25, take: 1...2),
        Goods(name: "电风扇", category: .appliances, unit: "台", lot: 1...4, take: 1...1),
        Goods(name: "旧书桌", category: .appliances, unit: "件", lot: 1...2, take: 1...1),
        Goods(name: "牛奶", category: .other, unit: "箱", lot: 4...20, take: 1...2),
    ]
    static let donors = ["区慈善总会", "高新区商会", "华康医药有限公司", "寺巷中心小学家委会", "爱心超市", "王先生", "李女士", "陈师傅", "泰州红十字会志愿服务队"]
    static let surnames = Array("王李张刘陈杨黄赵周吴徐孙朱马胡郭林何高罗")
    static let given = ["建国", "秀英", "桂芳", "志强", "海燕", "春梅", "卫东", "丽娟", "国平", "红霞"]

    public static func load(on db: any Database, cipher: PersonalDataCipher, seed: UInt64, today: CivilDate, now: Int64) async throws -> Summary {
        let sql = SQLHelpers.sql(db)
        var rng = SeededRandom(seed: seed ^ 0xD0_4A71_0AB5)
        let communities = try await sql.select().columns("code", "name").from(Division.schema)
            .where("level", .equal, SQLBind(DivisionLevel.community.rawValue)).orderBy("code").all()
            .map { (code: try $0.decode(column: "code", as: String.self), name: try $0.decode(column: "name", as: String.self)) }
        var households: [String: [UUID]] = [:]
        for row in try await sql.select().columns("id", "grid_code").from(Household.schema).orderBy("id").all() {
            households[String(try row.decode(column: "grid_code", as: String.self).prefix(12)), default: []].append(try row.decode(column: "id", as: UUID.self))
        }
        var assisted: [UUID: (kind: String, stage: String)] = [:]
        var assistedBy: [String: [UUID]] = [:]
        for row in try await sql.select().columns("household_id", "community_code", "kind", "stage").from("assistance_cases")
            .where("stage", .notIn, SQLBind.group([AssistanceStage.refused.rawValue, AssistanceStage.ended.rawValue]))
            .orderBy("household_id").orderBy("kind").all() {
            let h = try row.decode(column: "household_id", as: UUID.self)
            let c = (try row.decode(column: "kind", as: String.self), try row.decode(column: "stage", as: String.self))
            if assisted[h] == nil || c.1 == AssistanceStage.approved.rawValue && assisted[h]?.stage != AssistanceStage.approved.rawValue {
                if assisted[h] == nil { assistedBy[try row.decode(column: "community_code", as: String.self), default: []].append(h) }
                assisted[h] = (c.0, c.1)
            }
        }

        var summary = Summary()
        summary.communities = communities.count
        var points = BulkInsert("donation_points", ["id", "community_code", "street_code", "name", "address", "opening_hours", "keeper_name",
                                                    "keeper_phone_cipher", "keeper_phone_masked", "latitude", "longitude", "needs", "open",
                                                    "last_activity_on", "movements", "version", "created_by", "created_at", "updated_at"])
        var stockRows = BulkInsert("donation_stock", ["point_id", "goods", "unit", "category", "quantity", "updated_at"])
        var moves = BulkInsert("donation_movements", ["id", "point_id", "community_code", "kind", "goods", "unit", "category", "quantity", "balance",
                                                      "on_date", "donor", "household_id", "assistance_kind", "assistance_stage", "note", "seq", "recorded_by", "created_at"])
        var batches: [BulkInsert.Batch] = []
        let first = today.adding(days: -364)
        for (i, c) in communities.enumerated() {
            // 寺巷社区, where the demo accounts work, always has one.
            if c.code != "321271002001" && rng.chance(0.07) { continue }
            let id = rng.uuid()
            let idle = c.code != "321271002001" && rng.chance(0.03), closed = c.code != "321271002001" && !idle && rng.chance(0.03)
            let phone = "139" + String(format: "%08d", rng.int(0...99_999_999))
            var stock: [Int: Int] = [:]
            var last: CivilDate?
            var seq = 0
            if !idle {
                let pool = households[c.code] ?? [], helped = assistedBy[c.code] ?? []
                for day in 0..<365 {
                    let date = first.adding(days: day)
                    let at = now - Int64(364 - day) * 86_400 + Int64(seq)
                    if rng.chance(0.22) {
                        let g = rng.int(0...(goods.count - 1)), n = rng.int(goods[g].lot)
                        stock[g, default: 0] += n
                        let donor = rng.chance(0.3) ? DonationRules.anonymous : donors[rng.int(0...(donors.count - 1))]
                        moves.add(values: move(rng.uuid(), id, c.code, .received, goods[g], n, stock[g]!, date, donor: donor, household: nil, assistance: nil, seq + 1, at))
                        summary.received += 1; seq += 1; last = date
                    }
                    let available = stock.filter { $0.value > 0 }.keys.sorted()
                    if !available.isEmpty, !pool.isEmpty, rng.chance(0.3) {
                        let g = available[rng.int(0...(available.count - 1))]
                        let n = min(stock[g]!, rng.int(goods[g].take))
                        stock[g]! -= n
                        let h = !helped.isEmpty && rng.chance(0.4) ? helped[rng.int(0...(helped.count - 1))] : pool[rng.int(0...(pool.count - 1))]
                        moves.add(values: move(rng.uuid(), id, c.code, .handedOut, goods[g], n, stock[g]!, date, donor: nil, household: h, assistance: assisted[h], seq + 1, at))
                        summary.handedOut += 1; seq += 1; last = date
                    }
                    if moves.isFull, let b = moves.take() { batches.append(b) }
                }
            }
            let needs = (0..<rng.int(1...3)).map { _ in goods[rng.int(0...(goods.count - 1))].name }
            let keeper = String(surnames[rng.int(0...(surnames.count - 1))]) + given[rng.int(0...(given.count - 1))]
            points.add(values: [.uuid(id), .text(c.code), .text(String(c.code.prefix(9))), .text(c.name + "捐赠物资接收点"),
                                .text(c.name + "党群服务中心一楼（\(i % 2 == 0 ? "东" : "西")侧）"), .text("周一至周五 8:30-17:00，周六 9:00-12:00"),
                                .text(keeper), .blob(try cipher.seal(phone)), .text(Masking.phone(phone)),
                                .real(32.38 + Double(i % 10) * 0.012 + Double(rng.int(0...99)) / 10_000), .real(119.90 + Double(i / 10) * 0.02 + Double(rng.int(0...99)) / 10_000),
                                .text(Array(Set(needs)).sorted().joined(separator: "\n")), .bool(!closed), .text(last?.description),
                                .integer(seq), .integer(1), .text("demo"), .integer(Int(now)), .integer(Int(now))])
            for (g, n) in stock.sorted(by: { $0.key < $1.key }) {
                stockRows.add(values: [.uuid(id), .text(goods[g].name), .text(goods[g].unit), .text(goods[g].category.rawValue), .integer(n), .integer(Int(now))])
            }
            summary.points += 1
            if DonationRules.isWorking(open: !closed, lastActivity: last, today: today) { summary.working += 1 }
        }
        try await db.writeTransaction(bulk: true) { [points, stockRows, moves, batches] db in
            var points = points, stockRows = stockRows, moves = moves
            try await points.flush(on: db)
            try await stockRows.flush(on: db)
            for b in batches { try await b.run(on: db) }
            try await moves.flush(on: db)
            try await AuditLog.append([AuditEvent(DonationsAudit.demoLoad, target: .table("donation_points"))], by: .system("demo"), on: db)
        }
        return summary
    }

    static func move(_ id: UUID, _ point: UUID, _ community: String, _ kind: DonationMovementKind, _ g: Goods, _ n: Int, _ balance: Int, _ date: CivilDate,
                     donor: String?, household: UUID?, assistance: (kind: String, stage: String)?, _ seq: Int, _ at: Int64) -> [BulkValue] {
        [.uuid(id), .uuid(point), .text(community), .text(kind.rawValue), .text(g.name), .text(g.unit), .text(g.category.rawValue), .integer(n),
         .integer(balance), .text(date.description), .text(donor), household.map(BulkValue.uuid) ?? .null, .text(assistance?.kind), .text(assistance?.stage),
         .null, .integer(seq), .text("demo"), .integer(Int(at))]
    }
}
