import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 居家养老: the roll (derived from the registry), assessments, plans, service records, emergency calls and
/// facilities. Every read takes the caller's `RegistryScope`; every write runs in one transaction with its
/// audit entry; a record outside the scope is not found.
public struct CareQueries: Sendable {
    let db: any Database
    let cipher: PersonalDataCipher
    let today: CivilDate
    let now: @Sendable () -> Date

    public init(_ db: any Database, cipher: PersonalDataCipher, today: CivilDate, now: @escaping @Sendable () -> Date = { Date() }) {
        self.db = db
        self.cipher = cipher
        self.today = today
        self.now = now
    }

    var sql: any SQLDatabase { SQLHelpers.sql(db) }
    var sqlite: Bool { db.isSQLite }
    var nowSeconds: Int64 { Int64(now().timeIntervalSince1970) }

    /// The day of a moment in China (UTC+8), as service records and visits are dated.
    public static func day(of seconds: Int64) -> CivilDate {
        CivilDate(dayNumber: Int((seconds + 8 * 3600).quotientRoundingDown(86400)))
    }

    // MARK: The roll

    static let elderColumns: [(String, String)] = [("r", "id"), ("r", "name"), ("r", "id_masked"), ("r", "birth_date"), ("r", "sex"),
                                                   ("r", "grid_code"), ("r", "tags"), ("s", "level"), ("s", "total"), ("s", "assessed_on"),
                                                   ("s", "next_due"), ("s", "last_visit_on"), ("s", "has_plan")]

    func rollFrom(_ q: SQLSelectBuilder) -> SQLSelectBuilder {
        q.from(SQLAlias(SQLIdentifier(Resident.schema), as: SQLIdentifier("r")))
            .join(SQLAlias(SQLIdentifier("care_status"), as: SQLIdentifier("s")), method: SQLJoinMethod.left,
                  on: SQLColumn("resident_id", table: "s"), .equal, SQLColumn("id", table: "r"))
    }

    /// Active residents aged 60 or more on `today`, in scope, with the filters.
    func rollFiltered(_ q: SQLSelectBuilder, scope: RegistryScope, filter: CareFilter) -> SQLSelectBuilder {
        var q = q.where(SQLColumn("life_status", table: "r"), .equal, SQLBind(LifeStatus.active.rawValue))
            .wherePrefix("r.grid_code", scope.prefix, sqlite: sqlite)
            .where(SQLColumn("birth_date", table: "r"), .lessThanOrEqual, SQLBind(today.yearsEarlier(CareRules.minimumAge).description))
        if let g = filter.gridCode { q = q.where(SQLColumn("grid_code", table: "r"), .equal, SQLBind(g)) }
        if let l = filter.level { q = q.where(SQLColumn("level", table: "s"), .equal, SQLBind(l.rawValue)) }
        if filter.unassessed { q = q.where(SQLColumn("level", table: "s"), .is, SQLLiteral.null) }
        if let f = filter.flag { q = flagged(q, f) }
        if filter.due {
            q = q.where { g in
                g.where(SQLColumn("next_due", table: "s"), .is, SQLLiteral.null)
                    .orWhere(SQLColumn("next_due", table: "s"), .lessThanOrEqual, SQLBind(today.description))
            }
        }
        if filter.missedVisit {
            q = flagged(q, .livingAlone).where { g in
                g.where(SQLColumn("last_visit_on", table: "s"), .is, SQLLiteral.null)
                    .orWhere(SQLColumn("last_visit_on", table: "s"), .lessThan,
                             SQLBind(today.adding(days: -CareRules.visitIntervalDays).description))
            }
        }
        return q
    }

    func flagged(_ q: SQLSelectBuilder, _ f: CareFlag) -> SQLSelectBuilder {
        if f == .oldestOld {
            return q.where(SQLColumn("birth_date", table: "r"), .lessThanOrEqual, SQLBind(today.yearsEarlier(CareRules.oldestAge).description))
        }
        return q.where(SQLColumn("id", table: "r"), .in, SQLGroupExpression(
            sql.select().column("resident_id").from(ResidentTagRow.schema).where("tag", .equal, SQLBind(f.tag.rawValue)).select))
    }

