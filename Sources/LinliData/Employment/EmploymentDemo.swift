import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 就业援助's part of the demo district: about 1.4 % of residents of working age (户籍 and 常住) registered
/// unemployed over the last two years, most of those of more than a year ago gone (a fair share to work within
/// six months), a few hundred designated 就业困难人员 on the facts the rules accept (大龄, 残疾, 低保家庭, 长期失业),
/// a public-welfare post or two in most communities with most places filled by designated people, and a few
/// people overdue for their monthly contact. The 失业人员 tag follows the open registrations. Deterministic from the seed.
public struct EmploymentDemo: DemoStep {
    public init() {}

    public func load(_ demo: DemoContext) async throws -> String? {
        let started = Date()
        let s = try await DemoEmployment.load(on: demo.db, seed: demo.seed, today: demo.today, now: demo.now)
        return String(format: "就业援助：在册失业人员 %d 人（其中就业困难人员 %d 人、超过30天未联系 %d 人），近两年退出登记 %d 人，公益性岗位 %d 个、在岗 %d 人，用时 %.1f 秒。",
                      s.open, s.designated, s.overdue, s.exited, s.posts, s.placed, Date().timeIntervalSince(started))
    }
}

public enum DemoEmployment {
    public struct Summary: Sendable { public var open = 0, designated = 0, overdue = 0, exited = 0, posts = 0, placed = 0 }

    static let reasons = ["企业裁员", "合同期满未续签", "单位关停", "个人辞职", "毕业后未就业", "个体经营歇业", "家庭原因离职"]
    static let jobs = ["制药厂包装工", "商场营业员", "物流分拣员", "餐饮服务员", "建筑工地杂工", "纺织厂挡车工", "保安", "会计", "仓库管理员", "网约车司机"]
    static let skills = ["电工证", "叉车", "会计从业", "厨师", "育婴", "驾驶C1", "计算机操作", "家政服务", "焊工", "无"]
    static let wishes = ["就近就业", "医药企业", "物业保洁", "灵活就业", "技能培训后就业", "社区公益性岗位", "全职白班"]
    static let employers = ["中国医药城某药业公司", "寺巷物流园", "高新区人民医院后勤", "明珠商贸城", "凤凰物业公司", "沿江化工园区企业"]
    static let posts: [(String, Int, Int)] = [("社区保洁员", 40, 1850), ("治安巡防员", 40, 1950), ("公共设施维护员", 40, 1850),
                                              ("养老服务助理", 32, 1750), ("社区文化协管员", 24, 1500), ("停车秩序管理员", 40, 1900)]

    struct Person { var id: UUID; var household: UUID; var grid: String; var birth: CivilDate; var sex: String; var tags: String }

