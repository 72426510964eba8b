import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 居家养老 for the demo district: most elders assessed (about 85 % 自理, 10 % 半失能, 5 % 失能, some due for
/// reassessment), plans for those who need them, weekly visits for those living alone with a few missed,
/// other service records, emergency calls of the last month, and one or two facilities per community,
/// some above and some below the floor-area standard. Services are given by teams of each grid (网格员, a
/// facility's 送餐组 and 助浴组, a 家政 and a 助医 team), and no team has two records at the same time (the rule
/// `addRecord` enforces). Deterministic from the seed; needs the district.
public enum DemoCare {
    public struct Summary: Sendable {
        public var elders = 0, assessments = 0, plans = 0, records = 0, calls = 0, facilities = 0
    }

    public static func load(on db: any Database, cipher: PersonalDataCipher, seed: UInt64, today: CivilDate, now: Int64) async throws -> Summary {
        let sql = SQLHelpers.sql(db)
        let elders = try await sql.select().columns("id", "grid_code", "tags", "birth_date").from(Resident.schema)
            .where("life_status", .equal, SQLBind(LifeStatus.active.rawValue))
            .where("birth_date", .lessThanOrEqual, SQLBind(today.yearsEarlier(CareRules.minimumAge).description))
            .orderBy("id").all().map { row in
                (id: try row.decode(column: "id", as: UUID.self), grid: try row.decode(column: "grid_code", as: String.self),
                 tags: try row.decode(column: "tags", as: String.self), birth: try row.decode(column: "birth_date", as: String.self))
            }
        let communities = try await sql.select().columns("code", "name", "kind").from(Division.schema)
            .where("level", .equal, SQLBind(DivisionLevel.community.rawValue)).orderBy("code").all().map { row in
                (code: try row.decode(column: "code", as: String.self), name: try row.decode(column: "name", as: String.self),
                 kind: try row.decode(column: "kind", as: String?.self).flatMap(CommunityKind.init(rawValue:)))
            }
        guard !communities.isEmpty else { throw RegistryError.invalid([FieldError("care", "请先载入演示区")]) }
        let gridNames = Dictionary(try await sql.select().columns("code", "name").from(Division.schema)
            .where("level", .equal, SQLBind(DivisionLevel.grid.rawValue)).all().map {
                (try $0.decode(column: "code", as: String.self), try $0.decode(column: "name", as: String.self))
            }, uniquingKeysWith: { a, _ in a })
        return try await db.writeTransaction { db in
            var rng = SeededRandom(seed: seed ^ 0x4341_5245_5f52_4f4c)
            var s = Summary()
            var assessments = BulkInsert("care_assessments", ["id", "resident_id", "grid_code", "assessed_on", "scores_cipher", "total", "level",
                                                              "assessor", "next_due", "note", "created_at"])
            var status = BulkInsert("care_status", ["resident_id", "grid_code", "level", "total", "assessed_on", "next_due", "last_visit_on", "has_plan"])
            var plans = BulkInsert("care_plans", ["id", "resident_id", "grid_code", "services", "starts_on", "ends_on", "note", "version", "updated_at"])
            var records = BulkInsert("care_records", ["id", "resident_id", "grid_code", "service", "provided_at", "provided_on", "duration_minutes",
                                                      "provider_kind", "provider_name", "feedback", "satisfaction", "recorded_by", "created_at"])
            var calls = BulkInsert("care_calls", CareQueries.callColumns)
            var facilities = BulkInsert("care_facilities", CareQueries.facilityColumns)
            func flush(_ force: Bool) async throws {
                for i in [0, 1, 2, 3, 4] {
                    switch i {
                    case 0: if force || assessments.isFull { try await assessments.flush(on: db) }
                    case 1: if force || status.isFull { try await status.flush(on: db) }
                    case 2: if force || plans.isFull { try await plans.flush(on: db) }
                    case 3: if force || records.isFull { try await records.flush(on: db) }
                    default: if force || calls.isFull { try await calls.flush(on: db) }
                    }
                }
            }
            /// A moment on `day` in China time, between 8:00 and 18:00.
            func moment(_ day: CivilDate) -> Int64 { Int64(day.dayNumber) * 86400 - 8 * 3600 + Int64(rng.int(8 * 3600...18 * 3600)) }
            /// A start on `day` at which `provider` is free for `minutes` (a few tries; nil when the day is too full).
            var busy: [String: [CareServiceSlot]] = [:]
            func slot(_ provider: String, _ day: CivilDate, _ minutes: Int) -> Int64? {
                let key = "\(provider)|\(day.dayNumber)"
                for _ in 0..<8 {
                    let candidate = CareServiceSlot(provider: provider, start: moment(day), durationMinutes: minutes)
                    if CareServiceSlot.firstOverlap(candidate, in: busy[key] ?? []) == nil {
                        busy[key, default: []].append(candidate)
                        return candidate.start
                    }
                }
                return nil
            }
            /// The team of a grid that gives a service: "网格员（明珠第1网格）".
            func team(_ base: String, _ grid: String) -> String { "\(base)（\(gridNames[grid] ?? grid)）" }
            let feedback = ["老人满意", "饭菜合口味", "老人身体状况良好", "提醒按时服药", "老人希望多来看看", "家中整洁", nil, nil, nil]

            // Facilities first: each community's provider names are used in the plans.
            var providers: [String: String] = [:]
            for c in communities {
                let setting = CareSetting.of(c.kind)
                let minimum = CareStandards.minimumArea(setting)
                // About four in five communities meet the standard.
                let area = (minimum * (rng.chance(0.8) ? Double(rng.int(100...160)) : Double(rng.int(45...95))) / 100).rounded()
                let kind: CareFacilityKind = rng.chance(0.3) ? .homeCareCentre : .homeCareStation
                let name = c.name + (kind == .homeCareCentre ? "居家养老服务中心" : "居家养老服务站")
                providers[c.code] = name
                facilities.add([rng.uuid(), name, kind.rawValue, c.code, Optional<String>.none, area, rng.int(0...4), 0, setting.rawValue, 1])
                s.facilities += 1
                if rng.chance(0.35) {
                    facilities.add([rng.uuid(), c.name + "日间照料中心", CareFacilityKind.dayCare.rawValue, c.code, Optional<String>.none,
                                    Double(rng.int(150...400)), rng.int(6...20), rng.int(0...6), setting.rawValue, 1])
                    s.facilities += 1
                }
                if rng.chance(0.12) {
                    let beds = rng.int(60...220)
                    facilities.add([rng.uuid(), c.name + "颐养院", CareFacilityKind.institution.rawValue, c.code, Optional<String>.none,
                                    Double(beds * rng.int(30...45)), beds, beds * rng.int(30...65) / 100, setting.rawValue, 1])
                    s.facilities += 1
                }
            }
            try await facilities.flush(on: db)

            for e in elders {
                s.elders += 1
                let alone = e.tags.contains(ResidentTag.livingAlone.rawValue)
                let old = (CivilDate(e.birth)?.age(on: today) ?? 60) >= 80
                let facility = providers[String(e.grid.prefix(12))] ?? "社区居家养老服务站"
                let worker = team("网格员", e.grid)
                var level: CareLevel?
                var lastVisit: String?
                if rng.chance(0.93) {
                    let target: CareLevel = rng.weighted([(.independent, old ? 0.70 : 0.88), (.partlyDependent, old ? 0.19 : 0.08),
                                                          (.dependent, old ? 0.11 : 0.04)])
                    var scores = BarthelScores([:])
                    for _ in 0..<20 {
                        var d: [BarthelItem: Int] = [:]
                        for item in BarthelItem.allCases {
                            let a = item.allowedScores
                            let step: Int
                            switch target {
                            case .independent: step = rng.chance(0.85) ? a.count - 1 : max(0, a.count - 2)
                            case .partlyDependent: step = rng.int(max(0, a.count - 3)...a.count - 1)
                            case .dependent: step = rng.chance(0.7) ? 0 : min(1, a.count - 1)
                            }
                            d[item] = a[step]
                        }
                        scores = BarthelScores(d)
                        if scores.level == target { break }
                    }
                    let l = scores.level
                    level = l
                    // Assessed within the last 14 months: some of them are due again.
                    let on = today.adding(days: -rng.int(0...420))
                    let due = CareRules.nextDue(assessedOn: on, level: l)
                    assessments.add([rng.uuid(), e.id, e.grid, on.description, try cipher.seal(scores.encoded), scores.total, l.rawValue, "demo",
                                     due.description, Optional<String>.none, now])
                    s.assessments += 1
                    status.add([e.id, e.grid, l.rawValue, scores.total, on.description, due.description, Optional<String>.none, false])
                }
                let needsPlan = alone || (level != nil && level != .independent) || rng.chance(0.06)
                if needsPlan {
                    var services: [CarePlanService] = []
                    if alone || level == .dependent {
                        services.append(CarePlanService(service: "visit", frequency: "weekly", providerKind: "worker", providerName: worker))
                    }
                    if level != .independent || rng.chance(0.4) {
                        services.append(CarePlanService(service: "meals", frequency: "daily", providerKind: "facility", providerName: team(facility + "送餐组", e.grid)))
                    }
                    if level == .dependent || level == .partlyDependent {
                        services.append(CarePlanService(service: "cleaning", frequency: "weekly", providerKind: "organization",
                                                        providerName: team("邻里家政服务社", e.grid)))
                        services.append(CarePlanService(service: "medical", frequency: "monthly", providerKind: "organization",
                                                        providerName: team("社区卫生服务站助医组", e.grid)))
                    }
                    if level == .dependent {
                        services.append(CarePlanService(service: "bathing", frequency: "weekly", providerKind: "facility", providerName: team(facility + "助浴组", e.grid)))
                    }
                    if alone || level == .dependent {
                        services.append(CarePlanService(service: "emergency", frequency: "on_call", providerKind: "worker", providerName: "社区工作者"))
                    }
                    if services.isEmpty {
                        services.append(CarePlanService(service: "visit", frequency: "monthly", providerKind: "volunteers", providerName: "邻里志愿者服务队"))
                    }
                    let json = String(decoding: try JSONEncoder.sorted.encode(services), as: UTF8.self)
                    let starts = today.adding(days: -rng.int(30...600))
                    plans.add([rng.uuid(), e.id, e.grid, json, starts.description, Optional<String>.none, Optional<String>.none, 1, now])
                    s.plans += 1
                    // Weekly visits over the last eight weeks; about one in twelve has missed the latest.
                    if services.contains(where: { $0.service == "visit" && $0.frequency == "weekly" }) {
                        let missed = rng.chance(0.08)
                        var day = today.adding(days: -(missed ? rng.int(8...20) : rng.int(0...6)))
                        var last: CivilDate?
                        while day >= today.adding(days: -56) {
                            let minutes = rng.int(15...60)
                            if let at = slot(worker, day, minutes) {
                                records.add([rng.uuid(), e.id, e.grid, "visit", at, day.description, minutes, "worker", worker,
                                             feedback[rng.int(0...feedback.count - 1)], rng.chance(0.5) ? rng.int(4...5) : Optional<Int>.none, "demo", now])
                                s.records += 1
                                last = max(last ?? day, day)
                            }
                            day = day.adding(days: -rng.int(5...7))
                        }
                        lastVisit = last?.description
                    }
                    // The other services of the last two weeks, a few each.
                    for service in services where service.service != "visit" && service.service != "emergency" {
                        for _ in 0..<(service.frequency == "daily" ? 3 : 1) {
                            let day = today.adding(days: -rng.int(0...14))
                            let minutes = rng.int(20...90)
                            guard let at = slot(service.providerName, day, minutes) else { continue }
                            records.add([rng.uuid(), e.id, e.grid, service.service, at, day.description, minutes, service.providerKind,
                                         service.providerName, feedback[rng.int(0...feedback.count - 1)],
                                         rng.chance(0.4) ? rng.int(3...5) : Optional<Int>.none, "demo", now])
                            s.records += 1
                        }
                    }
                    if level == nil {
                        status.add([e.id, e.grid, Optional<String>.none, Optional<Int>.none, Optional<String>.none, Optional<String>.none, lastVisit, true])
                    }
                }
                // Emergency calls of the last 30 days: most responded within half an hour, a few still open.
                if rng.chance(alone || level == .dependent ? 0.04 : 0.008) {
                    let received = now - Int64(rng.int(600...30 * 86400))
                    let response = Int64(rng.chance(0.85) ? rng.int(180...1800) : rng.int(1801...5400))
                    let responded: Int64? = received + response <= now ? received + response : nil
                    var closed: Int64?
                    // One in twenty is still open: the worker has gone but not closed it yet.
                    if let r = responded, !rng.chance(0.05) {
                        let c = r + Int64(rng.int(1200...7200))
                        if c <= now { closed = c }
                    }
                    let st: CareCallStatus = closed != nil ? .closed : responded != nil ? .responded : .assigned
                    calls.add([rng.uuid(), e.id, e.grid, st.rawValue, received, worker, received + 120, responded, closed,
                               Optional<String>.none, 1])
                    s.calls += 1
                }
                try await flush(false)
            }
            try await flush(true)
            // Plans and last visits onto the status rows written with the assessments.
            try await SQLHelpers.sql(db).raw("""
                UPDATE care_status SET has_plan = \(unsafeRaw: db.isSQLite ? "1" : "true")
                WHERE resident_id IN (SELECT resident_id FROM care_plans)
                """).run()
            try await SQLHelpers.sql(db).raw("""
                UPDATE care_status SET last_visit_on = (SELECT max(provided_on) FROM care_records
                    WHERE care_records.resident_id = care_status.resident_id AND care_records.service = 'visit')
                WHERE last_visit_on IS NULL
                """).run()
            if db.isSQLite {
                for t in ["care_assessments", "care_status", "care_plans", "care_records", "care_calls", "care_facilities"] {
                    try await SQLHelpers.sql(db).raw("ANALYZE \(unsafeRaw: t)").run()
                }
            }
            try await AuditLog.append([AuditEvent(CareAudit.demoLoad, detail: ["elders": String(s.elders), "assessments": String(s.assessments),
                                                                       "plans": String(s.plans)])], by: .system("demo"), on: db)
            return s
        }
    }
}
