import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 社会救助: cases, their steps and members, the 公示, objections and re-checks. Every read of cases takes the
/// caller's `RegistryScope` (a prefix of the grid code); a case outside it is not found. Incomes, assets and
/// health are only in the sealed facts, opened by `facts(of:)`, which audits the view.
public struct AssistanceQueries: Sendable {
    let db: any Database
    let cipher: PersonalDataCipher
    let today: CivilDate
    let now: @Sendable () -> Date
    public let attachmentStore: AssistanceAttachmentStore?

    public init(_ db: any Database, cipher: PersonalDataCipher, today: CivilDate, attachments: AssistanceAttachmentStore? = nil,
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.db = db
        self.cipher = cipher
        self.today = today
        self.attachmentStore = attachments
        self.now = now
    }

    var sql: any SQLDatabase { SQLHelpers.sql(db) }
    var sqlite: Bool { db.isSQLite }
    var nowSeconds: Int64 { Int64(now().timeIntervalSince1970) }

    static let caseColumns = ["id", "number", "kind", "stage", "household_id", "applicant_id", "grid_code", "community_code", "street_code", "area",
                              "members", "amount", "accepted_on", "due_on", "decided_on", "notice_from", "notice_to", "approval_level",
                              "granted_first", "first_month", "next_recheck_on", "ended_on", "reason", "accepted_by", "version", "updated_at"]

    var caseSelect: SQLSelectBuilder {
        var q = sql.select()
        for c in AssistanceQueries.caseColumns { q = q.column(SQLColumn(c, table: "c")) }
        return q.column(SQLColumn("name", table: "r"), as: "applicant_name").column(SQLColumn("number", table: "h"), as: "household_number")
            .from(SQLAlias(SQLIdentifier("assistance_cases"), as: SQLIdentifier("c")))
            .join(SQLAlias(SQLIdentifier(Resident.schema), as: SQLIdentifier("r")), method: SQLJoinMethod.inner,
                  on: SQLColumn("id", table: "r"), .equal, SQLColumn("applicant_id", table: "c"))
            .join(SQLAlias(SQLIdentifier(Household.schema), as: SQLIdentifier("h")), method: SQLJoinMethod.inner,
                  on: SQLColumn("id", table: "h"), .equal, SQLColumn("household_id", table: "c"))
    }

    /// Cases with a member who died or moved out while the case is being paid: up for review at once.
    func memberGone() -> SQLGroupExpression {
        SQLGroupExpression(sql.select().column("case_id").from(SQLAlias(SQLIdentifier("assistance_members"), as: SQLIdentifier("m")))
            .join(SQLAlias(SQLIdentifier(Resident.schema), as: SQLIdentifier("g")), method: SQLJoinMethod.inner,
                  on: SQLColumn("id", table: "g"), .equal, SQLColumn("resident_id", table: "m"))
            .where(SQLColumn("life_status", table: "g"), .notEqual, SQLBind(LifeStatus.active.rawValue)).select)
    }

    func filtered(_ q: SQLSelectBuilder, scope: RegistryScope, filter: AssistanceFilter) -> SQLSelectBuilder {
        var q = q.wherePrefix("c.grid_code", scope.prefix, sqlite: sqlite)
        if let g = filter.gridCode { q = q.where(SQLColumn("grid_code", table: "c"), .equal, SQLBind(g)) }
        if let k = filter.kind { q = q.where(SQLColumn("kind", table: "c"), .equal, SQLBind(k.rawValue)) }
        if let s = filter.stage { q = q.where(SQLColumn("stage", table: "c"), .equal, SQLBind(s.rawValue)) }
        if filter.overdue {
            q = q.where(SQLColumn("stage", table: "c"), .in, SQLBind.group(AssistanceStage.allCases.filter(\.isPending).map(\.rawValue)))
                .where(SQLColumn("due_on", table: "c"), .lessThan, SQLBind(today.description))
        }
        if filter.recheckDue {
            q = q.where(SQLColumn("stage", table: "c"), .equal, SQLBind(AssistanceStage.approved.rawValue)).where { g in
                g.where(SQLColumn("next_recheck_on", table: "c"), .lessThanOrEqual, SQLBind(today.description))
                    .orWhere(SQLColumn("id", table: "c"), .in, memberGone())
            }
        }
        return q
    }