    public static func load(on db: any Database, seed: UInt64, today: CivilDate, now: Int64) async throws -> Summary {
        let sql = SQLHelpers.sql(db)
        let youngest = today.yearsEarlier(EmploymentRules.minimumAge).description, oldest = today.yearsEarlier(EmploymentRules.maximumAge + 1).description
        let people = try await sql.select().columns("id", "household_id", "grid_code", "birth_date", "sex", "tags").from(Resident.schema)
            .where("life_status", .equal, SQLBind(LifeStatus.active.rawValue))
            .where("residence_status", .in, SQLBind.group([ResidenceStatus.registered.rawValue, ResidenceStatus.resident.rawValue]))
            .where("birth_date", .lessThanOrEqual, SQLBind(youngest)).where("birth_date", .greaterThan, SQLBind(oldest)).orderBy("id").all()
            .compactMap { row -> Person? in
                guard let birth = CivilDate(try row.decode(column: "birth_date", as: String.self)) else { return nil }
                return Person(id: try row.decode(column: "id", as: UUID.self), household: try row.decode(column: "household_id", as: UUID.self),
                              grid: try row.decode(column: "grid_code", as: String.self), birth: birth, sex: try row.decode(column: "sex", as: String.self),
                              tags: try row.decode(column: "tags", as: String.self))
            }
        let dibao = Set(try await sql.select().column("household_id").from("assistance_cases").where("kind", .equal, SQLBind("dibao"))
            .where("stage", .equal, SQLBind("approved")).all().map { try $0.decode(column: "household_id", as: UUID.self) })
        let communities = try await sql.select().column("code").from(Division.schema).where("level", .equal, SQLBind("community")).orderBy("code").all()
            .map { try $0.decode(column: "code", as: String.self) }
        return try await db.writeTransaction(bulk: true) { db in
            var rng = SeededRandom(seed: seed ^ 0x454D_504C_4F59)
            var s = Summary()
            var regs = BulkInsert("employment_registrations", ["id", "resident_id", "household_id", "grid_code", "community_code", "street_code", "registered_on",
                                                               "reason", "last_job", "skills", "wishes", "designated", "categories", "category_note",
                                                               "designated_on", "status", "last_contact_on", "exit_reason", "exit_on", "exit_employer",
                                                               "exit_note", "exit_days", "registered_by", "version", "created_at", "updated_at"])
            var contacts = BulkInsert("employment_contacts", ["id", "registration_id", "contacted_on", "way", "content", "recorded_by", "created_at"])
            var placements = BulkInsert("employment_placements", ["id", "post_id", "registration_id", "resident_id", "grid_code", "street_code", "start_on",
                                                                  "end_on", "until_on", "monthly_allowance", "placed_by", "version", "created_at"])
            // Waiting to be placed: designated people of each street, placed once the posts exist.
            var placeable: [String: [(reg: UUID, person: Person, registered: CivilDate)]] = [:]
            func flush(_ force: Bool) async throws {
                guard force || regs.isFull || contacts.isFull else { return }
                try await regs.flush(on: db)
                try await contacts.flush(on: db)
            }
            // 寺巷社区, where the demo accounts work, always shows some registrations, however small the district.
            for p in people where rng.chance(p.grid.hasPrefix("321271002001") ? 0.2 : 0.036) {
                let back = rng.int(0...730)
                let registered = today.adding(days: -back)
                guard EmploymentRules.checkAge(birth: p.birth, on: registered).isEmpty else { continue }
                let id = rng.uuid()
                let sex = Sex(rawValue: p.sex) ?? .male
                let facts = EmploymentFacts(birth: p.birth, sex: sex, disabledTag: p.tags.contains("disabled"), registeredOn: registered,
                                            dibaoHousehold: dibao.contains(p.household), zeroEmploymentHousehold: false)
                let supported = EmploymentRules.supported(facts, today: today).subtracting([.other])
                // Most who qualify are designated; the rules' own facts, so the register stays consistent with them.
                let designate = !supported.isEmpty && rng.chance(supported.contains(.longTerm) && supported.count == 1 ? 0.35 : 0.75)
                let categories = designate ? DifficultyCategory.stored(Array(supported)) : ""
                // Exits: a registration of longer ago is more likely gone; half of the exits to work within six months.
                var exitDay: CivilDate?
                var exitReason: EmploymentExitReason?
                if back > 60, rng.chance(min(0.85, Double(back) / 500)) {
                    let days = rng.chance(0.55) ? rng.int(20...min(back, 180)) : rng.int(min(back, 184)...back)
                    exitDay = registered.adding(days: days)
                    exitReason = rng.weighted([(.employed, 0.7), (.business, 0.1), (.leftLabourForce, 0.12), (.movedAway, 0.08)])
                }
                let status: RegistrationStatus = exitDay == nil ? .open : .exited
                var lastContact = registered
                if status == .open {
                    let overdue = rng.chance(0.04)
                    let since = overdue ? rng.int(31...90) : rng.int(0...29)
                    lastContact = max(registered, today.adding(days: -since))
                    if lastContact.adding(days: EmploymentRules.contactDays) < today { s.overdue += 1 }
                    if lastContact != registered {
                        contacts.add([rng.uuid(), id, lastContact.description, rng.weighted([(ContactWay.phone, 0.5), (.visit, 0.3), (.station, 0.2)]).rawValue,
                                      rng.weighted([("了解求职进展，推送招聘信息", 1.0), ("走访了解家庭情况和就业意愿", 1.0), ("通知参加招聘会", 1.0)]),
                                      "(demo)", now])
                    }
                    s.open += 1
                    if designate { s.designated += 1 }
                } else { s.exited += 1 }
                regs.add([id, p.id, p.household, p.grid, String(p.grid.prefix(12)), String(p.grid.prefix(9)) + "000", registered.description,
                          reasons[rng.int(0...reasons.count - 1)], jobs[rng.int(0...jobs.count - 1)], skills[rng.int(0...skills.count - 1)],
                          wishes[rng.int(0...wishes.count - 1)], designate, categories, String?.none, designate ? registered.description : nil,
                          status.rawValue, (exitDay ?? lastContact).description, exitReason?.rawValue, exitDay?.description,
                          exitReason == .employed ? employers[rng.int(0...employers.count - 1)] : nil, String?.none,
                          exitDay.map { $0.dayNumber - registered.dayNumber }, "(demo)", 1, now, now])
                if status == .open, designate, rng.chance(0.7) { placeable[String(p.grid.prefix(9)) + "000", default: []].append((id, p, registered)) }
                try await flush(false)
            }
            try await flush(true)
            // Posts: one in most communities, a second in some; most places filled from the street's designated.
            var postRows = BulkInsert("employment_posts", ["id", "title", "employer", "community_code", "street_code", "hours_per_week", "monthly_allowance",
                                                           "places", "created_by", "version", "created_at"])
            var placedRegs: [(UUID, CivilDate, CivilDate, String)] = []
            for c in communities where rng.chance(0.7) {
                for _ in 0..<(rng.chance(0.25) ? 2 : 1) {
                    let (title, hours, allowance) = posts[rng.int(0...posts.count - 1)]
                    let id = rng.uuid(), places = rng.int(2...4)
                    postRows.add([id, title, "社区居委会", c, String(c.prefix(9)) + "000", hours, allowance, places, "(demo)", 1, now])
                    s.posts += 1
                    let street = String(c.prefix(9)) + "000"
                    for _ in 0..<places where rng.chance(0.9) {
                        guard var queue = placeable[street], !queue.isEmpty else { break }
                        let next = queue.removeFirst()
                        placeable[street] = queue
                        let start = max(next.registered.adding(days: rng.int(10...60)), today.adding(days: -rng.int(30...900)))
                        guard !(today < start) else { continue }
                        let end = start.addingMonths(36).adding(days: -1)
                        placements.add([rng.uuid(), id, next.reg, next.person.id, next.person.grid, street, start.description, end.description, end.description,
                                        allowance, "(demo)", 1, now])
                        placedRegs.append((next.reg, start, next.registered, title))
                        s.placed += 1
                    }
                }
            }
            try await postRows.flush(on: db)
            try await placements.flush(on: db)
            let sql = SQLHelpers.sql(db)
            var placedPeople = Set<UUID>()
            for (reg, start, registered, _) in placedRegs {
                try await sql.update("employment_registrations").set("status", to: SQLBind(RegistrationStatus.exited.rawValue))
                    .set("exit_reason", to: SQLBind(EmploymentExitReason.publicWelfare.rawValue)).set("exit_on", to: SQLBind(start.description))
                    .set("exit_days", to: SQLBind(start.dayNumber - registered.dayNumber)).set("exit_employer", to: SQLBind("社区居委会"))
                    .where("id", .equal, SQLBind(reg)).run()
                placedPeople.insert(reg)
            }
            s.open -= placedRegs.count
            s.designated -= placedRegs.count
            s.exited += placedRegs.count
            let stillOpen = try await sql.select().column("resident_id").from("employment_registrations")
                .where("status", .equal, SQLBind(RegistrationStatus.open.rawValue)).all().map { try $0.decode(column: "resident_id", as: UUID.self) }
            try await FollowedTags.addBulk(.unemployed, to: stillOpen, on: db)
            s.overdue = try await SQLHelpers.count(sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("employment_registrations")
                .where("status", .equal, SQLBind("open")).where("last_contact_on", .lessThan, SQLBind(EmploymentRules.overdueBefore(today).description)))
            try await AuditLog.append([AuditEvent(EmploymentAudit.demoLoad, detail: ["registrations": String(s.open + s.exited)])], by: .system("demo"), on: db)
            return s
        }
    }
}
