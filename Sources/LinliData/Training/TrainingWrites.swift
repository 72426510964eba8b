import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 再就业培训's writes: each one transaction with its audit entry.
extension TrainingQueries {
    /// Opens a course for the caller's street or district.
    public func openCourse(_ draft: CourseDraft, by actor: TrainingActor) async throws -> TrainingCourseRecord {
        let c: CheckedCourse
        switch TrainingRules.check(draft, today: today) {
        case .success(let v): c = v
        case .failure(let e): throw RegistryError.invalid(e.errors)
        }
        guard let area = try? DivisionCode(actor.divisionCode) else { throw RegistryError.forbidden("账号没有所属区划，不能开设培训班") }
        let id = UUID(), at = Int64(now().timeIntervalSince1970)
        try await db.writeTransaction { db in
            try await SQLHelpers.sql(db).insert(into: "training_courses")
                .columns("id", "name", "kind", "trade", "provider", "area_code", "area_prefix", "starts_on", "ends_on", "hours", "capacity",
                         "enrolled", "created_by", "created_at", "version")
                .values(SQLBind(id), SQLBind(c.name), SQLBind(c.kind.rawValue), SQLBind(c.trade), SQLBind(c.provider), SQLBind(area.value),
                        SQLBind(area.scopePrefix), SQLBind(c.startsOn.description), SQLBind(c.endsOn.description), SQLBind(c.hours),
                        SQLBind(c.capacity), SQLBind(0), SQLBind(actor.audit.username), SQLBind(at), SQLBind(1)).run()
            try await AuditLog.append([AuditEvent(TrainingAudit.courseOpen, target: .trainingCourse(id), detail: ["name": c.name])], by: actor.audit, on: db)
        }
        return try await requireCourse(id, in: .everything)
    }