    public func cases(in scope: RegistryScope, filter: AssistanceFilter, page: PageRequest) async throws -> ResultPage<AssistanceCaseRecord> {
        let items = try await filtered(caseSelect, scope: scope, filter: filter)
            .orderBy(SQLOrderBy(expression: SQLColumn("accepted_on", table: "c"), direction: SQLDirection.descending)).orderBy(SQLOrderBy(expression: SQLColumn("number", table: "c"), direction: SQLDirection.descending))
            .limit(page.perPage).offset(page.offset).all().map { try $0.decodeRecord(AssistanceCaseRecord.self) }
        let countQ = sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from(SQLAlias(SQLIdentifier("assistance_cases"), as: SQLIdentifier("c")))
        let total = try await SQLHelpers.count(filtered(countQ, scope: scope, filter: filter))
        return ResultPage(items: items, total: total, page: page.page, perPage: page.perPage)
    }

    /// The case with this id, if in scope.
    public func assistanceCase(_ id: UUID, in scope: RegistryScope) async throws -> AssistanceCaseRecord? {
        guard let row = try await caseSelect.where(SQLColumn("id", table: "c"), .equal, SQLBind(id)).first() else { return nil }
        let r = try row.decodeRecord(AssistanceCaseRecord.self)
        return scope.contains(code: r.gridCode) ? r : nil
    }

    func requireCase(_ id: UUID, in scope: RegistryScope) async throws -> AssistanceCaseRecord {
        guard let c = try await assistanceCase(id, in: scope) else { throw RegistryError.notFound("救助案件") }
        return c
    }

    public func members(of caseID: UUID) async throws -> [AssistanceMemberRecord] {
        try await sql.select().column(SQLColumn("resident_id", table: "m")).column(SQLColumn("relation", table: "m"))
            .columns(SQLColumn("name", table: "r"), SQLColumn("id_masked", table: "r"), SQLColumn("birth_date", table: "r"),
                     SQLColumn("life_status", table: "r"), SQLColumn("residence_status", table: "r"))
            .from(SQLAlias(SQLIdentifier("assistance_members"), as: SQLIdentifier("m")))
            .join(SQLAlias(SQLIdentifier(Resident.schema), as: SQLIdentifier("r")), method: SQLJoinMethod.inner,
                  on: SQLColumn("id", table: "r"), .equal, SQLColumn("resident_id", table: "m"))
            .where(SQLColumn("case_id", table: "m"), .equal, SQLBind(caseID))
            .orderBy(SQLColumn("birth_date", table: "r")).all().map { try $0.decodeRecord(AssistanceMemberRecord.self) }
    }

    public func steps(of caseID: UUID) async throws -> [AssistanceStepRecord] {
        try await sql.select().columns("id", "action", "from_stage", "to_stage", "actor", "actor_role", "at", "done_on", "note", "detail")
            .from("assistance_steps").where("case_id", .equal, SQLBind(caseID)).orderBy("at").orderBy("id").all()
            .map { try $0.decodeRecord(AssistanceStepRecord.self) }
    }

    public func attachments(of caseID: UUID) async throws -> [AssistanceAttachmentRecord] {
        try await sql.select().columns("id", "case_id", "label", "content_type", "size", "sha256").from("assistance_attachments")
            .where("case_id", .equal, SQLBind(caseID)).orderBy("created_at").all().map { try $0.decodeRecord(AssistanceAttachmentRecord.self) }
    }

    public func rechecks(of caseID: UUID) async throws -> [AssistanceRecheckRecord] {
        try await sql.select().columns("id", "case_id", "due_on", "done_on", "outcome", "old_amount", "new_amount", "reason", "done_by")
            .from("assistance_rechecks").where("case_id", .equal, SQLBind(caseID)).orderBy("done_on").all()
            .map { try $0.decodeRecord(AssistanceRecheckRecord.self) }
    }

    /// The declaration of a case opened: incomes, assets, labour capacity, disability and illness. Every call
    /// is a full view of sensitive data and is audited.
    public func facts(of caseID: UUID, in scope: RegistryScope, by actor: AuditActor) async throws -> DeclaredFacts {
        let c = try await requireCase(caseID, in: scope)
        let row = try await sql.select().column("facts_cipher").from("assistance_cases").where("id", .equal, SQLBind(caseID)).first()
        guard let sealed = try row?.decode(column: "facts_cipher", as: Data.self) else { throw RegistryError.notFound("救助案件") }
        let facts = try JSONDecoder().decode(DeclaredFacts.self, from: Data(try cipher.open(sealed).utf8))
        try await AuditLog.record(AuditEvent(AssistanceAudit.viewFacts, target: .assistanceCase(c.number)), by: actor, on: db, now: now())
        return facts
    }

