import FluentKit
import Foundation
import LinliCore
import SQLKit

extension AssistanceQueries {
    /// 受理: an application for a household in scope. The members come from the registry; the declaration gives
    /// each one's income, labour capacity, disability and illness. Checked, then written with its members, its
    /// first step, its attachments and the audit entry in one transaction.
    public func apply(_ a: AssistanceApplication, by actor: AssistanceActor) async throws -> AssistanceCaseRecord {
        guard actor.mayWrite else { throw RegistryError.forbidden("您没有受理救助申请的权限") }
        var errors = FieldErrors()
        guard let kind = a.kind else { throw RegistryError.invalid([FieldError("kind", "请选择救助类别")]) }
        guard let householdID = a.householdId else { throw RegistryError.invalid([FieldError("household_id", "请选择申请家庭")]) }
        guard let hh = try await sql.select().columns("id", "grid_code").from(Household.schema).where("id", .equal, SQLBind(householdID)).first(),
              case let grid = try hh.decode(column: "grid_code", as: String.self), actor.scope.contains(code: grid)
        else { throw RegistryError.notFound("家庭") }
        let registry = try await sql.select().columns("id", "birth_date", "relation").from(Resident.schema)
            .where("household_id", .equal, SQLBind(householdID)).where("life_status", .equal, SQLBind(LifeStatus.active.rawValue)).all()
            .map { (id: try $0.decode(column: "id", as: UUID.self), birth: try $0.decode(column: "birth_date", as: String.self),
                    relation: try $0.decode(column: "relation", as: String.self)) }
        if registry.isEmpty { errors.add("household_id", "该户没有在册成员") }
        let known = Set(registry.map { $0.id.uuidString.lowercased() })
        for (i, m) in a.facts.members.enumerated() where !known.contains(m.residentId.lowercased()) {
            errors.add("members[\(i)].resident_id", "该居民不是这一户的在册成员")
        }
        let applicant = a.applicantId
        if applicant == nil { errors.add("applicant_id", "请选择申请人") } else if !known.contains(applicant!.uuidString.lowercased()) {
            errors.add("applicant_id", "申请人不是这一户的在册成员")
        }
        // The household's members are filled in from the registry: one who was not declared has no income.
        var facts = a.facts
        facts.members = registry.map { r in
            var m = a.facts.members.first { $0.residentId.lowercased() == r.id.uuidString.lowercased() }
                ?? DeclaredMember(residentId: r.id.uuidString, age: 0, labourCapacity: .full, disabilityGrade: nil, illness: nil, incomes: [])
            m.residentId = r.id.uuidString.lowercased()
            m.age = CivilDate(r.birth).map { $0.age(on: today) } ?? 0
            return m
        }
        for e in AssistanceRules.checkSums(facts) { errors.add(e) }
        if attachmentStore != nil { for e in AssistanceAttachmentStore.check(a.attachments) { errors.add(e) } } else if !a.attachments.isEmpty {
            errors.add("attachments", "本系统未配置附件存储")
        }
        let community = String(grid.prefix(12)), street = String(grid.prefix(9))
        let area = AssistanceArea(try await communityKind(community))
        if try await standard(year: today.year, area: area) == nil {
            errors.add("kind", "\(today.year)年\(area.label)救助标准尚未配置，请区民政部门先在“救助标准”中配置")
        }
        guard errors.isEmpty, let applicant else { throw RegistryError.invalid(errors.errors) }
        let open = try await sql.select().column("number").from("assistance_cases").where("household_id", .equal, SQLBind(householdID))
            .where("kind", .equal, SQLBind(kind.rawValue))
            .where("stage", .in, SQLBind.group(AssistanceStage.allCases.filter(\.isOpen).map(\.rawValue))).first()
        if let open {
            throw RegistryError.conflict(FieldError("kind", "该户已有一件在办的\(kind.label)案件（\(try open.decode(column: "number", as: String.self))）"))
        }
        let setting = try await setting(kind)
        let std = try await standard(year: today.year, area: area)!.standard
        let id = UUID()
        let sealed = try cipher.seal(String(decoding: try JSONEncoder.sorted.encode(facts), as: UTF8.self))
        let written = try attachmentStore?.write(a.attachments, caseID: id) ?? []
        let at = nowSeconds
        let members = registry
        do {
            try await db.writeTransaction { [facts] db in
                let sql = SQLHelpers.sql(db)
                if !db.isSQLite { try await sql.raw("LOCK TABLE assistance_cases IN SHARE ROW EXCLUSIVE MODE").run() }
                let prefix = "JZ\(today.year)"
                let last = try await sql.select().column(SQLFunction("max", args: SQLColumn("number")), as: "m").from("assistance_cases")
                    .where("number", .like, SQLBind(prefix + "%")).first()
                let seq = (try last?.decode(column: "m", as: String?.self)).flatMap { Int($0.dropFirst(prefix.count)) } ?? 0
                let number = prefix + String(format: "%06d", seq + 1)
                try await sql.insert(into: "assistance_cases")
                    .columns("id", "number", "kind", "stage", "household_id", "applicant_id", "grid_code", "community_code", "street_code", "area",
                             "members", "facts_cipher", "amount", "accepted_on", "due_on", "approval_level", "granted_first", "accepted_by", "version",
                             "created_at", "updated_at")
                    .values(SQLBind(id), SQLBind(number), SQLBind(kind.rawValue), SQLBind(AssistanceStage.accepted.rawValue), SQLBind(householdID),
                            SQLBind(applicant), SQLBind(grid), SQLBind(community), SQLBind(street), SQLBind(area.rawValue), SQLBind(facts.members.count),
                            SQLBind(sealed), SQLBind(AssistanceRules.amount(kind, facts, std)), SQLBind(today.description),
                            SQLBind(AssistanceSchedule.addingWorkingDays(setting.decisionDays, to: today).description),
                            SQLBind(setting.approvalLevel.rawValue), SQLBind(false), SQLBind(actor.audit.username), SQLBind(1), SQLBind(at), SQLBind(at))
                    .run()
                var insert = sql.insert(into: "assistance_members").columns("case_id", "resident_id", "relation")
                for m in members { insert = insert.values(SQLBind(id), SQLBind(m.id), SQLBind(m.relation)) }
                try await insert.run()
                try await AssistanceQueries.insertStep(case: id, action: .accept, from: .accepted, to: .accepted, actor: actor.audit, at: at,
                                                       on: today, note: nil, detail: nil, db: db)
                for f in written {
                    try await sql.insert(into: "assistance_attachments").columns("id", "case_id", "label", "content_type", "size", "sha256", "uploaded_by", "created_at")
                        .values(SQLBind(f.id), SQLBind(id), SQLBind(f.label), SQLBind(f.contentType), SQLBind(f.size), SQLBind(f.sha256),
                                SQLBind(actor.audit.username), SQLBind(at)).run()
                }
                try await AuditLog.append([AuditEvent(AssistanceAudit.apply, target: .assistanceCase(number),
                                                      detail: ["kind": kind.rawValue, "members": String(members.count)])], by: actor.audit, on: db)
            }
        } catch {
            attachmentStore?.remove(written)
            throw error
        }
        return try await requireCase(id, in: actor.scope)
    }

