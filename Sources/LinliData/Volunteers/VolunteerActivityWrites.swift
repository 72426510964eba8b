import FluentKit
import Foundation
import LinliCore
import SQLKit

/// Activities: publishing, sign-ups (a place taken by one conditional UPDATE, so concurrent sign-ups never exceed
/// the places on SQLite or PostgreSQL), check-in and check-out (by the organizer, or by the activity's code
/// during its window), verification of hours within 7 days after the end, and corrections after that as new
/// entries. Each write one transaction with its audit entry.
extension VolunteersQueries {
    /// Publishes an activity of a community (the caller's, or one named in their scope), a team of it, or a social
    /// organization / purchased-service project (`organization_id`, `project_id`: one the caller sees, on the books).
    public func createActivity(_ input: VolunteerActivityInput, by actor: VolunteersActor) async throws -> VolunteerActivityRecord {
        guard actor.mayRun else { throw RegistryError.forbidden("您没有发布志愿活动的权限") }
        var errors = VolunteerRules.checkActivity(title: input.title, place: input.place, start: input.startsAt, end: input.endsAt, places: input.places)
        let code = try await communityOf(input.communityCode, actor: actor, errors: &errors)
        if let teamID = input.teamId {
            let t = try await team(teamID, in: actor.scope)
            if t == nil || (code != nil && t?.communityCode != code) { errors.append(FieldError("team_id", "应为本社区的志愿服务队")) }
        }
        let organization = try await organizationOf(input.organizationId, project: input.projectId, scope: actor.scope, errors: &errors)
        guard errors.isEmpty, let code, let start = input.startsAt, let end = input.endsAt, let places = input.places else {
            throw RegistryError.invalid(errors)
        }
        let id = UUID(), at = nowSeconds, checkCode = Self.randomCode(6)
        let month = String(CivilDate(dayNumber: Int(start / 86_400)).description.prefix(7))
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            try await sql.insert(into: "volunteer_activities")
                .columns("id", "community_code", "team_id", "organization_id", "project_id", "title", "place", "detail", "skills", "starts_at", "ends_at",
                         "places", "taken", "code", "created_by", "created_at")
                .values(SQLBind(id), SQLBind(code), SQLBind(input.teamId), SQLBind(organization), SQLBind(input.projectId),
                        SQLBind(input.title!.trimmingCharacters(in: .whitespaces)), SQLBind(input.place!.trimmingCharacters(in: .whitespaces)),
                        SQLBind(input.detail?.trimmedOrNil), SQLBind(input.skills.map(\.rawValue).joined(separator: ",")), SQLBind(start), SQLBind(end),
                        SQLBind(places), SQLBind(0), SQLBind(checkCode), SQLBind(actor.audit.username), SQLBind(at))
                .run()
            try await Self.bump(code, month: month, activities: 1, sql: sql)
            try await AuditLog.append([AuditEvent(VolunteersAudit.activityCreate, target: .volunteerActivity(id), detail: ["title": input.title ?? ""])],
                                      by: actor.audit, on: db)
        }
        return try await requireActivity(id, in: .everything)
    }

    /// Calls an activity off before it starts, with the reason: no more sign-ups or check-ins; the sign-ups stay on
    /// record and the community's month no longer counts it. Started, or cancelled already: 409.
    public func cancel(activity activityID: UUID, reason: String?, by actor: VolunteersActor) async throws -> VolunteerActivityRecord {
        guard actor.mayRun else { throw RegistryError.forbidden("您没有取消志愿活动的权限") }
        let a = try await requireActivity(activityID, in: actor.scope)
        let why = reason?.trimmedOrNil
        guard let why, why.count <= 200 else { throw RegistryError.invalid([FieldError("reason", "请填写取消原因（不超过200字）")]) }
        let at = nowSeconds
        if at >= a.startsAt { throw RegistryError.conflictingState("活动已开始，不能取消") }
        let month = String(CivilDate(dayNumber: Int(a.startsAt / 86_400)).description.prefix(7)), day = today.description
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            guard try await sql.raw("""
                UPDATE volunteer_activities SET cancelled_on = \(bind: day), cancel_reason = \(bind: why)
                WHERE id = \(bind: activityID) AND cancelled_on IS NULL RETURNING id
                """).first() != nil else { throw RegistryError.conflictingState("活动已取消") }
            try await Self.bump(a.communityCode, month: month, activities: -1, sql: sql)
            try await AuditLog.append([AuditEvent(VolunteersAudit.activityCancel, target: .volunteerActivity(activityID), detail: ["reason": why])],
                                      by: actor.audit, on: db)
        }
        return try await requireActivity(activityID, in: .everything)
    }

    /// Signs a volunteer up: a signed volunteer, once per activity (409 at `volunteer_id`), before the end, while a
    /// place is left (422 at `places`). `own`: the resident signing themself up on the portal.
    public func signUp(activity activityID: UUID, volunteer volunteerID: UUID?, own: Bool = false, by actor: VolunteersActor) async throws -> VolunteerSignupRecord {
        if !own && !actor.mayRun { throw RegistryError.forbidden("您没有为志愿活动添加人员的权限") }
        let a = try await requireActivity(activityID, in: own ? .everything : actor.scope)
        guard let volunteerID, let v = try await volunteer(volunteerID, in: own ? .everything : actor.scope) else {
            throw RegistryError.invalid([FieldError("volunteer_id", "请选择本辖区登记的志愿者")])
        }
        guard v.state.serves else { throw RegistryError.invalid([FieldError("volunteer_id", "\(own ? "您" : v.name)尚未签订志愿服务协议，签约后才能报名活动")]) }
        if a.cancelledOn != nil { throw RegistryError.conflictingState("活动已取消，不能报名") }
        if nowSeconds >= a.endsAt { throw RegistryError.invalid([FieldError("time", "活动已结束，不能报名")]) }
        let id = UUID(), at = nowSeconds
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            if try await sql.select().column("id").from("volunteer_signups").where("activity_id", .equal, SQLBind(activityID))
                .where("volunteer_id", .equal, SQLBind(v.id)).first() != nil {
                throw RegistryError.conflict(FieldError("volunteer_id", "\(own ? "您" : v.name)已报名本次活动"))
            }
            // Checks and takes a place at once: of two sign-ups for the last place, the second finds `taken < places` false.
            let took = try await sql.raw("UPDATE volunteer_activities SET taken = taken + 1 WHERE id = \(bind: activityID) AND taken < places RETURNING taken").first()
            guard took != nil else { throw RegistryError.invalid([FieldError("places", "活动名额已满（\(a.places)人）")]) }
            try await sql.insert(into: "volunteer_signups").columns("id", "activity_id", "volunteer_id", "via", "signed_up_at")
                .values(SQLBind(id), SQLBind(activityID), SQLBind(v.id), SQLBind(own ? "portal" : "organizer"), SQLBind(at)).run()
            try await AuditLog.append([AuditEvent(VolunteersAudit.signUp, target: .volunteerActivity(activityID), detail: ["volunteer": v.id.uuidString])],
                                      by: actor.audit, on: db)
        }
        guard let s = try await signup(id) else { throw RegistryError.notFound("报名") }
        return s
    }

    /// Check-in (first) or check-out (second) of a signed-up volunteer at `now`, within the activity's window.
    func clock(_ s: VolunteerSignupRecord, _ a: VolunteerActivityRecord, by actor: VolunteersActor) async throws -> VolunteerSignupRecord {
        let at = nowSeconds
        if a.cancelledOn != nil { throw RegistryError.conflictingState("活动已取消，不能签到、签退") }
        guard VolunteerRules.codeWindow(start: a.startsAt, end: a.endsAt).contains(at) else {
            throw RegistryError.invalid([FieldError("time", "只能在活动开始前30分钟至结束后30分钟内签到、签退")])
        }
        if s.checkOutAt != nil { throw RegistryError.conflict(FieldError("time", "已签退，无需重复操作")) }
        let out = s.checkInAt != nil
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            if let checkIn = s.checkInAt {
                let proposed = VolunteerRules.proposedMinutes(checkIn: checkIn, checkOut: at, start: a.startsAt, end: a.endsAt)
                try await sql.update("volunteer_signups").set("check_out_at", to: SQLBind(at)).set("proposed_minutes", to: SQLBind(proposed))
                    .where("id", .equal, SQLBind(s.id)).where("check_out_at", .is, SQLLiteral.null).run()
            } else {
                try await sql.update("volunteer_signups").set("check_in_at", to: SQLBind(at)).where("id", .equal, SQLBind(s.id))
                    .where("check_in_at", .is, SQLLiteral.null).run()
            }
            try await AuditLog.append([AuditEvent(out ? VolunteersAudit.checkOut : VolunteersAudit.checkIn, target: .volunteerActivity(a.id),
                                                  detail: ["volunteer": s.volunteerId.uuidString])], by: actor.audit, on: db)
        }
        guard let r = try await signup(s.id) else { throw RegistryError.notFound("报名") }
        return r
    }

    /// The organizer checks a signed-up volunteer in or out.
    public func check(signup signupID: UUID, by actor: VolunteersActor) async throws -> VolunteerSignupRecord {
        guard actor.mayRun else { throw RegistryError.forbidden("您没有签到签退的权限") }
        guard let s = try await signup(signupID) else { throw RegistryError.notFound("报名") }
        let a = try await requireActivity(s.activityId, in: actor.scope)
        return try await clock(s, a, by: actor)
    }

    /// The volunteer types the code shown at the activity: refused at `code` when no activity has it or they did not
    /// sign up for it, at `time` outside its window.
    public func checkByCode(_ code: String?, volunteer volunteerID: UUID, by actor: VolunteersActor) async throws -> (VolunteerSignupRecord, VolunteerActivityRecord) {
        let typed = (code ?? "").trimmingCharacters(in: .whitespaces).uppercased()
        guard !typed.isEmpty, typed.count <= 12 else { throw RegistryError.invalid([FieldError("code", "请填写活动现场公布的签到码")]) }
        let candidates = try await activitySelect.where(SQLColumn("code", table: "a"), .equal, SQLBind(typed))
            .orderBy(SQLColumn("starts_at", table: "a"), SQLDirection.descending).limit(20).all().map { try $0.decodeRecord(VolunteerActivityRecord.self) }
        var signed: [(VolunteerSignupRecord, VolunteerActivityRecord)] = []
        for a in candidates { if let s = try await signup(activity: a.id, volunteer: volunteerID) { signed.append((s, a)) } }
        let now = nowSeconds
        guard let pair = signed.first(where: { VolunteerRules.codeWindow(start: $0.1.startsAt, end: $0.1.endsAt).contains(now) }) ?? signed.first else {
            throw RegistryError.invalid([FieldError("code", "签到码不正确，或您没有报名这次活动")])
        }
        let (s, a) = pair
        let errors = VolunteerRules.checkCode(typed, expected: a.code, now: nowSeconds, start: a.startsAt, end: a.endsAt)
        guard errors.isEmpty else { throw RegistryError.invalid(errors) }
        return (try await clock(s, a, by: actor), a)
    }

    /// The organizer verifies a sign-up's hours (the proposed ones when `minutes` is nil) until 7 days after the end;
    /// after that they are fixed (409 at `hours`; a correction is then a new entry). A second verification within the
    /// period records the difference as a new entry. Returns the change credited to the person.
    public func verify(signup signupID: UUID, minutes: Int?, by actor: VolunteersActor) async throws -> (VolunteerSignupRecord, VolunteerHoursCredit) {
        guard actor.mayRun else { throw RegistryError.forbidden("您没有核实服务时长的权限") }
        guard let s = try await signup(signupID) else { throw RegistryError.notFound("报名") }
        let a = try await requireActivity(s.activityId, in: actor.scope)
        let at = nowSeconds
        if at < a.startsAt { throw RegistryError.invalid([FieldError("hours", "活动尚未开始，不能核实时长")]) }
        guard VolunteerRules.mayVerify(end: a.endsAt, now: at) else {
            throw RegistryError.conflict(FieldError("hours", "活动结束已超过\(VolunteerRules.verifyDays)天，服务时长已确定；如有差错请登记更正"))
        }
        guard let value = minutes ?? s.proposedMinutes else {
            throw RegistryError.invalid([FieldError("hours", "没有签到签退记录，请填写核实的服务时长")])
        }
        let errors = VolunteerRules.checkVerified(minutes: value, start: a.startsAt, end: a.endsAt)
        guard errors.isEmpty else { throw RegistryError.invalid(errors) }
        let served = CivilDate(dayNumber: Int((a.startsAt + 8 * 3600) / 86_400))
        let credit = try await db.writeTransaction { db -> VolunteerHoursCredit in
            let sql = SQLHelpers.sql(db)
            // The previous figure read under the write lock, so two verifications at once add up to the last one.
            let row = try await sql.raw("UPDATE volunteer_signups SET verified_minutes = \(bind: value), verified_at = \(bind: at), verified_by = \(bind: actor.audit.username) WHERE id = \(bind: s.id) RETURNING volunteer_id").first()
            guard row != nil else { throw RegistryError.notFound("报名") }
            let before = try await sql.raw("SELECT CAST(COALESCE(SUM(minutes), 0) AS BIGINT) AS m FROM volunteer_hours WHERE signup_id = \(bind: s.id)").first()?
                .decode(column: "m", as: Int.self) ?? 0
            let delta = value - before
            let credit = try await Self.addHours(volunteer: s.volunteerId, minutes: delta, kind: "verified", reason: nil, served: served,
                                                 activity: a, signup: s.id, at: at, by: actor, sql: sql)
            try await AuditLog.append([AuditEvent(VolunteersAudit.verify, target: .volunteerActivity(a.id),
                                                  detail: ["volunteer": s.volunteerId.uuidString, "minutes": String(value), "change": String(delta)])],
                                      by: actor.audit, on: db)
            return credit
        }
        guard let r = try await signup(s.id) else { throw RegistryError.notFound("报名") }
        return (r, credit)
    }

    /// A correction of a volunteer's fixed hours: a new entry with the change and its reason (never an edit of the old).
    public func correct(volunteer volunteerID: UUID, minutes delta: Int?, reason: String?, servedOn: CivilDate?, activity activityID: UUID?,
                        by actor: VolunteersActor) async throws -> VolunteerHoursCredit {
        guard actor.mayRun else { throw RegistryError.forbidden("您没有更正服务时长的权限") }
        let v = try await requireVolunteer(volunteerID, in: actor.scope)
        var errors = VolunteerRules.checkCorrection(delta: delta, reason: reason, total: v.minutes)
        var activity: VolunteerActivityRecord?
        if let activityID {
            activity = try await self.activity(activityID, in: actor.scope)
            if activity == nil { errors.append(FieldError("activity_id", "本辖区没有这次活动")) }
        }
        let day = servedOn ?? activity.map { CivilDate(dayNumber: Int(($0.startsAt + 8 * 3600) / 86_400)) }
        if let day, day > today { errors.append(FieldError("served_on", "服务日期不能晚于今天")) }
        if day == nil { errors.append(FieldError("served_on", "请填写所更正的服务日期")) }
        guard errors.isEmpty, let delta, let day else { throw RegistryError.invalid(errors) }
        let at = nowSeconds, chosen = activity
        return try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            let credit = try await Self.addHours(volunteer: v.id, minutes: delta, kind: "correction", reason: reason?.trimmedOrNil, served: day,
                                                 activity: chosen, signup: nil, at: at, by: actor, sql: sql)
            try await AuditLog.append([AuditEvent(VolunteersAudit.correct, target: .volunteer(v.id),
                                                  detail: ["change": String(delta), "reason": reason?.trimmedOrNil ?? ""])], by: actor.audit, on: db)
            return credit
        }
    }

    /// One entry of hours and the totals it changes, in the caller's transaction: the volunteer's, the team's, the
    /// community's month. Returns what it credited to the person.
    static func addHours(volunteer: UUID, minutes delta: Int, kind: String, reason: String?, served: CivilDate, activity: VolunteerActivityRecord?,
                         signup: UUID?, at: Int64, by actor: VolunteersActor, sql: any SQLDatabase) async throws -> VolunteerHoursCredit {
        let row = try await sql.raw("""
            UPDATE volunteers SET minutes = minutes + \(bind: delta),
              last_served_on = CASE WHEN last_served_on IS NULL OR last_served_on < \(bind: served.description) THEN \(bind: served.description) ELSE last_served_on END
            WHERE id = \(bind: volunteer) AND minutes + \(bind: delta) >= 0 RETURNING resident_id, community_code
            """).first()
        guard let row else { throw RegistryError.invalid([FieldError("hours", "更正后累计时长不能为负")]) }
        let resident = try row.decode(column: "resident_id", as: UUID.self), community = try row.decode(column: "community_code", as: String.self)
        if delta != 0 {
            let entry = UUID()
            try await sql.insert(into: "volunteer_hours")
                .columns("id", "volunteer_id", "community_code", "signup_id", "activity_id", "team_id", "kind", "minutes", "reason", "served_on", "recorded_by", "created_at")
                .values(SQLBind(entry), SQLBind(volunteer), SQLBind(community), SQLBind(signup), SQLBind(activity?.id), SQLBind(activity?.teamId),
                        SQLBind(kind), SQLBind(delta), SQLBind(reason), SQLBind(served.description), SQLBind(actor.audit.username),
                        SQLBind(at))
                .run()
            if let team = activity?.teamId { try await sql.raw("UPDATE volunteer_teams SET minutes = minutes + \(bind: delta) WHERE id = \(bind: team)").run() }
            try await bump(community, month: String(served.description.prefix(7)), minutes: delta, sql: sql)
            // 爱心积分: the hours earn points in the same transaction (a correction takes them back), the entry named.
            try await LovePoints.creditVerifiedMinutes(residentID: resident, minutes: delta, servedOn: served, reference: entry,
                                                       recordedBy: actor.audit.username, now: at, sql: sql)
        }
        return VolunteerHoursCredit(residentId: resident, volunteerId: volunteer, minutes: delta)
    }

    /// Issues a 志愿服务记录证明 of a volunteer: their verified hours by year as of today, under a new code anyone
    /// can check on the portal (the name masked there). Audited.
    public func issueCertificate(volunteer volunteerID: UUID, by actor: VolunteersActor) async throws -> VolunteerCertificateRecord {
        guard actor.mayRun else { throw RegistryError.forbidden("您没有出具志愿服务记录证明的权限") }
        let v = try await requireVolunteer(volunteerID, in: actor.scope)
        let years = try await minutesByYear(of: v.id)
        let code = Self.randomCode(10), at = nowSeconds
        try await db.writeTransaction { db in
            try await SQLHelpers.sql(db).insert(into: "volunteer_certificates")
                .columns("code", "volunteer_id", "name_masked", "community_name", "minutes_by_year", "minutes", "issued_on", "issued_by", "created_at")
                .values(SQLBind(code), SQLBind(v.id), SQLBind(Masking.name(v.name)), SQLBind(v.communityName ?? v.communityCode),
                        SQLBind(years.map { "\($0.year)=\($0.minutes)" }.joined(separator: ";")), SQLBind(v.minutes), SQLBind(today.description),
                        SQLBind(actor.audit.username), SQLBind(at))
                .run()
            try await AuditLog.append([AuditEvent(VolunteersAudit.certificate, target: .volunteer(v.id), detail: ["code": code])], by: actor.audit, on: db)
        }
        guard let c = try await certificate(code: code) else { throw RegistryError.notFound("证明") }
        return c
    }
}
