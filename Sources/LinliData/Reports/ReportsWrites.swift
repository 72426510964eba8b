import FluentKit
import Foundation
import LinliCore
import SQLKit

/// The writes: a form published under an admitted 数据报表 task, edited (or made a new version once a return
/// has started), a return saved, submitted and sent back. Each is one transaction with its audit entry.
extension ReportsQueries {
    /// Checks a form against the rules and the catalogue; the fields and their counts as stored.
    func checked(_ input: ReportFormInput, task: AdmittedTask?, catalogue: [MeasureDefinition]) throws -> [ReportField] {
        let period = task.map { $0.validFrom...max($0.validFrom, $0.validTo) }
        let errors = ReportRules.check(input, period: period,
                                       measureCheck: { MeasureRules.check(measureId: $0.measure, filters: $0.filters, catalogue: catalogue, field: $1) },
                                       kindOf: { id in catalogue.first { $0.id == id }?.kind })
        guard errors.isEmpty, let fields = input.fields else { throw RegistryError.invalid(errors) }
        return fields.map { f in
            ReportField(header: f.header.trimmingCharacters(in: .whitespacesAndNewlines), kind: f.kind, measure: f.kind.automatic ? f.measure : nil,
                        filters: f.kind.automatic ? f.filters : [:])
        }
    }

    /// The admitted 数据报表 task of the actor's department (422 at `task_id` otherwise).
    func dataTask(_ id: UUID?, by actor: ReportsActor) async throws -> AdmittedTask {
        guard actor.mayDesign, let department = actor.department else { throw RegistryError.forbidden("报表由部门设计下发") }
        guard let id else { throw RegistryError.invalid([FieldError("task_id", "请选择已准入的数据报表事项")]) }
        guard let task = try await AdmittedTasks.find(id, on: db) else {
            throw RegistryError.invalid([FieldError("task_id", "该事项未列入社区工作事项准入清单，不能向社区下发报表")])
        }
        guard task.kind == "data" else { throw RegistryError.invalid([FieldError("task_id", "该准入事项不是数据报表类，不能下发报表")]) }
        guard task.departmentCode == department else { throw RegistryError.invalid([FieldError("task_id", "该准入事项不属于本部门")]) }
        guard !task.communities.isEmpty else { throw RegistryError.invalid([FieldError("task_id", "该准入事项没有适用的村/社区")]) }
        return task
    }

    public func publish(task taskId: UUID?, _ input: ReportFormInput, catalogue: [MeasureDefinition], by actor: ReportsActor) async throws -> ReportFormRecord {
        let task = try await dataTask(taskId, by: actor)
        let fields = try checked(input, task: task, catalogue: catalogue)
        let id = UUID()
        try await db.writeTransaction { db in
            try await insertForm(db, id: id, series: id, versionNo: 1, task: task.id, department: task.departmentCode, title: input.title!,
                                 reference: input.referenceDate!, due: input.dueDate!, fields: fields, communities: task.communities, by: actor.audit.username)
            try await AuditLog.append([AuditEvent(ReportsAudit.publish, target: .reportForm(id),
                                                  detail: ["task": task.id.uuidString, "fields": String(fields.count)])], by: actor.audit, on: db)
        }
        return try await form(id, by: actor).0
    }

    func insertForm(_ db: any Database, id: UUID, series: UUID, versionNo: Int, task: UUID, department: String, title: String, reference: CivilDate,
                    due: CivilDate, fields: [ReportField], communities: [String], by user: String) async throws {
        let sql = SQLHelpers.sql(db)
        let automatic = fields.filter { $0.kind.automatic }.count
        try await sql.raw("""
            INSERT INTO report_forms (id, series_id, version_no, task_id, department_code, title, reference_date, due_date, fields, field_count,
                automatic_count, status, version, created_by, created_at)
            VALUES (\(bind: id), \(bind: series), \(bind: versionNo), \(bind: task), \(bind: department), \(bind: title.trimmingCharacters(in: .whitespacesAndNewlines)),
                \(bind: reference.description), \(bind: due.description), \(bind: ReportsJSON.encode(fields)), \(bind: fields.count), \(bind: automatic),
                'current', 1, \(bind: user), \(bind: nowSeconds))
            """).run()
        for c in Set(communities).sorted() {
            try await sql.raw("INSERT INTO report_form_communities (form_id, community_code) VALUES (\(bind: id), \(bind: c))").run()
        }
    }

