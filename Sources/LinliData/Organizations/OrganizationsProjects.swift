import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 政府购买服务, 资助项目, 合同外包: a project of an organization, its milestones with payments, its evaluation.
/// A payment changes the project's paid total only through one statement that checks and adds at once
/// (`paid_fen = paid_fen + n … WHERE paid_fen + n <= contract_fen`), so two payments at once cannot pass the
/// contract amount, on SQLite or PostgreSQL. The same statement adds the milestone's beneficiaries and takes its number.
extension OrganizationsQueries {
    static let projectColumns = ["id", "organization_id", "division_code", "title", "mode", "buyer", "buyer_code", "contract_fen", "paid_fen", "signed_on", "starts_on",
                                 "ends_on", "deliverables", "beneficiaries", "milestones", "score", "evaluated_on", "evaluation_note", "version"]

    var projectSelect: SQLSelectBuilder {
        var q = sql.select()
        for c in Self.projectColumns { q = q.column(SQLColumn(c, table: "p")) }
        return q.column(SQLColumn("name", table: "o"), as: "organization_name")
            .from(SQLAlias(SQLIdentifier("organization_projects"), as: SQLIdentifier("p")))
            .join(SQLAlias(SQLIdentifier("organizations"), as: SQLIdentifier("o")), method: SQLJoinMethod.inner,
                  on: SQLColumn("id", table: "o"), .equal, SQLColumn("organization_id", table: "p"))
    }

    /// The projects of the scope (or of one organization), newest first.
    public func projects(in scope: RegistryScope, organization: UUID? = nil, page: PageRequest) async throws -> ResultPage<ProjectRecord> {
        func narrowed(_ q: SQLSelectBuilder) -> SQLSelectBuilder {
            let q = scoped(q, scope, column: "p.division_code")
            return organization.map { q.where(SQLColumn("organization_id", table: "p"), .equal, SQLBind($0)) } ?? q
        }
        let items = try await narrowed(projectSelect)
            .orderBy(SQLOrderBy(expression: SQLColumn("signed_on", table: "p"), direction: SQLDirection.descending)).orderBy(SQLColumn("id", table: "p"))
            .limit(page.perPage).offset(page.offset).all().map { try $0.decodeRecord(ProjectRecord.self) }
        let total = try await SQLHelpers.count(narrowed(sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from(SQLAlias(SQLIdentifier("organization_projects"), as: SQLIdentifier("p")))))
        return ResultPage(items: items, total: total, page: page.page, perPage: page.perPage)
    }

    public func project(_ id: UUID, in scope: RegistryScope) async throws -> ProjectRecord? {
        guard let row = try await projectSelect.where(SQLColumn("id", table: "p"), .equal, SQLBind(id)).first() else { return nil }
        let p = try row.decodeRecord(ProjectRecord.self)
        return Self.sees(scope, division: p.divisionCode) ? p : nil
    }

    func requireProject(_ id: UUID, in scope: RegistryScope) async throws -> ProjectRecord {
        guard let p = try await project(id, in: scope) else { throw RegistryError.notFound("项目") }
        return p
    }

    /// The district's departments, which may be buying units (their codes typed as the buyer).
    public func departments() async throws -> [DepartmentDefinition] {
        try await sql.select().columns("code", "name").from("departments").orderBy("code").all()
            .map { DepartmentDefinition(code: try $0.decode(column: "code", as: String.self), name: try $0.decode(column: "name", as: String.self)) }
    }

    public func milestones(of project: UUID) async throws -> [MilestoneRecord] {
        try await sql.select().columns("id", "project_id", "seq", "on_date", "description", "payment_fen", "paid_after_fen", "beneficiaries", "recorded_by")
            .from("organization_milestones").where("project_id", .equal, SQLBind(project)).orderBy("seq").all()
            .map { try $0.decodeRecord(MilestoneRecord.self) }
    }

    /// A project of an organization on the books in the caller's area.
    public func createProject(organization orgID: UUID?, _ input: ProjectInput, by actor: OrganizationsActor) async throws -> ProjectRecord {
        guard actor.mayProjects else { throw RegistryError.forbidden("您没有登记购买服务项目的权限") }
        guard let orgID else { throw RegistryError.invalid([FieldError("organization_id", "请选择承接项目的社会组织")]) }
        guard let o = try await self.organization(orgID, in: actor.scope) else {
            throw RegistryError.invalid([FieldError("organization_id", "本辖区没有这个社会组织")])
        }
        guard o.status != .deregistered else { throw RegistryError.invalid([FieldError("organization_id", "“\(o.name)”已注销，不能承接项目")]) }
        let errors = OrganizationRules.check(input, today: today)
        guard errors.isEmpty, let mode = input.mode, let fen = input.contractFen, let signed = input.signedOn, let starts = input.startsOn,
              let ends = input.endsOn else { throw RegistryError.invalid(errors) }
        // A department's code typed as the buyer is kept with the department's name.
        var buyer = input.buyer!.trimmed, buyerCode: String?
        if let row = try await sql.select().columns("code", "name").from("departments").where("code", .equal, SQLBind(buyer.uppercased())).first() {
            buyerCode = try row.decode(column: "code", as: String.self)
            buyer = try row.decode(column: "name", as: String.self)
        }
        let id = UUID(), at = nowSeconds
        try await db.writeTransaction { [buyer, buyerCode] db in
            try await SQLHelpers.sql(db).insert(into: "organization_projects")
                .columns("id", "organization_id", "division_code", "title", "mode", "buyer", "buyer_code", "contract_fen", "paid_fen", "signed_on", "starts_on", "ends_on",
                         "deliverables", "beneficiaries", "milestones", "score", "evaluated_on", "evaluation_note", "version", "created_by", "created_at", "updated_at")
                .values(SQLBind(id), SQLBind(o.id), SQLBind(o.divisionCode), SQLBind(input.title!.trimmed), SQLBind(mode.rawValue), SQLBind(buyer),
                        SQLBind(buyerCode), SQLBind(fen), SQLBind(0), SQLBind(signed.description), SQLBind(starts.description), SQLBind(ends.description),
                        SQLBind(input.deliverables!.trimmed), SQLBind(0), SQLBind(0), SQLBind(Int?.none), SQLBind(String?.none), SQLBind(String?.none),
                        SQLBind(1), SQLBind(actor.audit.username), SQLBind(at), SQLBind(at))
                .run()
            try await AuditLog.append([AuditEvent(OrganizationsAudit.projectCreate, target: .organizationProject(id),
                                                  detail: ["organization": o.id.uuidString, "contract_fen": String(fen), "mode": mode.rawValue])],
                                      by: actor.audit, on: db)
        }
        return try await requireProject(id, in: actor.scope)
    }

