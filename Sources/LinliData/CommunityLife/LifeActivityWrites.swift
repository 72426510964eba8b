import FluentKit
import Foundation
import LinliCore
import SQLKit

/// Activities: a worker announces one, residents sign up (themselves on the portal, or a worker for them),
/// the worker records who came and a short report once it has begun.
extension LifeQueries {
    public func createActivity(community: String?, _ input: ActivityInput, venue: UUID?, by actor: LifeActor) async throws -> ActivityRecord {
        guard actor.mayManage else { throw RegistryError.forbidden("您没有登记活动的权限") }
        let d = try await self.community(community, in: actor.scope)
        var errors = LifeRules.check(input, now: nowSeconds)
        var place = LifeRules.text(input.place)
        if let venueID = venue {
            if let v = try await self.venue(venueID, in: actor.scope), v.communityCode == d.code { if place.isEmpty { place = v.title } } else {
                errors.append(FieldError("venue_id", "本村/社区没有这个场地"))
            }
        }
        guard errors.isEmpty, let kind = input.kind, let day = input.day, let start = input.start, let end = input.end, let capacity = input.capacity else {
            throw RegistryError.invalid(errors)
        }
        let id = UUID(), at = nowSeconds, placeText = place
        try await db.writeTransaction { db in
            if let venueID = venue {
                // The activity holds its venue's slot: booked as a booking would be, under the venue's row lock.
                let sql = SQLHelpers.sql(db)
                _ = try await sql.raw("UPDATE life_venues SET bookings = bookings + 1 WHERE id = \(bind: venueID) RETURNING bookings").first()
                if let clash = try await sql.select().columns("start_min", "end_min").from("life_bookings").where("venue_id", .equal, SQLBind(venueID))
                    .where("day", .equal, SQLBind(day.description)).where("status", .equal, SQLBind(BookingStatus.booked.rawValue))
                    .where("start_min", .lessThan, SQLBind(end)).where("end_min", .greaterThan, SQLBind(start)).first() {
                    let s = try clash.decode(column: "start_min", as: Int.self), e = try clash.decode(column: "end_min", as: Int.self)
                    throw RegistryError.conflict(FieldError("venue_id", "场地该时段已被预约（\(LifeTime.clock(s))–\(LifeTime.clock(e))），请选择其他时间或场地"))
                }
                try await sql.insert(into: "life_bookings")
                    .columns("id", "venue_id", "community_code", "day", "start_min", "end_min", "starts_at", "purpose", "activity_id", "note", "status",
                             "booked_by", "via", "created_at")
                    .values(SQLBind(UUID()), SQLBind(venueID), SQLBind(d.code), SQLBind(day.description), SQLBind(start), SQLBind(end),
                            SQLBind(LifeTime.epoch(day, minute: start)), SQLBind(BookingPurpose.activity.rawValue), SQLBind(id), SQLBind(LifeRules.text(input.title)),
                            SQLBind(BookingStatus.booked.rawValue), SQLBind(actor.audit.username), SQLBind("console"), SQLBind(at))
                    .run()
                try await Self.tally(venueID, community: d.code, month: String(day.description.prefix(7)), minutes: end - start, bookings: 1, sql: sql)
            }
            try await SQLHelpers.sql(db).insert(into: "life_activities")
                .columns("id", "community_code", "street_code", "kind", "title", "venue_id", "place", "day", "start_min", "end_min", "starts_at", "capacity",
                         "signed_up", "attended", "status", "description", "report", "version", "created_by", "created_at", "updated_at")
                .values(SQLBind(id), SQLBind(d.code), SQLBind(String(d.code.prefix(9))), SQLBind(kind.rawValue), SQLBind(LifeRules.text(input.title)), SQLBind(venue),
                        SQLBind(placeText.isEmpty ? nil : placeText), SQLBind(day.description), SQLBind(start), SQLBind(end), SQLBind(LifeTime.epoch(day, minute: start)),
                        SQLBind(capacity), SQLBind(0), SQLBind(0), SQLBind(ActivityStatus.planned.rawValue),
                        SQLBind(LifeRules.text(input.description).isEmpty ? nil : LifeRules.text(input.description)), SQLBind(String?.none),
                        SQLBind(1), SQLBind(actor.audit.username), SQLBind(at), SQLBind(at))
                .run()
            try await AuditLog.append([AuditEvent(LifeAudit.activityCreate, target: .lifeActivity(id), detail: ["kind": kind.rawValue])], by: actor.audit, on: db)
        }
        return try await requireActivity(id, in: actor.scope)
    }

