import FluentKit
import Foundation
import LinliCore
import SQLKit

extension AssistanceQueries {
    /// Takes one step of a case if the caller may take it now and `version` is current. The case's new state,
    /// the step and the audit entry are written together (`UPDATE … WHERE version = ?`), or not at all.
    public func act(on caseID: UUID, _ input: AssistanceStepInput, by actor: AssistanceActor) async throws -> AssistanceCaseRecord {
        let c = try await requireCase(caseID, in: actor.scope)
        guard input.version == c.version else { throw RegistryError.staleVersion(current: c.version) }
        try await authorize(input.action, on: c, by: actor)
        guard let to = AssistanceWorkflow.next(kind: c.kind, from: c.stage, by: input.action, grantedFirst: c.grantedFirst) else {
            throw RegistryError.conflictingState("该案件当前为“\(c.stage.label)”，不能\(input.action.label)")
        }
        var errors = FieldErrors()
        func text(_ s: String?) -> String? { s?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty }
        let note = text(input.note)
        if input.action.needsNote, note == nil { errors.add("note", "请填写\(input.action.label)的意见或理由") }
        if let note, note.count > 1000 { errors.add("note", "意见不能超过1000个字") }
        var detail: [String: String] = [:]
        var update = CaseUpdate(stage: to)
        func pastDate(_ field: String, _ value: String?, _ label: String) -> CivilDate? {
            guard let v = text(value) else { errors.add(field, "请填写\(label)"); return nil }
            guard let d = CivilDate(v) else { errors.add(field, "\(label)格式应为 YYYY-MM-DD"); return nil }
            if d > today { errors.add(field, "\(label)不能晚于今天") }
            return d
        }
        switch input.action {
        case .check:
            if let s = text(input.checkSource) { detail["source"] = String(s.prefix(100)) } else { errors.add("check_source", "请填写核对结果的来源（如：民政经济状况核对平台）") }
            if let d = pastDate("check_date", input.checkDate, "核对日期") { detail["date"] = d.description }
            if let r = text(input.checkResult) { detail["result"] = String(r.prefix(500)) } else { errors.add("check_result", "请填写核对结果") }
        case .investigate:
            let names = input.investigators.compactMap(text)
            if names.count != 2 || Set(names).count != 2 { errors.add("investigators", "入户调查应由两名工作人员进行，请填写两人姓名") }
            detail["investigators"] = names.joined(separator: "、")
            if let d = pastDate("visit_date", input.visitDate, "调查日期") { detail["date"] = d.description }
            if note == nil { errors.add("note", "请填写入户调查的情况") }
        case .publish:
            let from = text(input.noticeFrom).flatMap(CivilDate.init) ?? today
            guard let until = text(input.noticeTo).flatMap(CivilDate.init) else {
                errors.add("notice_to", "请填写公示截止日期（YYYY-MM-DD）")
                break
            }
            if from < today { errors.add("notice_from", "公示开始日期不能早于今天") }
            if until.dayNumber - from.dayNumber + 1 < AssistanceWorkflow.minimumNoticeDays {
                errors.add("notice_to", "公示期不少于\(AssistanceWorkflow.minimumNoticeDays)天（\(from)起至少到\(from.adding(days: AssistanceWorkflow.minimumNoticeDays - 1))）")
            }
            update.noticeFrom = from.description
            update.noticeTo = until.description
            detail["from"] = from.description
            detail["to"] = until.description
        case .approve:
            if c.kind.steps.contains(.noticed), let end = c.noticeTo.flatMap(CivilDate.init), today <= end {
                throw RegistryError.conflictingState("公示期至\(end)，期满后才能审批")
            }
            if try await openObjections(caseID) > 0 { throw RegistryError.conflictingState("该案件有未处理的公示异议，处理后才能审批") }
            let (facts, std) = try await factsAndStandard(c)
            let beneficiary = c.applicantId.uuidString.lowercased()
            let assisted = try await householdAssisted(c.householdId, except: c.id)
            for e in AssistanceRules.check(c.kind, facts, EligibilityContext(standard: std, beneficiary: beneficiary, householdAssisted: assisted)) {
                errors.add(e)
            }
            let amount = AssistanceRules.amount(c.kind, facts, std)
            if amount <= 0 { errors.add("amount", "按当前标准计算的救助金额为0元") }
            update.amount = amount
            update.decidedOn = today.description
            if c.kind.isMonthly {
                update.firstMonth = AssistanceSchedule.firstPaidMonth(approvedOn: today)
                if let months = AssistanceSchedule.recheckMonths(c.kind, stable: facts.isStable) {
                    update.nextRecheckOn = AssistanceSchedule.addingMonths(months, to: today).description
                }
            }
            detail["amount"] = String(amount)
        case .refuse:
            update.decidedOn = today.description
            update.reason = note
        case .grantFirst:
            let std = try await factsAndStandard(c).1
            guard let amount = input.amount, amount > 0 else { errors.add("amount", "请填写先行救助金额"); break }
            if amount > std.temporaryCap { errors.add("amount", "先行救助金额不能超过\(std.temporaryCap)元") }
            update.amount = amount
            update.decidedOn = today.description
            update.grantedFirst = true
            detail["amount"] = String(amount)
        case .supplement:
            update.grantedFirst = false
            if note == nil { errors.add("note", "请说明补充的材料") }
        case .reinvestigate:
            update.noticeFrom = .some(nil)
            update.noticeTo = .some(nil)
        default: break
        }
        guard errors.isEmpty else { throw RegistryError.invalid(errors.errors) }
        try await write(c, update, action: input.action, note: note, detail: detail.isEmpty ? nil : detail, actor: actor.audit)
        return try await requireCase(caseID, in: actor.scope)
    }

