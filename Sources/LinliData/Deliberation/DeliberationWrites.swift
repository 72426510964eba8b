import FluentKit
import Foundation
import LinliCore
import SQLKit

/// The meetings' writes: a meeting with its participants, its minutes after it took place, resolutions and their
/// follow-up. Each is one transaction with its audit entry; edits at the version read (409 when stale).
extension DeliberationQueries {
    func writer(_ actor: DeliberationActor) throws {
        guard actor.mayWrite else { throw RegistryError.forbidden("您没有记录议事会议的权限") }
    }

    /// Records a meeting of a community of the caller's area. Linked participants must be residents of that community.
    /// `also` writes what another capability keeps of the meeting (a compound's 四位一体 parties) in the same transaction.
    public func createMeeting(community raw: String?, _ input: MeetingInput, by actor: DeliberationActor,
                              also: (@Sendable (any Database, UUID) async throws -> Void)? = nil) async throws -> MeetingRecord {
        try writer(actor)
        var errors = DeliberationRules.check(input, today: today)
        var division: DivisionRecord?
        do { division = try await community(raw, in: actor.scope) } catch RegistryError.invalid(let e) { errors += e }
        guard errors.isEmpty, let division, let kind = input.kind, let heldOn = input.heldOn else { throw RegistryError.invalid(errors) }
        let code = division.code
        if !input.residentIds.isEmpty {
            let found = try await sql.select().column("id").from("residents").where("id", .in, SQLBind.group(input.residentIds))
                .wherePrefix("grid_code", code, sqlite: sqlite).all().count
            if found != input.residentIds.count { throw RegistryError.invalid([FieldError("resident_ids", "参会居民应为\(division.name)登记的居民")]) }
        }
        let id = UUID(), at = nowSeconds
        let units = input.units.map(\.trimmed).filter { !$0.isEmpty }.joined(separator: "\n")
        let officials = input.officials.map(\.trimmed).filter { !$0.isEmpty }.joined(separator: "\n")
        let other = input.otherResidents ?? 0
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            try await sql.insert(into: "deliberation_meetings")
                .columns("id", "community_code", "kind", "title", "agenda", "held_on", "place", "residents", "other_residents", "units", "officials", "minutes",
                         "resolutions", "version", "recorded_by", "created_at", "updated_at")
                .values(SQLBind(id), SQLBind(code), SQLBind(kind.rawValue), SQLBind(input.title!.trimmed), SQLBind(input.agenda!.trimmed),
                        SQLBind(heldOn.description), SQLBind(input.place!.trimmed), SQLBind(input.residentIds.count + other), SQLBind(other), SQLBind(units),
                        SQLBind(officials), SQLBind(input.minutes?.trimmedOrNil), SQLBind(0), SQLBind(1), SQLBind(actor.audit.username), SQLBind(at), SQLBind(at))
                .run()
            for rid in input.residentIds {
                try await sql.insert(into: "deliberation_participants").columns("meeting_id", "resident_id").values(SQLBind(id), SQLBind(rid)).run()
            }
            try await also?(db, id)
            try await AuditLog.append([AuditEvent(DeliberationAudit.meeting, target: .meeting(id), detail: ["community": code, "kind": kind.rawValue])],
                                      by: actor.audit, on: db)
        }
        return try await requireMeeting(id, in: actor.scope)
    }

    /// Records (or replaces) a meeting's minutes, once it has taken place.
    public func recordMinutes(_ id: UUID, minutes: String?, version: Int, by actor: DeliberationActor) async throws -> MeetingRecord {
        try writer(actor)
        let m = try await requireMeeting(id, in: actor.scope)
        let errors = DeliberationRules.checkMinutes(minutes, heldOn: CivilDate(m.heldOn) ?? today, today: today)
        guard errors.isEmpty, let text = minutes?.trimmedOrNil else { throw RegistryError.invalid(errors) }
        guard version == m.version else { throw RegistryError.staleVersion(current: m.version) }
        // The version read matched the stored one, so the next is computed from the stored value.
        let at = nowSeconds, next = m.version + 1
        try await db.writeTransaction { db in
            let changed = try await SQLHelpers.sql(db).update("deliberation_meetings").set("minutes", to: SQLBind(text)).set("version", to: SQLBind(next))
                .set("updated_at", to: SQLBind(at)).where("id", .equal, SQLBind(id)).where("version", .equal, SQLBind(version)).returning("id").all()
            if changed.isEmpty { throw RegistryError.staleVersion(current: m.version) }
            try await AuditLog.append([AuditEvent(DeliberationAudit.minutes, target: .meeting(id))], by: actor.audit, on: db)
        }
        return try await requireMeeting(id, in: actor.scope)
    }

    /// A resolution of a meeting that took place, with its owner and due date.
    public func addResolution(_ meetingID: UUID, _ input: ResolutionInput, by actor: DeliberationActor) async throws -> ResolutionRecord {
        try writer(actor)
        let m = try await requireMeeting(meetingID, in: actor.scope)
        let heldOn = CivilDate(m.heldOn) ?? today
        var errors = DeliberationRules.check(input, meetingOn: heldOn)
        if heldOn > today { errors.append(FieldError("meeting_id", "会议尚未召开（\(m.heldOn)），会后才能记录决议")) }
        guard errors.isEmpty, let due = input.dueOn else { throw RegistryError.invalid(errors) }
        let id = UUID(), at = nowSeconds
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            try await sql.insert(into: "deliberation_resolutions")
                .columns("id", "meeting_id", "community_code", "held_on", "text", "owner", "due_on", "state", "done_on", "request_number", "version", "created_at")
                .values(SQLBind(id), SQLBind(meetingID), SQLBind(m.communityCode), SQLBind(m.heldOn), SQLBind(input.text!.trimmed), SQLBind(input.owner!.trimmed),
                        SQLBind(due.description), SQLBind(ResolutionState.open.rawValue), SQLBind(String?.none), SQLBind(String?.none), SQLBind(1), SQLBind(at))
                .run()
            try await sql.raw("UPDATE deliberation_meetings SET resolutions = resolutions + 1 WHERE id = \(bind: meetingID)").run()
            try await AuditLog.append([AuditEvent(DeliberationAudit.resolution, target: .meeting(meetingID), detail: ["due_on": due.description])],
                                      by: actor.audit, on: db)
        }
        return try await resolution(id, in: actor.scope)
    }

    /// A follow-up of an open resolution; `done` closes it on the follow-up's day. A resolution done already is 409.
    public func followUp(_ resolutionID: UUID, note: String?, on day: CivilDate?, done: Bool, version: Int, by actor: DeliberationActor) async throws -> ResolutionRecord {
        try writer(actor)
        let r = try await resolution(resolutionID, in: actor.scope)
        let errors = DeliberationRules.checkFollowUp(note: note, on: day, meetingOn: CivilDate(r.heldOn) ?? today, today: today)
        guard errors.isEmpty, let text = note?.trimmedOrNil else { throw RegistryError.invalid(errors) }
        guard r.state == .open else { throw RegistryError.conflictingState("该决议已落实（\(r.doneOn ?? "")），不再跟进") }
        guard version == r.version else { throw RegistryError.staleVersion(current: r.version) }
        let next = r.version + 1
        let on = (day ?? today).description, at = nowSeconds, id = UUID()
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            let changed = try await sql.update("deliberation_resolutions").set("version", to: SQLBind(next))
                .set("state", to: SQLBind((done ? ResolutionState.done : .open).rawValue)).set("done_on", to: SQLBind(done ? on : nil))
                .where("id", .equal, SQLBind(resolutionID)).where("version", .equal, SQLBind(version)).returning("id").all()
            if changed.isEmpty { throw RegistryError.staleVersion(current: r.version) }
            try await sql.insert(into: "deliberation_followups").columns("id", "resolution_id", "on_date", "note", "done", "recorded_by", "created_at")
                .values(SQLBind(id), SQLBind(resolutionID), SQLBind(on), SQLBind(text), SQLBind(done), SQLBind(actor.audit.username), SQLBind(at)).run()
            try await AuditLog.append([AuditEvent(DeliberationAudit.followUp, target: .meeting(r.meetingId), detail: ["done": done ? "true" : "false"])],
                                      by: actor.audit, on: db)
        }
        return try await resolution(resolutionID, in: actor.scope)
    }
}