    /// Edits a form: in place while no community has started its return; otherwise a new version of the
    /// series, the old one kept with its returns. Stale `version` → 409; a superseded form → 409.
    public func edit(_ id: UUID, _ input: ReportFormInput, version: Int, catalogue: [MeasureDefinition], by actor: ReportsActor) async throws -> ReportFormRecord {
        let (f, _) = try await form(id, by: actor)
        guard actor.mayDesign, actor.department == f.departmentCode else { throw RegistryError.forbidden("只有下发报表的部门可以修改报表") }
        guard f.isCurrent else { throw RegistryError.conflict(FieldError("status", "该报表已有新版本，请修改最新版本")) }
        let task = try await AdmittedTasks.find(f.taskId, on: db)
        guard let task else { throw RegistryError.conflict(FieldError("task_id", "该报表的准入事项已不在准入清单中")) }
        let fields = try checked(input, task: task, catalogue: catalogue)
        let newID = UUID(), at = nowSeconds, who = actor.audit.username
        let result = try await db.writeTransaction { db -> UUID in
            let sql = SQLHelpers.sql(db)
            let started = try await sql.raw("SELECT id FROM report_returns WHERE form_id = \(bind: id) LIMIT 1").first() != nil
            if started {
                let changed = try await sql.raw("""
                    UPDATE report_forms SET status = 'superseded', version = version + 1 WHERE id = \(bind: id) AND version = \(bind: version) AND status = 'current' RETURNING id
                    """).all()
                if changed.isEmpty { throw RegistryError.staleVersion(current: f.version) }
                try await insertForm(db, id: newID, series: f.seriesId, versionNo: f.versionNo + 1, task: f.taskId, department: f.departmentCode,
                                     title: input.title!, reference: input.referenceDate!, due: input.dueDate!, fields: fields, communities: task.communities, by: who)
                try await AuditLog.append([AuditEvent(ReportsAudit.newVersion, target: .reportForm(newID),
                                                      detail: ["previous": id.uuidString, "version_no": String(f.versionNo + 1)])], by: actor.audit, on: db)
                return newID
            }
            let automatic = fields.filter { $0.kind.automatic }.count
            let changed = try await sql.raw("""
                UPDATE report_forms SET title = \(bind: input.title!.trimmingCharacters(in: .whitespacesAndNewlines)), reference_date = \(bind: input.referenceDate!.description),
                    due_date = \(bind: input.dueDate!.description), fields = \(bind: ReportsJSON.encode(fields)), field_count = \(bind: fields.count),
                    automatic_count = \(bind: automatic), version = version + 1, created_at = \(bind: at)
                WHERE id = \(bind: id) AND version = \(bind: version) AND status = 'current' RETURNING id
                """).all()
            if changed.isEmpty { throw RegistryError.staleVersion(current: f.version) }
            try await AuditLog.append([AuditEvent(ReportsAudit.edit, target: .reportForm(id), detail: ["fields": String(fields.count)])], by: actor.audit, on: db)
            return id
        }
        return try await form(result, by: actor).0
    }

