import FluentKit
import Foundation
import LinliCore
import SQLKit

/// The writes: a department's application (a draft, edited, submitted), the district's two steps, a community's
/// refusal of an unadmitted task and the funds that arrived. Each is one transaction with its audit entry.
extension AdmissionQueries {
    /// The communities an application reaches, checked against the divisions (422 at the field at fault).
    func reached(_ x: AdmissionTaskInput) async throws -> [String] {
        let divisions = DivisionQueries(db)
        switch x.reach {
        case .district?, nil:
            return try await divisions.all(in: .everything, level: .community).map(\.code)
        case .street?:
            let code = x.streetCode?.trimmed ?? ""
            guard let s = try? DivisionCode(code), s.level == .street, try await divisions.find(code: code) != nil else {
                throw RegistryError.invalid([FieldError("street_code", "没有这个镇（街道）")])
            }
            let found = try await divisions.all(in: RegistryScope(division: s), level: .community).map(\.code)
            if found.isEmpty { throw RegistryError.invalid([FieldError("street_code", "该镇（街道）下没有村/社区")]) }
            return found
        case .list?:
            let wanted = Set(x.communities.map(\.trimmed).filter { !$0.isEmpty })
            let known = Set(try await divisions.all(in: .everything, level: .community).map(\.code))
            let unknown = wanted.subtracting(known)
            if !unknown.isEmpty { throw RegistryError.invalid([FieldError("communities", "没有这些村/社区：\(unknown.sorted().prefix(5).joined(separator: "、"))")]) }
            return wanted.sorted()
        }
    }

    func checked(_ x: AdmissionTaskInput) async throws -> [String] {
        let errors = AdmissionRules.check(x, today: today)
        guard errors.isEmpty else { throw RegistryError.invalid(errors) }
        return try await reached(x)
    }

    func writeCommunities(_ sql: any SQLDatabase, task id: UUID, _ codes: [String]) async throws {
        try await sql.delete(from: "admission_task_communities").where("task_id", .equal, SQLBind(id)).run()
        for chunk in stride(from: 0, to: codes.count, by: 200).map({ Array(codes[$0..<min($0 + 200, codes.count)]) }) {
            var q = sql.insert(into: "admission_task_communities").columns("task_id", "community_code")
            for c in chunk { q = q.values(SQLBind(id), SQLBind(c)) }
            try await q.run()
        }
    }

    func insertStep(_ sql: any SQLDatabase, task id: UUID, _ action: AdmissionAction, version: Int, note: String?, by user: String, at: Int64) async throws {
        try await sql.insert(into: "admission_steps").columns("id", "task_id", "action", "version", "note", "by_user", "at")
            .values(SQLBind(UUID()), SQLBind(id), SQLBind(action.rawValue), SQLBind(version), SQLBind(note), SQLBind(user), SQLBind(at)).run()
    }