    var elderSelect: SQLSelectBuilder {
        var q = sql.select()
        for (t, c) in CareQueries.elderColumns { q = q.column(SQLColumn(c, table: t)) }
        return rollFrom(q)
    }

    public func roll(in scope: RegistryScope, filter: CareFilter, page: PageRequest) async throws -> ResultPage<CareElderRecord> {
        let items = try await rollFiltered(elderSelect, scope: scope, filter: filter)
            .orderBy(SQLColumn("grid_code", table: "r")).orderBy(SQLColumn("name_pinyin", table: "r")).orderBy(SQLColumn("id", table: "r"))
            .limit(page.perPage).offset(page.offset).all().map { try $0.decodeRecord(CareElderRecord.self) }
        let total = try await SQLHelpers.count(rollFiltered(rollFrom(sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")),
                                                            scope: scope, filter: filter))
        return ResultPage(items: items, total: total, page: page.page, perPage: page.perPage)
    }

    /// The elder with this resident id, if in scope, on the roll (active, 60+) or not.
    public func elder(_ id: UUID, in scope: RegistryScope) async throws -> (record: CareElderRecord, lifeStatus: LifeStatus)? {
        guard let row = try await elderSelect.column(SQLColumn("life_status", table: "r"))
            .where(SQLColumn("id", table: "r"), .equal, SQLBind(id)).first() else { return nil }
        let r = try row.decodeRecord(CareElderRecord.self)
        guard scope.contains(code: r.gridCode) else { return nil }
        return (r, try row.decodeStored(column: "life_status", as: LifeStatus.self, of: "residents"))
    }

    /// The resident for a care write: in scope (else 404), active and in care (else 422 naming `resident_id`). In
    /// care is 60 or more, or younger with a plan that records why (`under_60_reason`). `forPlan` lets someone
    /// under 60 through without that plan: the plan is where the reason is recorded (`savePlan` requires it).
    func requireElder(_ id: UUID, in scope: RegistryScope, forPlan: Bool = false) async throws -> CareElderRecord {
        guard case let (r, life)? = try await elder(id, in: scope) else { throw RegistryError.notFound("居民") }
        if life != .active {
            throw RegistryError.invalid([FieldError("resident_id", "该居民\(life.label)，不在养老服务名册上")])
        }
        guard let birth = CivilDate(r.birthDate) else { throw RegistryError.invalid([FieldError("resident_id", "该居民的出生日期无效")]) }
        if forPlan || CareRules.isElder(birth: birth, today: today) { return r }
        if Under60Reason.inCare(birth: birth, today: today, planReason: try await under60Reason(of: id)) { return r }
        throw RegistryError.invalid([FieldError("resident_id", "该居民未满60周岁，不在养老服务名册上；因失能、残疾或特殊困难纳入照护的，请先制定照护计划并填写\(Under60Reason.label)")])
    }

    /// The resident's care file subject: an active resident in scope who is in care (60 or more, or younger with a
    /// plan that records the reason); nil when not in care; 404 outside the scope.
    public func inCare(_ id: UUID, in scope: RegistryScope) async throws -> CareElderRecord? {
        do { return try await requireElder(id, in: scope) } catch RegistryError.invalid { return nil }
    }

    /// The reason recorded on the plan of a resident under 60, if any.
    func under60Reason(of id: UUID) async throws -> String? {
        try await sql.select().column("under_60_reason").from("care_plans").where("resident_id", .equal, SQLBind(id)).first()?
            .decode(column: "under_60_reason", as: String?.self)
    }

    // MARK: Assessments

    /// Care rows are read through the elder: whoever has the elder in their area now sees their history, even
    /// rows written while the elder lived in another grid; whoever no longer has them sees none of it.
    func inScope(_ id: UUID, _ scope: RegistryScope) async throws -> Bool {
        guard let row = try await sql.select().column("grid_code").from(Resident.schema).where("id", .equal, SQLBind(id)).first() else { return false }
        return scope.contains(code: try row.decode(column: "grid_code", as: String.self))
    }

    public func assessments(of id: UUID, in scope: RegistryScope) async throws -> [CareAssessmentRecord] {
        guard try await inScope(id, scope) else { return [] }
        return try await sql.select().columns("id", "resident_id", "grid_code", "assessed_on", "total", "level", "assessor", "next_due", "note")
            .from("care_assessments").where("resident_id", .equal, SQLBind(id))
            .orderBy("assessed_on", .descending).orderBy("created_at", .descending).all().map { try $0.decodeRecord(CareAssessmentRecord.self) }
    }

    /// An assessment with its item scores decrypted: written to the audit log before it is returned.
    public func fullAssessment(_ id: UUID, in scope: RegistryScope, by actor: AuditActor) async throws -> (CareAssessmentRecord, BarthelScores)? {
        guard let row = try await sql.select()
            .columns("id", "resident_id", "grid_code", "assessed_on", "total", "level", "assessor", "next_due", "note", "scores_cipher")
            .from("care_assessments").where("id", .equal, SQLBind(id)).first() else { return nil }
        let a = try row.decodeRecord(CareAssessmentRecord.self)
        guard try await inScope(a.residentId, scope) else { return nil }
        guard let scores = BarthelScores(encoded: try cipher.open(try row.decode(column: "scores_cipher", as: Data.self))) else {
            throw RegistryError.conflictingState("评估记录无法读取")
        }
        try await AuditLog.record(AuditEvent(CareAudit.viewAssessment, target: .careAssessment(id), detail: ["resident": a.residentId.uuidString]),
                                  by: actor, on: db)
        return (a, scores)
    }

    public func assess(_ residentID: UUID, scores raw: [String: Int]?, assessedOn: String?, note: String?, in scope: RegistryScope,
                       by actor: AuditActor) async throws -> CareAssessmentRecord {
        let elder = try await requireElder(residentID, in: scope)
        var errors = FieldErrors()
        var scores: BarthelScores?
        switch BarthelScores.check(raw) {
        case .success(let s): scores = s
        case .failure(let e): for x in e.errors { errors.add(x) }
        }
        var on = today
        if let text = assessedOn {
            if let d = CivilDate(text) { on = d } else { errors.add("assessed_on", "日期格式应为 YYYY-MM-DD") }
        }
        if on > today { errors.add("assessed_on", "评估日期不能晚于今天") }
        if on < today.yearsEarlier(1) { errors.add("assessed_on", "评估日期不能早于一年前") }
        if let note, note.count > 500 { errors.add("note", "备注不能超过500个字") }
        guard errors.isEmpty, let scores else { throw RegistryError.invalid(errors.errors) }
        let level = scores.level
        let due = CareRules.nextDue(assessedOn: on, level: level)
        let record = CareAssessmentRecord(id: UUID(), residentId: residentID, gridCode: elder.gridCode, assessedOn: on.description,
                                          total: scores.total, level: level, assessor: actor.username, nextDue: due.description,
                                          note: note)
        let sealed = try cipher.seal(scores.encoded)
        let created = nowSeconds
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            try await sql.insert(into: "care_assessments")
                .columns("id", "resident_id", "grid_code", "assessed_on", "scores_cipher", "total", "level", "assessor", "next_due", "note", "created_at")
                .values(SQLBind(record.id), SQLBind(residentID), SQLBind(record.gridCode), SQLBind(record.assessedOn), SQLBind(sealed),
                        SQLBind(record.total), SQLBind(record.level.rawValue), SQLBind(record.assessor), SQLBind(record.nextDue), SQLBind(note),
                        SQLBind(created)).run()
            // The current state follows the latest assessment by date.
            let latest = try await sql.select().columns("total", "level", "assessed_on", "next_due").from("care_assessments")
                .where("resident_id", .equal, SQLBind(residentID)).orderBy("assessed_on", .descending).orderBy("created_at", .descending)
                .limit(1).first()!
            try await CareQueries.upsertStatus(residentID, grid: record.gridCode, on: db, [
                ("level", try latest.decode(column: "level", as: String.self)), ("total", try latest.decode(column: "total", as: Int.self)),
                ("assessed_on", try latest.decode(column: "assessed_on", as: String.self)),
                ("next_due", try latest.decode(column: "next_due", as: String.self)),
            ])
            // The level is not a secret; the item scores stay out of the log.
            try await AuditLog.append([AuditEvent(CareAudit.assess, target: .resident(residentID),
                                                  detail: ["assessment": record.id.uuidString, "level": record.level.rawValue])], by: actor, on: db)
        }
        return record
    }

