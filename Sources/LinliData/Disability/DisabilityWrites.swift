import FluentKit
import Foundation
import LinliCore
import SQLKit

/// A card as the writes take it: the rules' input and, for an update, the version read.
public struct DisabilityCardWrite: Sendable {
    public var residentId: UUID?
    public var card: DisabilityCardInput
    public var version: Int?
    public init(residentId: UUID?, card: DisabilityCardInput, version: Int? = nil) {
        self.residentId = residentId; self.card = card; self.version = version
    }
}

extension DisabilityQueries {
    /// 登记残疾人证 for a living resident in scope: the number checked against their ID number, one card per person;
    /// written with the registry tag 残疾人 and the audit entry in one transaction. Returns the card and the holder.
    public func register(_ w: DisabilityCardWrite, by actor: DisabilityActor) async throws -> DisabilityCardRecord {
        guard let residentID = w.residentId else { throw RegistryError.invalid([FieldError("resident_id", "请选择持证居民")]) }
        guard let row = try await sql.select().columns("id_cipher", "grid_code", "life_status").from(Resident.schema)
            .where("id", .equal, SQLBind(residentID)).first(),
            case let grid = try row.decode(column: "grid_code", as: String.self), actor.scope.contains(code: grid)
        else { throw RegistryError.invalid([FieldError("resident_id", "没有这位在册居民")]) }
        guard try row.decode(column: "life_status", as: String.self) == LifeStatus.active.rawValue else {
            throw RegistryError.invalid([FieldError("resident_id", "该居民已不在册（死亡或迁出）")])
        }
        let idNumber = try cipher.open(try row.decode(column: "id_cipher", as: Data.self))
        let errors = DisabilityRules.check(w.card, idNumber: idNumber, today: today)
        guard errors.isEmpty, let category = w.card.category, let grade = w.card.grade else { throw RegistryError.invalid(errors) }
        let number = DisabilityCardNumber.expected(idNumber: idNumber, category: category, grade: grade)
        let sealed = try cipher.seal(number), index = cipher.blindIndex(number)
        let id = UUID(), at = nowSeconds, day = today
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            // One card per person, checked under the lock so that two registrations at once cannot both pass.
            if !db.isSQLite { try await sql.raw("LOCK TABLE disability_cards IN SHARE ROW EXCLUSIVE MODE").run() }
            if try await sql.select().column("id").from("disability_cards").where("resident_id", .equal, SQLBind(residentID)).first() != nil {
                throw RegistryError.conflict(FieldError("resident_id", "该居民已登记残疾人证；等级或类别变更请修改原证"))
            }
            try await sql.insert(into: "disability_cards")
                .columns("id", "resident_id", "grid_code", "category", "grade", "number_cipher", "number_index", "number_masked", "issued_on", "valid_until",
                         "registered_on", "status", "version", "updated_by", "created_at", "updated_at")
                .values(SQLBind(id), SQLBind(residentID), SQLBind(grid), SQLBind(category.rawValue), SQLBind(grade.rawValue), SQLBind(sealed), SQLBind(index),
                        SQLBind(DisabilityCardNumber.masked(number)), SQLBind(w.card.issuedOn ?? ""), SQLBind(w.card.validUntil?.trimmedOrNil),
                        SQLBind(day.description), SQLBind(DisabilityCardStatus.active.rawValue), SQLBind(1), SQLBind(actor.audit.username),
                        SQLBind(at), SQLBind(at))
                .run()
            try await FollowedTags.set(.disabled, present: true, on: residentID, today: day, on: db)
            try await AuditLog.append([AuditEvent(DisabilityAudit.register, target: .disabilityCard(id),
                                                  detail: ["category": category.rawValue, "grade": String(grade.rawValue)])], by: actor.audit, on: db)
        }
        residentCache?.remove(residentID)
        return try await requireCard(id, in: actor.scope)
    }

    /// A change of category, grade, number or dates (评残等级变更): checked like a new card, stale versions 409,
    /// audited with what changed.
    public func update(_ id: UUID, _ w: DisabilityCardWrite, by actor: DisabilityActor) async throws -> DisabilityCardRecord {
        let c = try await requireCard(id, in: actor.scope)
        guard c.active else { throw RegistryError.conflictingState("该残疾人证已注销，不能修改") }
        guard let version = w.version else { throw RegistryError.invalid([FieldError("version", "请提供读取时的版本号 version")]) }
        guard let row = try await sql.select().column("id_cipher").from(Resident.schema).where("id", .equal, SQLBind(c.residentId)).first()
        else { throw RegistryError.notFound("居民") }
        let idNumber = try cipher.open(try row.decode(column: "id_cipher", as: Data.self))
        let errors = DisabilityRules.check(w.card, idNumber: idNumber, today: today)
        guard errors.isEmpty, let category = w.card.category, let grade = w.card.grade else { throw RegistryError.invalid(errors) }
        let number = DisabilityCardNumber.expected(idNumber: idNumber, category: category, grade: grade)
        let sealed = try cipher.seal(number), index = cipher.blindIndex(number), at = nowSeconds
        var detail: [String: String] = [:]
        if c.category != category { detail["category"] = "\(c.category.rawValue)→\(category.rawValue)" }
        if c.grade != grade.rawValue { detail["grade"] = "\(c.grade)→\(grade.rawValue)" }
        if c.issuedOn != w.card.issuedOn { detail["issued_on"] = w.card.issuedOn ?? "" }
        let frozen = detail
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            let updated = try await sql.update("disability_cards")
                .set("category", to: SQLBind(category.rawValue)).set("grade", to: SQLBind(grade.rawValue)).set("number_cipher", to: SQLBind(sealed))
                .set("number_index", to: SQLBind(index)).set("number_masked", to: SQLBind(DisabilityCardNumber.masked(number)))
                .set("issued_on", to: SQLBind(w.card.issuedOn ?? "")).set("valid_until", to: SQLBind(w.card.validUntil?.trimmedOrNil))
                .set("version", to: SQLBind(version + 1)).set("updated_by", to: SQLBind(actor.audit.username)).set("updated_at", to: SQLBind(at))
                .where("id", .equal, SQLBind(id)).where("version", .equal, SQLBind(version)).returning("id").all()
            if updated.isEmpty { throw RegistryError.staleVersion(current: c.version) }
            try await AuditLog.append([AuditEvent(DisabilityAudit.update, target: .disabilityCard(id), detail: frozen)], by: actor.audit, on: db)
        }
        return try await requireCard(id, in: actor.scope)
    }

    /// 注销: the card ends (its holder died, moved away, or it was withdrawn); the tag 残疾人 is cleared with it.
    public func end(_ id: UUID, version: Int?, reason: String?, on day: String?, by actor: DisabilityActor) async throws -> DisabilityCardRecord {
        let c = try await requireCard(id, in: actor.scope)
        guard c.active else { throw RegistryError.conflictingState("该残疾人证已注销") }
        var e = FieldErrors()
        guard let version else { throw RegistryError.invalid([FieldError("version", "请提供读取时的版本号 version")]) }
        DisabilityRules.text(reason, field: "reason", label: "注销原因", max: 100, required: true, &e)
        let endedOn = DisabilityRules.pastDate(day, field: "ended_on", label: "注销日期", today: today, required: true, &e)
        guard e.isEmpty, let endedOn else { throw RegistryError.invalid(e.errors) }
        let at = nowSeconds, dayNow = today
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            let updated = try await sql.update("disability_cards").set("status", to: SQLBind(DisabilityCardStatus.ended.rawValue))
                .set("ended_on", to: SQLBind(endedOn.description)).set("end_reason", to: SQLBind(reason?.trimmedOrNil))
                .set("version", to: SQLBind(version + 1)).set("updated_by", to: SQLBind(actor.audit.username)).set("updated_at", to: SQLBind(at))
                .where("id", .equal, SQLBind(id)).where("version", .equal, SQLBind(version)).returning("id").all()
            if updated.isEmpty { throw RegistryError.staleVersion(current: c.version) }
            try await FollowedTags.set(.disabled, present: false, on: c.residentId, today: dayNow, on: db)
            try await AuditLog.append([AuditEvent(DisabilityAudit.end, target: .disabilityCard(id))], by: actor.audit, on: db)
        }
        residentCache?.remove(c.residentId)
        return try await requireCard(id, in: actor.scope)
    }

    /// 需求评估: written with the card's latest assessment date and the audit entry.
    public func assess(_ id: UUID, _ a: AssessmentInput, by actor: DisabilityActor) async throws -> DisabilityAssessmentRecord {
        let c = try await requireCard(id, in: actor.scope)
        guard c.active else { throw RegistryError.conflictingState("该残疾人证已注销") }
        var errors = DisabilityRules.check(a, today: today)
        if let d = a.assessedOn, d < c.issuedOn, errors.isEmpty { errors.append(FieldError("assessed_on", "评估日期不能早于发证日期（\(c.issuedOn)）")) }
        guard errors.isEmpty, let on = a.assessedOn, let result = a.result else { throw RegistryError.invalid(errors) }
        let record = DisabilityAssessmentRecord(id: UUID(), assessedOn: on, assessor: a.assessor?.trimmedOrNil ?? "",
                                                needs: a.needs.map(\.rawValue).joined(separator: ","), result: result, note: a.note?.trimmedOrNil,
                                                recordedBy: actor.audit.username)
        let at = nowSeconds
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            try await sql.insert(into: "disability_assessments")
                .columns("id", "card_id", "assessed_on", "assessor", "needs", "result", "note", "recorded_by", "created_at")
                .values(SQLBind(record.id), SQLBind(id), SQLBind(on), SQLBind(record.assessor), SQLBind(record.needs), SQLBind(result.rawValue),
                        SQLBind(record.note), SQLBind(record.recordedBy), SQLBind(at)).run()
            try await sql.raw("""
                UPDATE disability_cards SET last_assessed_on = \(bind: on), updated_at = \(bind: at)
                WHERE id = \(bind: id) AND (last_assessed_on IS NULL OR last_assessed_on < \(bind: on))
                """).run()
            try await AuditLog.append([AuditEvent(DisabilityAudit.assess, target: .disabilityCard(id), detail: ["result": result.rawValue])],
                                      by: actor.audit, on: db)
        }
        return record
    }

    /// 康复服务: written with the card's last day of rehabilitation (an open service counts until it ends).
    public func addService(_ id: UUID, _ s: RehabServiceInput, by actor: DisabilityActor) async throws -> DisabilityServiceRecord {
        let c = try await requireCard(id, in: actor.scope)
        guard c.active else { throw RegistryError.conflictingState("该残疾人证已注销") }
        let errors = DisabilityRules.check(s, today: today)
        guard errors.isEmpty, let setting = s.setting, let start = s.startedOn else { throw RegistryError.invalid(errors) }
        let end = s.endedOn?.trimmedOrNil
        let record = DisabilityServiceRecord(id: UUID(), setting: setting, provider: s.provider?.trimmedOrNil ?? "", startedOn: start, endedOn: end,
                                             sessions: s.sessions, hours: s.hours, outcome: s.outcome?.trimmedOrNil, recordedBy: actor.audit.username)
        let until = end ?? "9999-12-31", at = nowSeconds
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            try await sql.insert(into: "disability_services")
                .columns("id", "card_id", "setting", "provider", "started_on", "ended_on", "sessions", "hours", "outcome", "recorded_by", "created_at")
                .values(SQLBind(record.id), SQLBind(id), SQLBind(setting.rawValue), SQLBind(record.provider), SQLBind(start), SQLBind(end),
                        SQLBind(s.sessions), SQLBind(s.hours), SQLBind(record.outcome), SQLBind(record.recordedBy), SQLBind(at)).run()
            try await sql.raw("""
                UPDATE disability_cards SET rehab_until = \(bind: until), updated_at = \(bind: at)
                WHERE id = \(bind: id) AND (rehab_until IS NULL OR rehab_until < \(bind: until))
                """).run()
            try await AuditLog.append([AuditEvent(DisabilityAudit.service, target: .disabilityCard(id), detail: ["setting": setting.rawValue])],
                                      by: actor.audit, on: db)
        }
        return record
    }

    /// 辅助器具 issued.
    public func addDevice(_ id: UUID, _ d: DeviceInput, by actor: DisabilityActor) async throws -> DisabilityDeviceRecord {
        let c = try await requireCard(id, in: actor.scope)
        guard c.active else { throw RegistryError.conflictingState("该残疾人证已注销") }
        let errors = DisabilityRules.check(d, today: today)
        guard errors.isEmpty, let on = d.issuedOn, let source = d.source else { throw RegistryError.invalid(errors) }
        let record = DisabilityDeviceRecord(id: UUID(), device: d.device?.trimmedOrNil ?? "", issuedOn: on, source: source, recordedBy: actor.audit.username)
        let at = nowSeconds
        try await db.writeTransaction { db in
            try await SQLHelpers.sql(db).insert(into: "disability_devices").columns("id", "card_id", "device", "issued_on", "source", "recorded_by", "created_at")
                .values(SQLBind(record.id), SQLBind(id), SQLBind(record.device), SQLBind(on), SQLBind(source.rawValue), SQLBind(record.recordedBy),
                        SQLBind(at)).run()
            try await AuditLog.append([AuditEvent(DisabilityAudit.device, target: .disabilityCard(id), detail: ["device": record.device])],
                                      by: actor.audit, on: db)
        }
        return record
    }
}