    /// A department's application, saved as a draft.
    public func apply(_ x: AdmissionTaskInput, by actor: AdmissionActor) async throws -> AdmissionTaskRecord {
        guard actor.mayApply, let department = actor.department else { throw RegistryError.forbidden("只有部门账号可以申请事项准入") }
        let communities = try await checked(x)
        let id = UUID(), at = nowSeconds, who = actor.audit.username
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            try await sql.insert(into: "admission_tasks").columns(Self.taskColumns)
                .values(SQLBind(id), SQLBind(department), SQLBind(x.kind!.rawValue), SQLBind(x.title!.trimmed), SQLBind(AdmissionStatus.draft.rawValue),
                        SQLBind(x.validFrom!.description), SQLBind(x.validTo!.description), SQLBind(1), SQLBind(who), SQLBind(at),
                        SQLBind(x.content!.trimmed), SQLBind(x.basis!.trimmed), SQLBind(x.reach!.rawValue),
                        SQLBind(x.reach == .street ? x.streetCode?.trimmed : nil), SQLBind(x.frequency!.rawValue), SQLBind(x.staff?.trimmed ?? ""),
                        SQLBind(x.fundsFen!), SQLBind(x.power?.trimmed ?? ""), SQLBind(String?.none), SQLBind(String?.none), SQLBind(String?.none),
                        SQLBind(String?.none), SQLBind(at))
                .run()
            try await writeCommunities(sql, task: id, communities)
            try await AuditLog.append([AuditEvent(AdmissionAudit.apply, target: .admissionTask(id),
                                                  detail: ["department": department, "kind": x.kind!.rawValue, "communities": String(communities.count)])],
                                      by: actor.audit, on: db)
        }
        return try await task(id, by: actor)
    }

    /// The department amends its draft or a task sent back to it (stale version → 409).
    public func edit(_ id: UUID, _ x: AdmissionTaskInput, version: Int, by actor: AdmissionActor) async throws -> AdmissionTaskRecord {
        let t = try await task(id, by: actor)
        guard actor.mayApply, actor.department == t.departmentCode else { throw RegistryError.forbidden("只有申请部门可以修改") }
        if let refusal = AdmissionRules.checkAction(.edit, status: t.status, step: .apply) { throw RegistryError.conflict(refusal) }
        let communities = try await checked(x)
        let at = nowSeconds
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            let changed = try await sql.update("admission_tasks")
                .set("kind", to: SQLBind(x.kind!.rawValue)).set("title", to: SQLBind(x.title!.trimmed)).set("content", to: SQLBind(x.content!.trimmed))
                .set("basis", to: SQLBind(x.basis!.trimmed)).set("reach", to: SQLBind(x.reach!.rawValue))
                .set("street_code", to: SQLBind(x.reach == .street ? x.streetCode?.trimmed : nil)).set("frequency", to: SQLBind(x.frequency!.rawValue))
                .set("valid_from", to: SQLBind(x.validFrom!.description)).set("valid_to", to: SQLBind(x.validTo!.description))
                .set("staff", to: SQLBind(x.staff?.trimmed ?? "")).set("funds_fen", to: SQLBind(x.fundsFen!)).set("power", to: SQLBind(x.power?.trimmed ?? ""))
                .set("version", to: SQLBind(t.version + 1)).set("updated_at", to: SQLBind(at))
                .where("id", .equal, SQLBind(id)).where("version", .equal, SQLBind(version)).where("status", .equal, SQLBind(t.status.rawValue))
                .returning("id").all()
            if changed.isEmpty { throw RegistryError.staleVersion(current: t.version) }
            try await writeCommunities(sql, task: id, communities)
            try await insertStep(sql, task: id, .edit, version: t.version + 1, note: nil, by: actor.audit.username, at: at)
            try await AuditLog.append([AuditEvent(AdmissionAudit.edit, target: .admissionTask(id))], by: actor.audit, on: db)
        }
        return try await task(id, by: actor)
    }

    /// The step `action` stands for, if the actor may take it.
    func stepAllowed(_ action: AdmissionAction, for actor: AdmissionActor, task t: AdmissionTaskRecord) throws -> AdmissionStep {
        guard let move = AdmissionWorkflow.move(action, from: t.status) else {
            throw RegistryError.conflict(FieldError("status", "该事项\(t.status.label)，不能\(action.label)"))
        }
        switch move.step {
        case .apply:
            guard actor.mayApply, actor.department == t.departmentCode else { throw RegistryError.forbidden("只有申请部门可以提交") }
        case .review:
            guard actor.mayReview else { throw RegistryError.forbidden("初审由区民政部门办理") }
        case .decide:
            guard actor.mayDecide else { throw RegistryError.forbidden("审定由领导小组办理") }
        }
        return move.step
    }

    /// Submits, passes (初审), admits, refuses or sends back a task: the table in `AdmissionWorkflow` says which
    /// step may do what; the 审定 is by another account than the 初审; a stale version is a 409.
    public func act(_ id: UUID, _ action: AdmissionAction, note: String?, version: Int, by actor: AdmissionActor) async throws -> AdmissionTaskRecord {
        guard action != .edit else { throw RegistryError.invalid([FieldError("decision", "请选择处理意见")]) }
        let t = try await task(id, by: actor)
        let step = try stepAllowed(action, for: actor, task: t)
        if let refusal = AdmissionRules.checkAction(action, status: t.status, step: step) { throw RegistryError.conflict(refusal) }
        let errors = AdmissionRules.checkDecision(action, note: note)
        guard errors.isEmpty else { throw RegistryError.invalid(errors) }
        let who = actor.audit.username
        if step == .decide, let refusal = AdmissionRules.checkFourEyes(reviewer: t.reviewedBy, decider: who) { throw RegistryError.conflict(refusal) }
        let to = AdmissionWorkflow.move(action, from: t.status)!.to, at = nowSeconds, text = note?.trimmedOrNil
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            var u = sql.update("admission_tasks").set("status", to: SQLBind(to.rawValue)).set("version", to: SQLBind(t.version + 1))
                .set("updated_at", to: SQLBind(at))
            if action != .submit { u = u.set("note", to: SQLBind(text)) }
            if step == .review { u = u.set("reviewed_by", to: SQLBind(who)) }
            if step == .decide || to == .refused { u = u.set("decided_by", to: SQLBind(who)).set("decided_on", to: SQLBind(today.description)) }
            if action == .submit { u = u.set("reviewed_by", to: SQLBind(String?.none)).set("note", to: SQLBind(String?.none)) }
            let changed = try await u.where("id", .equal, SQLBind(id)).where("version", .equal, SQLBind(version))
                .where("status", .equal, SQLBind(t.status.rawValue)).returning("id").all()
            if changed.isEmpty { throw RegistryError.staleVersion(current: t.version) }
            try await insertStep(sql, task: id, action, version: t.version + 1, note: text, by: who, at: at)
            try await AuditLog.append([AuditEvent(AdmissionAudit.of(action), target: .admissionTask(id), detail: ["status": to.rawValue])],
                                      by: actor.audit, on: db)
        }
        return try await task(id, by: actor)
    }

    /// A community records a task pushed to it without admission, refused (拒绝未准入事项).
    public func recordPush(community raw: String?, _ x: UnadmittedPushInput, by actor: AdmissionActor) async throws -> AdmissionPushRecord {
        guard actor.mayCommunity else { throw RegistryError.forbidden("由村/社区或镇（街道）登记") }
        let c = try await community(raw, in: actor.scope)
        let errors = AdmissionRules.check(x, today: today)
        guard errors.isEmpty, let pushedOn = x.pushedOn, let channel = x.channel else { throw RegistryError.invalid(errors) }
        let department = x.departmentCode!.trimmed
        guard try await departmentNames()[department] != nil else { throw RegistryError.invalid([FieldError("department_code", "没有这个部门")]) }
        let id = UUID(), at = nowSeconds
        try await db.writeTransaction { db in
            try await SQLHelpers.sql(db).insert(into: "admission_pushes").columns(Self.pushColumns)
                .values(SQLBind(id), SQLBind(c.code), SQLBind(department), SQLBind(x.title!.trimmed), SQLBind(pushedOn.description),
                        SQLBind(channel.rawValue), SQLBind(x.note?.trimmed ?? ""), SQLBind(actor.audit.username), SQLBind(at)).run()
            try await AuditLog.append([AuditEvent(AdmissionAudit.push, target: .admissionPush(id), detail: ["community": c.code, "department": department])],
                                      by: actor.audit, on: db)
        }
        guard let row = try await sql.select().columns(Self.pushColumns).from("admission_pushes").where("id", .equal, SQLBind(id)).first() else {
            throw RegistryError.notFound("登记")
        }
        return try row.decodeRecord(AdmissionPushRecord.self)
    }

    /// Money that arrived for an admitted task, for one of its communities and a year (费随事转).
    public func recordFunds(task id: UUID, community raw: String?, _ x: FundsArrivalInput, by actor: AdmissionActor) async throws -> AdmissionFundsRecord {
        guard actor.mayCommunity else { throw RegistryError.forbidden("由村/社区或镇（街道）登记") }
        let c = try await community(raw, in: actor.scope)
        let t = try await task(id, by: actor)
        guard t.status == .admitted, try await communities(of: id).contains(c.code) else {
            throw RegistryError.invalid([FieldError("task_id", "该事项未准入或不适用于本村/社区")])
        }
        let errors = AdmissionRules.check(x, today: today)
        guard errors.isEmpty, let year = x.year, let amount = x.amountFen, let on = x.receivedOn else { throw RegistryError.invalid(errors) }
        let fid = UUID(), at = nowSeconds
        try await db.writeTransaction { db in
            try await SQLHelpers.sql(db).insert(into: "admission_funds")
                .columns("id", "task_id", "community_code", "year", "amount_fen", "received_on", "recorded_by", "created_at")
                .values(SQLBind(fid), SQLBind(id), SQLBind(c.code), SQLBind(year), SQLBind(amount), SQLBind(on.description),
                        SQLBind(actor.audit.username), SQLBind(at)).run()
            try await AuditLog.append([AuditEvent(AdmissionAudit.funds, target: .admissionFunds(fid),
                                                  detail: ["task": id.uuidString, "community": c.code, "amount_fen": String(amount)])], by: actor.audit, on: db)
        }
        return AdmissionFundsRecord(id: fid, taskId: id, communityCode: c.code, year: year, amountFen: amount, receivedOn: on.description,
                                    recordedBy: actor.audit.username)
    }
}
