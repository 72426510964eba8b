import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 房屋和单位 in the demo district: a dwelling for every household (the household placed in it, numbered 单元-楼层室,
/// or 号 in a village), one empty dwelling in about every eighth building; about 15 % of the occupied dwellings
/// rented — the household's members the tenants (the registry's 流动人口 among them), the landlord an outside owner,
/// contracts of one or two years (about 3 % past their end), the three safety checks each done within its interval
/// (about 5 % overdue); and a unit for about every 50 residents, with valid credit codes. Deterministic by seed;
/// bulk inserts in one transaction.
public struct HousingDemo: DemoStep {
    public init() {}

    public func load(_ demo: DemoContext) async throws -> String? {
        let s = try await DemoHousing.load(on: demo.db, cipher: demo.cipher, seed: demo.seed, today: demo.today, now: demo.now)
        return "房屋：\(s.dwellings) 套，其中出租登记 \(s.rentals) 套（合同到期 \(s.expired) 套），单位 \(s.units) 个。"
    }
}

public enum DemoHousing {
    public struct Summary: Sendable { public var dwellings = 0, rentals = 0, expired = 0, units = 0 }

    static let surnames = Array("王李张刘陈杨黄赵周吴徐孙朱马胡郭林何高罗郑")
    static let given = ["建华", "秀兰", "国强", "美玲", "志明", "桂英", "海军", "丽华", "德胜", "玉珍"]
    static let unitStems = ["恒通", "华瑞", "金桥", "新宇", "润泽", "东方", "嘉禾", "永信", "博文", "安康", "瑞丰", "康达", "天成", "宏远", "鑫源", "和美"]
    static let unitTrades: [(String, UnitKind)] = [("商贸有限公司", .enterprise), ("科技有限公司", .enterprise), ("便利店", .individual), ("餐饮店", .individual),
                                                    ("幼儿园", .institution), ("卫生服务站", .institution), ("社会工作服务中心", .socialOrganization),
                                                    ("物业管理有限公司", .enterprise), ("理发店", .individual), ("中学", .institution)]

    /// A valid 统一社会信用代码 for the demo's `n`-th unit of a district.
    public static func creditCode(_ n: Int, district: String, kind: UnitKind) -> String {
        let head = kind == .individual ? "92" : kind == .institution ? "12" : kind == .socialOrganization ? "52" : "91"
        let body = head + district.prefix(6) + String(format: "%09d", 100_000 + n * 37)
        return body + String(CreditCode.checkCharacter(body)!)
    }

    struct Batches {
        var dwellings: [BulkInsert.Batch] = [], rentals: [BulkInsert.Batch] = [], tenants: [BulkInsert.Batch] = [], checks: [BulkInsert.Batch] = []
        var units: [BulkInsert.Batch] = []
    }

    public static func load(on db: any Database, cipher: PersonalDataCipher, seed: UInt64, today: CivilDate, now: Int64) async throws -> Summary {
        let sql = SQLHelpers.sql(db)
        var rng = SeededRandom(seed: seed ^ 0x40_05E)
        let settings = HousingSettings()
        // The households by building, in number order; the members of each (active) with their residence status.
        let households = try await sql.select().columns("id", "building_id", "grid_code", "room").from("households").orderBy("building_id").orderBy("number").all()
            .map { (id: try $0.decode(column: "id", as: UUID.self), building: try $0.decode(column: "building_id", as: UUID.self),
                    grid: try $0.decode(column: "grid_code", as: String.self), village: try $0.decode(column: "room", as: String.self) == "全户") }
        var members: [UUID: [(UUID, Bool)]] = [:]
        for row in try await sql.select().columns("id", "household_id", "residence_status").from("residents")
            .where("life_status", .equal, SQLBind(LifeStatus.active.rawValue)).all() {
            members[try row.decode(column: "household_id", as: UUID.self), default: []]
                .append((try row.decode(column: "id", as: UUID.self), try row.decode(column: "residence_status", as: String.self) == ResidenceStatus.floating.rawValue))
        }
        var dwellings = BulkInsert("dwellings", ["id", "building_id", "grid_code", "number", "floor", "area", "rooms", "use", "version", "created_by", "created_at", "updated_at"])
        var rentals = BulkInsert("rentals", ["id", "dwelling_id", "active_dwelling_id", "grid_code", "landlord_name", "landlord_phone_cipher", "landlord_phone_masked",
                                             "starts_on", "ends_on", "rent_band", "tenant_count", "group_rental", "last_fire_on", "last_gas_on", "last_ebike_on",
                                             "version", "created_by", "created_at", "updated_at"])
        var tenants = BulkInsert("rental_tenants", ["rental_id", "resident_id", "grid_code", "floating", "moved_in_on", "active"])
        var checks = BulkInsert("rental_checks", ["id", "rental_id", "kind", "checked_on", "passed", "findings", "recorded_by", "created_at"])
        var units = BulkInsert("units", ["id", "name", "name_initials", "credit_code", "kind", "building_id", "grid_code", "contact_name", "contact_phone_cipher",
                                         "contact_phone_masked", "employees", "opens_facilities", "safety_person", "version", "created_by", "created_at", "updated_at"])
        var b = Batches()
        var s = Summary()
        func keep(_ bulk: inout BulkInsert, _ into: inout [BulkInsert.Batch]) { if bulk.isFull, let x = bulk.take() { into.append(x) } }
        var index = 0
        var lastBuilding: UUID?
        var buildings: [(UUID, String)] = []
        for (n, h) in households.enumerated() {
            if h.building != lastBuilding {
                // One empty dwelling in about every eighth building, after the previous building's last.
                if let last = lastBuilding, rng.chance(0.125) {
                    let g = households[n - 1].grid
                    dwellings.add([rng.uuid(), last, g, households[n - 1].village ? "\(index + 1)号" : "9-\(index / 8 + 1)01", index / 8 + 1,
                                   Double(rng.int(45...120)), rng.int(2...4), DwellingUse.vacant.rawValue, 1, "demo", now, now])
                    keep(&dwellings, &b.dwellings); s.dwellings += 1
                }
                lastBuilding = h.building; index = 0
                buildings.append((h.building, h.grid))
            }
            let floor = h.village ? 1 : index / 8 + 1
            let number = h.village ? "\(index + 1)号" : "\(index % 4 + 1)-\(floor)0\((index / 4) % 2 + 1)"
            index += 1
            let people = members[h.id] ?? []
            let rented = !people.isEmpty && rng.chance(0.15)
            // A few small rented rooms hold more people than the limit allows (群租).
            let area = rented && rng.chance(0.04) ? Double(rng.int(12...18)) : Double(rng.int(40...140))
            let use: DwellingUse = rented ? .rented : (!people.isEmpty && rng.chance(0.02) ? .business : .own)
            // The dwelling takes the household's id: one statement then places every household in its own.
            dwellings.add([h.id, h.building, h.grid, number, floor, area, max(1, Int(area / 30)), use.rawValue, 1, "demo", now, now])
            keep(&dwellings, &b.dwellings); s.dwellings += 1
            guard rented else { continue }
            let rid = rng.uuid()
            let starts = today.adding(days: -rng.int(10...700))
            let expired = rng.chance(0.03)
            let ends = expired ? today.adding(days: -rng.int(1...60)) : max(starts.adding(days: rng.chance(0.5) ? 365 : 730), today.adding(days: rng.int(20...400)))
            let overdue = rng.chance(0.05)
            var last: [SafetyCheckKind: CivilDate] = [:]
            for k in SafetyCheckKind.allCases {
                let every = settings.interval(k)
                let d = overdue && k == .fire ? today.adding(days: -every - rng.int(5...60)) : today.adding(days: -rng.int(1...(every - 1)))
                guard d >= starts || overdue && k == .fire else { continue }
                last[k] = max(d, starts)
                checks.add([rng.uuid(), rid, k.rawValue, last[k]!.description, true, k == .fire ? "灭火器在有效期内，疏散通道畅通" : k == .gas ? "燃气管道、报警器完好"
                            : "电动车未在楼道停放、未入户充电", "demo", now])
                keep(&checks, &b.checks)
            }
            let name = String(surnames[rng.int(0...(surnames.count - 1))]) + given[rng.int(0...(given.count - 1))]
            let phone = "138" + String(format: "%08d", rng.int(0...99_999_999))
            let group = HousingRules.isGroupRental(tenants: people.count, area: area, settings: settings)
            rentals.add([rid, h.id, h.id, h.grid, name, try cipher.seal(phone), Masking.phone(phone), starts.description, ends.description,
                         RentBand.allCases[rng.int(0...(RentBand.allCases.count - 1))].rawValue, people.count, group,
                         last[.fire]?.description, last[.gas]?.description, last[.ebike]?.description, 1, "demo", now, now])
            keep(&rentals, &b.rentals)
            for (pid, floating) in people {
                tenants.add([rid, pid, h.grid, floating, starts.description, true])
                keep(&tenants, &b.tenants)
            }
            s.rentals += 1
            if expired { s.expired += 1 }
        }
        // Units: about one for every 50 residents (at least 10), in buildings spread over the district.
        let unitCount = buildings.isEmpty ? 0 : max(10, members.values.reduce(0) { $0 + $1.count } / 50)
        for i in 0..<unitCount {
            let (bid, grid) = buildings[(i * 7_919 + rng.int(0...3)) % buildings.count]
            let trade = unitTrades[rng.int(0...(unitTrades.count - 1))]
            let name = unitStems[rng.int(0...(unitStems.count - 1))] + trade.0 + (i >= unitStems.count * unitTrades.count ? "（\(i)）" : "")
            let phone = "0523" + String(format: "%07d", rng.int(0...9_999_999))
            let contact = String(surnames[rng.int(0...(surnames.count - 1))]) + given[rng.int(0...(given.count - 1))]
            units.add([rng.uuid(), name, Pinyin.reading(ofName: name).initials, creditCode(i, district: grid, kind: trade.1), trade.1.rawValue, bid, grid,
                       contact, try cipher.seal(phone), Masking.phone(phone), trade.1 == .individual ? rng.int(1...8) : rng.int(5...300),
                       trade.1 == .institution || rng.chance(0.2), contact, 1, "demo", now, now])
            keep(&units, &b.units)
            s.units += 1
        }
        if let x = dwellings.take() { b.dwellings.append(x) }
        if let x = rentals.take() { b.rentals.append(x) }
        if let x = tenants.take() { b.tenants.append(x) }
        if let x = checks.take() { b.checks.append(x) }
        if let x = units.take() { b.units.append(x) }
        let batches = b, summary = s
        try await db.writeTransaction(bulk: true) { db in
            for group in [batches.dwellings, batches.rentals, batches.tenants, batches.checks, batches.units] {
                for x in group { try await x.run(on: db) }
            }
            let sql = SQLHelpers.sql(db)
            try await sql.raw("UPDATE households SET dwelling_id = id WHERE id IN (SELECT id FROM dwellings)").run()
            try await AuditLog.append([AuditEvent(HousingAudit.demoLoad, target: .table("dwellings"),
                                                  detail: ["dwellings": String(summary.dwellings), "rentals": String(summary.rentals), "units": String(summary.units)])],
                                      by: .system("demo"), on: db)
        }
        return s
    }
}