    /// Creates the elder's `care_status` row or updates the given columns.
    static func upsertStatus(_ id: UUID, grid: String, on db: any Database, _ sets: [(String, any Encodable & Sendable)]) async throws {
        let sql = SQLHelpers.sql(db)
        if try await sql.select().column("resident_id").from("care_status").where("resident_id", .equal, SQLBind(id)).first() == nil {
            var cols = ["resident_id", "grid_code", "has_plan"]
            var vals: [any SQLExpression] = [SQLBind(id), SQLBind(grid), SQLBind(false)]
            for (c, v) in sets {
                if let i = cols.firstIndex(of: c) { vals[i] = SQLBind(v) } else { cols.append(c); vals.append(SQLBind(v)) }
            }
            try await sql.insert(into: "care_status").columns(cols).values(vals).run()
        } else {
            var u = sql.update("care_status").set("grid_code", to: SQLBind(grid))
            for (c, v) in sets { u = u.set(SQLIdentifier(c), to: SQLBind(v)) }
            try await u.where("resident_id", .equal, SQLBind(id)).run()
        }
    }

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

    // MARK: Emergency calls

    static let callColumns = ["id", "resident_id", "grid_code", "status", "received_at", "assigned_to", "assigned_at", "responded_at", "closed_at",
                              "note", "version"]

