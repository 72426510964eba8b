import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 社会救助's part of the demo district. The registry tags about 1.2 % of households 低保 and a few people living
/// alone 特困: they become cases, most of them approved and being paid, some ended, some overdue for their
/// re-check. Besides, applications at every step (a few past their time limit, some under notice today, one
/// with an objection), temporary and medical help through the year, and the two disability subsidies for
/// disabled members of assisted households. Each case's declaration fits its kind, so that the rules approve
/// it. Demo standards for this year and last (not the official figures). Deterministic from the seed.
public struct AssistanceDemo: DemoStep {
    public init() {}

    public func load(_ demo: DemoContext) async throws -> String? {
        let started = Date()
        let s = try await DemoAssistance.load(on: demo.db, cipher: demo.cipher, seed: demo.seed, today: demo.today, now: demo.now)
        let rolls = try await DemoAssistance.payments(on: demo.db, cipher: demo.cipher, today: demo.today)
        return String(format: "社会救助：低保 %d 户、特困 %d 人在保，办理中 %d 件（其中公示中 %d 件），临时和医疗救助 %d 件，残疾人补贴 %d 人，近一年发放名册 %d 份，用时 %.1f 秒。",
                      s.dibao, s.tekun, s.pending, s.noticed, s.temporary, s.disability, rolls, Date().timeIntervalSince(started))
    }
}

public enum DemoAssistance {
    /// A year of payments: each street's roll of the last twelve months, generated, checked and paid, and this
    /// month's generated (waiting for the street's check). Returns the rolls made.
    public static func payments(on db: any Database, cipher: PersonalDataCipher, today: CivilDate) async throws -> Int {
        let q = AssistanceQueries(db, cipher: cipher, today: today)
        let actor = AssistanceActor(audit: .system("demo"), scope: .everything, mayWrite: true, mayReview: true, mayApprove: false)
        var made = 0
        for street in try await q.payrollStreets(in: .everything) {
            for back in (0...12).reversed() {
                let month = AssistanceMonth.of(AssistanceSchedule.addingMonths(-back, to: today))
                let roll = try await q.generateRoll(street: street.code, month: month, by: actor)
                made += 1
                guard back > 0 else { continue }
                let checked = try await q.advanceRoll(roll.id, to: .checked, version: nil, by: actor)
                _ = try await q.advanceRoll(checked.id, to: .paid, version: nil, by: actor)
            }
        }
        return made
    }

    public struct Summary: Sendable { public var dibao = 0, tekun = 0, pending = 0, noticed = 0, temporary = 0, disability = 0 }

    static let caseColumns = ["id", "number", "kind", "stage", "household_id", "applicant_id", "grid_code", "community_code", "street_code", "area",
                              "members", "facts_cipher", "amount", "accepted_on", "due_on", "decided_on", "notice_from", "notice_to", "approval_level",
                              "granted_first", "first_month", "next_recheck_on", "ended_on", "reason", "accepted_by", "version", "created_at", "updated_at"]

    /// The demo's standards: this year's 低保 900 a head a month in town and country alike (城乡统筹), last year's 870.
    public static func standards(_ year: Int) -> [AssistanceStandard] {
        [(year, 900), (year - 1, 870)].flatMap { y, dibao in
            AssistanceArea.allCases.map {
                AssistanceStandard(year: y, area: $0, dibao: dibao, tekun: dibao * 13 / 10, disabilityLiving: 100, disabilityCare: 120, floor: 50,
                                   temporaryCap: 5000, medicalPercent: 70)
            }
        }
    }

    struct Person { var id: UUID; var household: UUID; var grid: String; var birth: String; var relation: String; var tags: String }

