import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 社区党建 in the demo district. Every street has its 街道社会工作党委; every community an organization of the kind
/// its membership calls for (党委 with branches, 党总支 with branches, or a 党支部), two to four 功能型党小组, a
/// secretary. About 8.5 % of the adults on the roll are members, and the registry's 党员 tag is written from them; about one in six belongs to an organization elsewhere (在职党员), of whom most
/// have 报到. Each community's 社区服务站, a street's 文化活动室 and the district's 文化中心 host the 三级党员服务中心. Brand
/// projects for the streets and some communities; a third of the volunteer activities are marked party-member
/// service, so members' verified hours count. Deterministic by seed; bulk inserts in one transaction.
public struct PartyDemo: DemoStep {
    public init() {}

    public func load(_ demo: DemoContext) async throws -> String? {
        let s = try await DemoParty.load(on: demo.db, seed: demo.seed, today: demo.today, now: demo.now)
        return "社区党建：党组织 \(s.orgs) 个（功能型党小组 \(s.groups) 个），党员 \(s.members) 名（在职党员报到 \(s.reported)/\(s.expected)），党员服务中心 \(s.centres) 个，党建品牌 \(s.brands) 个，党员志愿服务活动 \(s.activities) 场。"
    }
}

public enum DemoParty {
    public struct Summary: Sendable { public var orgs = 0, groups = 0, members = 0, expected = 0, reported = 0, centres = 0, brands = 0, activities = 0 }

    static let outsideOrgs = ["泰州市教育局机关党支部", "海陵区人民医院党总支", "泰州供电公司第二党支部", "泰州职业技术学院党委", "江苏银行泰州分行党支部",
                              "区市场监督管理局党支部", "泰州港务集团党委", "区税务局第一党支部"]
    static let brandNames = ["红色楼道", "党员先锋岗", "邻里守望", "银龄先锋", "红帆驿站", "初心议事厅", "党员中心户", "红色物业"]
    static let brandSummaries = ["党员亮身份、楼道包干，带头参与楼道自治和环境整治", "在职党员认领社区服务岗位，每月至少服务一次",
                                 "党员结对空巢独居老人，定期走访、代办事务", "退休党员组建志愿服务队，开展政策宣讲和矛盾调解"]
    static let groupNames: [FunctionalKind: [String]] = [
        .professional: ["法律服务党小组", "医疗健康党小组", "教育辅导党小组"],
        .talent: ["文艺宣传党小组", "书画摄影党小组"],
        .social: ["环境卫生党小组", "平安巡逻党小组", "邻里互助党小组"],
        .central: ["楼道治理党小组", "物业协调党小组"],
    ]