    /// Calls with the elder's name and current grid (the area that answers for the elder now).
    var callSelect: SQLSelectBuilder {
        var q = sql.select()
        for c in CareQueries.callColumns where c != "grid_code" { q = q.column(SQLColumn(c, table: "c")) }
        return q.column(SQLColumn("name", table: "r"), as: "resident_name").column(SQLColumn("grid_code", table: "r"), as: "grid_code")
            .from(SQLAlias(SQLIdentifier("care_calls"), as: SQLIdentifier("c")))
            .join(SQLAlias(SQLIdentifier(Resident.schema), as: SQLIdentifier("r")), on: SQLColumn("resident_id", table: "c"), .equal, SQLColumn("id", table: "r"))
    }

    public func calls(in scope: RegistryScope, status: CareCallStatus?, open: Bool = false, resident: UUID? = nil,
                      page: PageRequest) async throws -> ResultPage<CareCallRecord> {
        func filtered(_ q: SQLSelectBuilder) -> SQLSelectBuilder {
            var q = q.wherePrefix("r.grid_code", scope.prefix, sqlite: sqlite)
            if let status { q = q.where(SQLColumn("status", table: "c"), .equal, SQLBind(status.rawValue)) }
            if open { q = q.where(SQLColumn("status", table: "c"), .notEqual, SQLBind(CareCallStatus.closed.rawValue)) }
            if let resident { q = q.where(SQLColumn("resident_id", table: "c"), .equal, SQLBind(resident)) }
            return q
        }
        let items = try await filtered(callSelect).orderBy(SQLOrderBy(expression: SQLColumn("received_at", table: "c"), direction: SQLDirection.descending)).orderBy(SQLColumn("id", table: "c"))
            .limit(page.perPage).offset(page.offset).all().map { try $0.decodeRecord(CareCallRecord.self) }
        let total = try await SQLHelpers.count(filtered(sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from(SQLAlias(SQLIdentifier("care_calls"), as: SQLIdentifier("c")))
            .join(SQLAlias(SQLIdentifier(Resident.schema), as: SQLIdentifier("r")), on: SQLColumn("resident_id", table: "c"), .equal, SQLColumn("id", table: "r"))))
        return ResultPage(items: items, total: total, page: page.page, perPage: page.perPage)
    }