    /// The community records, the street reviews, publishes and handles objections, and the approver decides:
    /// the district, or the street where the district delegated the kind.
    func authorize(_ action: AssistanceAction, on c: AssistanceCaseRecord, by actor: AssistanceActor) async throws {
        switch action.actor {
        case .community:
            guard actor.mayWrite else { throw RegistryError.forbidden("您没有办理救助案件的权限") }
        case .street:
            guard actor.mayReview else { throw RegistryError.forbidden("\(action.label)由街道（镇）办理") }
        case .approver:
            let level = try await setting(c.kind).approvalLevel
            let may = level == .district ? actor.mayApprove : (actor.mayReview || actor.mayApprove)
            guard may else { throw RegistryError.forbidden("\(c.kind.label)由\(level.label)，您不能\(action.label)") }
        }
    }

    struct CaseUpdate {
        var stage: AssistanceStage
        var amount: Int?
        var decidedOn: String?
        var noticeFrom: String??
        var noticeTo: String??
        var grantedFirst: Bool?
        var firstMonth: String?
        var nextRecheckOn: String??
        var endedOn: String?
        var reason: String?
        init(stage: AssistanceStage) { self.stage = stage }
    }

    func write(_ c: AssistanceCaseRecord, _ u: CaseUpdate, action: AssistanceAction, note: String?, detail: [String: String]?, actor: AuditActor,
               extra: (@Sendable (any Database) async throws -> Void)? = nil) async throws {
        let at = nowSeconds
        let day = today
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            var q = sql.update("assistance_cases").set("stage", to: SQLBind(u.stage.rawValue)).set("version", to: SQLBind(c.version + 1))
                .set("updated_at", to: SQLBind(at))
            if let v = u.amount { q = q.set("amount", to: SQLBind(v)) }
            if let v = u.decidedOn { q = q.set("decided_on", to: SQLBind(v)) }
            if let v = u.noticeFrom { q = q.set("notice_from", to: SQLBind(v)) }
            if let v = u.noticeTo { q = q.set("notice_to", to: SQLBind(v)) }
            if let v = u.grantedFirst { q = q.set("granted_first", to: SQLBind(v)) }
            if let v = u.firstMonth { q = q.set("first_month", to: SQLBind(v)) }
            if let v = u.nextRecheckOn { q = q.set("next_recheck_on", to: SQLBind(v)) }
            if let v = u.endedOn { q = q.set("ended_on", to: SQLBind(v)) }
            if let v = u.reason { q = q.set("reason", to: SQLBind(v)) }
            let changed = try await q.where("id", .equal, SQLBind(c.id)).where("version", .equal, SQLBind(c.version)).returning("id").all()
            if changed.isEmpty { throw RegistryError.staleVersion(current: c.version) }
            try await AssistanceQueries.insertStep(case: c.id, action: action, from: c.stage, to: u.stage, actor: actor, at: at, on: day, note: note,
                                                   detail: detail, db: db)
            try await extra?(db)
            var audit = ["from": c.stage.rawValue, "to": u.stage.rawValue]
            if let a = u.amount { audit["amount"] = String(a) }
            try await AuditLog.append([AuditEvent(AssistanceAudit.step(action), target: .assistanceCase(c.number), detail: audit)], by: actor, on: db)
        }
    }

    func openObjections(_ caseID: UUID) async throws -> Int {
        try await SQLHelpers.count(sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("assistance_objections")
            .where("case_id", .equal, SQLBind(caseID)).where("status", .equal, SQLBind(ObjectionStatus.open.rawValue)))
    }

    /// The household is on 低保 or 特困 now (another case approved).
    func householdAssisted(_ household: UUID, except: UUID) async throws -> Bool {
        try await sql.select().column("id").from("assistance_cases").where("household_id", .equal, SQLBind(household))
            .where("id", .notEqual, SQLBind(except)).where("stage", .equal, SQLBind(AssistanceStage.approved.rawValue))
            .where("kind", .in, SQLBind.group([AssistanceKind.dibao.rawValue, AssistanceKind.tekun.rawValue])).first() != nil
    }

    /// The declaration and this year's standard for the case's area; a clear message when the year has none.
    func factsAndStandard(_ c: AssistanceCaseRecord) async throws -> (DeclaredFacts, AssistanceStandard) {
        guard let std = try await standard(year: today.year, area: c.area) else {
            throw RegistryError.invalid([FieldError("standard", "\(today.year)年\(c.area.label)救助标准尚未配置，请区民政部门先配置")])
        }
        return (try await declaredFacts(c.id, db: db), std.standard)
    }

    // MARK: Re-checks (动态管理)

    /// A re-check of a case being paid: confirm, adjust the amount, or end it with a reason. The next date follows
    /// the kind and the household; the re-check, the case and the audit entry are written together.
    public func recheck(_ caseID: UUID, outcome: RecheckOutcome?, amount: Int?, reason: String?, version: Int,
                        by actor: AssistanceActor) async throws -> AssistanceCaseRecord {
        guard actor.mayWrite else { throw RegistryError.forbidden("您没有办理救助复核的权限") }
        let c = try await requireCase(caseID, in: actor.scope)
        guard version == c.version else { throw RegistryError.staleVersion(current: c.version) }
        guard c.stage == .approved, c.kind.isMonthly else { throw RegistryError.conflictingState("只有在保的按月救助案件需要复核") }
        var errors = FieldErrors()
        let reason = reason?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
        guard let outcome else { throw RegistryError.invalid([FieldError("outcome", "请选择复核结果")]) }
        if outcome != .confirm, reason == nil { errors.add("reason", "请填写\(outcome.label)的理由") }
        if let reason, reason.count > 500 { errors.add("reason", "理由不能超过500个字") }
        var newAmount = c.amount
        if outcome == .adjust {
            if let amount, (1...100_000).contains(amount), amount != c.amount { newAmount = amount } else { errors.add("amount", "请填写调整后的金额（与现金额不同的1至100000元）") }
        }
        guard errors.isEmpty else { throw RegistryError.invalid(errors.errors) }
        let facts = try await declaredFacts(c.id, db: db)
        var u = CaseUpdate(stage: outcome == .end ? .ended : .approved)
        u.amount = newAmount
        if outcome == .end {
            u.endedOn = today.description
            u.reason = reason
            u.nextRecheckOn = .some(nil)
        } else if let months = AssistanceSchedule.recheckMonths(c.kind, stable: facts.isStable) {
            u.nextRecheckOn = AssistanceSchedule.addingMonths(months, to: today).description
        }
        let due = c.nextRecheckOn ?? today.description
        let row: [any Encodable & Sendable] = [UUID(), c.id, due, today.description, outcome.rawValue, c.amount, newAmount, reason, actor.audit.username, nowSeconds]
        try await write(c, u, action: .comment, note: "复核：\(outcome.label)" + (reason.map { "（\($0)）" } ?? ""), detail: ["recheck": outcome.rawValue],
                        actor: actor.audit) { db in
            try await SQLHelpers.sql(db).insert(into: "assistance_rechecks")
                .columns("id", "case_id", "due_on", "done_on", "outcome", "old_amount", "new_amount", "reason", "done_by", "created_at")
                .values(row.map { SQLBind($0) }).run()
            try await AuditLog.append([AuditEvent(AssistanceAudit.recheck, target: .assistanceCase(c.number), detail: ["outcome": outcome.rawValue])],
                                      by: actor.audit, on: db)
        }
        return try await requireCase(caseID, in: actor.scope)
    }

    // MARK: Objections to a notice (公示异议)

    /// Anyone may object to a case under notice, from the portal; it reaches the street officer.
    public func lodgeObjection(caseID: UUID, text: String?, contact: String?, by actor: AuditActor) async throws {
        let t = (text ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        var errors = FieldErrors()
        if t.count < 5 { errors.add("text", "请写明异议的事实和理由（至少5个字）") } else if t.count > 1000 { errors.add("text", "异议不能超过1000个字") }
        let contact = contact?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
        if let contact, contact.count > 100 { errors.add("contact", "联系方式不能超过100个字") }
        guard let c = try await assistanceCase(caseID, in: .everything), c.stage == .noticed,
              let from = c.noticeFrom.flatMap(CivilDate.init), let to = c.noticeTo.flatMap(CivilDate.init), from <= today, today <= to
        else { throw RegistryError.notFound("公示") }
        guard errors.isEmpty else { throw RegistryError.invalid(errors.errors) }
        let sealed = try contact.map { try cipher.seal($0) }
        let at = nowSeconds
        try await db.writeTransaction { db in
            try await SQLHelpers.sql(db).insert(into: "assistance_objections")
                .columns("id", "case_id", "street_code", "lodged_at", "text", "contact_cipher", "status")
                .values(SQLBind(UUID()), SQLBind(c.id), SQLBind(c.streetCode), SQLBind(at), SQLBind(t), SQLBind(sealed), SQLBind(ObjectionStatus.open.rawValue)).run()
            try await AuditLog.append([AuditEvent(AssistanceAudit.objectionLodge, target: .assistanceCase(c.number))], by: actor, on: db)
        }
    }

    /// The street decides an objection: upheld sends the case back to 入户调查 (in the same transaction).
    public func handleObjection(_ id: UUID, upheld: Bool, note: String?, by actor: AssistanceActor) async throws {
        guard actor.mayReview else { throw RegistryError.forbidden("公示异议由街道（镇）处理") }
        guard let row = try await sql.select().columns("case_id", "status").from("assistance_objections").where("id", .equal, SQLBind(id)).first()
        else { throw RegistryError.notFound("异议") }
        let c = try await requireCase(try row.decode(column: "case_id", as: UUID.self), in: actor.scope)
        guard try row.decode(column: "status", as: String.self) == ObjectionStatus.open.rawValue else { throw RegistryError.conflictingState("该异议已处理") }
        guard let note = note?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty else {
            throw RegistryError.invalid([FieldError("note", "请填写核实情况")])
        }
        let at = nowSeconds
        let status = upheld ? ObjectionStatus.upheld : .dismissed
        let mark: @Sendable (any Database) async throws -> Void = { db in
            let changed = try await SQLHelpers.sql(db).update("assistance_objections").set("status", to: SQLBind(status.rawValue))
                .set("handled_by", to: SQLBind(actor.audit.username)).set("handled_at", to: SQLBind(at)).set("handling_note", to: SQLBind(note))
                .where("id", .equal, SQLBind(id)).where("status", .equal, SQLBind(ObjectionStatus.open.rawValue)).returning("id").all()
            if changed.isEmpty { throw RegistryError.conflictingState("该异议已处理") }
            try await AuditLog.append([AuditEvent(AssistanceAudit.objectionHandle, target: .assistanceCase(c.number), detail: ["status": status.rawValue])],
                                      by: actor.audit, on: db)
        }
        if upheld, let to = AssistanceWorkflow.next(kind: c.kind, from: c.stage, by: .reinvestigate) {
            var u = CaseUpdate(stage: to)
            u.noticeFrom = .some(nil)
            u.noticeTo = .some(nil)
            try await write(c, u, action: .reinvestigate, note: note, detail: nil, actor: actor.audit, extra: mark)
        } else {
            try await db.writeTransaction { db in try await mark(db) }
        }
    }

    // MARK: Standards and settings (configured by the district, audited)

    /// Sets a year's standard for an area: a new one, or a change at the version read (else 409).
    public func saveStandard(_ s: AssistanceStandard, version: Int?, by actor: AuditActor) async throws -> AssistanceStandardRecord {
        let errors = s.check()
        guard errors.isEmpty else { throw RegistryError.invalid(errors) }
        let existing = try await standard(year: s.year, area: s.area)
        if let existing, version != existing.version { throw RegistryError.staleVersion(current: existing.version) }
        let at = nowSeconds
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            if let existing {
                let changed = try await sql.update("assistance_standards").set("dibao", to: SQLBind(s.dibao)).set("tekun", to: SQLBind(s.tekun))
                    .set("disability_living", to: SQLBind(s.disabilityLiving)).set("disability_care", to: SQLBind(s.disabilityCare))
                    .set("floor", to: SQLBind(s.floor)).set("temporary_cap", to: SQLBind(s.temporaryCap)).set("medical_percent", to: SQLBind(s.medicalPercent))
                    .set("version", to: SQLBind(existing.version + 1)).set("updated_by", to: SQLBind(actor.username)).set("updated_at", to: SQLBind(at))
                    .where("id", .equal, SQLBind(existing.id)).where("version", .equal, SQLBind(existing.version)).returning("id").all()
                if changed.isEmpty { throw RegistryError.staleVersion(current: existing.version) }
            } else {
                try await sql.insert(into: "assistance_standards")
                    .columns("id", "year", "area", "dibao", "tekun", "disability_living", "disability_care", "floor", "temporary_cap", "medical_percent",
                             "version", "updated_by", "updated_at")
                    .values(SQLBind(UUID()), SQLBind(s.year), SQLBind(s.area.rawValue), SQLBind(s.dibao), SQLBind(s.tekun), SQLBind(s.disabilityLiving),
                            SQLBind(s.disabilityCare), SQLBind(s.floor), SQLBind(s.temporaryCap), SQLBind(s.medicalPercent), SQLBind(1),
                            SQLBind(actor.username), SQLBind(at)).run()
            }
            try await AuditLog.append([AuditEvent(AssistanceAudit.standard, target: .assistanceStandard(s.year, s.area),
                                                  detail: ["dibao": String(s.dibao), "tekun": String(s.tekun)])], by: actor, on: db)
        }
        return try await standard(year: s.year, area: s.area)!
    }

    /// Who decides a kind and in how many working days.
    public func saveSetting(_ kind: AssistanceKind, approvalLevel: ApprovalLevel, decisionDays: Int, version: Int, by actor: AuditActor) async throws {
        guard (5...90).contains(decisionDays) else { throw RegistryError.invalid([FieldError("decision_days", "审批时限应为5至90个工作日")]) }
        let current = try await setting(kind)
        guard current.version == version else { throw RegistryError.staleVersion(current: current.version) }
        try await db.writeTransaction { db in
            let changed = try await SQLHelpers.sql(db).update("assistance_settings").set("approval_level", to: SQLBind(approvalLevel.rawValue))
                .set("decision_days", to: SQLBind(decisionDays)).set("version", to: SQLBind(version + 1))
                .where("kind", .equal, SQLBind(kind.rawValue)).where("version", .equal, SQLBind(version)).returning("kind").all()
            if changed.isEmpty { throw RegistryError.staleVersion(current: current.version) }
            try await AuditLog.append([AuditEvent(AssistanceAudit.setting, target: AuditTarget("assistance_setting", kind.rawValue),
                                                  detail: ["approval_level": approvalLevel.rawValue, "decision_days": String(decisionDays)])], by: actor, on: db)
        }
    }
}
