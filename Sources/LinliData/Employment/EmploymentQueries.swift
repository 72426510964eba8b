import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 就业援助: the unemployment register, its contacts and referrals, public-welfare posts and placements. Every
/// read takes the caller's `RegistryScope` (a prefix of the grid code, or of the community code for posts);
/// a record outside it is not found.
public struct EmploymentQueries: Sendable {
    let db: any Database
    let today: CivilDate
    let now: @Sendable () -> Date

    public init(_ db: any Database, today: CivilDate, now: @escaping @Sendable () -> Date = { Date() }) {
        self.db = db
        self.today = today
        self.now = now
    }

    var sql: any SQLDatabase { SQLHelpers.sql(db) }
    var sqlite: Bool { db.isSQLite }
    var nowSeconds: Int64 { Int64(now().timeIntervalSince1970) }

    static let registrationColumns = ["id", "resident_id", "household_id", "grid_code", "community_code", "street_code", "registered_on", "reason",
                                      "last_job", "skills", "wishes", "designated", "categories", "category_note", "designated_on", "status",
                                      "last_contact_on", "exit_reason", "exit_on", "exit_employer", "exit_note", "registered_by", "version"]

    var registrationSelect: SQLSelectBuilder {
        var q = sql.select()
        for c in Self.registrationColumns { q = q.column(SQLColumn(c, table: "e")) }
        return q.columns(SQLColumn("name", table: "r"), SQLColumn("id_masked", table: "r"), SQLColumn("sex", table: "r"), SQLColumn("birth_date", table: "r"))
            .from(SQLAlias(SQLIdentifier("employment_registrations"), as: SQLIdentifier("e")))
            .join(SQLAlias(SQLIdentifier(Resident.schema), as: SQLIdentifier("r")), method: SQLJoinMethod.inner,
                  on: SQLColumn("id", table: "r"), .equal, SQLColumn("resident_id", table: "e"))
    }

    func filtered(_ q: SQLSelectBuilder, scope: RegistryScope, filter: EmploymentFilter) -> SQLSelectBuilder {
        var q = q.wherePrefix("e.grid_code", scope.prefix, sqlite: sqlite)
        if let s = filter.status { q = q.where(SQLColumn("status", table: "e"), .equal, SQLBind(s.rawValue)) }
        if let d = filter.designated { q = q.where(SQLColumn("designated", table: "e"), .equal, SQLBind(d)) }
        if filter.overdueContact {
            q = q.where(SQLColumn("status", table: "e"), .equal, SQLBind(RegistrationStatus.open.rawValue))
                .where(SQLColumn("last_contact_on", table: "e"), .lessThan, SQLBind(EmploymentRules.overdueBefore(today).description))
        }
        if let c = filter.category { q = q.where(SQLColumn("categories", table: "e"), .like, SQLBind("%" + c.rawValue + "%")) }
        return q
    }

    /// A page of registrations, the longest without contact first when that is the filter, else the newest.
    public func registrations(in scope: RegistryScope, filter: EmploymentFilter, page: PageRequest) async throws -> ResultPage<EmploymentRegistrationRecord> {
        var q = filtered(registrationSelect, scope: scope, filter: filter)
        if filter.overdueContact {
            q = q.orderBy(SQLColumn("last_contact_on", table: "e"))
        } else {
            q = q.orderBy(SQLOrderBy(expression: SQLColumn("registered_on", table: "e"), direction: SQLDirection.descending))
        }
        let items = try await q.orderBy(SQLColumn("id", table: "e")).limit(page.perPage).offset(page.offset).all()
            .map { try $0.decodeRecord(EmploymentRegistrationRecord.self) }
        let countQ = sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from(SQLAlias(SQLIdentifier("employment_registrations"), as: SQLIdentifier("e")))
        let total = try await SQLHelpers.count(filtered(countQ, scope: scope, filter: filter))
        return ResultPage(items: items, total: total, page: page.page, perPage: page.perPage)
    }

    public func registration(_ id: UUID, in scope: RegistryScope) async throws -> EmploymentRegistrationRecord? {
        guard let row = try await registrationSelect.where(SQLColumn("id", table: "e"), .equal, SQLBind(id)).first() else { return nil }
        let r = try row.decodeRecord(EmploymentRegistrationRecord.self)
        return scope.contains(code: r.gridCode) ? r : nil
    }

    func requireRegistration(_ id: UUID, in scope: RegistryScope) async throws -> EmploymentRegistrationRecord {
        guard let r = try await registration(id, in: scope) else { throw RegistryError.notFound("失业登记") }
        return r
    }

    /// A person's page: the registration with everything about it; a full view, audited.
    public func view(_ id: UUID, in scope: RegistryScope, by actor: AuditActor) async throws -> EmploymentRegistrationRecord {
        let r = try await requireRegistration(id, in: scope)
        try await AuditLog.record(AuditEvent(EmploymentAudit.view, target: .employmentRegistration(r.id)), by: actor, on: db, now: now())
        return r
    }

    /// The registrations of one resident, newest first (their history on the register).
    public func registrations(ofResident resident: UUID, in scope: RegistryScope) async throws -> [EmploymentRegistrationRecord] {
        try await registrationSelect.where(SQLColumn("resident_id", table: "e"), .equal, SQLBind(resident))
            .wherePrefix("e.grid_code", scope.prefix, sqlite: sqlite)
            .orderBy(SQLOrderBy(expression: SQLColumn("registered_on", table: "e"), direction: SQLDirection.descending)).all()
            .map { try $0.decodeRecord(EmploymentRegistrationRecord.self) }
    }