    /// Signs a resident up: the resident themselves, or a worker of the activity's area for a resident. The
    /// count rises only while below the capacity (409 when full); a second sign-up of the same person is 409.
    public func signUp(_ activityID: UUID, resident: UUID?, by actor: LifeActor) async throws -> ActivityRecord {
        let worker = actor.resident == nil
        let a = try await requireActivity(activityID, in: worker ? actor.scope : nil)
        if worker { guard actor.mayManage else { throw RegistryError.forbidden("您没有代为报名的权限") } }
        guard let person = worker ? resident : actor.resident else { throw RegistryError.invalid([FieldError("resident_id", "请指定报名的居民")]) }
        if worker {
            guard try await sql.select().column("id").from(Resident.schema).where("id", .equal, SQLBind(person)).first() != nil else {
                throw RegistryError.invalid([FieldError("resident_id", "没有这位居民")])
            }
        }
        let now = nowSeconds
        if let e = LifeRules.maySignUp(status: a.status, startsAt: a.startsAt, now: now) { throw RegistryError.conflictingState(e.message) }
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            if try await sql.select().column("resident_id").from("life_signups").where("activity_id", .equal, SQLBind(activityID))
                .where("resident_id", .equal, SQLBind(person)).first() != nil {
                throw RegistryError.conflict(FieldError("resident_id", "已经报名了这个活动"))
            }
            // Checks and counts at once: of two sign-ups for the last place, the second finds the activity full.
            let row = try await sql.raw("""
                UPDATE life_activities SET signed_up = signed_up + 1 WHERE id = \(bind: activityID) AND signed_up < capacity RETURNING signed_up
                """).first()
            if row == nil { throw RegistryError.conflict(FieldError("activity", "名额已满（\(a.capacity)人）")) }
            try await sql.insert(into: "life_signups").columns("activity_id", "resident_id", "via", "signed_by", "attended", "created_at")
                .values(SQLBind(activityID), SQLBind(person), SQLBind(worker ? "console" : "portal"), SQLBind(actor.audit.username), SQLBind(false), SQLBind(now))
                .run()
            try await AuditLog.append([AuditEvent(LifeAudit.signUp, target: .lifeActivity(activityID), detail: ["resident": person.uuidString])], by: actor.audit, on: db)
        }
        return try await requireActivity(activityID, in: nil)
    }

    /// Records who came (those signed up, by id) and the report, once the activity has begun; the activity
    /// becomes held. Recording again replaces the earlier record, at the version the caller read.
    public func recordAttendance(_ activityID: UUID, attended: Set<UUID>, walkIns: Int, report: String?, version: Int, by actor: LifeActor) async throws -> ActivityRecord {
        guard actor.mayManage else { throw RegistryError.forbidden("您没有登记签到的权限") }
        let a = try await requireActivity(activityID, in: actor.scope)
        guard actor.scope.contains(code: a.communityCode) else { throw RegistryError.forbidden("只能为本辖区的活动登记签到") }
        if let e = LifeRules.mayRecordAttendance(status: a.status, startsAt: a.startsAt, now: nowSeconds) { throw RegistryError.conflictingState(e.message) }
        guard (0...10_000).contains(walkIns) else { throw RegistryError.invalid([FieldError("walk_ins", "现场参加人数应在0到10000之间")]) }
        let text = LifeRules.text(report)
        guard text.count <= 2000 else { throw RegistryError.invalid([FieldError("report", "活动报道不超过2000字")]) }
        let signed = Set(try await signups(of: activityID).map(\.residentId))
        let unknown = attended.subtracting(signed)
        guard unknown.isEmpty else { throw RegistryError.invalid([FieldError("attended", "签到的居民应是已报名的居民")]) }
        let at = nowSeconds
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            let changed = try await sql.update("life_activities").set("status", to: SQLBind(ActivityStatus.held.rawValue))
                .set("attended", to: SQLBind(attended.count + walkIns)).set("report", to: SQLBind(text.isEmpty ? nil : text))
                .set("version", to: SQLBind(version + 1)).set("updated_at", to: SQLBind(at))
                .where("id", .equal, SQLBind(activityID)).where("version", .equal, SQLBind(version)).returning("id").all()
            if changed.isEmpty { throw RegistryError.staleVersion(current: a.version) }
            try await sql.update("life_signups").set("attended", to: SQLBind(false)).where("activity_id", .equal, SQLBind(activityID)).run()
            if !attended.isEmpty {
                try await sql.update("life_signups").set("attended", to: SQLBind(true)).where("activity_id", .equal, SQLBind(activityID))
                    .where("resident_id", .in, SQLBind.group(Array(attended))).run()
            }
            try await AuditLog.append([AuditEvent(LifeAudit.attendance, target: .lifeActivity(activityID),
                                                  detail: ["attended": String(attended.count), "walk_ins": String(walkIns)])], by: actor.audit, on: db)
        }
        return try await requireActivity(activityID, in: actor.scope)
    }

    /// Cancels a planned activity before it begins, at the version read; the venue's slot it held is freed.
    public func cancelActivity(_ activityID: UUID, version: Int, by actor: LifeActor) async throws -> ActivityRecord {
        guard actor.mayManage else { throw RegistryError.forbidden("您没有取消活动的权限") }
        let a = try await requireActivity(activityID, in: actor.scope)
        guard actor.scope.contains(code: a.communityCode) else { throw RegistryError.forbidden("只能取消本辖区的活动") }
        guard a.status == .planned else { throw RegistryError.conflictingState("活动\(a.status.label)，不能取消") }
        guard a.startsAt > nowSeconds else { throw RegistryError.conflictingState("活动已开始，不能取消") }
        let at = nowSeconds
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            let changed = try await sql.update("life_activities").set("status", to: SQLBind(ActivityStatus.cancelled.rawValue))
                .set("version", to: SQLBind(version + 1)).set("updated_at", to: SQLBind(at))
                .where("id", .equal, SQLBind(activityID)).where("version", .equal, SQLBind(version))
                .where("status", .equal, SQLBind(ActivityStatus.planned.rawValue)).returning("id").all()
            if changed.isEmpty { throw RegistryError.staleVersion(current: a.version) }
            let held = try await sql.update("life_bookings").set("status", to: SQLBind(BookingStatus.cancelled.rawValue))
                .set("status_by", to: SQLBind(actor.audit.username)).set("status_at", to: SQLBind(at))
                .where("activity_id", .equal, SQLBind(activityID)).where("status", .equal, SQLBind(BookingStatus.booked.rawValue))
                .returning("venue_id", "day", "start_min", "end_min").all()
            for b in held {
                try await Self.tally(try b.decode(column: "venue_id", as: UUID.self), community: a.communityCode,
                                     month: String(try b.decode(column: "day", as: String.self).prefix(7)),
                                     minutes: -(try b.decode(column: "end_min", as: Int.self) - b.decode(column: "start_min", as: Int.self)), bookings: -1, sql: sql)
            }
            try await AuditLog.append([AuditEvent(LifeAudit.activityCancel, target: .lifeActivity(activityID))], by: actor.audit, on: db)
        }
        return try await requireActivity(activityID, in: actor.scope)
    }
}
