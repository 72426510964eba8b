import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 物业管理 in the demo district: every building in a compound — each community's buildings, in order, cut into compounds
/// of three to twelve; built between 1985 and 2018, those before 2000 old compounds (老旧小区). A dozen property service
/// companies, each with its department and account (disabled until the security administrator sets its password); most
/// newer compounds and about a quarter of the old ones under a contract in force, most other old compounds under the
/// community's 准物业管理 (保洁 and 秩序维护), the rest unmanaged; owners' committees for most large compounds
/// (`DemoCommittees`) and coordination meetings (`DemoCoordination`). Deterministic by seed; bulk inserts in one transaction each.
public struct PropertyDemo: DemoStep {
    public init() {}

    public func load(_ demo: DemoContext) async throws -> String? {
        let s = try await DemoProperty.load(on: demo.db, seed: demo.seed, today: demo.today, now: demo.now)
        return "物业管理：小区 \(s.compounds) 个（老旧小区 \(s.old) 个），物业服务企业 \(s.companies) 家、合同 \(s.contracts) 份，准物业管理 \(s.quasi) 个，无人管理 \(s.unmanaged) 个，业主委员会 \(s.committees) 个，四位一体协调会 \(s.coordination) 次，居民物业服务评价今年 \(s.ratings) 户、去年 \(s.ratingsLastYear) 户。"
    }
}

public enum DemoProperty {
    public struct Summary: Sendable { public var compounds = 0, old = 0, companies = 0, contracts = 0, quasi = 0, unmanaged = 0, committees = 0, coordination = 0, ratings = 0, ratingsLastYear = 0 }

    static let stems = ["幸福里", "阳光花园", "锦绣苑", "翠竹园", "桂花苑", "和平新村", "文昌小区", "康乐园", "春晖苑", "银杏苑", "丽景湾", "长江新村",
                        "凤凰城", "紫薇苑", "梅香园", "东湖花园"]
    static let companies = ["恒泰物业服务有限公司", "绿城物业服务集团泰州分公司", "嘉和物业管理有限公司", "安居物业服务有限公司", "鑫诚物业管理有限公司",
                            "凤城物业服务有限公司", "润泽物业管理有限公司", "华宇物业服务有限公司", "永安物业管理有限公司", "长城物业服务有限公司",
                            "金地物业管理有限公司", "宜居物业服务有限公司"]

    /// A valid 统一社会信用代码 for the demo's `n`-th company of a district.
    public static func creditCode(_ n: Int, district: String) -> String {
        let body = "91" + district.prefix(6) + "PM" + String(format: "%07d", 1_000 + n * 53)
        return body + String(CreditCode.checkCharacter(body)!)
    }

