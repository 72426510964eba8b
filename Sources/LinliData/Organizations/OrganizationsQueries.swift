import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 社会组织: the register, its annual reports, the incubation base, support and projects. Reads take the caller's
/// `RegistryScope`: an organization is seen in the scope of its division, and one serving a whole street is seen
/// by the communities of that street too. An organization outside the scope is not found.
public struct OrganizationsQueries: Sendable {
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

    static let columns = ["id", "name", "registration", "kind", "field", "credit_code", "legal_person", "phone_masked", "founded_on", "registered_on",
                          "division_code", "status", "status_on", "incubating", "version", "updated_at"]

    var select: SQLSelectBuilder {
        var q = sql.select()
        for c in Self.columns { q = q.column(SQLColumn(c, table: "o")) }
        return q.column(SQLColumn("name", table: "d"), as: "division_name")
            .from(SQLAlias(SQLIdentifier("organizations"), as: SQLIdentifier("o")))
            .join(SQLAlias(SQLIdentifier(Division.schema), as: SQLIdentifier("d")), method: SQLJoinMethod.left,
                  on: SQLColumn("code", table: "d"), .equal, SQLColumn("division_code", table: "o"))
    }

    /// Whether an organization of `division` is seen in `scope`: a street's (`…000`) is seen by its communities too.
    public static func sees(_ scope: RegistryScope, division: String) -> Bool {
        scope.contains(code: division) || (division.hasSuffix("000") && scope.prefix.count > 9 && scope.prefix.hasPrefix(division.prefix(9)))
    }

    func scoped(_ q: SQLSelectBuilder, _ scope: RegistryScope, column: String = "o.division_code") -> SQLSelectBuilder {
        let prefix = scope.prefix.count > 12 ? String(scope.prefix.prefix(12)) : scope.prefix
        guard prefix.count > 9 else { return q.wherePrefix(column, prefix, sqlite: sqlite) }
        let street = String(prefix.prefix(9)) + "000", sqlite = sqlite
        return q.where { $0.where { $0.wherePrefix(column, prefix, sqlite: sqlite) }.orWhere(SQLHelpers.column(column), .equal, SQLBind(street)) }
    }

    func filtered(_ q: SQLSelectBuilder, _ f: OrganizationFilter) -> SQLSelectBuilder {
        var q = q
        if let k = f.kind { q = q.where(SQLColumn("kind", table: "o"), .equal, SQLBind(k.rawValue)) }
        if let s = f.status { q = q.where(SQLColumn("status", table: "o"), .equal, SQLBind(s.rawValue)) }
        if let fi = f.field { q = q.where(SQLColumn("field", table: "o"), .equal, SQLBind(fi.rawValue)) }
        if let i = f.incubating { q = q.where(SQLColumn("incubating", table: "o"), .equal, SQLBind(i)) }
        if let t = f.text?.trimmingCharacters(in: .whitespaces), !t.isEmpty {
            let initials = Pinyin.normalizeQuery(t)
            // Wildcards typed are dropped rather than escaped: SQLite's LIKE has no default escape.
            let like = "%" + t.filter { $0 != "%" && $0 != "_" && $0 != "\\" } + "%"
            if !initials.isEmpty && initials.count == t.count {
                q = q.where { $0.where(SQLColumn("name_initials", table: "o"), .like, SQLBind(initials + "%"))
                    .orWhere(SQLColumn("name", table: "o"), .like, SQLBind(like)) }
            } else {
                q = q.where(SQLColumn("name", table: "o"), .like, SQLBind(like))
            }
        }
        return q
    }

    /// The register of the scope, by division and name.
    public func list(in scope: RegistryScope, _ filter: OrganizationFilter = .init(), page: PageRequest) async throws -> ResultPage<OrganizationRecord> {
        let items = try await filtered(scoped(select, scope), filter)
            .orderBy(SQLColumn("division_code", table: "o")).orderBy(SQLColumn("name", table: "o")).orderBy(SQLColumn("id", table: "o"))
            .limit(page.perPage).offset(page.offset).all().map { try $0.decodeRecord(OrganizationRecord.self) }
        let total = try await SQLHelpers.count(filtered(scoped(sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from(SQLAlias(SQLIdentifier("organizations"), as: SQLIdentifier("o"))), scope), filter))
        return ResultPage(items: items, total: total, page: page.page, perPage: page.perPage)
    }

    /// On the books, active, incubating and registered this year in the scope: the list's and home page's figures.
    public func figures(in scope: RegistryScope) async throws -> (onBooks: Int, active: Int, incubating: Int, newThisYear: Int) {
        let yearStart = String(format: "%04d-01-01", today.year)
        func when(_ c: String) -> SQLRaw { SQLRaw("CAST(sum(CASE WHEN \(c) THEN 1 ELSE 0 END) AS BIGINT)") }
        let q = scoped(sql.select()
            .column(when("o.status <> 'deregistered'"), as: "books").column(when("o.status = 'active'"), as: "active")
            .column(when("o.incubating = \(sqlite ? "1" : "true")"), as: "incubating")
            .column(when("o.status <> 'deregistered' AND o.registered_on >= '\(yearStart)'"), as: "new")
            .from(SQLAlias(SQLIdentifier("organizations"), as: SQLIdentifier("o"))), scope)
        guard let row = try await q.first() else { return (0, 0, 0, 0) }
        func n(_ c: String) throws -> Int { Int(try row.decode(column: c, as: Int64?.self) ?? 0) }
        return (try n("books"), try n("active"), try n("incubating"), try n("new"))
    }

