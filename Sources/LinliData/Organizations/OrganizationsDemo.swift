import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 社会组织 in the demo district: five or six community-based organizations filed in each community and about one
/// registered organization per community (社会团体, 民办非企业单位, a few 基金会) with valid 统一社会信用代码 built by
/// `CreditCode` from the seeded generator; some dormant or deregistered, annual reports, about a dozen in the
/// incubation base, 20–40 projects with milestones, payments and scores, and a support ledger. Deterministic;
/// written with multi-row INSERTs in one transaction.
public struct OrganizationsDemo: DemoStep {
    public init() {}

    public func load(_ demo: DemoContext) async throws -> String? {
        let started = Date()
        let s = try await DemoOrganizations.load(on: demo.db, cipher: demo.cipher, seed: demo.seed, today: demo.today, now: demo.now)
        return String(format: "社会组织：%d 家（登记 %d 家、备案 %d 家），在孵 %d 家，购买服务项目 %d 个，扶持记录 %d 笔，用时 %.1f 秒。",
                      s.organizations, s.registered, s.organizations - s.registered, s.incubating, s.projects, s.support, Date().timeIntervalSince(started))
    }
}

public enum DemoOrganizations {
    public struct Summary: Sendable { public var organizations = 0, registered = 0, incubating = 0, projects = 0, support = 0 }

    static let communityNames: [(String, OrganizationField)] = [
        ("夕阳红志愿服务队", .volunteer), ("老年人协会", .elderly), ("广场舞队", .culture), ("邻里调解会", .mediation), ("书画社", .culture),
        ("关爱留守儿童小组", .children), ("环保志愿者协会", .environment), ("助残互助会", .disability), ("健康讲堂", .health), ("太极拳协会", .culture),
        ("平安巡防队", .mediation), ("读书会", .education), ("爱心妈妈工作室", .children), ("乐龄合唱团", .elderly), ("慈善帮扶站", .charity),
    ]
    static let registeredNames: [(String, OrganizationKind, OrganizationField)] = [
        ("社会工作服务中心", .socialService, .other), ("居家养老服务中心", .socialService, .elderly), ("青少年成长服务中心", .socialService, .children),
        ("康复服务中心", .socialService, .disability), ("志愿者协会", .socialGroup, .volunteer), ("老年体育协会", .socialGroup, .culture),
        ("人民调解协会", .socialGroup, .mediation), ("慈善基金会", .foundation, .charity), ("家庭教育指导中心", .socialService, .education),
        ("社区卫生健康促进会", .socialGroup, .health),
    ]
    static let buyers = ["区民政局", "区卫生健康委员会", "区残疾人联合会", "区教育局", "区司法局", "团区委", "区妇联"]
    static let projectNames: [(String, ProjectMode)] = [
        ("居家养老上门服务", .purchase), ("社区助餐服务", .purchase), ("困境儿童关爱项目", .grant), ("残疾人康复训练", .purchase),
        ("社区矛盾纠纷调解", .outsourcing), ("社区文化活动组织", .grant), ("独居老人探访", .purchase), ("社区公益创投项目", .grant),
        ("垃圾分类宣传督导", .outsourcing), ("青少年暑期托管", .purchase),
    ]
    static let surnames = Array("王李张刘陈杨黄赵周吴徐孙朱马胡郭林何高罗")
    static let given = ["建国", "秀英", "桂芳", "志强", "海燕", "春梅", "卫东", "丽娟", "国平", "红霞", "德明", "玉兰"]