    public func contacts(of id: UUID) async throws -> [EmploymentContactRecord] {
        try await sql.select().columns("id", "contacted_on", "way", "content", "recorded_by").from("employment_contacts")
            .where("registration_id", .equal, SQLBind(id)).orderBy("contacted_on", .descending).orderBy("created_at", .descending).limit(200).all()
            .map { try $0.decodeRecord(EmploymentContactRecord.self) }
    }

    public func referrals(of id: UUID) async throws -> [EmploymentReferralRecord] {
        try await sql.select().columns("id", "referred_on", "employer", "post", "result", "recorded_by").from("employment_referrals")
            .where("registration_id", .equal, SQLBind(id)).orderBy("referred_on", .descending).orderBy("created_at", .descending).limit(200).all()
            .map { try $0.decodeRecord(EmploymentReferralRecord.self) }
    }

    /// The household's social-assistance cases (社会救助), newest first: read-only, beside the person.
    public func assistanceCases(ofHousehold household: UUID) async throws -> [HouseholdAssistanceCase] {
        try await sql.select().columns("number", "kind", "stage").from("assistance_cases").where("household_id", .equal, SQLBind(household))
            .orderBy("accepted_on", .descending).limit(5).all().compactMap { row in
                guard let kind = AssistanceKind(rawValue: try row.decode(column: "kind", as: String.self)),
                      let stage = AssistanceStage(rawValue: try row.decode(column: "stage", as: String.self)) else { return nil }
                return HouseholdAssistanceCase(number: try row.decode(column: "number", as: String.self), kind: kind, stage: stage)
            }
    }

    /// The register's figures of an area: a few thousand rows in a district, counted by index.
    public func figures(in scope: RegistryScope) async throws -> EmploymentFigures {
        func when(_ condition: String) -> SQLRaw { SQLRaw("CAST(sum(CASE WHEN \(condition) THEN 1 ELSE 0 END) AS BIGINT)") }
        let before = EmploymentRules.overdueBefore(today).description
        let row = try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .column(when("e.designated = \(sqlite ? "1" : "true")"), as: "designated")
            .column(when("e.last_contact_on < '\(before)'"), as: "overdue")
            .from(SQLAlias(SQLIdentifier("employment_registrations"), as: SQLIdentifier("e")))
            .wherePrefix("e.grid_code", scope.prefix, sqlite: sqlite).where(SQLColumn("status", table: "e"), .equal, SQLBind(RegistrationStatus.open.rawValue))
            .first()
        var f = EmploymentFigures()
        if let row {
            f.registered = try row.decode(column: "n", as: Int?.self) ?? 0
            f.designated = try row.decode(column: "designated", as: Int?.self) ?? 0
            f.overdue = try row.decode(column: "overdue", as: Int?.self) ?? 0
        }
        f.placed = try await SQLHelpers.count(sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from(SQLAlias(SQLIdentifier("employment_placements"), as: SQLIdentifier("p")))
            .wherePrefix("p.grid_code", scope.prefix, sqlite: sqlite)
            .where(SQLColumn("until_on", table: "p"), .greaterThanOrEqual, SQLBind(today.description))
            .where(SQLColumn("start_on", table: "p"), .lessThanOrEqual, SQLBind(today.description)))
        return f
    }

    /// Only the overdue count, for the home page.
    public func overdueContacts(in scope: RegistryScope) async throws -> Int {
        var f = EmploymentFilter()
        f.overdueContact = true
        let q = sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from(SQLAlias(SQLIdentifier("employment_registrations"), as: SQLIdentifier("e")))
        return try await SQLHelpers.count(filtered(q, scope: scope, filter: f))
    }

    // MARK: Settings

    public func termMonths() async throws -> (months: Int, version: Int) {
        guard let row = try await sql.select().columns("value", "version").from("employment_settings")
            .where("key", .equal, SQLBind("placement_term_months")).first() else { return (EmploymentRules.defaultTermMonths, 0) }
        return (try row.decode(column: "value", as: Int.self), try row.decode(column: "version", as: Int.self))
    }

    /// The district sets the placement term (months, 1 to 60); a stale version is 409.
    public func saveTerm(_ months: Int?, version: Int, by actor: EmploymentActor) async throws -> Int {
        guard actor.mayConfigure else { throw RegistryError.forbidden("您没有配置安置期限的权限") }
        guard let months, (1...60).contains(months) else { throw RegistryError.invalid([FieldError("placement_term_months", "安置期限应为1至60个月")]) }
        let at = nowSeconds
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            let current = try await sql.select().column("version").from("employment_settings").where("key", .equal, SQLBind("placement_term_months")).first()
            let v = try current?.decode(column: "version", as: Int.self) ?? 0
            guard v == version else { throw RegistryError.staleVersion(current: v) }
            try await sql.update("employment_settings").set("value", to: SQLBind(months)).set("version", to: SQLBind(v + 1))
                .set("updated_by", to: SQLBind(actor.audit.username)).set("updated_at", to: SQLBind(at))
                .where("key", .equal, SQLBind("placement_term_months")).run()
            try await AuditLog.append([AuditEvent(EmploymentAudit.setting, target: AuditTarget("employment_setting", "placement_term_months"),
                                                  detail: ["months": String(months)])], by: actor.audit, on: db)
        }
        return months
    }
}