    public static func load(on db: any Database, seed: UInt64, today: CivilDate, now: Int64) async throws -> Summary {
        let sql = SQLHelpers.sql(db)
        var rng = SeededRandom(seed: seed ^ 0x9E_0933)
        var byCommunity: [(String, [UUID])] = []
        for row in try await sql.select().columns("id", "grid_code").from(Building.schema).orderBy("grid_code").orderBy("name").orderBy("id").all() {
            let community = String(try row.decode(column: "grid_code", as: String.self).prefix(12)), id = try row.decode(column: "id", as: UUID.self)
            if byCommunity.last?.0 == community { byCommunity[byCommunity.count - 1].1.append(id) } else { byCommunity.append((community, [id])) }
        }
        let district = byCommunity.first.map { String($0.0.prefix(6)) + "000000" } ?? "000000000000"
        var s = Summary()
        var companyRows = BulkInsert("property_companies", ["id", "name", "credit_code", "department_code", "account_id", "contact_name", "version", "created_by",
                                                            "created_at", "updated_at"])
        var departments = BulkInsert("departments", ["code", "name"])
        var accounts = BulkInsert("accounts", ["id", "username", "display_name", "role", "division_code", "department_code", "password_hash", "disabled",
                                               "failed_attempts", "version", "setup_required"])
        var companyIds: [UUID] = []
        for (n, name) in companies.enumerated() where !byCommunity.isEmpty {
            let id = rng.uuid(), account = rng.uuid(), code = creditCode(n, district: district)
            let department = PropertyRules.departmentCode(creditCode: code)
            companyRows.add([id, name, code, department, account, "项目经理" + String(n + 1), 1, "demo", now, now])
            departments.add([department, name])
            accounts.add([account, PropertyRules.username(creditCode: code), String(name.prefix(40)), Role.department.rawValue, district, department, "!", true, 0, 1, true])
            companyIds.append(id)
            s.companies += 1
        }
        var compounds = BulkInsert("property_compounds", ["id", "community_code", "name", "year_built", "old", "quasi_services", "version", "created_by",
                                                          "created_at", "updated_at"])
        var members = BulkInsert("property_compound_buildings", ["building_id", "compound_id"])
        var contracts = BulkInsert("property_contracts", ["id", "compound_id", "company_id", "community_code", "starts_on", "ends_on", "fee", "services",
                                                          "staff", "room_area", "created_by", "created_at"])
        var batches: [BulkInsert.Batch] = []
        func keep(_ bulk: inout BulkInsert) { if bulk.isFull, let x = bulk.take() { batches.append(x) } }
        for (index, (community, buildings)) in byCommunity.enumerated() {
            var i = 0, n = 0
            while i < buildings.count {
                let size = min(buildings.count - i, rng.int(3...12))
                let id = rng.uuid()
                let year = rng.int(1985...2018), old = year < 2000
                // Each community starts at its own place in the list, so that neighbouring communities' names differ.
                let name = stems[(n + index * 7) % stems.count] + (n >= stems.count ? "\(n / stems.count + 1)期" : "")
                let draw = rng.int(0...99)
                let company = old ? draw < 25 : draw < 85
                let quasi = !company && (old ? draw < 85 : draw < 90)
                compounds.add([id, community, name, year, old, quasi ? PropertyService.encode([.cleaning, .security]) : "", 1, "demo", now, now])
                keep(&compounds)
                for b in buildings[i..<(i + size)] { members.add([b, id]); keep(&members) }
                if company, !companyIds.isEmpty {
                    let starts = today.adding(days: -rng.int(30...900))
                    var ends = starts.adding(days: 1095)
                    if ends < today { ends = ends.adding(days: 1095) }
                    let services: [PropertyService] = old ? [.cleaning, .security, .repair] : [.cleaning, .security, .greening, .repair, .parking]
                    contracts.add([rng.uuid(), id, companyIds[rng.int(0...(companyIds.count - 1))], community, starts.description, ends.description,
                                   Double(rng.int(40...250)) / 100, PropertyService.encode(services), rng.int(2...30), Double(rng.int(20...200)), "demo", now])
                    keep(&contracts)
                    s.contracts += 1
                } else if quasi {
                    s.quasi += 1
                } else {
                    s.unmanaged += 1
                }
                s.compounds += 1
                if old { s.old += 1 }
                i += size; n += 1
            }
        }
        for var bulk in [companyRows, departments, accounts, compounds, members, contracts] { if let x = bulk.take() { batches.append(x) } }
        // Companies, departments and accounts before the compounds; the compounds before their buildings and contracts.
        let order = ["departments", "accounts", "property_companies", "property_compounds", "property_compound_buildings", "property_contracts"]
        let ordered = batches.sorted { order.firstIndex(of: $0.table)! < order.firstIndex(of: $1.table)! }, summary = s
        try await db.writeTransaction(bulk: true) { db in
            for x in ordered { try await x.run(on: db) }
            try await AuditLog.append([AuditEvent(PropertyAudit.demoLoad, target: .table("property_compounds"),
                                                  detail: ["compounds": String(summary.compounds), "companies": String(summary.companies)])],
                                      by: .system("demo"), on: db)
        }
        s.committees = try await DemoCommittees.load(on: db, seed: seed, today: today, now: now)
        s.coordination = try await DemoCoordination.load(on: db, seed: seed, today: today, now: now)
        (s.ratings, s.ratingsLastYear) = try await DemoRatings.load(on: db, seed: seed, today: today, now: now)
        return s
    }
}