    public static func load(on db: any Database, cipher: PersonalDataCipher, seed: UInt64, today: CivilDate, now: Int64) async throws -> Summary {
        let sql = SQLHelpers.sql(db)
        var rng = SeededRandom(seed: seed ^ 0x0A6_5E7_18)
        let divisions = try await sql.select().columns("code", "name", "level").from(Division.schema)
            .where("level", .in, SQLBind.group([DivisionLevel.community.rawValue, DivisionLevel.street.rawValue])).orderBy("code").all()
            .map { (code: try $0.decode(column: "code", as: String.self), name: try $0.decode(column: "name", as: String.self),
                    street: try $0.decode(column: "level", as: String.self) == DivisionLevel.street.rawValue) }
        let streetNames = Dictionary(uniqueKeysWithValues: divisions.filter(\.street).map { ($0.code, $0.name) })
        var s = Summary()
        var orgs = BulkInsert("organizations", ["id", "name", "name_initials", "registration", "kind", "field", "credit_code", "legal_person", "phone_cipher",
                                                "phone_masked", "founded_on", "registered_on", "division_code", "street_code", "status", "status_on", "incubating",
                                                "version", "created_by", "created_at", "updated_at"])
        var reports = BulkInsert("organization_reports", ["organization_id", "year", "received_on", "recorded_by"])
        var stays = BulkInsert("organization_incubations", ["id", "organization_id", "entered_on", "graduated_on", "note", "recorded_by", "created_at"])
        var support = BulkInsert("organization_support", ["id", "organization_id", "division_code", "kind", "amount_fen", "on_date", "giver", "document_no", "note",
                                                          "recorded_by", "created_at"])
        var projects = BulkInsert("organization_projects", ["id", "organization_id", "division_code", "title", "mode", "buyer", "buyer_code", "contract_fen", "paid_fen", "signed_on",
                                                            "starts_on", "ends_on", "deliverables", "beneficiaries", "milestones", "score", "evaluated_on",
                                                            "evaluation_note", "version", "created_by", "created_at", "updated_at"])
        var milestones = BulkInsert("organization_milestones", ["id", "project_id", "seq", "on_date", "description", "payment_fen", "paid_after_fen", "beneficiaries",
                                                                "recorded_by", "created_at"])
        var codes = Set<String>()
        let departmentCodes = Dictionary(uniqueKeysWithValues: DefaultRequestCategories.departments.map { ($0.name, $0.code) })
        var active: [(id: UUID, division: String, name: String, founded: CivilDate)] = []
        let firstDay = CivilDate(year: 2010, month: 1, day: 1)!.dayNumber, span = today.dayNumber - firstDay
        func day(after d: CivilDate) -> CivilDate { d.adding(days: rng.int(0...max(0, today.dayNumber - d.dayNumber))) }
        func person() -> String { String(surnames[rng.int(0...(surnames.count - 1))]) + given[rng.int(0...(given.count - 1))] }

        func add(name: String, kind: OrganizationKind, field: OrganizationField, division: String) throws {
            var code: String?
            if let prefix = kind.creditCodePrefix {
                repeat {
                    let body = prefix + "321271" + String((0..<9).map { _ in CreditCode.alphabet[rng.int(0...30)] })
                    code = CreditCode.complete(body)
                } while codes.contains(code!)
                codes.insert(code!)
            }
            // About one in eight registered or filed this year, the rest spread since 2010.
            let registered = rng.chance(0.13) ? CivilDate(year: today.year, month: 1, day: 1)!.adding(days: rng.int(0...max(0, today.dayNumber - CivilDate(year: today.year, month: 1, day: 1)!.dayNumber)))
                : CivilDate(dayNumber: firstDay + rng.int(0...span))
            let founded = registered.adding(days: -rng.int(0...120))
            let roll = rng.int(0...99)
            let status: OrganizationStatus = roll < 4 ? .deregistered : roll < 12 ? .dormant : .active
            let id = rng.uuid(), phone = "13" + String(format: "%09d", rng.int(0...999_999_999))
            // A dormant or deregistered organization's reports stop the year its status changed.
            let statusOn = status == .active ? nil : day(after: registered)
            orgs.add(values: [.uuid(id), .text(name), .text(Pinyin.reading(ofName: name).initials), .text(kind.registration.rawValue), .text(kind.rawValue),
                                  .text(field.rawValue), .text(code), .text(person()), .blob(try cipher.seal(phone)), .text(Masking.phone(phone)),
                                  .text(founded.description), .text(registered.description), .text(division), .text(String(division.prefix(9))),
                                  .text(status.rawValue), .text(statusOn?.description), .bool(false),
                                  .integer(1), .text("demo"), .integer(Int(now)), .integer(Int(now))])
            s.organizations += 1
            if code != nil {
                s.registered += 1
                for y in stride(from: max(registered.year, today.year - 3), to: min(today.year, statusOn?.year ?? today.year), by: 1) where rng.chance(0.85) {
                    reports.add(values: [.uuid(id), .integer(y), .text(min(today, CivilDate(year: y + 1, month: rng.int(3...5), day: rng.int(1...28))!).description), .text("demo")])
                }
            }
            if status == .active { active.append((id, division, name, founded)) }
        }

        for d in divisions where !d.street {
            let n = rng.int(4...6)
            for (suffix, field) in pick(communityNames, count: n, &rng) { try add(name: d.name + suffix, kind: .community, field: field, division: d.code) }
            if rng.chance(0.6) {
                let (suffix, kind, field) = registeredNames[rng.int(0...(registeredNames.count - 1))]
                try add(name: d.name + suffix, kind: kind == .foundation ? .socialService : kind, field: field, division: d.code)
            }
        }
        for (code, name) in streetNames.sorted(by: { $0.key < $1.key }) {
            for (suffix, kind, field) in registeredNames { try add(name: name + suffix, kind: kind, field: field, division: code) }
        }

        // The incubation base: a dozen in it now, a few graduated, each with 场地 and 培训 and some with 资金.
        let incubated = pick(active, count: min(active.count, 18), &rng)
        var incubating = Set<UUID>()
        for (i, o) in incubated.enumerated() {
            let entered = max(o.founded, today.adding(days: -rng.int(60...700)))
            let graduated: CivilDate? = i >= 12 && entered.dayNumber + 200 < today.dayNumber ? entered.adding(days: rng.int(180...(today.dayNumber - entered.dayNumber))) : nil
            if graduated == nil { incubating.insert(o.id) }
            stays.add(values: [.uuid(rng.uuid()), .uuid(o.id), .text(entered.description), .text(graduated?.description), .text("区社会组织孵化基地"), .text("demo"), .integer(Int(now))])
            for (kind, fen) in [(SupportKind.venue, 0), (.training, 0), (.funding, rng.int(2...10) * 500_000)] where kind != .funding || rng.chance(0.6) {
                support.add(values: [.uuid(rng.uuid()), .uuid(o.id), .text(o.division), .text(kind.rawValue), fen > 0 ? .integer(fen) : .null,
                                     .text(day(after: entered).description), .text("区民政局（社会组织孵化基地）"), .text(nil), .text(nil), .text("demo"), .integer(Int(now))])
                s.support += 1
            }
        }
        s.incubating = incubating.count
        // Subsidies and awards.
        for o in pick(active, count: min(active.count, 90), &rng) {
            let kind: SupportKind = rng.chance(0.6) ? .subsidy : .award
            let on = day(after: max(o.founded, today.adding(days: -730)))
            support.add(values: [.uuid(rng.uuid()), .uuid(o.id), .text(o.division), .text(kind.rawValue), .integer(rng.int(1...20) * 100_000), .text(on.description),
                                 .text(rng.chance(0.5) ? "区民政局" : (streetNames[String(o.division.prefix(9)) + "000"] ?? "") + "办事处"),
                                 .text("泰高民〔\(on.year)〕\(rng.int(1...80))号"), .text(kind == .award ? "年度优秀社会组织" : "运营补贴"), .text("demo"), .integer(Int(now))])
            s.support += 1
        }
        // Projects: signed over the last two years, paid by milestones within the contract, scored once ended.
        for o in pick(active, count: min(active.count, 32), &rng) {
            let (title, mode) = projectNames[rng.int(0...(projectNames.count - 1))]
            let buyer = buyers[rng.int(0...(buyers.count - 1))]
            let id = rng.uuid(), contract = rng.int(5...50) * 1_000_000
            let signed = today.adding(days: -rng.int(20...720)), starts = signed.adding(days: rng.int(5...30)), ends = starts.adding(days: rng.int(180...365))
            var paid = 0, people = 0, seq = 0
            let parts = rng.int(1...4)
            for k in 0..<parts {
                let on = starts.adding(days: (ends.dayNumber - starts.dayNumber) * (k + 1) / (parts + 1))
                guard on <= today else { break }
                let pay = k == parts - 1 && ends < today ? contract - paid : contract / (parts + 1)
                paid += pay; seq += 1
                let served = rng.int(20...300); people += served
                milestones.add(values: [.uuid(rng.uuid()), .uuid(id), .integer(seq), .text(on.description), .text("第\(seq)阶段服务完成，提交服务记录和台账"),
                                        .integer(pay), .integer(paid), .integer(served), .text("demo"), .integer(Int(now))])
            }
            let scored = ends < today && rng.chance(0.85)
            projects.add(values: [.uuid(id), .uuid(o.id), .text(o.division), .text(o.name.count > 12 ? title : o.name + title), .text(mode.rawValue),
                                  .text(buyer), .text(departmentCodes[buyer]), .integer(contract), .integer(paid), .text(signed.description),
                                  .text(starts.description), .text(ends.description), .text("按合同约定提供\(title)，每季度提交服务台账和满意度调查"),
                                  .integer(people), .integer(seq), scored ? .integer(rng.int(68...98)) : .null, .text(scored ? day(after: ends).description : nil),
                                  .text(scored ? "按期完成服务内容，台账完整" : nil), .integer(1), .text("demo"), .integer(Int(now)), .integer(Int(now))])
            s.projects += 1
        }
        try await db.writeTransaction(bulk: true) { [orgs, reports, stays, support, projects, milestones, incubating] db in
            var orgs = orgs, reports = reports, stays = stays, support = support, projects = projects, milestones = milestones
            try await orgs.flush(on: db)
            for id in incubating.sorted(by: { $0.uuidString < $1.uuidString }) {
                try await SQLHelpers.sql(db).update("organizations").set("incubating", to: SQLBind(true)).where("id", .equal, SQLBind(id)).run()
            }
            try await reports.flush(on: db)
            try await stays.flush(on: db)
            try await support.flush(on: db)
            try await projects.flush(on: db)
            try await milestones.flush(on: db)
            try await AuditLog.append([AuditEvent(OrganizationsAudit.demoLoad, target: .table("organizations"))], by: .system("demo"), on: db)
        }
        return s
    }

    /// `count` different elements in a seeded order.
    static func pick<T>(_ items: [T], count: Int, _ rng: inout SeededRandom) -> [T] {
        var pool = items, out: [T] = []
        while out.count < count && !pool.isEmpty { out.append(pool.remove(at: rng.int(0...(pool.count - 1)))) }
        return out
    }
}
