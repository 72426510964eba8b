import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 社区生活's writes, each one transaction with its audit entry. A booking first takes its venue's row with
/// an UPDATE (the row lock on PostgreSQL, the write lock on SQLite), then looks for an overlapping booking and
/// inserts: of two bookings of overlapping slots at once, the second sees the first and is refused. A sign-up
/// raises the activity's count with `signed_up < capacity` in the same statement, so the capacity holds.
extension LifeQueries {
    func community(_ raw: String?, in scope: RegistryScope) async throws -> DivisionRecord {
        let code = raw?.trimmingCharacters(in: .whitespaces) ?? ""
        guard !code.isEmpty else { throw RegistryError.invalid([FieldError("community_code", "请选择村/社区")]) }
        guard let d = try await DivisionQueries(db).find(code: code), d.level == .community, scope.contains(code: code) else {
            throw RegistryError.invalid([FieldError("community_code", "本辖区没有这个村/社区")])
        }
        return d
    }

    /// A venue may name the facility of the register it is in (a 文化活动室 or a 体育场地): one of the venue's community.
    func checkFacility(_ id: UUID?, community: String) async throws {
        guard let id else { return }
        let code = try await sql.select().column("community_code").from("facilities").where("id", .equal, SQLBind(id)).first()?
            .decode(column: "community_code", as: String.self)
        guard code == community else { throw RegistryError.invalid([FieldError("facility_id", "设施登记中本村/社区没有这个设施")]) }
    }

    public func createVenue(community: String?, _ input: VenueInput, facility: UUID?, by actor: LifeActor) async throws -> VenueRecord {
        guard actor.mayManage else { throw RegistryError.forbidden("您没有登记场地的权限") }
        let d = try await self.community(community, in: actor.scope)
        let errors = LifeRules.check(input)
        guard errors.isEmpty, let hours = input.hours else { throw RegistryError.invalid(errors) }
        try await checkFacility(facility, community: d.code)
        let id = UUID(), at = nowSeconds
        try await db.writeTransaction { db in
            try await SQLHelpers.sql(db).insert(into: "life_venues")
                .columns("id", "community_code", "street_code", "name", "owner", "unit_name", "address", "capacity", "free", "fee", "hours", "facility_id",
                         "open", "bookings", "version", "created_by", "created_at", "updated_at")
                .values(SQLBind(id), SQLBind(d.code), SQLBind(String(d.code.prefix(9))), SQLBind(LifeRules.text(input.name)), SQLBind(input.owner!.rawValue),
                        SQLBind(input.owner == .unit ? LifeRules.text(input.unitName) : nil), SQLBind(LifeRules.text(input.address)), SQLBind(input.capacity!),
                        SQLBind(input.free), SQLBind(input.free ? nil : LifeRules.text(input.fee)), SQLBind(hours.text), SQLBind(facility),
                        SQLBind(input.open), SQLBind(0), SQLBind(1), SQLBind(actor.audit.username), SQLBind(at), SQLBind(at))
                .run()
            try await AuditLog.append([AuditEvent(LifeAudit.venueCreate, target: .lifeVenue(id), detail: ["community": d.code])], by: actor.audit, on: db)
        }
        return try await requireVenue(id, in: actor.scope)
    }

    public func updateVenue(_ id: UUID, _ input: VenueInput, facility: UUID?, version: Int, by actor: LifeActor) async throws -> VenueRecord {
        guard actor.mayManage else { throw RegistryError.forbidden("您没有修改场地的权限") }
        let v = try await requireVenue(id, in: actor.scope)
        guard actor.scope.contains(code: v.communityCode) else { throw RegistryError.forbidden("只能修改本辖区的场地") }
        let errors = LifeRules.check(input)
        guard errors.isEmpty, let hours = input.hours else { throw RegistryError.invalid(errors) }
        try await checkFacility(facility, community: v.communityCode)
        let at = nowSeconds
        try await db.writeTransaction { db in
            let changed = try await SQLHelpers.sql(db).update("life_venues")
                .set("name", to: SQLBind(LifeRules.text(input.name))).set("owner", to: SQLBind(input.owner!.rawValue))
                .set("unit_name", to: SQLBind(input.owner == .unit ? LifeRules.text(input.unitName) : nil)).set("address", to: SQLBind(LifeRules.text(input.address)))
                .set("capacity", to: SQLBind(input.capacity!)).set("free", to: SQLBind(input.free)).set("fee", to: SQLBind(input.free ? nil : LifeRules.text(input.fee)))
                .set("hours", to: SQLBind(hours.text)).set("facility_id", to: SQLBind(facility)).set("open", to: SQLBind(input.open))
                .set("version", to: SQLBind(version + 1)).set("updated_at", to: SQLBind(at))
                .where("id", .equal, SQLBind(id)).where("version", .equal, SQLBind(version)).returning("id").all()
            if changed.isEmpty { throw RegistryError.staleVersion(current: v.version) }
            try await AuditLog.append([AuditEvent(LifeAudit.venueUpdate, target: .lifeVenue(id), detail: ["open": input.open ? "true" : "false"])], by: actor.audit, on: db)
        }
        return try await requireVenue(id, in: actor.scope)
    }