    /// 报名: a resident of the caller's area, of working age, once per course, within the places — the place is
    /// taken by a conditional update of the course's count, so two enrolments into the last place cannot both pass.
    public func enrol(resident residentID: UUID, in courseID: UUID, by actor: TrainingActor) async throws -> TrainingEnrolmentRecord {
        let course = try await requireCourse(courseID, in: actor.scope)
        guard let person = try await sql.select().columns("grid_code", "birth_date", "life_status").from("residents")
            .where("id", .equal, SQLBind(residentID)).first(),
            actor.scope.contains(code: try person.decode(column: "grid_code", as: String.self)) else {
            throw RegistryError.invalid([FieldError("resident_id", "在您的辖区内没有这位居民")])
        }
        let grid = try person.decode(column: "grid_code", as: String.self)
        let birth = CivilDate(try person.decode(column: "birth_date", as: String.self)) ?? today
        let alive = try person.decode(column: "life_status", as: String.self) == LifeStatus.active.rawValue
        if try await Self.enrolled(residentID, in: courseID, on: sql) { throw RegistryError.conflict(FieldError("resident_id", "该居民已报名本期培训")) }
        let problems = TrainingRules.checkEnrolment(birth: birth, alive: alive, courseEnds: CivilDate(course.endsOn) ?? today,
                                                    enrolled: course.enrolled, capacity: course.capacity, today: today)
        guard problems.isEmpty else { throw RegistryError.invalid(problems) }
        let id = UUID(), today = self.today.description
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            let taken = try await sql.update("training_courses").set(SQLIdentifier("enrolled"), to: SQLRaw("enrolled + 1"))
                .set(SQLIdentifier("version"), to: SQLRaw("version + 1"))
                .where("id", .equal, SQLBind(courseID)).where(SQLIdentifier("enrolled"), .lessThan, SQLIdentifier("capacity"))
                .returning("id").all()
            if taken.isEmpty { throw RegistryError.conflict(FieldError("course_id", "该期培训名额已满（\(course.capacity)人）")) }
            // Checked after the course's row is locked by the update, so a concurrent enrolment of the same person is seen.
            if try await Self.enrolled(residentID, in: courseID, on: sql) { throw RegistryError.conflict(FieldError("resident_id", "该居民已报名本期培训")) }
            try await sql.insert(into: "training_enrolments")
                .columns("id", "course_id", "resident_id", "grid_code", "enrolled_on", "sessions_total", "sessions_present", "version")
                .values(SQLBind(id), SQLBind(courseID), SQLBind(residentID), SQLBind(grid), SQLBind(today), SQLBind(0), SQLBind(0), SQLBind(1)).run()
            try await AuditLog.append([AuditEvent(TrainingAudit.enrol, target: .trainingEnrolment(id), detail: ["course": courseID.uuidString.lowercased()])],
                                      by: actor.audit, on: db)
        }
        return try await enrolment(id, in: .everything)!
    }

    static func enrolled(_ resident: UUID, in course: UUID, on sql: any SQLDatabase) async throws -> Bool {
        try await sql.select().column("id").from("training_enrolments").where("course_id", .equal, SQLBind(course))
            .where("resident_id", .equal, SQLBind(resident)).first() != nil
    }

    /// 考勤: one session of a course for the trainees of the caller's area still in training — those in `present`
    /// were there, the others were not. Recording a day again corrects it.
    public func recordSession(of courseID: UUID, on rawDate: String?, present: Set<UUID>, by actor: TrainingActor) async throws -> Int {
        let course = try await requireCourse(courseID, in: actor.scope)
        let day: CivilDate
        switch TrainingRules.checkSession(rawDate, startsOn: CivilDate(course.startsOn) ?? today, endsOn: CivilDate(course.endsOn) ?? today, today: today) {
        case .success(let d): day = d
        case .failure(let e): throw RegistryError.invalid(e.errors)
        }
        let trainees = try await enrolments(of: courseID, in: actor.scope).filter { $0.result == nil && $0.enrolledOn <= day.description }
        let unknown = present.subtracting(trainees.map(\.id))
        if !unknown.isEmpty { throw RegistryError.invalid([FieldError("present", "出勤名单中有不在本期培训（或已结业）的学员")]) }
        if trainees.isEmpty { throw RegistryError.invalid([FieldError("date", "这一天没有在训的学员")]) }
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            for t in trainees {
                let here = present.contains(t.id)
                if let row = try await sql.select().column("present").from("training_attendance").where("enrolment_id", .equal, SQLBind(t.id))
                    .where("session_on", .equal, SQLBind(day.description)).first() {
                    let was = try row.decode(column: "present", as: Bool.self)
                    guard was != here else { continue }
                    try await sql.update("training_attendance").set("present", to: SQLBind(here)).where("enrolment_id", .equal, SQLBind(t.id))
                        .where("session_on", .equal, SQLBind(day.description)).run()
                    try await sql.update("training_enrolments").set(SQLIdentifier("sessions_present"), to: SQLRaw(here ? "sessions_present + 1" : "sessions_present - 1"))
                        .set(SQLIdentifier("version"), to: SQLRaw("version + 1")).where("id", .equal, SQLBind(t.id)).run()
                } else {
                    try await sql.insert(into: "training_attendance").columns("id", "enrolment_id", "session_on", "present")
                        .values(SQLBind(UUID()), SQLBind(t.id), SQLBind(day.description), SQLBind(here)).run()
                    try await sql.update("training_enrolments").set(SQLIdentifier("sessions_total"), to: SQLRaw("sessions_total + 1"))
                        .set(SQLIdentifier("sessions_present"), to: SQLRaw(here ? "sessions_present + 1" : "sessions_present"))
                        .set(SQLIdentifier("version"), to: SQLRaw("version + 1")).where("id", .equal, SQLBind(t.id)).run()
                }
            }
            try await AuditLog.append([AuditEvent(TrainingAudit.attendance, target: .trainingCourse(courseID),
                                                  detail: ["date": day.description, "present": String(present.count), "trainees": String(trainees.count)])],
                                      by: actor.audit, on: db)
        }
        return trainees.count
    }

    public struct CompletionInput: Sendable {
        public var result: String?
        public var on: String?
        public var certificate: String?
        public var certificateNumber: String?
        public var version: Int
        public init(result: String?, on: String?, certificate: String?, certificateNumber: String?, version: Int) {
            self.result = result; self.on = on; self.certificate = certificate; self.certificateNumber = certificateNumber; self.version = version
        }
    }

    /// 结业 or 中途退出, once.
    public func complete(_ id: UUID, _ i: CompletionInput, by actor: TrainingActor) async throws -> TrainingEnrolmentRecord {
        guard let e = try await enrolment(id, in: actor.scope) else { throw RegistryError.notFound("学员") }
        let course = try await requireCourse(e.courseId, in: .everything)
        if e.result != nil { throw RegistryError.conflictingState("该学员已登记\(e.result?.label ?? "")") }
        let c: TrainingRules.Completion
        switch TrainingRules.checkCompletion(result: i.result, on: i.on, certificate: i.certificate, number: i.certificateNumber,
                                             present: e.sessionsPresent, sessions: e.sessionsTotal, courseEnds: CivilDate(course.endsOn) ?? today, today: today) {
        case .success(let v): c = v
        case .failure(let e): throw RegistryError.invalid(e.errors)
        }
        if i.version != e.version { throw RegistryError.staleVersion(current: e.version) }
        let due = c.result == .completed ? TrainingRules.followUpDue(completedOn: c.on).description : nil
        try await db.writeTransaction { db in
            let changed = try await SQLHelpers.sql(db).update("training_enrolments").set("result", to: SQLBind(c.result.rawValue))
                .set("result_on", to: SQLBind(c.on.description)).set("certificate", to: SQLBind(c.certificate?.rawValue))
                .set("certificate_number", to: SQLBind(c.certificateNumber)).set("followup_due_on", to: SQLBind(due))
                .set("version", to: SQLBind(i.version + 1)).where("id", .equal, SQLBind(id)).where("version", .equal, SQLBind(i.version))
                .returning("id").all()
            if changed.isEmpty { throw RegistryError.staleVersion(current: i.version + 1) }
            try await AuditLog.append([AuditEvent(TrainingAudit.completion, target: .trainingEnrolment(id), detail: ["result": c.result.rawValue])],
                                      by: actor.audit, on: db)
        }
        return try await enrolment(id, in: .everything)!
    }

    /// 就业跟踪回访: six months after completion, whether the trainee works and where.
    public func followUp(_ id: UUID, on: String?, employed: Bool?, employer: String?, version: Int, by actor: TrainingActor) async throws -> TrainingEnrolmentRecord {
        guard let e = try await enrolment(id, in: actor.scope) else { throw RegistryError.notFound("学员") }
        guard e.result == .completed, let completedOn = e.resultOn.flatMap(CivilDate.init) else {
            throw RegistryError.conflictingState("只有结业的学员才做就业跟踪回访")
        }
        if e.followupOn != nil { throw RegistryError.conflictingState("该学员已登记回访结果") }
        let f: (on: CivilDate, employed: Bool, employer: String?)
        switch TrainingRules.checkFollowUp(on: on, employed: employed, employer: employer, completedOn: completedOn, today: today) {
        case .success(let v): f = v
        case .failure(let e): throw RegistryError.invalid(e.errors)
        }
        if version != e.version { throw RegistryError.staleVersion(current: e.version) }
        try await db.writeTransaction { db in
            let changed = try await SQLHelpers.sql(db).update("training_enrolments").set("followup_on", to: SQLBind(f.on.description))
                .set("followup_employed", to: SQLBind(f.employed)).set("followup_employer", to: SQLBind(f.employer))
                .set("version", to: SQLBind(version + 1)).where("id", .equal, SQLBind(id)).where("version", .equal, SQLBind(version))
                .returning("id").all()
            if changed.isEmpty { throw RegistryError.staleVersion(current: version + 1) }
            try await AuditLog.append([AuditEvent(TrainingAudit.followUp, target: .trainingEnrolment(id), detail: ["employed": String(f.employed)])],
                                      by: actor.audit, on: db)
        }
        return try await enrolment(id, in: .everything)!
    }
}
