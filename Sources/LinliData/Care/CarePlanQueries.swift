import FluentKit
import Foundation
import LinliCore
import SQLKit

/// Care plans and the service records kept against them.
extension CareQueries {
    // MARK: Plans

    public func plan(of id: UUID, in scope: RegistryScope) async throws -> CarePlanRecord? {
        guard let row = try await sql.select().columns("id", "resident_id", "grid_code", "services", "starts_on", "ends_on", "note", "under_60_reason", "version",
                                                           "updated_at")
            .from("care_plans").where("resident_id", .equal, SQLBind(id)).first() else { return nil }
        let grid = try row.decode(column: "grid_code", as: String.self)
        guard try await inScope(id, scope) else { return nil }
        let services: [CarePlannedService]
        do {
            services = try JSONDecoder().decode([CarePlannedService].self, from: Data(try row.decode(column: "services", as: String.self).utf8))
        } catch is DecodingError { throw StoredValueError(record: "CarePlanRecord", column: "services") }
        return CarePlanRecord(id: try row.decode(column: "id", as: UUID.self), residentId: id, gridCode: grid, services: services,
                              startsOn: try row.decode(column: "starts_on", as: String.self), endsOn: try row.decode(column: "ends_on", as: String?.self),
                              note: try row.decode(column: "note", as: String?.self),
                              under60Reason: try row.decode(column: "under_60_reason", as: String?.self), version: try row.decode(column: "version", as: Int.self),
                              updatedAt: try row.decode(column: "updated_at", as: Int64.self))
    }

    /// Creates the elder's plan, or replaces it when `version` is the current one (409 otherwise).
    public func savePlan(_ residentID: UUID, _ draft: CarePlanDraft, in scope: RegistryScope, by actor: AuditActor) async throws -> CarePlanRecord {
        let elder = try await requireElder(residentID, in: scope, forPlan: true)
        let current = try await plan(of: residentID, in: scope)
        var errors = FieldErrors()
        var reason: String?
        switch Under60Reason.check(draft.under60Reason, birth: CivilDate(elder.birthDate)!, today: today) {
        case .success(let r): reason = r
        case .failure(let e): errors.add(e)
        }
        let services = draft.services ?? []
        if services.isEmpty { errors.add("services", "请至少安排一项服务") }
        if services.count > CareService.allCases.count { errors.add("services", "服务项目不能超过\(CareService.allCases.count)项") }
        var seen = Set<String>()
        for (i, s) in services.enumerated() {
            let f = "services[\(i)]"
            if CareService(rawValue: s.service) == nil {
                errors.add("\(f).service", "服务项目应为 \(CareService.allCases.map(\.rawValue).joined(separator: "、")) 之一")
            } else if !seen.insert(s.service).inserted {
                errors.add("\(f).service", "服务项目“\(CareService(rawValue: s.service)!.label)”重复")
            }
            if CareFrequency(rawValue: s.frequency) == nil {
                errors.add("\(f).frequency", "频次应为 \(CareFrequency.allCases.map(\.rawValue).joined(separator: "、")) 之一")
            }
            if CareProviderKind(rawValue: s.providerKind) == nil {
                errors.add("\(f).provider_kind", "服务提供方类型应为 \(CareProviderKind.allCases.map(\.rawValue).joined(separator: "、")) 之一")
            }
            let name = s.providerName.trimmingCharacters(in: .whitespacesAndNewlines)
            if name.isEmpty || name.count > 50 { errors.add("\(f).provider_name", "请填写服务提供方名称（1至50个字）") }
        }
        // Elders living alone are visited at least weekly: the plan must say so.
        if elder.recordedTags.contains(.livingAlone), !services.isEmpty,
           !services.contains(where: { $0.service == CareService.visit.rawValue && ($0.frequency == "weekly" || $0.frequency == "daily") }) {
            errors.add("services", "独居老人的照护计划应包含每周至少一次的关爱巡访（visit，weekly 或 daily）")
        }
        var starts: CivilDate?
        if let s = draft.startsOn {
            if let d = CivilDate(s) { starts = d } else { errors.add("starts_on", "日期格式应为 YYYY-MM-DD") }
        } else { errors.add("starts_on", "请填写计划开始日期") }
        if let e = draft.endsOn {
            if let d = CivilDate(e) {
                if let starts, d < starts { errors.add("ends_on", "结束日期不能早于开始日期") }
            } else { errors.add("ends_on", "日期格式应为 YYYY-MM-DD") }
        }
        if let note = draft.note, note.count > 500 { errors.add("note", "备注不能超过500个字") }
        if current != nil && draft.version == nil { errors.add("version", "该老人已有照护计划：请提供计划的版本号 version") }
        guard errors.isEmpty, let starts else { throw RegistryError.invalid(errors.errors) }
        if let current, draft.version != current.version { throw RegistryError.staleVersion(current: current.version) }
        let under60Reason = reason

        let clean = services.map { CarePlanService(service: $0.service, frequency: $0.frequency, providerKind: $0.providerKind,
                                                   providerName: $0.providerName.trimmingCharacters(in: .whitespacesAndNewlines)) }
        let json = String(decoding: try JSONEncoder.sorted.encode(clean), as: UTF8.self)
        let id = current?.id ?? UUID()
        let version = (current?.version ?? 0) + 1
        let at = nowSeconds
        try await db.writeTransaction { [current] db in
            let sql = SQLHelpers.sql(db)
            if let current {
                let changed = try await sql.update("care_plans").set("services", to: SQLBind(json)).set("starts_on", to: SQLBind(starts.description))
                    .set("ends_on", to: SQLBind(draft.endsOn)).set("note", to: SQLBind(draft.note)).set("grid_code", to: SQLBind(elder.gridCode))
                    .set("under_60_reason", to: SQLBind(under60Reason))
                    .set("version", to: SQLBind(version)).set("updated_at", to: SQLBind(at))
                    .where("id", .equal, SQLBind(current.id)).where("version", .equal, SQLBind(current.version)).returning("id").all()
                if changed.isEmpty { throw RegistryError.staleVersion(current: current.version + 1) }
            } else {
                if try await sql.select().column("id").from("care_plans").where("resident_id", .equal, SQLBind(residentID)).first() != nil {
                    throw RegistryError.staleVersion(current: 1)
                }
                try await sql.insert(into: "care_plans")
                    .columns("id", "resident_id", "grid_code", "services", "starts_on", "ends_on", "note", "under_60_reason", "version", "updated_at")
                    .values(SQLBind(id), SQLBind(residentID), SQLBind(elder.gridCode), SQLBind(json), SQLBind(starts.description),
                            SQLBind(draft.endsOn), SQLBind(draft.note), SQLBind(under60Reason), SQLBind(version), SQLBind(at)).run()
            }
            try await CareQueries.upsertStatus(residentID, grid: elder.gridCode, on: db, [("has_plan", true)])
            var detail = ["services": clean.map(\.service).joined(separator: ","), "version": String(version)]
            if let under60Reason { detail[Under60Reason.field] = under60Reason }
            try await AuditLog.append([AuditEvent(current == nil ? CareAudit.planCreate : CareAudit.planUpdate, target: .resident(residentID),
                                                  detail: detail)], by: actor, on: db)
        }
        return try await plan(of: residentID, in: scope)!
    }