    public static func load(on db: any Database, cipher: PersonalDataCipher, seed: UInt64, today: CivilDate, now: Int64) async throws -> Summary {
        let sql = SQLHelpers.sql(db)
        let people = try await sql.select().columns("id", "household_id", "grid_code", "birth_date", "relation", "tags").from(Resident.schema)
            .where("life_status", .equal, SQLBind(LifeStatus.active.rawValue)).where("tags", .notEqual, SQLBind("")).orderBy("id").all().map {
                Person(id: try $0.decode(column: "id", as: UUID.self), household: try $0.decode(column: "household_id", as: UUID.self),
                       grid: try $0.decode(column: "grid_code", as: String.self), birth: try $0.decode(column: "birth_date", as: String.self),
                       relation: try $0.decode(column: "relation", as: String.self), tags: try $0.decode(column: "tags", as: String.self))
            }
        let villages = Set(try await sql.select().column("code").from(Division.schema).where("kind", .equal, SQLBind(CommunityKind.village.rawValue)).all()
            .map { try $0.decode(column: "code", as: String.self) })
        // Every active member of the households that will have a case (from the tagged people's households).
        let tagged = people.filter { $0.tags.contains("low_income") || $0.tags.contains("extreme_hardship") || $0.tags.contains("disabled") }
        // 寺巷社区, where the demo accounts work, always shows cases at several stages, however small the district.
        let showcase = try await sql.raw("""
            SELECT household_id FROM residents WHERE grid_code LIKE '321271002001%' AND life_status = 'active'
            GROUP BY household_id HAVING COUNT(*) >= 2 ORDER BY household_id LIMIT 8
            """).all().map { try $0.decode(column: "household_id", as: UUID.self) }
        let householdIDs = Array(Set(tagged.map(\.household) + showcase))
        var members: [UUID: [Person]] = [:]
        for chunk in stride(from: 0, to: householdIDs.count, by: 500).map({ Array(householdIDs[$0..<min($0 + 500, householdIDs.count)]) }) {
            for row in try await sql.select().columns("id", "household_id", "grid_code", "birth_date", "relation", "tags").from(Resident.schema)
                .where("household_id", .in, SQLBind.group(chunk)).where("life_status", .equal, SQLBind(LifeStatus.active.rawValue)).orderBy("birth_date").all() {
                let p = Person(id: try row.decode(column: "id", as: UUID.self), household: try row.decode(column: "household_id", as: UUID.self),
                               grid: try row.decode(column: "grid_code", as: String.self), birth: try row.decode(column: "birth_date", as: String.self),
                               relation: try row.decode(column: "relation", as: String.self), tags: try row.decode(column: "tags", as: String.self))
                members[p.household, default: []].append(p)
            }
        }
        let households = members
        // The grade on each holder's 残疾人证 (助残康复's demo runs first): the subsidies follow it.
        var cardGrades: [UUID: Int] = [:]
        for row in try await sql.select().columns("resident_id", "grade").from("disability_cards").where("status", .equal, SQLBind("active")).all() {
            cardGrades[try row.decode(column: "resident_id", as: UUID.self)] = try row.decode(column: "grade", as: Int.self)
        }
        let grades = cardGrades
        return try await db.writeTransaction { db in
            let members = households
            var rng = SeededRandom(seed: seed ^ 0x4153_5349_5354)
            var s = Summary()
            var standardRows = BulkInsert("assistance_standards", ["id", "year", "area", "dibao", "tekun", "disability_living", "disability_care", "floor",
                                                                   "temporary_cap", "medical_percent", "version", "updated_by", "updated_at"])
            for st in standards(today.year) {
                standardRows.add([rng.uuid(), st.year, st.area.rawValue, st.dibao, st.tekun, st.disabilityLiving, st.disabilityCare, st.floor, st.temporaryCap,
                                  st.medicalPercent, 1, "(demo)", now])
            }
            try await standardRows.flush(on: db)
            let standard = Dictionary(uniqueKeysWithValues: standards(today.year).filter { $0.year == today.year }.map { ($0.area, $0) })
            var cases = BulkInsert("assistance_cases", caseColumns)
            var memberRows = BulkInsert("assistance_members", ["case_id", "resident_id", "relation"])
            var steps = BulkInsert("assistance_steps", ["id", "case_id", "action", "from_stage", "to_stage", "actor", "actor_role", "at", "done_on", "note", "detail"])
            var rechecks = BulkInsert("assistance_rechecks", ["id", "case_id", "due_on", "done_on", "outcome", "old_amount", "new_amount", "reason",
                                                               "done_by", "created_at"])
            var objections = BulkInsert("assistance_objections", ["id", "case_id", "street_code", "lodged_at", "text", "contact_cipher", "status"])
            var seq = 0
            var opened = Set<String>()
            // Members and steps refer to their case: when one batch is full, all go, cases first.
            func flush(_ force: Bool) async throws {
                guard force || cases.isFull || memberRows.isFull || steps.isFull else { return }
                try await cases.flush(on: db)
                try await memberRows.flush(on: db)
                try await steps.flush(on: db)
            }
            func day(_ d: CivilDate) -> Int64 { Int64(d.dayNumber) * 86400 + Int64(rng.int(1 * 3600...9 * 3600)) }

            /// One case of `kind` for the household, ending at `stage`; the steps done so far are written with it.
            func add(_ kind: AssistanceKind, _ household: [Person], applicant: Person, stage: AssistanceStage, accepted: CivilDate, facts: DeclaredFacts,
                     noticeStart: CivilDate? = nil, endReason: String? = nil) async throws {
                let key = "\(applicant.household)-\(kind.rawValue)"
                guard !opened.contains(key) else { return }
                opened.insert(key)
                seq += 1
                let id = rng.uuid(), grid = applicant.grid
                let community = String(grid.prefix(12)), area: AssistanceArea = villages.contains(community) ? .rural : .urban
                let std = standard[area]!
                let number = "JZ\(accepted.year)" + String(format: "%06d", seq)
                let worker = "社区工作者\(community.suffix(3))", officer = "街道干部\(grid.dropFirst(6).prefix(3))"
                // The steps of the kind up to the stage, a few days apart.
                var done: [(AssistanceAction, AssistanceStage, CivilDate, String?, [String: String]?, String)] = []
                var d = accepted
                let target = stage == .refused || stage == .ended ? .approved : stage
                for st in kind.steps where target != .accepted {
                    if st == .deliberated && !rng.chance(0.3) { continue }
                    d = AssistanceSchedule.addingWorkingDays(rng.int(1...4), to: d)
                    if d > today { d = today }
                    let action: AssistanceAction = [.checked: .check, .investigated: .investigate, .deliberated: .deliberate, .reviewed: .review,
                                                    .noticed: .publish, .approved: .approve][st]!
                    if st == .noticed, let n = noticeStart { d = max(d, n) }
                    if st == .approved, kind.steps.contains(.noticed) { d = max(d, done.last.map { $0.2.adding(days: 8) } ?? d) }
                    let detail: [String: String]? = switch action {
                    case .check: ["source": "民政经济状况核对平台", "date": d.description, "result": "未发现未申报的存款、车辆和房产"]
                    case .investigate: ["investigators": "\(worker)、网格员", "date": d.description]
                    case .publish: ["from": d.description, "to": d.adding(days: 6).description]
                    default: nil
                    }
                    let note: String? = switch action {
                    case .investigate: "入户核实家庭人口、收入和居住情况，与申报一致"
                    case .review: "经审核，符合条件，同意上报"
                    case .deliberate: "民主评议通过"
                    default: nil
                    }
                    done.append((action, st, d, note, detail, [.review, .publish].contains(action) ? officer : action == .approve ? "区民政局" : worker))
                    if st == target { break }
                }
                let amount = AssistanceRules.amount(kind, facts, std)
                // Ended by a re-check some months after approval.
                let ended = endReason.map { reason in (min(today, (done.last?.2 ?? accepted).adding(days: rng.int(30...400))), reason) }
                let decided = stage == .approved || stage == .refused || stage == .ended ? done.last?.2 : nil
                let noticeFrom = done.first { $0.0 == .publish }?.2
                let first = decided.flatMap { kind.isMonthly && stage != .refused ? AssistanceSchedule.firstPaidMonth(approvedOn: $0) : nil }
                var recheck: String?
                if stage == .approved, let decided, let months = AssistanceSchedule.recheckMonths(kind, stable: facts.isStable) {
                    var next = AssistanceSchedule.addingMonths(months, to: decided)
                    while next < today.adding(days: -40) { next = AssistanceSchedule.addingMonths(months, to: next) }
                    recheck = next.description
                    // The re-check before this one, mostly on time.
                    let due = AssistanceSchedule.addingMonths(-months, to: next)
                    if due > decided, due <= today {
                        let done = min(today, due.adding(days: rng.chance(0.9) ? -rng.int(0...10) : rng.int(1...25)))
                        rechecks.add([rng.uuid(), id, due.description, done.description, RecheckOutcome.confirm.rawValue, amount, amount, nil as String?,
                                      worker, day(done)])
                    }
                }
                let sealed = try cipher.seal(String(decoding: try JSONEncoder.sorted.encode(facts), as: UTF8.self))
                let acceptedAt = day(accepted)
                cases.add([id, number, kind.rawValue, stage.rawValue, applicant.household, applicant.id, grid, community, String(grid.prefix(9)), area.rawValue,
                           household.count, sealed, amount, accepted.description,
                           AssistanceSchedule.addingWorkingDays(AssistanceSchedule.defaultDecisionDays, to: accepted).description,
                           decided?.description, stage == .noticed ? noticeFrom?.description : nil, stage == .noticed ? noticeFrom?.adding(days: 6).description : nil,
                           kind.defaultApprovalLevel.rawValue, false, first, recheck, ended?.0.description,
                           ended?.1 ?? (stage == .refused ? "家庭人均收入高于当地低保标准" : nil), worker, done.count + 1 + (ended == nil ? 0 : 1), acceptedAt, now])
                for m in household { memberRows.add([id, m.id, m.relation]) }
                steps.add([rng.uuid(), id, AssistanceAction.accept.rawValue, "accepted", "accepted", worker, "community_worker", acceptedAt, accepted.description,
                           nil as String?, nil as String?])
                var from = AssistanceStage.accepted
                // Steps in time order, even two on one day.
                var lastAt = acceptedAt
                func after(_ d: CivilDate) -> Int64 { lastAt = max(day(d), lastAt + 60); return lastAt }
                for (i, step) in done.enumerated() {
                    let last = i == done.count - 1
                    let to: AssistanceStage = last && stage == .refused ? .refused : step.1
                    let action: AssistanceAction = last && stage == .refused ? .refuse : step.0
                    let detail = try step.4.map { String(decoding: try JSONEncoder.sorted.encode($0), as: UTF8.self) }
                    steps.add([rng.uuid(), id, action.rawValue, from.rawValue, to.rawValue, step.5, step.0 == .approve ? "district_officer" : step.0 == .review || step.0 == .publish ? "street_officer" : "community_worker",
                               after(step.2), step.2.description, action == .refuse ? "家庭人均收入高于当地低保标准" : step.3, detail])
                    from = to
                }
                if let ended {
                    steps.add([rng.uuid(), id, AssistanceAction.comment.rawValue, "approved", "ended", worker, "community_worker", after(ended.0), ended.0.description,
                               "复核：终止救助（\(ended.1)）", "{\"recheck\":\"end\"}"])
                }
                if stage == .noticed, s.noticed % 7 == 0 {
                    objections.add([rng.uuid(), id, String(grid.prefix(9)), now - 3600, "听说该户子女在外地经商，收入不低，请核实。", nil as Data?, ObjectionStatus.open.rawValue])
                }
                switch stage {
                case .approved:
                    if kind == .dibao { s.dibao += 1 } else if kind == .tekun { s.tekun += 1 } else if kind == .disabilityLiving || kind == .disabilityCare { s.disability += 1 } else { s.temporary += 1 }
                case .refused, .ended: break
                default:
                    s.pending += 1
                    if stage == .noticed { s.noticed += 1 }
                }
                if rechecks.isFull { try await flush(true); try await rechecks.flush(on: db) }
                try await flush(false)
            }

            func facts(_ household: [Person], perHead fen: Int, capacity: (Person) -> LabourCapacity = { _ in .partial }, grade: (Person) -> Int? = { _ in nil }) -> DeclaredFacts {
                let earners = household.filter { (CivilDate($0.birth).map { $0.age(on: today) } ?? 0) < 60 }
                let total = fen * household.count
                let ms = household.map { p -> DeclaredMember in
                    let age = CivilDate(p.birth).map { $0.age(on: today) } ?? 0
                    let earns = earners.first?.id == p.id
                    let pension = earners.isEmpty && household.first?.id == p.id
                    let incomes = earns ? [DeclaredIncome(source: .wages, period: .month, amount: total)]
                        : pension ? [DeclaredIncome(source: .transfer, period: .month, amount: total)] : []
                    return DeclaredMember(residentId: p.id.uuidString.lowercased(), age: age, labourCapacity: age >= 60 ? .none : capacity(p),
                                          disabilityGrade: p.tags.contains("disabled") ? grade(p) : nil, illness: nil, incomes: incomes)
                }
                return DeclaredFacts(members: ms, assets: DeclaredAssets(deposits: rng.int(0...20_000) * 100, vehicles: 0, dwellings: 1),
                                     statedMonthlyIncome: ms.reduce(0) { $0 + $1.monthlyIncome })
            }

            // 低保: the tagged households; most approved in the last three years.
            let tagged = Set(people.filter { $0.tags.contains("low_income") }.map(\.household)).subtracting(showcase).sorted { $0.uuidString < $1.uuidString }
            let dibaoHouseholds = showcase + tagged
            let showcaseStages: [AssistanceStage] = [.approved, .noticed, .accepted, .checked, .investigated, .reviewed, .approved, .ended]
            let progress = [(AssistanceStage.accepted, 0.02), (.checked, 0.015), (.investigated, 0.015), (.reviewed, 0.01), (.noticed, 0.02),
                            (.refused, 0.02), (.ended, 0.06), (.approved, 0.84)]
            for (i, h) in dibaoHouseholds.enumerated() {
                guard let household = members[h], let head = household.first(where: { $0.relation == "head" }) ?? household.first else { continue }
                // The first households show every stage; the rest follow the shares.
                let stage = i < showcase.count ? showcaseStages[i % showcaseStages.count]
                    : i - showcase.count < progress.count ? progress[i - showcase.count].0 : rng.weighted(progress)
                let perHead = rng.int(0...600) * 100
                let accepted: CivilDate = switch stage {
                case .approved, .ended: today.adding(days: -rng.int(60...1000))
                case .refused: today.adding(days: -rng.int(40...300))
                case .noticed: today.adding(days: -rng.int(10...20))
                default: today.adding(days: -rng.int(1...(rng.chance(0.25) ? 60 : 35)))
                }
                let f = facts(household, perHead: stage == .refused ? 95_000 : perHead)
                try await add(.dibao, household, applicant: head, stage: stage, accepted: accepted, facts: f,
                              noticeStart: stage == .noticed ? today.adding(days: -rng.int(0...5)) : nil,
                              endReason: stage == .ended ? rng.weighted([("家庭收入超过低保标准", 0.6), ("户籍迁出本区", 0.2), ("家庭成员就业", 0.2)]) : nil)
                // Disabled members of an assisted household may have a subsidy.
                for p in household where p.tags.contains("disabled") && stage == .approved && rng.chance(0.6) {
                    guard let grade = grades[p.id] else { continue }
                    let severe = grade <= 2
                    let sub = facts(household, perHead: perHead, grade: { $0.id == p.id ? grade : nil })
                    try await add(severe ? .disabilityCare : .disabilityLiving, household, applicant: p, stage: .approved,
                                  accepted: today.adding(days: -rng.int(60...700)), facts: sub)
                }
            }
            // 特困: the tagged people (all living alone).
            for p in people where p.tags.contains("extreme_hardship") {
                guard let household = members[p.household] else { continue }
                let f = facts(household, perHead: rng.int(0...3) * 10_000, capacity: { _ in .none })
                try await add(.tekun, household, applicant: p, stage: rng.chance(0.92) ? .approved : .reviewed, accepted: today.adding(days: -rng.int(20...1500)), facts: f)
            }
            // More 特困: elders living alone without income or anyone to support them (a few hundred in the district).
            for p in people where p.tags.contains("living_alone") && !p.tags.contains("extreme_hardship") && rng.chance(0.15) {
                guard let household = members[p.household], household.count == 1 else { continue }
                let f = facts(household, perHead: rng.int(0...5) * 10_000, capacity: { _ in .none })
                try await add(.tekun, household, applicant: p, stage: .approved, accepted: today.adding(days: -rng.int(60...1500)), facts: f)
            }
            // 重度残疾人护理补贴 is not means-tested: severely disabled people of other households too.
            for p in people where p.tags.contains("disabled") && (grades[p.id] ?? 9) <= 2 && rng.chance(0.4) {
                guard let household = members[p.household], let grade = grades[p.id] else { continue }
                let f = facts(household, perHead: rng.int(10...30) * 10_000, grade: { $0.id == p.id ? grade : nil })
                try await add(.disabilityCare, household, applicant: p, stage: .approved, accepted: today.adding(days: -rng.int(30...900)), facts: f)
            }
            // 临时救助 and 医疗救助 through the year, for other households with a tagged member.
            let others = householdIDs.filter { !dibaoHouseholds.contains($0) }.sorted { $0.uuidString < $1.uuidString }
            for h in others where rng.chance(0.12) {
                guard let household = members[h], let head = household.first else { continue }
                let kind: AssistanceKind = rng.weighted([(.temporaryExpense, 0.45), (.temporaryUrgent, 0.2), (.medical, 0.35)])
                var f = facts(household, perHead: rng.int(3...12) * 10_000)
                switch kind {
                case .temporaryUrgent: f.emergency = rng.weighted([("家中失火", 0.3), ("突发重病住院", 0.5), ("交通事故", 0.2)]); f.requested = rng.int(10...50) * 10_000
                case .temporaryExpense: f.expense = f.monthlyIncome * 12 + rng.int(1...5) * 1_000_000; f.requested = rng.int(10...50) * 10_000
                default: f.expense = rng.int(5...60) * 100_000
                }
                let stage = rng.weighted([(AssistanceStage.approved, 0.85), (.reviewed, 0.05), (.checked, 0.05), (.accepted, 0.05)])
                try await add(kind, household, applicant: head, stage: stage, accepted: today.adding(days: -(stage == .approved ? rng.int(15...360) : rng.int(1...20))), facts: f)
            }
            try await flush(true)
            try await objections.flush(on: db)
            try await rechecks.flush(on: db)
            try await AuditLog.append([AuditEvent(AssistanceAudit.demoLoad, detail: ["cases": String(seq)])], by: .system("demo"), on: db)
            return s
        }
    }
}