    /// The cases of the household of the resident linked to a portal account (the portal's 我的救助); nil when the
    /// account is linked to no one in the registry.
    public func ownCases(account: UUID) async throws -> [AssistanceCaseRecord]? {
        guard let link = try await sql.select().column("resident_id").from("account_residents").where("account_id", .equal, SQLBind(account)).first()
        else { return nil }
        let resident = try link.decode(column: "resident_id", as: UUID.self)
        guard let row = try await sql.select().column("household_id").from(Resident.schema).where("id", .equal, SQLBind(resident)).first() else { return [] }
        let household = try row.decode(column: "household_id", as: UUID.self)
        return try await caseSelect.where(SQLColumn("household_id", table: "c"), .equal, SQLBind(household))
            .orderBy(SQLOrderBy(expression: SQLColumn("accepted_on", table: "c"), direction: SQLDirection.descending)).all().map { try $0.decodeRecord(AssistanceCaseRecord.self) }
    }

    /// Links a resident's portal account (by username) to a member of a case's household, so that they see the
    /// household's cases on the portal. Done by the community that knows them; audited.
    public func linkAccount(username: String?, to resident: UUID, of caseID: UUID, by actor: AssistanceActor) async throws {
        guard actor.mayWrite else { throw RegistryError.forbidden("您没有办理救助案件的权限") }
        let c = try await requireCase(caseID, in: actor.scope)
        guard try await members(of: c.id).contains(where: { $0.residentId == resident }) else {
            throw RegistryError.invalid([FieldError("resident_id", "该居民不是本案家庭成员")])
        }
        guard let name = username?.trimmingCharacters(in: .whitespaces), !name.isEmpty,
              let row = try await sql.select().columns("id", "role").from("accounts").where("username", .equal, SQLBind(name)).first(),
              try row.decode(column: "role", as: String.self) == Role.resident.rawValue
        else { throw RegistryError.invalid([FieldError("username", "没有这个居民账号")]) }
        let account = try row.decode(column: "id", as: UUID.self)
        let at = nowSeconds
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            try await sql.delete(from: "account_residents").where("account_id", .equal, SQLBind(account)).run()
            try await sql.insert(into: "account_residents").columns("account_id", "resident_id", "linked_by", "linked_at")
                .values(SQLBind(account), SQLBind(resident), SQLBind(actor.audit.username), SQLBind(at)).run()
            try await AuditLog.append([AuditEvent(AssistanceAudit.linkAccount, target: .account(name), detail: ["case": c.number])], by: actor.audit, on: db)
        }
    }

    // MARK: 公示

    /// What is under notice today in a community: shown on the portal without signing in.
    public func notices(community: String) async throws -> [AssistanceNoticeRecord] {
        try await caseSelect.where(SQLColumn("community_code", table: "c"), .equal, SQLBind(community))
            .where(SQLColumn("stage", table: "c"), .equal, SQLBind(AssistanceStage.noticed.rawValue))
            .where(SQLColumn("notice_from", table: "c"), .lessThanOrEqual, SQLBind(today.description))
            .where(SQLColumn("notice_to", table: "c"), .greaterThanOrEqual, SQLBind(today.description))
            .orderBy(SQLColumn("notice_from", table: "c")).orderBy(SQLColumn("number", table: "c")).all()
            .map { try $0.decodeRecord(AssistanceCaseRecord.self) }
            .map { c in
                AssistanceNoticeRecord(id: c.id, number: c.number, kind: c.kind, maskedName: AssistanceNotice.maskedName(c.applicantName ?? ""),
                                       members: c.members, amount: c.amount, noticeFrom: c.noticeFrom ?? "", noticeTo: c.noticeTo ?? "",
                                       communityCode: c.communityCode)
            }
    }

    /// The communities with something under notice today, with how many.
    public func noticeCommunities() async throws -> [(code: String, name: String, count: Int)] {
        try await sql.select().column(SQLColumn("community_code", table: "c")).column(SQLColumn("name", table: "d"))
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from(SQLAlias(SQLIdentifier("assistance_cases"), as: SQLIdentifier("c")))
            .join(SQLAlias(SQLIdentifier(Division.schema), as: SQLIdentifier("d")), method: SQLJoinMethod.inner,
                  on: SQLColumn("code", table: "d"), .equal, SQLColumn("community_code", table: "c"))
            .where(SQLColumn("stage", table: "c"), .equal, SQLBind(AssistanceStage.noticed.rawValue))
            .where(SQLColumn("notice_from", table: "c"), .lessThanOrEqual, SQLBind(today.description))
            .where(SQLColumn("notice_to", table: "c"), .greaterThanOrEqual, SQLBind(today.description))
            .groupBy(SQLColumn("community_code", table: "c")).groupBy(SQLColumn("name", table: "d"))
            .orderBy(SQLColumn("community_code", table: "c")).all()
            .map { (try $0.decode(column: "community_code", as: String.self), try $0.decode(column: "name", as: String.self), try $0.decode(column: "n", as: Int.self)) }
    }

    public func objections(in scope: RegistryScope, openOnly: Bool) async throws -> [AssistanceObjectionRecord] {
        var q = sql.select().columns(SQLColumn("id", table: "o"), SQLColumn("case_id", table: "o"), SQLColumn("lodged_at", table: "o"),
                                     SQLColumn("text", table: "o"), SQLColumn("status", table: "o"), SQLColumn("handled_by", table: "o"),
                                     SQLColumn("handled_at", table: "o"), SQLColumn("handling_note", table: "o"))
            .column(SQLColumn("number", table: "c"), as: "case_number")
            .from(SQLAlias(SQLIdentifier("assistance_objections"), as: SQLIdentifier("o")))
            .join(SQLAlias(SQLIdentifier("assistance_cases"), as: SQLIdentifier("c")), method: SQLJoinMethod.inner,
                  on: SQLColumn("id", table: "c"), .equal, SQLColumn("case_id", table: "o"))
            .wherePrefix("c.grid_code", scope.prefix, sqlite: sqlite)
        if openOnly { q = q.where(SQLColumn("status", table: "o"), .equal, SQLBind(ObjectionStatus.open.rawValue)) }
        return try await q.orderBy(SQLOrderBy(expression: SQLColumn("lodged_at", table: "o"), direction: SQLDirection.descending)).limit(200).all()
            .map { try $0.decodeRecord(AssistanceObjectionRecord.self) }
    }

    public func objections(of caseID: UUID) async throws -> [AssistanceObjectionRecord] {
        try await sql.select().columns("id", "case_id", "lodged_at", "text", "status", "handled_by", "handled_at", "handling_note")
            .from("assistance_objections").where("case_id", .equal, SQLBind(caseID)).orderBy("lodged_at").all()
            .map { try $0.decodeRecord(AssistanceObjectionRecord.self) }
    }

    // MARK: Standards and settings

    public func standards() async throws -> [AssistanceStandardRecord] {
        try await sql.select().columns("id", "year", "area", "dibao", "tekun", "disability_living", "disability_care", "floor", "temporary_cap",
                                       "medical_percent", "version", "updated_by", "updated_at")
            .from("assistance_standards").orderBy("year", .descending).orderBy("area", .descending).all()
            .map { try $0.decodeRecord(AssistanceStandardRecord.self) }
    }

    public func standard(year: Int, area: AssistanceArea) async throws -> AssistanceStandardRecord? {
        try await standards().first { $0.year == year && $0.area == area }
    }

    public func settings() async throws -> [AssistanceSettingRecord] {
        let rows = try await sql.select().columns("kind", "approval_level", "decision_days", "version").from("assistance_settings").all()
            .map { try $0.decodeRecord(AssistanceSettingRecord.self) }
        return AssistanceKind.allCases.compactMap { k in rows.first { $0.kind == k } }
    }

    func setting(_ kind: AssistanceKind) async throws -> AssistanceSettingRecord {
        try await settings().first { $0.kind == kind }
            ?? AssistanceSettingRecord(kind: kind, approvalLevel: kind.defaultApprovalLevel, decisionDays: AssistanceSchedule.defaultDecisionDays, version: 1)
    }
}