    // MARK: Service records

    public func records(of id: UUID, in scope: RegistryScope, limit: Int = 50) async throws -> [CareServiceRecord] {
        guard try await inScope(id, scope) else { return [] }
        return try await sql.select().columns("id", "resident_id", "grid_code", "service", "provided_at", "provided_on", "duration_minutes", "provider_kind",
                                       "provider_name", "feedback", "satisfaction", "recorded_by")
            .from("care_records").where("resident_id", .equal, SQLBind(id))
            .orderBy("provided_at", .descending).limit(limit).all().map { try $0.decodeRecord(CareServiceRecord.self) }
    }

    public func addRecord(_ residentID: UUID, _ d: CareRecordDraft, in scope: RegistryScope, by actor: AuditActor) async throws -> CareServiceRecord {
        let elder = try await requireElder(residentID, in: scope)
        var errors = FieldErrors()
        let service = d.service.flatMap(CareService.init(rawValue:))
        if service == nil { errors.add("service", "服务项目应为 \(CareService.allCases.map(\.rawValue).joined(separator: "、")) 之一") }
        let kind = d.providerKind.flatMap(CareProviderKind.init(rawValue:))
        if kind == nil { errors.add("provider_kind", "服务提供方类型应为 \(CareProviderKind.allCases.map(\.rawValue).joined(separator: "、")) 之一") }
        let name = (d.providerName ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if name.isEmpty || name.count > 50 { errors.add("provider_name", "请填写服务提供方名称（1至50个字）") }
        let now = nowSeconds
        var at: Int64 = now
        if let p = d.providedAt {
            at = Int64(p.timeIntervalSince1970)
            if at > now + 300 { errors.add("provided_at", "服务时间不能晚于现在") }
            if CareQueries.day(of: at) < today.yearsEarlier(1) { errors.add("provided_at", "服务时间不能早于一年前") }
        } else { errors.add("provided_at", "请填写服务时间（ISO 8601，如 2026-06-30T09:30:00+08:00）") }
        let minutes = d.durationMinutes ?? 0
        if !(1...1440).contains(minutes) { errors.add("duration_minutes", "服务时长应为1至1440分钟") }
        if let f = d.feedback, f.count > 500 { errors.add("feedback", "老人反馈不能超过500个字") }
        if let s = d.satisfaction, !(1...5).contains(s) { errors.add("satisfaction", "满意度应为1至5分") }
        guard errors.isEmpty, let service, let kind else { throw RegistryError.invalid(errors.errors) }
        let day = CareQueries.day(of: at)
        let providedAt = at
        let record = CareServiceRecord(id: UUID(), residentId: residentID, gridCode: elder.gridCode, service: service, providedAt: at,
                                       providedOn: day.description, durationMinutes: minutes, providerKind: kind, providerName: name,
                                       feedback: d.feedback, satisfaction: d.satisfaction, recordedBy: actor.username)
        let slot = CareServiceSlot(provider: name, start: at, durationMinutes: minutes)
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            // Inside the write transaction (SQLite's BEGIN IMMEDIATE, a table lock on PostgreSQL), so two writes
            // cannot both pass the check.
            if let clash = try await CareQueries.overlap(slot, on: db) {
                throw RegistryError.invalid([FieldError("provided_at", "服务提供方“\(name)”在 \(CareQueries.chinaTime(clash.start))–\(CareQueries.chinaTime(clash.end, timeOnly: true)) 已有服务记录，同一提供方的服务时间不能重叠")])
            }
            try await sql.insert(into: "care_records").columns("id", "resident_id", "grid_code", "service", "provided_at", "provided_on",
                                                               "duration_minutes", "provider_kind", "provider_name", "feedback", "satisfaction",
                                                               "recorded_by", "created_at")
                .values(SQLBind(record.id), SQLBind(residentID), SQLBind(record.gridCode), SQLBind(record.service.rawValue), SQLBind(providedAt), SQLBind(record.providedOn),
                        SQLBind(minutes), SQLBind(record.providerKind.rawValue), SQLBind(name), SQLBind(record.feedback), SQLBind(record.satisfaction),
                        SQLBind(record.recordedBy), SQLBind(now)).run()
            if service == .visit {
                let last = try await sql.select().column("last_visit_on").from("care_status").where("resident_id", .equal, SQLBind(residentID))
                    .first()?.decode(column: "last_visit_on", as: String?.self)
                if last == nil || last! < record.providedOn {
                    try await CareQueries.upsertStatus(residentID, grid: elder.gridCode, on: db, [("last_visit_on", record.providedOn)])
                }
            }
            try await AuditLog.append([AuditEvent(CareAudit.record, target: .resident(residentID),
                                                  detail: ["record": record.id.uuidString, "service": record.service.rawValue])], by: actor, on: db)
        }
        return record
    }