    /// A milestone with its payment (0 for none): refused at `payment_fen` when the paid total would pass the contract.
    public func recordMilestone(_ projectID: UUID, _ input: MilestoneInput, by actor: OrganizationsActor) async throws -> MilestoneRecord {
        guard actor.mayProjects else { throw RegistryError.forbidden("您没有登记项目拨付的权限") }
        let p = try await requireProject(projectID, in: actor.scope)
        guard p.score == nil else { throw RegistryError.conflictingState("项目已结项评估，不能再登记阶段成果") }
        let errors = OrganizationRules.check(input, startsOn: CivilDate(p.startsOn) ?? today, today: today)
        guard errors.isEmpty, let date = input.onDate else { throw RegistryError.invalid(errors) }
        let fen = input.paymentFen ?? 0, people = input.beneficiaries ?? 0
        let id = UUID(), at = nowSeconds
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            // Checks and adds at once: of two payments that together pass the contract, the second finds the condition false.
            let row = try await sql.raw("""
                UPDATE organization_projects SET paid_fen = paid_fen + \(bind: fen), beneficiaries = beneficiaries + \(bind: people),
                milestones = milestones + 1, updated_at = \(bind: at)
                WHERE id = \(bind: projectID) AND score IS NULL AND paid_fen + \(bind: fen) <= contract_fen
                RETURNING paid_fen, milestones
                """).first()
            guard let row else {
                let current = try await sql.select().columns("paid_fen", "contract_fen", "score").from("organization_projects").where("id", .equal, SQLBind(projectID)).first()
                if try current?.decode(column: "score", as: Int?.self) != nil { throw RegistryError.conflictingState("项目已结项评估，不能再登记阶段成果") }
                throw RegistryError.invalid([OrganizationRules.overpaid(paymentFen: fen, paidFen: try current?.decode(column: "paid_fen", as: Int.self) ?? p.paidFen,
                                                                        contractFen: p.contractFen)])
            }
            let paidAfter = try row.decode(column: "paid_fen", as: Int.self), seq = try row.decode(column: "milestones", as: Int.self)
            try await sql.insert(into: "organization_milestones")
                .columns("id", "project_id", "seq", "on_date", "description", "payment_fen", "paid_after_fen", "beneficiaries", "recorded_by", "created_at")
                .values(SQLBind(id), SQLBind(projectID), SQLBind(seq), SQLBind(date.description), SQLBind(input.description!.trimmed), SQLBind(fen),
                        SQLBind(paidAfter), SQLBind(people), SQLBind(actor.audit.username), SQLBind(at))
                .run()
            try await AuditLog.append([AuditEvent(OrganizationsAudit.milestone, target: .organizationProject(projectID),
                                                  detail: ["payment_fen": String(fen), "paid_after_fen": String(paidAfter), "seq": String(seq)])],
                                      by: actor.audit, on: db)
        }
        guard let m = try await milestones(of: projectID).first(where: { $0.id == id }) else { throw RegistryError.notFound("阶段成果") }
        return m
    }

    /// The evaluation (结项评估) once the term has ended; only once.
    public func evaluate(_ projectID: UUID, score: Int?, note: String?, version: Int, by actor: OrganizationsActor) async throws -> ProjectRecord {
        guard actor.mayProjects else { throw RegistryError.forbidden("您没有评估项目的权限") }
        let p = try await requireProject(projectID, in: actor.scope)
        guard p.score == nil else { throw RegistryError.conflictingState("项目已于\(p.evaluatedOn ?? "")评估") }
        var errors = OrganizationRules.checkEvaluation(score: score, endsOn: CivilDate(p.endsOn) ?? today, today: today)
        if let n = note, n.count > 500 { errors.append(FieldError("note", "评估意见最多500个字")) }
        guard errors.isEmpty, let score else { throw RegistryError.invalid(errors) }
        let at = nowSeconds, day = today.description
        try await db.writeTransaction { db in
            let changed = try await SQLHelpers.sql(db).update("organization_projects")
                .set("score", to: SQLBind(score)).set("evaluated_on", to: SQLBind(day)).set("evaluation_note", to: SQLBind(note?.trimmedOrNil))
                .set("version", to: SQLBind(version + 1)).set("updated_at", to: SQLBind(at))
                .where("id", .equal, SQLBind(projectID)).where("version", .equal, SQLBind(version)).where("score", .is, SQLLiteral.null)
                .returning("id").all()
            if changed.isEmpty { throw RegistryError.staleVersion(current: p.version) }
            try await AuditLog.append([AuditEvent(OrganizationsAudit.evaluate, target: .organizationProject(projectID), detail: ["score": String(score)])],
                                      by: actor.audit, on: db)
        }
        return try await requireProject(projectID, in: actor.scope)
    }
}