    public func call(_ id: UUID, in scope: RegistryScope) async throws -> CareCallRecord? {
        guard let c = try await callSelect.where(SQLColumn("id", table: "c"), .equal, SQLBind(id)).first()?.decodeRecord(CareCallRecord.self),
              scope.contains(code: c.gridCode) else { return nil }
        return c
    }

    /// Logs an emergency call of an elder (received now, or at `receivedAt` when logged afterwards).
    public func logCall(resident residentID: UUID, receivedAt: Date?, assignedTo: String?, note: String?, in scope: RegistryScope,
                        by actor: AuditActor) async throws -> CareCallRecord {
        let elder = try await requireElder(residentID, in: scope)
        var errors = FieldErrors()
        let now = nowSeconds
        let received = receivedAt.map { Int64($0.timeIntervalSince1970) } ?? now
        if received > now + 300 { errors.add("received_at", "接警时间不能晚于现在") }
        if received < now - 30 * 86400 { errors.add("received_at", "接警时间不能早于30天前") }
        let assignee = assignedTo?.trimmingCharacters(in: .whitespacesAndNewlines)
        if let a = assignee, a.isEmpty || a.count > 50 { errors.add("assigned_to", "责任人或服务方应为1至50个字") }
        if let note, note.count > 500 { errors.add("note", "备注不能超过500个字") }
        guard errors.isEmpty else { throw RegistryError.invalid(errors.errors) }
        let id = UUID()
        try await db.writeTransaction { db in
            try await SQLHelpers.sql(db).insert(into: "care_calls").columns(CareQueries.callColumns)
                .values(SQLBind(id), SQLBind(residentID), SQLBind(elder.gridCode),
                        SQLBind(assignee == nil ? CareCallStatus.received.rawValue : CareCallStatus.assigned.rawValue),
                        SQLBind(received), SQLBind(assignee), SQLBind(assignee == nil ? nil : now), SQLBind(Int64?.none), SQLBind(Int64?.none),
                        SQLBind(note), SQLBind(1)).run()
            try await AuditLog.append([AuditEvent(CareAudit.callLog, target: .careCall(id), detail: ["resident": residentID.uuidString])],
                                      by: actor, on: db)
        }
        return try await call(id, in: scope)!
    }

    /// Assigns, responds to or closes a call; the times are the server's.
    public func act(on id: UUID, action: CareCallAction, assignedTo: String?, note: String?, version: Int, in scope: RegistryScope,
                    by actor: AuditActor) async throws -> CareCallRecord {
        guard let current = try await call(id, in: scope) else { throw RegistryError.notFound("紧急呼叫") }
        var errors = FieldErrors()
        let assignee = assignedTo?.trimmingCharacters(in: .whitespacesAndNewlines)
        if action == .assign, assignee == nil || assignee!.isEmpty || assignee!.count > 50 {
            errors.add("assigned_to", "请填写责任人或服务方（1至50个字）")
        }
        if let note, note.count > 500 { errors.add("note", "备注不能超过500个字") }
        guard errors.isEmpty else { throw RegistryError.invalid(errors.errors) }
        if version != current.version { throw RegistryError.staleVersion(current: current.version) }
        let status = current.status
        guard let next = action.next(from: status) else {
            throw RegistryError.conflictingState("呼叫当前为“\(status.label)”，不能\(action == .assign ? "派单" : action == .respond ? "登记响应" : "办结")")
        }
        let now = nowSeconds
        try await db.writeTransaction { db in
            var u = SQLHelpers.sql(db).update("care_calls").set("status", to: SQLBind(next.rawValue)).set("version", to: SQLBind(version + 1))
            switch action {
            case .assign: u = u.set("assigned_to", to: SQLBind(assignee)).set("assigned_at", to: SQLBind(now))
            case .respond: u = u.set("responded_at", to: SQLBind(now))
            case .close: u = u.set("closed_at", to: SQLBind(now))
            }
            if let note { u = u.set("note", to: SQLBind(note)) }
            let changed = try await u.where("id", .equal, SQLBind(id)).where("version", .equal, SQLBind(version)).returning("id").all()
            if changed.isEmpty { throw RegistryError.staleVersion(current: version + 1) }
            try await AuditLog.append([AuditEvent(CareAudit.call(action), target: .careCall(id), detail: ["status": next.rawValue])],
                                      by: actor, on: db)
        }
        return try await call(id, in: scope)!
    }