    /// The first record of the slot's provider whose time overlaps the slot, of any elder.
    static func overlap(_ slot: CareServiceSlot, on db: any Database) async throws -> CareServiceSlot? {
        let sql = SQLHelpers.sql(db)
        if !db.isSQLite { try await sql.raw("LOCK TABLE care_records IN SHARE ROW EXCLUSIVE MODE").run() }
        let candidates = try await sql.select().columns("provider_name", "provided_at", "duration_minutes").from("care_records")
            .where("provider_name", .equal, SQLBind(slot.providerKey))
            .where("provided_at", .greaterThan, SQLBind(slot.start - CareServiceSlot.maximumSeconds))
            .where("provided_at", .lessThan, SQLBind(slot.end)).all()
            .map { CareServiceSlot(provider: try $0.decode(column: "provider_name", as: String.self), start: try $0.decode(column: "provided_at", as: Int64.self),
                                   durationMinutes: try $0.decode(column: "duration_minutes", as: Int.self)) }
        return CareServiceSlot.firstOverlap(slot, in: candidates)
    }

    /// A moment in China time: "2026-06-30 09:30", or "09:30".
    static func chinaTime(_ seconds: Int64, timeOnly: Bool = false) -> String {
        let minutes = Int((seconds + 8 * 3600 - Int64(day(of: seconds).dayNumber) * 86400) / 60)
        let hm = String(format: "%02d:%02d", minutes / 60, minutes % 60)
        return timeOnly ? hm : "\(day(of: seconds)) \(hm)"
    }
}