    public func organization(_ id: UUID, in scope: RegistryScope) async throws -> OrganizationRecord? {
        guard let row = try await select.where(SQLColumn("id", table: "o"), .equal, SQLBind(id)).first() else { return nil }
        let o = try row.decodeRecord(OrganizationRecord.self)
        return Self.sees(scope, division: o.divisionCode) ? o : nil
    }

    func require(_ id: UUID, in scope: RegistryScope) async throws -> OrganizationRecord {
        guard let o = try await organization(id, in: scope) else { throw RegistryError.notFound("社会组织") }
        return o
    }

    /// The legal person's full phone: a full view, audited.
    public func phone(of id: UUID, by actor: OrganizationsActor) async throws -> String? {
        _ = try await require(id, in: actor.scope)
        guard let row = try await sql.select().column("phone_cipher").from("organizations").where("id", .equal, SQLBind(id)).first() else { return nil }
        let phone = try cipher.open(try row.decode(column: "phone_cipher", as: Data.self))
        try await AuditLog.record(AuditEvent(OrganizationsAudit.view, target: .organization(id), detail: ["field": "phone"]), by: actor.audit, on: db, now: now())
        return phone
    }

    /// Active organizations for the portal: name, kind, field, community; nothing personal.
    public func publicList(kind: OrganizationKind?, page: PageRequest) async throws -> ResultPage<PublicOrganizationRecord> {
        func narrowed(_ q: SQLSelectBuilder) -> SQLSelectBuilder {
            let q = q.where(SQLColumn("status", table: "o"), .equal, SQLBind(OrganizationStatus.active.rawValue))
            return kind.map { q.where(SQLColumn("kind", table: "o"), .equal, SQLBind($0.rawValue)) } ?? q
        }
        var q = sql.select()
        for c in ["name", "kind", "field", "registration", "division_code", "registered_on"] { q = q.column(SQLColumn(c, table: "o")) }
        q = q.column(SQLColumn("name", table: "d"), as: "division_name")
            .from(SQLAlias(SQLIdentifier("organizations"), as: SQLIdentifier("o")))
            .join(SQLAlias(SQLIdentifier(Division.schema), as: SQLIdentifier("d")), method: SQLJoinMethod.left,
                  on: SQLColumn("code", table: "d"), .equal, SQLColumn("division_code", table: "o"))
        let items = try await narrowed(q).orderBy(SQLColumn("status", table: "o")).orderBy(SQLColumn("division_code", table: "o"))
            .orderBy(SQLColumn("name", table: "o")).limit(page.perPage).offset(page.offset).all()
            .map { try $0.decodeRecord(PublicOrganizationRecord.self) }
        let total = try await SQLHelpers.count(narrowed(sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from(SQLAlias(SQLIdentifier("organizations"), as: SQLIdentifier("o")))))
        return ResultPage(items: items, total: total, page: page.page, perPage: page.perPage)
    }

    public func reports(of id: UUID) async throws -> [OrganizationReportRecord] {
        try await sql.select().columns("year", "received_on").from("organization_reports").where("organization_id", .equal, SQLBind(id))
            .orderBy("year", .descending).all().map { try $0.decodeRecord(OrganizationReportRecord.self) }
    }

    /// The register of the scope as .xlsx at `path` (phones masked). Audited.
    @discardableResult
    public func export(_ filter: OrganizationFilter, to path: String, by actor: OrganizationsActor) async throws -> Int {
        let rows = try await filtered(scoped(select, actor.scope), filter)
            .orderBy(SQLColumn("division_code", table: "o")).orderBy(SQLColumn("name", table: "o")).all().map { try $0.decodeRecord(OrganizationRecord.self) }
        let w = try XLSXWriter(path: path, sheetName: "社会组织", columnWidths: [30, 22, 8, 20, 14, 10, 14, 12, 12, 16, 10, 8])
        try w.header(["组织名称", "统一社会信用代码", "登记/备案", "类型", "服务领域", "法定代表人（负责人）", "联系电话", "成立日期", "登记（备案）日期",
                      "所在区划", "状态", "在孵"])
        for o in rows {
            try w.row([.text(o.name), o.creditCode.map(XLSXCell.text) ?? .empty, .text(o.registration.label), .text(o.kind.label), .text(o.field.label),
                       .text(o.legalPerson), .text(o.phoneMasked), .text(o.foundedOn), .text(o.registeredOn), .text(o.divisionName ?? o.divisionCode),
                       .text(o.status.label), .text(o.incubating ? "是" : "")])
        }
        try w.close()
        try await AuditLog.record(AuditEvent(OrganizationsAudit.export, target: .table("organizations"),
                                             detail: ["rows": String(rows.count), "format": "xlsx", "scope": actor.scope.prefix]), by: actor.audit, on: db, now: now())
        return rows.count
    }
}