    func communityKind(_ code: String) async throws -> CommunityKind? {
        guard let row = try await sql.select().column("kind").from(Division.schema).where("code", .equal, SQLBind(code)).first() else { return nil }
        return try row.decode(column: "kind", as: String?.self).flatMap(CommunityKind.init(rawValue:))
    }

    /// The sealed declaration, opened without an audit entry: for the rules (approval, re-checks), never shown.
    func declaredFacts(_ caseID: UUID, db: any Database) async throws -> DeclaredFacts {
        let row = try await SQLHelpers.sql(db).select().column("facts_cipher").from("assistance_cases").where("id", .equal, SQLBind(caseID)).first()
        guard let sealed = try row?.decode(column: "facts_cipher", as: Data.self) else { throw RegistryError.notFound("救助案件") }
        return try JSONDecoder().decode(DeclaredFacts.self, from: Data(try cipher.open(sealed).utf8))
    }

    static func insertStep(case caseID: UUID, action: AssistanceAction, from: AssistanceStage, to: AssistanceStage, actor: AuditActor, at: Int64,
                           on day: CivilDate, note: String?, detail: [String: String]?, db: any Database) async throws {
        let detailText = try detail.map { String(decoding: try JSONEncoder.sorted.encode($0), as: UTF8.self) }
        try await SQLHelpers.sql(db).insert(into: "assistance_steps")
            .columns("id", "case_id", "action", "from_stage", "to_stage", "actor", "actor_role", "at", "done_on", "note", "detail")
            .values(SQLBind(UUID()), SQLBind(caseID), SQLBind(action.rawValue), SQLBind(from.rawValue), SQLBind(to.rawValue),
                    SQLBind(actor.username), SQLBind(actor.role), SQLBind(at), SQLBind(day.description), SQLBind(note), SQLBind(detailText))
            .run()
    }
}

extension AssistanceQueries {
    /// More scans for a case in scope (a certificate that arrived later): written with the audit entry.
    public func attach(_ files: [AttachmentUpload], to caseID: UUID, by actor: AssistanceActor) async throws -> [AssistanceAttachmentRecord] {
        guard actor.mayWrite || actor.mayReview else { throw RegistryError.forbidden("您没有办理救助案件的权限") }
        let c = try await requireCase(caseID, in: actor.scope)
        guard let store = attachmentStore else { throw RegistryError.invalid([FieldError("attachments", "本系统未配置附件存储")]) }
        if files.isEmpty { throw RegistryError.invalid([FieldError("attachments", "请选择要上传的附件")]) }
        let errors = AssistanceAttachmentStore.check(files)
        guard errors.isEmpty else { throw RegistryError.invalid(errors) }
        let written = try store.write(files, caseID: c.id)
        let at = nowSeconds
        do {
            try await db.writeTransaction { db in
                let sql = SQLHelpers.sql(db)
                for f in written {
                    try await sql.insert(into: "assistance_attachments").columns("id", "case_id", "label", "content_type", "size", "sha256", "uploaded_by", "created_at")
                        .values(SQLBind(f.id), SQLBind(c.id), SQLBind(f.label), SQLBind(f.contentType), SQLBind(f.size), SQLBind(f.sha256),
                                SQLBind(actor.audit.username), SQLBind(at)).run()
                }
                try await AuditLog.append([AuditEvent(AssistanceAudit.attach, target: .assistanceCase(c.number), detail: ["files": String(written.count)])],
                                          by: actor.audit, on: db)
            }
        } catch {
            store.remove(written)
            throw error
        }
        return written
    }
}