extension DeliberationQueries {
    /// Turns an open resolution into a request of the requests capability, through its own write path (its number,
    /// tally, first step and audit), located at the resolution's community; then keeps the request's number on the
    /// resolution. Two transactions: the request stands even if the link loses a race (then 409 names the number kept).
    public func turnIntoRequest(_ resolutionID: UUID, serviceCode: String?, requests: RequestQueries, by actor: DeliberationActor) async throws -> ResolutionRecord {
        try writer(actor)
        let r = try await resolution(resolutionID, in: actor.scope)
        if let n = r.requestNumber { throw RegistryError.conflictingState("该决议已转为事项 \(n)") }
        guard r.state == .open else { throw RegistryError.conflictingState("该决议已落实，无需转为事项") }
        let draft = RequestDraft(categoryCode: serviceCode?.trimmedOrNil, description: "议事会议决议：\(r.text)（落实责任人：\(r.owner)，期限：\(r.dueOn)）",
                                 address: try await communityName(r.communityCode), channel: "deliberation")
        let submitted = try await requests.submit(draft, reporter: actor.audit, accountID: nil, now: nowSeconds)
        let number = submitted.request.number
        try await db.writeTransaction { db in
            let changed = try await SQLHelpers.sql(db).update("deliberation_resolutions").set("request_number", to: SQLBind(number))
                .where("id", .equal, SQLBind(resolutionID)).where(SQLColumn("request_number"), .is, SQLLiteral.null).returning("id").all()
            if changed.isEmpty { throw RegistryError.conflictingState("该决议已转为其他事项") }
            try await AuditLog.append([AuditEvent(DeliberationAudit.toRequest, target: .meeting(r.meetingId), detail: ["request": number])], by: actor.audit, on: db)
        }
        return try await resolution(resolutionID, in: actor.scope)
    }
}