    /// What a booking asks for.
    public struct BookingRequest: Sendable {
        public var day: CivilDate
        public var start: Int
        public var end: Int
        public var purpose: BookingPurpose
        /// The resident it is for: the booker on the portal, the one a worker books for on the console.
        public var resident: UUID?
        public var note: String?
        public init(day: CivilDate, start: Int, end: Int, purpose: BookingPurpose, resident: UUID?, note: String?) {
            self.day = day; self.start = start; self.end = end; self.purpose = purpose; self.resident = resident; self.note = note
        }
    }

    /// Books a slot of a venue. A resident books for themselves (any open venue); a worker of the venue's area
    /// books for a resident or for a community activity. Refused: a slot against the rules, a resident paused
    /// after no-shows, a slot overlapping a booking already made (409 at `start`).
    public func book(_ venueID: UUID, _ r: BookingRequest, by actor: LifeActor) async throws -> BookingRecord {
        let worker = actor.resident == nil
        let v: VenueRecord
        if worker {
            guard actor.mayManage else { throw RegistryError.forbidden("您没有代为预约场地的权限") }
            v = try await requireVenue(venueID, in: actor.scope)
            guard actor.scope.contains(code: v.communityCode) || Self.sees(actor.scope, community: v.communityCode) else { throw RegistryError.forbidden("只能预约本辖区的场地") }
        } else {
            v = try await requireVenue(venueID, in: nil)
        }
        guard v.open else { throw RegistryError.conflictingState("场地暂停开放，不能预约") }
        let now = nowSeconds
        var errors = LifeRules.checkSlot(day: r.day, start: r.start, end: r.end, hours: v.weeklyHours, now: now)
        if LifeRules.text(r.note).count > 200 { errors.append(FieldError("note", "备注不超过200字")) }
        let person = worker ? (r.purpose == .resident ? r.resident : nil) : actor.resident
        if worker, r.purpose == .resident, r.resident == nil { errors.append(FieldError("resident_id", "请指定预约的居民")) }
        if let person, worker {
            guard let row = try await sql.select().column("grid_code").from(Resident.schema).where("id", .equal, SQLBind(person)).first(),
                  actor.scope.contains(code: try row.decode(column: "grid_code", as: String.self)) || Self.sees(actor.scope, community: v.communityCode)
            else { throw RegistryError.invalid([FieldError("resident_id", "没有这位居民")]) }
        }
        guard errors.isEmpty else { throw RegistryError.invalid(errors) }
        if let person, let until = try await bookingPause(of: person) {
            throw RegistryError.invalid([FieldError("resident_id", "近\(LifeRules.noShowWindow)天内爽约\(LifeRules.noShowLimit)次，\(until)前暂停预约")])
        }
        let id = UUID(), month = String(r.day.description.prefix(7)), minutes = r.end - r.start
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            // Takes the venue's row first: a second booking of this venue waits here until this one commits.
            _ = try await sql.raw("UPDATE life_venues SET bookings = bookings + 1 WHERE id = \(bind: venueID) RETURNING bookings").first()
            let clash = try await sql.select().columns("start_min", "end_min").from("life_bookings").where("venue_id", .equal, SQLBind(venueID))
                .where("day", .equal, SQLBind(r.day.description)).where("status", .equal, SQLBind(BookingStatus.booked.rawValue))
                .where("start_min", .lessThan, SQLBind(r.end)).where("end_min", .greaterThan, SQLBind(r.start)).first()
            if let clash {
                let s = try clash.decode(column: "start_min", as: Int.self), e = try clash.decode(column: "end_min", as: Int.self)
                throw RegistryError.conflict(FieldError("start", "该时段已被预约（\(LifeTime.clock(s))–\(LifeTime.clock(e))），请选择其他时段"))
            }
            try await sql.insert(into: "life_bookings")
                .columns("id", "venue_id", "community_code", "day", "start_min", "end_min", "starts_at", "purpose", "resident_id", "note", "status",
                         "booked_by", "via", "created_at")
                .values(SQLBind(id), SQLBind(venueID), SQLBind(v.communityCode), SQLBind(r.day.description), SQLBind(r.start), SQLBind(r.end),
                        SQLBind(LifeTime.epoch(r.day, minute: r.start)), SQLBind(r.purpose.rawValue), SQLBind(person), SQLBind(LifeRules.text(r.note).isEmpty ? nil : LifeRules.text(r.note)),
                        SQLBind(BookingStatus.booked.rawValue), SQLBind(actor.audit.username), SQLBind(worker ? "console" : "portal"), SQLBind(now))
                .run()
            try await Self.tally(venueID, community: v.communityCode, month: month, minutes: minutes, bookings: 1, sql: sql)
            try await AuditLog.append([AuditEvent(LifeAudit.book, target: .lifeVenue(venueID),
                                                  detail: ["booking": id.uuidString, "slot": "\(r.day) \(LifeTime.clock(r.start))-\(LifeTime.clock(r.end))"])],
                                      by: actor.audit, on: db)
        }
        return try await requireBooking(id)
    }

    func requireBooking(_ id: UUID) async throws -> BookingRecord {
        guard let b = try await booking(id) else { throw RegistryError.notFound("预约") }
        return b
    }

    /// The month's minutes booked of a venue, changed in the booking's own transaction.
    static func tally(_ venue: UUID, community: String, month: String, minutes: Int, bookings: Int, sql: any SQLDatabase) async throws {
        try await sql.raw("""
            INSERT INTO life_venue_months (venue_id, month, community_code, minutes, bookings)
            VALUES (\(bind: venue), \(bind: month), \(bind: community), \(bind: Int64(minutes)), \(bind: Int64(bookings)))
            ON CONFLICT (venue_id, month) DO UPDATE SET minutes = life_venue_months.minutes + excluded.minutes,
                bookings = life_venue_months.bookings + excluded.bookings
            """).run()
    }

    /// Cancels a booking before it begins: the resident their own, a worker any of their area.
    public func cancel(_ id: UUID, by actor: LifeActor) async throws -> BookingRecord {
        try await changeStatus(id, to: .cancelled, by: actor)
    }

    /// Marks a booking not used, once its slot has begun (a worker of the venue's area).
    public func markNoShow(_ id: UUID, by actor: LifeActor) async throws -> BookingRecord {
        try await changeStatus(id, to: .noShow, by: actor)
    }

    func changeStatus(_ id: UUID, to status: BookingStatus, by actor: LifeActor) async throws -> BookingRecord {
        guard let b = try await booking(id) else { throw RegistryError.notFound("预约") }
        if let me = actor.resident {
            guard status == .cancelled, b.residentId == me else { throw RegistryError.notFound("预约") }
        } else {
            guard Self.sees(actor.scope, community: b.communityCode) else { throw RegistryError.notFound("预约") }
            guard actor.mayManage else { throw RegistryError.forbidden("您没有管理预约的权限") }
        }
        let now = nowSeconds
        if let e = status == .cancelled ? LifeRules.mayCancel(status: b.status, startsAt: b.startsAt, now: now)
            : LifeRules.mayMarkNoShow(status: b.status, startsAt: b.startsAt, now: now) { throw RegistryError.conflictingState(e.message) }
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            let changed = try await sql.update("life_bookings").set("status", to: SQLBind(status.rawValue))
                .set("status_by", to: SQLBind(actor.audit.username)).set("status_at", to: SQLBind(now))
                .where("id", .equal, SQLBind(id)).where("status", .equal, SQLBind(BookingStatus.booked.rawValue)).returning("id").all()
            if changed.isEmpty { throw RegistryError.conflictingState("这条预约已被处理，请刷新后查看") }
            // A cancelled slot is no longer booked; a no-show's slot was held all the same.
            if status == .cancelled {
                try await Self.tally(b.venueId, community: b.communityCode, month: String(b.day.prefix(7)), minutes: -(b.endMin - b.startMin), bookings: -1, sql: sql)
            }
            try await AuditLog.append([AuditEvent(status == .cancelled ? LifeAudit.cancel : LifeAudit.noShow, target: .lifeVenue(b.venueId),
                                                  detail: ["booking": id.uuidString])], by: actor.audit, on: db)
        }
        return try await requireBooking(id)
    }
}