    // MARK: Facilities

    static let facilityColumns = ["id", "name", "kind", "community_code", "address", "floor_area", "beds", "nursing_beds", "setting", "version"]

    public func facilities(in scope: RegistryScope, community: String? = nil) async throws -> [CareFacilityRecord] {
        // A grid worker sees the facilities of their community.
        let prefix = scope.prefix.count > 12 ? String(scope.prefix.prefix(12)) : scope.prefix
        var q = sql.select().columns(CareQueries.facilityColumns).from("care_facilities").wherePrefix("community_code", prefix, sqlite: sqlite)
        if let community { q = q.where("community_code", .equal, SQLBind(community)) }
        return try await q.orderBy("community_code").orderBy("name").orderBy("id").all().map { try $0.decodeRecord(CareFacilityRecord.self) }
    }

    public func facility(_ id: UUID, in scope: RegistryScope) async throws -> CareFacilityRecord? {
        guard let f = try await sql.select().columns(CareQueries.facilityColumns).from("care_facilities").where("id", .equal, SQLBind(id)).first()?
            .decodeRecord(CareFacilityRecord.self) else { return nil }
        let prefix = scope.prefix.count > 12 ? String(scope.prefix.prefix(12)) : scope.prefix
        return f.communityCode.hasPrefix(prefix) ? f : nil
    }

