import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 再就业培训's part of the demo district: every street opens a course about every quarter (the last twenty
/// months), filled mostly from its registered unemployed and then from other working-age residents; sessions
/// twice a week with realistic attendance, completions with certificates, some drop-outs, and the follow-up
/// six months on for most of those whose six months are up. Deterministic from the seed.
public struct TrainingDemo: DemoStep {
    public init() {}

    static let catalogue: [(String, TrainingKind, String?, String)] = [
        ("育婴员培训班", .skill, "育婴员", "区职业技能培训中心"), ("养老护理员培训班", .skill, "养老护理员", "区职业技能培训中心"),
        ("中式烹调师培训班", .skill, "中式烹调师", "泰州市烹饪职业培训学校"), ("电工培训班", .skill, "电工", "区职业技能培训中心"),
        ("家政服务员培训班", .skill, "家政服务员", "街道劳动保障所"), ("电子商务（网店运营）培训班", .skill, "电子商务师", "区职业技能培训中心"),
        ("SYB创业培训班", .startup, nil, "区创业指导中心"), ("网络创业培训班", .startup, nil, "区创业指导中心"),
        ("焊工技能提升班", .upgrade, "焊工", "泰州技师学院"), ("叉车司机培训班", .upgrade, "叉车司机", "区职业技能培训中心"),
    ]

    public func load(_ demo: DemoContext) async throws -> String? {
        let started = Date()
        let sql = SQLHelpers.sql(demo.db), today = demo.today
        let streets = try await sql.select().column("code").from(Division.schema).where("level", .equal, SQLBind(DivisionLevel.street.rawValue))
            .orderBy("code").all().map { try $0.decode(column: "code", as: String.self) }
        struct Person { var id: UUID; var grid: String; var unemployed: Bool }
        var byStreet: [String: [Person]] = [:]
        let oldest = today.yearsEarlier(55).description, youngest = today.yearsEarlier(20).description
        for row in try await sql.select().columns("id", "grid_code", "tags").from(Resident.schema)
            .where("life_status", .equal, SQLBind(LifeStatus.active.rawValue))
            .where("birth_date", .greaterThan, SQLBind(oldest)).where("birth_date", .lessThanOrEqual, SQLBind(youngest)).orderBy("id").all() {
            let grid = try row.decode(column: "grid_code", as: String.self)
            guard grid.count >= 9 else { continue }
            let street = String(grid.prefix(9)) + "000"
            byStreet[street, default: []].append(Person(id: try row.decode(column: "id", as: UUID.self), grid: grid,
                                                        unemployed: try row.decode(column: "tags", as: String.self).contains("unemployed")))
        }
        let people = byStreet
        let (courses, trainees, completed) = try await demo.db.writeTransaction(bulk: true) { db in
            var rng = SeededRandom(seed: demo.seed ^ 0x5452_4149_4E)
            var courses = 0, trainees = 0, completed = 0
            var courseRows = BulkInsert("training_courses", ["id", "name", "kind", "trade", "provider", "area_code", "area_prefix", "starts_on", "ends_on",
                                                             "hours", "capacity", "enrolled", "created_by", "created_at", "version"])
            var enrolRows = BulkInsert("training_enrolments", ["id", "course_id", "resident_id", "grid_code", "enrolled_on", "sessions_total",
                                                               "sessions_present", "result", "result_on", "certificate", "certificate_number",
                                                               "followup_due_on", "followup_on", "followup_employed", "followup_employer", "version"])
            var attendance = BulkInsert("training_attendance", ["id", "enrolment_id", "session_on", "present"])
            let employers = ["泰州医药高新区某电子厂", "寺巷街道某物业公司", "某家政服务公司", "某连锁超市", "某养老服务中心", "自主创业", "某物流公司"]
            for street in streets {
                guard let code = try? DivisionCode(street), var pool = people[street], !pool.isEmpty else { continue }
                // The registered unemployed first, as the register's 就业援助 would send them.
                pool.sort { $0.unemployed && !$1.unemployed }
                var next = 0
                for q in 0..<7 {
                    let (name, kind, trade, provider) = Self.catalogue[rng.int(0...(Self.catalogue.count - 1))]
                    let starts = today.adding(days: -600 + q * 90 + rng.int(0...30))
                    let ends = starts.adding(days: rng.int(14...42))
                    let sessions = stride(from: 0, through: ends.dayNumber - starts.dayNumber, by: rng.int(3...4)).map { starts.adding(days: $0) }
                    let capacity = [30, 40, 50][rng.int(0...2)]
                    let count = min(capacity * rng.int(70...100) / 100, max(0, pool.count - next))
                    guard count > 0 else { continue }
                    let course = rng.uuid()
                    courses += 1
                    courseRows.add([course, "\(name)（第\(q + 1)期）", kind.rawValue, trade, provider, code.value, code.scopePrefix, starts.description,
                                     ends.description, sessions.count * 4, capacity, count, "(demo)", demo.now, 1])
                    try await courseRows.flush(on: db)
                    for person in pool[next..<(next + count)] {
                        let id = rng.uuid()
                        trainees += 1
                        let diligence = rng.chance(0.85) ? 0.95 : 0.6
                        let dropped = rng.chance(0.05)
                        var held = 0, present = 0
                        for day in sessions where day <= today {
                            let here = rng.chance(diligence)
                            held += 1
                            if here { present += 1 }
                            attendance.add([rng.uuid(), id, day.description, here])
                        }
                        var result: String?, resultOn: String?, certificate: String?, number: String?, due: String?
                        var followOn: String?, employed: Bool?, employer: String?
                        if ends < today {
                            if dropped || TrainingRules.attendanceRate(present: present, sessions: held) < TrainingRules.attendanceToComplete {
                                result = TrainingResult.dropped.rawValue; resultOn = ends.description
                            } else {
                                completed += 1
                                result = TrainingResult.completed.rawValue; resultOn = ends.description
                                let cert: TrainingCertificate = kind == .startup ? .startup : rng.chance(0.5) ? .skillLevel : .completion
                                certificate = cert.rawValue
                                number = String(format: "TZ%d%06d", ends.year, rng.int(1...999_999))
                                let dueDay = TrainingRules.followUpDue(completedOn: ends)
                                due = dueDay.description
                                if dueDay <= today && rng.chance(0.85) {
                                    followOn = min(today, dueDay.adding(days: rng.int(0...20))).description
                                    employed = rng.chance(0.62)
                                    employer = employed == true ? employers[rng.int(0...(employers.count - 1))] : nil
                                }
                            }
                        }
                        enrolRows.add([id, course, person.id, person.grid, starts.adding(days: -rng.int(3...20)).description, held, present, result,
                                       resultOn, certificate, number, due, followOn, employed, employer, 1])
                        if attendance.isFull { try await enrolRows.flush(on: db); try await attendance.flush(on: db) }
                    }
                    next += count
                }
            }
            try await courseRows.flush(on: db)
            try await enrolRows.flush(on: db)
            try await attendance.flush(on: db)
            try await AuditLog.append([AuditEvent(TrainingAudit.demoLoad, detail: ["courses": String(courses)])], by: .system("demo"), on: db)
            return (courses, trainees, completed)
        }
        return String(format: "再就业培训：%d 期，学员 %d 人，结业 %d 人，用时 %.1f 秒。", courses, trainees, completed, Date().timeIntervalSince(started))
    }
}