    /// Saves or submits a community's return. `typed` holds one value per field (nil or empty for the automatic
    /// ones, which are refused if given); `automatic` the platform's values of the automatic fields as of the
    /// reference date, frozen into the return on submitting. Submitting a submitted return → 409, nothing written.
    public func saveReturn(form id: UUID, community: String, typed: [String?], automatic: [Int: String], submit: Bool,
                           by actor: ReportsActor) async throws -> ReportReturnRecord {
        guard actor.mayFill, actor.department == nil else { throw RegistryError.forbidden("报表由村/社区填报") }
        let (f, seen) = try await form(id, by: actor)
        guard seen.contains(community) else { throw RegistryError.notFound("村/社区") }
        guard f.isCurrent else { throw RegistryError.conflict(FieldError("status", "该报表已有新版本，请填报最新版本")) }
        let fields = f.fieldList
        guard typed.count <= fields.count else { throw RegistryError.invalid([FieldError("values", "填报的栏目数多于报表的栏目数（\(fields.count)栏）")]) }
        var errors: [FieldError] = []
        var answers: [String?] = []
        for (i, field) in fields.enumerated() {
            let raw = i < typed.count ? typed[i] : nil
            if field.kind.automatic {
                if let raw, !raw.trimmingCharacters(in: .whitespaces).isEmpty {
                    errors.append(FieldError("values[\(i)]", "“\(field.header)”由平台自动填报，不能修改"))
                }
                answers.append(submit ? automatic[i] : nil)
            } else {
                if let e = ReportRules.checkTyped(raw, field: field, index: i, submitting: submit) { errors.append(e) }
                let v = raw?.trimmingCharacters(in: .whitespacesAndNewlines)
                answers.append(v?.isEmpty == false ? (field.kind == .number ? v.flatMap { Int64($0) }.map { String($0) } : v) : nil)
            }
        }
        guard errors.isEmpty else { throw RegistryError.invalid(errors) }
        let autoCount = fields.filter { $0.kind.automatic }.count
        let at = nowSeconds, who = actor.audit.username, text = ReportsJSON.encode(answers)
        let action: ReturnAction = submit ? .submit : .save
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            let existing = try await returnRow(id, community: community, on: db)
            guard let next = ReportRules.next(existing?.status, action) else {
                throw RegistryError.conflict(FieldError("status", existing?.status == .submitted ? "该报表已报送，不能重复报送；如需更正请部门退回" : "当前状态不能进行此操作"))
            }
            let rid: UUID
            if let existing {
                let changed = try await sql.raw("""
                    UPDATE report_returns SET status = \(bind: next.rawValue), answers = \(bind: text), automatic_fields = \(bind: submit ? autoCount : 0),
                        version = version + 1, updated_by = \(bind: who), updated_at = \(bind: at),
                        submitted_by = \(bind: submit ? who : existing.submittedBy), submitted_at = \(bind: submit ? at : existing.submittedAt)
                    WHERE id = \(bind: existing.id) AND status = \(bind: existing.status.rawValue) AND version = \(bind: existing.version) RETURNING id
                    """).all()
                if changed.isEmpty { throw RegistryError.conflict(FieldError("status", "该报表刚被其他人修改或报送，请刷新后再试")) }
                rid = existing.id
            } else {
                rid = UUID()
                let added = try await sql.raw("""
                    INSERT INTO report_returns (id, form_id, community_code, status, answers, automatic_fields, comment, version, updated_by, updated_at,
                        submitted_by, submitted_at)
                    VALUES (\(bind: rid), \(bind: id), \(bind: community), \(bind: next.rawValue), \(bind: text), \(bind: submit ? autoCount : 0), NULL, 1,
                        \(bind: who), \(bind: at), \(bind: submit ? who : nil), \(bind: submit ? at : nil))
                    ON CONFLICT (form_id, community_code) DO NOTHING RETURNING id
                    """).first()
                if added == nil { throw RegistryError.conflict(FieldError("status", "该报表刚被其他人填报，请刷新后再试")) }
            }
            try await AuditLog.append([AuditEvent(submit ? ReportsAudit.submit : ReportsAudit.save, target: .reportReturn(rid),
                                                  detail: ["form": id.uuidString, "community": community])], by: actor.audit, on: db)
        }
        return try await requireReturn(id, community: community)
    }

    func requireReturn(_ form: UUID, community: String) async throws -> ReportReturnRecord {
        guard let r = try await returnRow(form, community: community) else { throw RegistryError.notFound("填报") }
        return r
    }

    /// The department sends a submitted return back (退回) with its comment; the community corrects and resubmits.
    public func sendBack(form id: UUID, community: String, comment: String?, by actor: ReportsActor) async throws -> ReportReturnRecord {
        let (f, seen) = try await form(id, by: actor)
        guard actor.mayDesign, actor.department == f.departmentCode else { throw RegistryError.forbidden("只有下发报表的部门可以退回") }
        guard seen.contains(community) else { throw RegistryError.notFound("村/社区") }
        let text = comment?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        guard !text.isEmpty else { throw RegistryError.invalid([FieldError("comment", "请写明退回的原因和需要更正的内容")]) }
        guard text.count <= ReportRules.commentMax else { throw RegistryError.invalid([FieldError("comment", "退回意见最多\(ReportRules.commentMax)个字")]) }
        guard let r = try await returnRow(id, community: community), ReportRules.next(r.status, .sendBack) != nil else {
            throw RegistryError.conflict(FieldError("status", "只有已报送的报表可以退回"))
        }
        let at = nowSeconds, who = actor.audit.username
        try await db.writeTransaction { db in
            let changed = try await SQLHelpers.sql(db).raw("""
                UPDATE report_returns SET status = 'returned', comment = \(bind: text), version = version + 1, updated_by = \(bind: who), updated_at = \(bind: at)
                WHERE id = \(bind: r.id) AND status = 'submitted' RETURNING id
                """).all()
            if changed.isEmpty { throw RegistryError.conflict(FieldError("status", "只有已报送的报表可以退回")) }
            try await AuditLog.append([AuditEvent(ReportsAudit.sendBack, target: .reportReturn(r.id), detail: ["form": id.uuidString, "community": community])],
                                      by: actor.audit, on: db)
        }
        return try await requireReturn(id, community: community)
    }
}