    /// Creates a facility (no `id`) or changes one at its `version`.
    public func saveFacility(_ id: UUID?, _ d: CareFacilityDraft, in scope: RegistryScope, by actor: AuditActor) async throws -> CareFacilityRecord {
        let current: CareFacilityRecord?
        if let id {
            guard let f = try await facility(id, in: scope) else { throw RegistryError.notFound("养老服务设施") }
            current = f
        } else { current = nil }
        var errors = FieldErrors()
        let name = (d.name ?? current?.name ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if name.isEmpty || name.count > 50 { errors.add("name", "请填写设施名称（1至50个字）") }
        let kind = d.kind.map { CareFacilityKind(rawValue: $0) } ?? current?.kind
        if kind == nil { errors.add("kind", "设施类型应为 \(CareFacilityKind.allCases.map(\.rawValue).joined(separator: "、")) 之一") }
        var communityKind: CommunityKind?
        let code = d.communityCode ?? current?.communityCode ?? ""
        if let c = try? DivisionCode(code), c.level == .community {
            if let row = try await sql.select().column("kind").from(Division.schema).where("code", .equal, SQLBind(code)).first(),
               scope.contains(code: code) {
                communityKind = try row.decode(column: "kind", as: String?.self).flatMap(CommunityKind.init(rawValue:))
            } else { errors.add("community_code", "村/社区不存在或不在您的管辖范围内") }
        } else { errors.add("community_code", "请填写12位村/社区代码") }
        let area = d.floorArea ?? current?.floorArea
        if area == nil || !(area!.isFinite) || area! <= 0 || area! > 100_000 { errors.add("floor_area", "建筑面积应为大于0、不超过100000的平方米数") }
        let beds = d.beds ?? current?.beds ?? 0
        let nursing = d.nursingBeds ?? current?.nursingBeds ?? 0
        if !(0...10_000).contains(beds) { errors.add("beds", "床位数应为0至10000") }
        if !(0...10_000).contains(nursing) { errors.add("nursing_beds", "护理型床位数应为0至10000") } else if nursing > beds {
            errors.add("nursing_beds", "护理型床位数不能多于床位数")
        }
        var setting = CareSetting.of(communityKind)
        if let s = d.setting {
            if let v = CareSetting(rawValue: s) { setting = v } else { errors.add("setting", "城乡类型应为 urban（城市）或 rural（农村）") }
        } else if d.communityCode == nil, let s = current?.setting { setting = s }
        let address = d.address ?? current?.address
        if let a = address, a.count > 100 { errors.add("address", "地址不能超过100个字") }
        if current != nil && d.version == nil { errors.add("version", "请提供记录的版本号 version（读取记录时返回）") }
        guard errors.isEmpty, let kind, let area else { throw RegistryError.invalid(errors.errors) }
        if let current, d.version != current.version { throw RegistryError.staleVersion(current: current.version) }
        let record = CareFacilityRecord(id: current?.id ?? UUID(), name: name, kind: kind, communityCode: code, address: address,
                                        floorArea: area, beds: beds, nursingBeds: nursing, setting: setting, version: (current?.version ?? 0) + 1)
        try await db.writeTransaction { [current] db in
            let sql = SQLHelpers.sql(db)
            if let current {
                let changed = try await sql.update("care_facilities").set("name", to: SQLBind(name)).set("kind", to: SQLBind(record.kind.rawValue))
                    .set("community_code", to: SQLBind(code)).set("address", to: SQLBind(address)).set("floor_area", to: SQLBind(area))
                    .set("beds", to: SQLBind(beds)).set("nursing_beds", to: SQLBind(nursing)).set("setting", to: SQLBind(record.setting.rawValue))
                    .set("version", to: SQLBind(record.version))
                    .where("id", .equal, SQLBind(current.id)).where("version", .equal, SQLBind(current.version)).returning("id").all()
                if changed.isEmpty { throw RegistryError.staleVersion(current: current.version + 1) }
            } else {
                try await sql.insert(into: "care_facilities").columns(CareQueries.facilityColumns)
                    .values(SQLBind(record.id), SQLBind(name), SQLBind(record.kind.rawValue), SQLBind(code), SQLBind(address), SQLBind(area), SQLBind(beds),
                            SQLBind(nursing), SQLBind(record.setting.rawValue), SQLBind(record.version)).run()
            }
            try await AuditLog.append([AuditEvent(current == nil ? CareAudit.facilityCreate : CareAudit.facilityUpdate, target: .careFacility(record.id),
                                                  detail: ["community": code])], by: actor, on: db)
        }
        return record
    }

    // MARK: Figures

    /// The care figures of a scope: the roll by level, due assessments, plans, missed visits, calls, and each
    /// community against the floor-area standard.
    public func figures(in scope: RegistryScope) async throws -> CareFigures {
        var f = CareFigures()
        let visitBound = today.adding(days: -CareRules.visitIntervalDays).description
        let alone = "r.id IN (SELECT resident_id FROM resident_tags WHERE tag = 'living_alone')"
        let row = try await rollFiltered(rollFrom(sql.select()
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .column(SQLRaw("sum(CASE WHEN s.level IS NOT NULL THEN 1 ELSE 0 END)"), as: "assessed")
            .column(SQLRaw("sum(CASE WHEN s.level = 'independent' THEN 1 ELSE 0 END)"), as: "l0")
            .column(SQLRaw("sum(CASE WHEN s.level = 'partly_dependent' THEN 1 ELSE 0 END)"), as: "l1")
            .column(SQLRaw("sum(CASE WHEN s.level = 'dependent' THEN 1 ELSE 0 END)"), as: "l2")
            .column(SQLRaw("sum(CASE WHEN s.next_due IS NULL OR s.next_due <= '\(today.description)' THEN 1 ELSE 0 END)"), as: "due")
            .column(SQLRaw("sum(CASE WHEN s.has_plan THEN 1 ELSE 0 END)"), as: "plans")
            .column(SQLRaw("sum(CASE WHEN \(alone) THEN 1 ELSE 0 END)"), as: "alone")
            .column(SQLRaw("sum(CASE WHEN \(alone) AND (s.last_visit_on IS NULL OR s.last_visit_on < '\(visitBound)') THEN 1 ELSE 0 END)"), as: "missed")),
            scope: scope, filter: CareFilter()).first()
        func int(_ c: String) throws -> Int { try row?.decode(column: c, as: Int?.self) ?? 0 }
        f.elders = try int("n"); f.assessed = try int("assessed"); f.due = try int("due"); f.withPlan = try int("plans")
        f.livingAlone = try int("alone"); f.missedVisits = try int("missed")
        f.byLevel = [CareLevel.independent.rawValue: try int("l0"), CareLevel.partlyDependent.rawValue: try int("l1"),
                     CareLevel.dependent.rawValue: try int("l2")]
        (f.calls, f.openCalls) = try await callFigures(in: scope)
        f.communities = try await communityAreas(in: scope)
        return f
    }

    /// The response figures of the scope's calls, and how many are not closed yet.
    public func callFigures(in scope: RegistryScope) async throws -> (CallResponseFigures, Int) {
        let calls = try await sql.select().columns("received_at", "responded_at", "status").from("care_calls")
            .wherePrefix("grid_code", scope.prefix, sqlite: sqlite).all()
        let figures = CallResponseFigures.of(try calls.map {
            (try $0.decode(column: "received_at", as: Int64.self), try $0.decode(column: "responded_at", as: Int64?.self))
        })
        return (figures, try calls.filter { try $0.decode(column: "status", as: String.self) != CareCallStatus.closed.rawValue }.count)
    }

    /// Each community of the scope with its home-care floor area and beds.
    public func communityAreas(in scope: RegistryScope) async throws -> [CommunityCareArea] {
        try await CareQueries.communityAreas(db, prefix: scope.prefix.count > 12 ? String(scope.prefix.prefix(12)) : scope.prefix)
    }

    static func communityAreas(_ db: any Database, prefix: String) async throws -> [CommunityCareArea] {
        let sql = SQLHelpers.sql(db), sqlite = db.isSQLite
        var out: [String: CommunityCareArea] = [:]
        var order: [String] = []
        for row in try await sql.select().columns("code", "name", "kind").from(Division.schema)
            .where("level", .equal, SQLBind(DivisionLevel.community.rawValue)).wherePrefix("code", prefix, sqlite: sqlite).orderBy("code").all() {
            let code = try row.decode(column: "code", as: String.self)
            let kind = try row.decode(column: "kind", as: String?.self).flatMap(CommunityKind.init(rawValue:))
            out[code] = CommunityCareArea(code: code, name: try row.decode(column: "name", as: String.self), setting: CareSetting.of(kind),
                                          homeCareArea: 0, beds: 0, nursingBeds: 0)
            order.append(code)
        }
        for f in try await sql.select().columns(CareQueries.facilityColumns).from("care_facilities")
            .wherePrefix("community_code", prefix, sqlite: sqlite).all().map({ try $0.decodeRecord(CareFacilityRecord.self) })
            where out[f.communityCode] != nil {
            if f.kind.isHomeCareSpace { out[f.communityCode]!.homeCareArea += f.floorArea }
            out[f.communityCode]!.beds += f.beds
            out[f.communityCode]!.nursingBeds += f.nursingBeds
        }
        return order.map { out[$0]! }
    }
}

extension Int64 {
    func quotientRoundingDown(_ d: Int64) -> Int64 { self >= 0 ? self / d : -((-self + d - 1) / d) }
}