    public static func load(on db: any Database, seed: UInt64, today: CivilDate, now: Int64) async throws -> Summary {
        let sql = SQLHelpers.sql(db)
        var rng = SeededRandom(seed: seed ^ 0xDA_17)
        var divisions: [(code: String, name: String)] = []
        for row in try await sql.raw("SELECT code, name FROM divisions WHERE retired_on IS NULL ORDER BY code").all() {
            divisions.append((try row.decode(column: "code", as: String.self), try row.decode(column: "name", as: String.self)))
        }
        let level = { (code: String) in (try? DivisionCode(code))?.level }
        let streets = divisions.filter { level($0.code) == .street }, communities = divisions.filter { level($0.code) == .community }
        // About 8.5 % of the adults on the roll, by community (the registry's 党员 tag is written from this roll).
        let adultBefore = today.yearsEarlier(18).description
        var tagged: [String: [(id: UUID, birth: CivilDate)]] = [:]
        var pick = SeededRandom(seed: seed ^ 0xDA_18)
        for row in try await sql.raw("""
            SELECT id, birth_date, grid_code FROM residents WHERE life_status = \(bind: LifeStatus.active.rawValue) AND birth_date <= \(bind: adultBefore)
            ORDER BY grid_code, id
            """).all() {
            guard pick.chance(0.085), let birth = CivilDate(try row.decode(column: "birth_date", as: String.self)) else { continue }
            tagged[String(try row.decode(column: "grid_code", as: String.self).prefix(12)), default: []].append((try row.decode(column: "id", as: UUID.self), birth))
        }
        var facilities: [String: [String: UUID]] = [:]
        for row in try await sql.raw("SELECT id, kind, community_code FROM facilities ORDER BY community_code, id").all() {
            let c = try row.decode(column: "community_code", as: String.self), k = try row.decode(column: "kind", as: String.self)
            if facilities[c]?[k] == nil { facilities[c, default: [:]][k] = try row.decode(column: "id", as: UUID.self) }
        }
        var activityRows: [(id: UUID, community: String)] = []
        for row in try await sql.raw("SELECT id, community_code FROM volunteer_activities ORDER BY starts_at, id").all() {
            activityRows.append((try row.decode(column: "id", as: UUID.self), try row.decode(column: "community_code", as: String.self)))
        }
        let at = now
        return try await db.writeTransaction(bulk: true) { [tagged, facilities, activityRows, rng] db in
            var rng = rng, s = Summary()
            let sql = SQLHelpers.sql(db)
            var orgs = BulkInsert("party_orgs", ["id", "parent_id", "kind", "functional_kind", "name", "name_pinyin", "division_code", "secretary_member_id",
                                                 "members", "version", "created_by", "created_at"])
            var members = BulkInsert("party_members", ["id", "resident_id", "org_id", "outside_org", "joined_on", "reported_on", "version", "created_by",
                                                       "created_at", "updated_at"])
            var joins = BulkInsert("party_group_members", ["group_id", "member_id", "joined_on"])
            var centres = BulkInsert("party_centres", ["id", "facility_id", "level", "division_code", "name", "services", "opening_hours", "version",
                                                       "created_by", "created_at"])
            var duty = BulkInsert("party_centre_duty", ["centre_id", "member_id"])
            var brands = BulkInsert("party_brands", ["id", "org_id", "name", "summary", "started_on", "results", "version", "created_by", "created_at"])
            func org(_ id: UUID, parent: UUID?, _ kind: PartyOrgKind, _ fk: FunctionalKind?, _ name: String, _ code: String, secretary: UUID?, members n: Int) {
                orgs.add([id, parent, kind.rawValue, fk?.rawValue, name, Pinyin.reading(ofName: name).initials, code, secretary, n, 1, "demo", at])
                s.orgs += 1
                if fk != nil { s.groups += 1 }
            }
            func brand(_ orgID: UUID, _ code: String) -> UUID {
                let id = rng.uuid(), k = rng.int(0...brandNames.count - 1)
                let started = today.adding(days: -rng.int(200...1400))
                brands.add([id, orgID, brandNames[k], brandSummaries[k % brandSummaries.count], started.description,
                            "开展活动\(rng.int(6...40))场，服务群众\(rng.int(200...3000))人次", 1, "demo", at])
                s.brands += 1
                return id
            }
            // In the order of their references: organizations before their members, members before their groups and duty.
            func flushAll() async throws {
                try await orgs.flush(on: db); try await members.flush(on: db); try await joins.flush(on: db)
                try await centres.flush(on: db); try await duty.flush(on: db); try await brands.flush(on: db)
            }
            var brandOf: [String: UUID] = [:]
            let allServices = CentreService.allCases.map(\.rawValue).joined(separator: ",")
            // The district's centre in the first 文化中心 of the register.
            if let hit = facilities.sorted(by: { $0.key < $1.key }).lazy.compactMap({ c, kinds in kinds[FacilityKind.cultureCentre.rawValue].map { (c, $0) } }).first {
                let (community, f) = hit
                centres.add([rng.uuid(), f, CentreLevel.district.rawValue, CentreLevel.district.division(of: community), "区党员服务中心", allServices, "周一至周五 08:30-17:30", 1, "demo", at])
                s.centres += 1
            }
            var used = Set<UUID>()
            for street in streets {
                let wc = rng.uuid()
                org(wc, parent: nil, .workCommittee, nil, "\(street.name)社会工作党委", street.code, secretary: nil, members: 0)
                brandOf[street.code] = brand(wc, street.code)
                if let f = communities.filter({ $0.code.hasPrefix(street.code.prefix(9)) }).lazy
                    .compactMap({ facilities[$0.code]?[FacilityKind.cultureRoom.rawValue] }).first {
                    used.insert(f)
                    centres.add([rng.uuid(), f, CentreLevel.street.rawValue, street.code, "\(street.name)党员服务中心",
                                 "transfer,education,volunteering,hardship,consultation,floating", "周一至周六 08:30-17:30", 1, "demo", at])
                    s.centres += 1
                }
                for community in communities where community.code.hasPrefix(street.code.prefix(9)) {
                    let people = tagged[community.code] ?? []
                    // About one in six belongs to an organization elsewhere.
                    var inside: [(UUID, CivilDate)] = [], outside: [(UUID, CivilDate)] = []
                    for p in people { if rng.chance(0.16) { outside.append((p.id, p.birth)) } else { inside.append((p.id, p.birth)) } }
                    let kind = PartyRules.kindFor(members: inside.count) ?? .branch
                    let top = rng.uuid()
                    var branches: [UUID] = []
                    let short = community.name.replacingOccurrences(of: "社区居民委员会", with: "社区").replacingOccurrences(of: "村民委员会", with: "村")
                    if kind == .branch {
                        branches = [top]
                    } else {
                        let n = kind == .committee ? rng.int(3...5) : rng.int(2...3)
                        branches = (0..<n).map { _ in rng.uuid() }
                    }
                    var memberIDs: [UUID] = [], counts: [UUID: Int] = [:]
                    func join(_ p: (UUID, CivilDate)) -> (UUID, String) {
                        let age = p.1.age(on: today)
                        let year = min(today.year - 1, p.1.year + 19 + rng.int(0...max(0, min(45, age - 20))))
                        return (rng.uuid(), CivilDate(year: year, month: rng.int(1...12), day: rng.int(1...28))!.description)
                    }
                    for (i, p) in inside.enumerated() {
                        let (id, joined) = join(p)
                        let b = branches[i % branches.count]
                        counts[b, default: 0] += 1
                        members.add([id, p.0, b, nil as String?, joined, nil as String?, 1, "demo", at, at])
                        memberIDs.append(id)
                    }
                    for p in outside {
                        let (id, joined) = join(p)
                        s.expected += 1
                        let reported: String? = rng.chance(0.78) ? today.adding(days: -rng.int(10...900)).description : nil
                        if reported != nil { s.reported += 1 }
                        members.add([id, p.0, nil as UUID?, outsideOrgs[rng.int(0...outsideOrgs.count - 1)], joined, reported, 1, "demo", at, at])
                        memberIDs.append(id)
                    }
                    s.members += people.count
                    let secretary = memberIDs.first
                    if kind == .branch {
                        org(top, parent: wc, .branch, nil, "\(short)党支部", community.code, secretary: secretary, members: counts[top] ?? 0)
                    } else {
                        org(top, parent: wc, kind, nil, "\(short)\(kind.label)", community.code, secretary: secretary, members: 0)
                        for (i, b) in branches.enumerated() {
                            org(b, parent: top, .branch, nil, "\(short)第\(["一", "二", "三", "四", "五"][i])党支部", community.code,
                                secretary: memberIDs.count > i + 1 ? memberIDs[i + 1] : nil, members: counts[b] ?? 0)
                        }
                    }
                    // Two to four functional groups of different kinds; about one member in five joins one.
                    let shuffled = FunctionalKind.allCases.shuffled(using: &rng)
                    let kinds = shuffled.prefix(rng.int(2...4))
                    var groups: [UUID] = []
                    var groupCounts: [UUID: Int] = [:]
                    let groupIDs = kinds.map { _ in rng.uuid() }
                    for id in groupIDs { groups.append(id); groupCounts[id] = 0 }
                    for m in memberIDs where rng.chance(0.2) && !groups.isEmpty {
                        let g = groups[rng.int(0...groups.count - 1)]
                        joins.add([g, m, today.adding(days: -rng.int(30...700)).description])
                        groupCounts[g, default: 0] += 1
                    }
                    for (k, id) in zip(kinds, groupIDs) {
                        let names = groupNames[k]!
                        org(id, parent: top, .group, k, names[rng.int(0...names.count - 1)], community.code, secretary: nil, members: groupCounts[id] ?? 0)
                    }
                    if rng.chance(0.35) { brandOf[community.code] = brand(top, community.code) }
                    if let f = facilities[community.code]?[FacilityKind.communityStation.rawValue], !used.contains(f) {
                        let centre = rng.uuid()
                        centres.add([centre, f, CentreLevel.community.rawValue, community.code, "\(short)党员服务站",
                                     "education,volunteering,hardship,consultation,dues", "周一至周五 08:30-17:00", 1, "demo", at])
                        s.centres += 1
                        for m in memberIDs.prefix(2) { duty.add([centre, m]) }
                    }
                    if orgs.isFull || members.isFull || joins.isFull { try await flushAll() }
                }
            }
            try await flushAll()
            // The tally, as the member writes would have kept it.
            try await PartyTally.rebuild(on: db)
            // The roll decides the tag.
            try await FollowedTags.addBulk(.partyMember, to: tagged.values.flatMap { $0.map(\.id) }, on: db)
            // A third of the activities are party-member service, of the community's or the street's brand when it has one.
            for a in activityRows where rng.chance(0.33) {
                let brandID = brandOf[a.community] ?? brandOf[CentreLevel.street.division(of: a.community)]
                try await sql.raw("UPDATE volunteer_activities SET party_service = \(bind: true), party_brand_id = \(bind: brandID) WHERE id = \(bind: a.id)").run()
                s.activities += 1
            }
            // The planner's statistics for what this load wrote, as the care demo does for its own: without them SQLite
            // guessed the party tables' sizes and chose plans that read every resident for a page of the roll.
            if db.isSQLite {
                for t in ["party_orgs", "party_members", "party_group_members", "party_tallies", "party_brands", "party_centres",
                          "volunteers", "volunteer_activities", "volunteer_hours"] {
                    try await sql.raw("ANALYZE \(unsafeRaw: t)").run()
                }
            }
            return s
        }
    }
}
