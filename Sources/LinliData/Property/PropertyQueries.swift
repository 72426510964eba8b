import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 物业管理: compounds (小区) of the communities, property service companies with their department accounts, and the
/// service contracts. Compounds and contracts carry their community's code, read under the caller's scope (a grid
/// worker sees the compounds of their community); a compound outside the scope is not found (404), for reads and
/// writes alike. Companies are the district's one register (a company serves compounds of several streets).
public struct PropertyQueries: Sendable {
    let db: any Database
    let today: CivilDate
    let now: @Sendable () -> Date

    public init(_ db: any Database, today: CivilDate, now: @escaping @Sendable () -> Date = { Date() }) {
        self.db = db
        self.today = today
        self.now = now
    }

    var sql: any SQLDatabase { SQLHelpers.sql(db) }
    var nowSeconds: Int64 { Int64(now().timeIntervalSince1970) }

    /// The community-code prefix a scope sees: a grid's scope sees its community's compounds.
    static func area(_ scope: RegistryScope) -> String { String(scope.prefix.prefix(12)) }

    // MARK: compounds

    /// The compounds' select with today's contract and company joined; `filter` is appended after `WHERE`.
    func compoundQuery(_ filter: SQLQueryString, order: Bool = true, limit: Int? = nil, offset: Int = 0) -> SQLQueryString {
        var q: SQLQueryString = """
            SELECT c.id, c.community_code, c.name, c.year_built, c.old, c.quasi_services, c.version,
                   (SELECT COUNT(*) FROM property_compound_buildings pb WHERE pb.compound_id = c.id) AS buildings,
                   (SELECT COUNT(*) FROM property_compound_buildings pb JOIN households h ON h.building_id = pb.building_id WHERE pb.compound_id = c.id) AS households,
                   k.id AS contract_id, k.company_id, co.name AS company_name, k.ends_on AS contract_ends_on
            FROM property_compounds c
            LEFT JOIN property_contracts k ON k.compound_id = c.id AND k.starts_on <= \(bind: today.description) AND k.ends_on >= \(bind: today.description)
            LEFT JOIN property_companies co ON co.id = k.company_id
            WHERE
            """
        q.appendInterpolation(unsafeRaw: " ")
        q = q + filter
        if order { q.appendInterpolation(unsafeRaw: " ORDER BY c.community_code, c.name, c.id") }
        if let limit { q.appendInterpolation(unsafeRaw: " LIMIT \(limit) OFFSET \(offset)") }
        return q
    }

    func compoundFilter(_ scope: RegistryScope, mode: ManagementMode?, text: String?) -> SQLQueryString {
        var f: SQLQueryString = "c.community_code LIKE \(bind: Self.area(scope) + "%")"
        switch mode {
        case .company: f.appendInterpolation(unsafeRaw: " AND k.id IS NOT NULL")
        case .quasi: f.appendInterpolation(unsafeRaw: " AND k.id IS NULL AND c.quasi_services <> ''")
        case .unmanaged: f.appendInterpolation(unsafeRaw: " AND k.id IS NULL AND c.quasi_services = ''")
        case nil: break
        }
        if let t = text?.trimmedOrNil {
            let like = "%" + t.filter { $0 != "%" && $0 != "_" && $0 != "\\" } + "%"
            f = f + " AND c.name LIKE \(bind: like)"
        }
        return f
    }

    public func compounds(in scope: RegistryScope, mode: ManagementMode? = nil, text: String? = nil, page: PageRequest) async throws -> ResultPage<CompoundRecord> {
        let filter = compoundFilter(scope, mode: mode, text: text)
        let items = try await sql.raw(compoundQuery(filter, limit: page.perPage, offset: page.offset)).all().map { try $0.decodeRecord(CompoundRecord.self) }
        var count: SQLQueryString = """
            SELECT COUNT(*) AS n FROM property_compounds c
            LEFT JOIN property_contracts k ON k.compound_id = c.id AND k.starts_on <= \(bind: today.description) AND k.ends_on >= \(bind: today.description)
            WHERE
            """
        count.appendInterpolation(unsafeRaw: " ")
        let total = try await sql.raw(count + filter).first().map { try $0.decode(column: "n", as: Int.self) } ?? 0
        return ResultPage(items: items, total: total, page: page.page, perPage: page.perPage)
    }

    public func compound(_ id: UUID, in scope: RegistryScope) async throws -> CompoundRecord? {
        guard let c = try await sql.raw(compoundQuery("c.id = \(bind: id)", order: false)).first()?.decodeRecord(CompoundRecord.self),
              c.communityCode.hasPrefix(Self.area(scope)) else { return nil }
        return c
    }

    func requireCompound(_ id: UUID, in scope: RegistryScope) async throws -> CompoundRecord {
        guard let c = try await compound(id, in: scope) else { throw RegistryError.notFound("小区") }
        return c
    }

    public func buildings(of compound: UUID) async throws -> [CompoundBuildingRecord] {
        try await sql.raw("""
            SELECT b.id, b.name, b.grid_code FROM property_compound_buildings pb JOIN buildings b ON b.id = pb.building_id
            WHERE pb.compound_id = \(bind: compound) ORDER BY b.name, b.id
            """).all().map { try $0.decodeRecord(CompoundBuildingRecord.self) }
    }

    /// The buildings of the area a compound form offers: those in no compound yet, and the compound's own (at most 300).
    public func buildingChoices(in scope: RegistryScope, compound: UUID?) async throws -> [CompoundBuildingRecord] {
        var q: SQLQueryString = """
            SELECT b.id, b.name, b.grid_code FROM buildings b LEFT JOIN property_compound_buildings pb ON pb.building_id = b.id
            WHERE b.grid_code LIKE \(bind: scope.prefix + "%") AND (pb.compound_id IS NULL
            """
        if let compound { q = q + " OR pb.compound_id = \(bind: compound)" }
        q.appendLiteral(") ORDER BY b.grid_code, b.name, b.id LIMIT 300")
        return try await sql.raw(q).all().map { try $0.decodeRecord(CompoundBuildingRecord.self) }
    }

    /// The compound a building belongs to, if any.
    public func compound(ofBuilding id: UUID) async throws -> UUID? {
        try await sql.select().column("compound_id").from("property_compound_buildings").where("building_id", .equal, SQLBind(id)).first()
            .map { try $0.decode(column: "compound_id", as: UUID.self) }
    }

    /// Checks the input and the buildings: each a building of the caller's area, all of one community. Returns the community.
    func checkedCompound(_ input: CompoundInput, scope: RegistryScope) async throws -> (CompoundInput, String) {
        var errors = PropertyRules.check(input, today: today)
        var community: String?
        if errors.isEmpty {
            let rows = try await sql.select().columns("id", "grid_code", "name").from("buildings")
                .where("id", .in, SQLBind.group(input.buildingIds)).all()
            let found = try rows.map { (try $0.decode(column: "grid_code", as: String.self), try $0.decode(column: "name", as: String.self)) }
            let communities = Set(found.map { String($0.0.prefix(12)) })
            if found.count != input.buildingIds.count || found.contains(where: { !scope.contains(code: $0.0) && !$0.0.hasPrefix(Self.area(scope)) }) {
                errors.append(FieldError("buildings", "所选楼栋有的不在本辖区，请从本社区的楼栋中选择"))
            } else if communities.count > 1 {
                errors.append(FieldError("buildings", "一个小区的楼栋应属于同一个社区（所选楼栋分属\(communities.count)个社区）"))
            } else {
                community = communities.first
            }
        }
        guard errors.isEmpty, let community else { throw RegistryError.invalid(errors) }
        var i = input
        i.name = input.name!.trimmingCharacters(in: .whitespaces)
        return (i, community)
    }

    /// Puts the buildings in the compound; a building already in another compound is refused (409 at `buildings`).
    func place(_ buildings: [UUID], in compound: UUID, sql: any SQLDatabase) async throws {
        let taken = try await sql.raw("""
            SELECT b.name AS building, c.name AS compound FROM property_compound_buildings pb JOIN buildings b ON b.id = pb.building_id
            JOIN property_compounds c ON c.id = pb.compound_id WHERE pb.building_id IN \(SQLBind.group(buildings)) AND pb.compound_id <> \(bind: compound)
            """).first()
        if let taken {
            throw RegistryError.conflict(FieldError("buildings", "楼栋“\(try taken.decode(column: "building", as: String.self))”已属于小区“\(try taken.decode(column: "compound", as: String.self))”"))
        }
        try await sql.delete(from: "property_compound_buildings").where("compound_id", .equal, SQLBind(compound)).run()
        var insert = sql.insert(into: "property_compound_buildings").columns("building_id", "compound_id")
        for b in buildings { insert = insert.values(SQLBind(b), SQLBind(compound)) }
        try await insert.run()
    }

    func refuseName(_ name: String, community: String, except id: UUID?, sql: any SQLDatabase) async throws {
        var q = sql.select().column("id").from("property_compounds").where("community_code", .equal, SQLBind(community)).where("name", .equal, SQLBind(name))
        if let id { q = q.where("id", .notEqual, SQLBind(id)) }
        if try await q.first() != nil { throw RegistryError.conflict(FieldError("name", "本社区已登记小区“\(name)”")) }
    }

    public func createCompound(_ input: CompoundInput, by actor: PropertyActor) async throws -> CompoundRecord {
        guard actor.mayWrite else { throw RegistryError.forbidden("您没有登记小区的权限") }
        let (i, community) = try await checkedCompound(input, scope: actor.scope)
        let id = UUID(), at = nowSeconds
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            try await refuseName(i.name!, community: community, except: nil, sql: sql)
            try await sql.insert(into: "property_compounds")
                .columns("id", "community_code", "name", "year_built", "old", "quasi_services", "version", "created_by", "created_at", "updated_at")
                .values(SQLBind(id), SQLBind(community), SQLBind(i.name!), SQLBind(i.yearBuilt), SQLBind(i.old), SQLBind(PropertyService.encode(i.quasiServices)),
                        SQLBind(1), SQLBind(actor.audit.username), SQLBind(at), SQLBind(at)).run()
            try await place(i.buildingIds, in: id, sql: sql)
            try await AuditLog.append([AuditEvent(PropertyAudit.compoundCreate, target: .compound(id), detail: ["buildings": String(i.buildingIds.count)])],
                                      by: actor.audit, on: db)
        }
        return try await requireCompound(id, in: actor.scope)
    }

    public func updateCompound(_ id: UUID, _ input: CompoundInput, version: Int, by actor: PropertyActor) async throws -> CompoundRecord {
        guard actor.mayWrite else { throw RegistryError.forbidden("您没有修改小区的权限") }
        let c = try await requireCompound(id, in: actor.scope)
        guard version == c.version else { throw RegistryError.staleVersion(current: c.version) }
        let (i, community) = try await checkedCompound(input, scope: actor.scope)
        guard community == c.communityCode else {
            throw RegistryError.invalid([FieldError("buildings", "小区的楼栋应属于本小区所在社区（\(c.communityCode)）")])
        }
        let at = nowSeconds
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            try await refuseName(i.name!, community: community, except: id, sql: sql)
            let changed = try await sql.update("property_compounds").set("name", to: SQLBind(i.name!)).set("year_built", to: SQLBind(i.yearBuilt))
                .set("old", to: SQLBind(i.old)).set("quasi_services", to: SQLBind(PropertyService.encode(i.quasiServices)))
                .set("version", to: SQLBind(version + 1)).set("updated_at", to: SQLBind(at))
                .where("id", .equal, SQLBind(id)).where("version", .equal, SQLBind(version)).returning("id").all()
            if changed.isEmpty { throw RegistryError.staleVersion(current: c.version) }
            try await place(i.buildingIds, in: id, sql: sql)
            try await AuditLog.append([AuditEvent(PropertyAudit.compoundUpdate, target: .compound(id))], by: actor.audit, on: db)
        }
        return try await requireCompound(id, in: actor.scope)
    }

    /// The home page's count: compounds of the area nobody manages.
    public func todo(in scope: RegistryScope) async throws -> PropertyTodo {
        PropertyTodo(unmanaged: try await compounds(in: scope, mode: .unmanaged, page: PageRequest(page: 1, perPage: 1)).total)
    }

    // MARK: companies

    func companyQuery(_ filter: SQLQueryString) -> SQLQueryString {
        var q: SQLQueryString = """
            SELECT co.id, co.name, co.credit_code, co.department_code, a.username, co.contact_name, co.version,
                   (SELECT COUNT(*) FROM property_contracts k WHERE k.company_id = co.id AND k.starts_on <= \(bind: today.description) AND k.ends_on >= \(bind: today.description)) AS compounds
            FROM property_companies co LEFT JOIN accounts a ON a.id = co.account_id WHERE
            """
        q.appendInterpolation(unsafeRaw: " ")
        return q + filter
    }

    public func companies(text: String? = nil, page: PageRequest) async throws -> ResultPage<CompanyRecord> {
        var filter: SQLQueryString = "1 = 1"
        if let t = text?.trimmedOrNil {
            let like = "%" + t.filter { $0 != "%" && $0 != "_" && $0 != "\\" } + "%"
            filter = "(co.name LIKE \(bind: like) OR co.credit_code = \(bind: CreditCode.normalized(t)))"
        }
        var q = companyQuery(filter)
        q.appendInterpolation(unsafeRaw: " ORDER BY co.name, co.id LIMIT \(page.perPage) OFFSET \(page.offset)")
        let items = try await sql.raw(q).all().map { try $0.decodeRecord(CompanyRecord.self) }
        var count: SQLQueryString = "SELECT COUNT(*) AS n FROM property_companies co WHERE "
        count = count + filter
        let total = try await sql.raw(count).first().map { try $0.decode(column: "n", as: Int.self) } ?? 0
        return ResultPage(items: items, total: total, page: page.page, perPage: page.perPage)
    }

    public func company(_ id: UUID) async throws -> CompanyRecord? {
        try await sql.raw(companyQuery("co.id = \(bind: id)")).first()?.decodeRecord(CompanyRecord.self)
    }

    func requireCompany(_ id: UUID) async throws -> CompanyRecord {
        guard let c = try await company(id) else { throw RegistryError.notFound("物业服务企业") }
        return c
    }

    /// Registers a company with the department its account acts for and that account (role 部门用户, bound to the district):
    /// the account is made without a password and disabled, so no one holds it until the security administrator sets its
    /// first password and enables it for the company. A code already registered (or its account name taken) is 409.
    public func createCompany(_ input: CompanyInput, district: String, by actor: PropertyActor) async throws -> CompanyRecord {
        guard actor.mayWrite else { throw RegistryError.forbidden("您没有登记物业服务企业的权限") }
        let errors = PropertyRules.check(input)
        guard errors.isEmpty else { throw RegistryError.invalid(errors) }
        let name = input.name!.trimmingCharacters(in: .whitespaces), code = CreditCode.normalized(input.creditCode!)
        let department = PropertyRules.departmentCode(creditCode: code), username = PropertyRules.username(creditCode: code)
        let id = UUID(), accountId = UUID(), at = nowSeconds
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            if let row = try await sql.select().column("name").from("property_companies").where("credit_code", .equal, SQLBind(code)).first() {
                throw RegistryError.conflict(FieldError("credit_code", "统一社会信用代码\(code)已登记为“\(try row.decode(column: "name", as: String.self))”"))
            }
            if try await sql.select().column("id").from("accounts").where("username", .equal, SQLBind(username)).first() != nil {
                throw RegistryError.conflict(FieldError("credit_code", "账号\(username)已存在，请联系安全管理员"))
            }
            let inserted = try await sql.raw("""
                INSERT INTO property_companies (id, name, credit_code, department_code, account_id, contact_name, version, created_by, created_at, updated_at)
                VALUES (\(bind: id), \(bind: name), \(bind: code), \(bind: department), \(bind: accountId), \(bind: input.contactName?.trimmedOrNil), 1,
                        \(bind: actor.audit.username), \(bind: at), \(bind: at))
                ON CONFLICT (credit_code) DO NOTHING RETURNING id
                """).all()
            if inserted.isEmpty { throw RegistryError.conflict(FieldError("credit_code", "统一社会信用代码\(code)已登记")) }
            try await sql.insert(into: "departments").columns("code", "name").values(SQLBind(department), SQLBind(String(name.prefix(60)))).run()
            try await Self.insertAccount(id: accountId, username: username, name: name, department: department, district: district, sql: sql)
            try await AuditLog.append([AuditEvent(PropertyAudit.companyCreate, target: .propertyCompany(id), detail: ["credit_code": code, "account": username]),
                                       AuditEvent(PlatformAudit.accountCreate, target: .account(username), detail: ["role": Role.department.rawValue, "division": district])],
                                      by: actor.audit, on: db)
        }
        return try await requireCompany(id)
    }

    /// The company's account: 部门用户 of its department, disabled, no password (`!` matches no password).
    static func insertAccount(id: UUID, username: String, name: String, department: String, district: String, sql: any SQLDatabase) async throws {
        try await sql.insert(into: "accounts")
            .columns("id", "username", "display_name", "role", "division_code", "department_code", "password_hash", "disabled", "failed_attempts",
                     "version", "setup_required")
            .values(SQLBind(id), SQLBind(username), SQLBind(String(name.prefix(40))), SQLBind(Role.department.rawValue), SQLBind(district), SQLBind(department),
                    SQLBind("!"), SQLBind(true), SQLBind(0), SQLBind(1), SQLBind(true)).run()
    }

    /// A company's name and contact (the credit code, and so its department and account, stay).
    public func updateCompany(_ id: UUID, name: String?, contactName: String?, version: Int, by actor: PropertyActor) async throws -> CompanyRecord {
        guard actor.mayWrite else { throw RegistryError.forbidden("您没有修改物业服务企业的权限") }
        let c = try await requireCompany(id)
        guard version == c.version else { throw RegistryError.staleVersion(current: c.version) }
        let errors = PropertyRules.check(CompanyInput(name: name, creditCode: c.creditCode, contactName: contactName))
        guard errors.isEmpty else { throw RegistryError.invalid(errors) }
        let n = name!.trimmingCharacters(in: .whitespaces), at = nowSeconds
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            let changed = try await sql.update("property_companies").set("name", to: SQLBind(n)).set("contact_name", to: SQLBind(contactName?.trimmedOrNil))
                .set("version", to: SQLBind(version + 1)).set("updated_at", to: SQLBind(at))
                .where("id", .equal, SQLBind(id)).where("version", .equal, SQLBind(version)).returning("id").all()
            if changed.isEmpty { throw RegistryError.staleVersion(current: c.version) }
            try await sql.update("departments").set("name", to: SQLBind(String(n.prefix(60)))).where("code", .equal, SQLBind(c.departmentCode)).run()
            try await AuditLog.append([AuditEvent(PropertyAudit.companyUpdate, target: .propertyCompany(id))], by: actor.audit, on: db)
        }
        return try await requireCompany(id)
    }

    // MARK: contracts

    func contractQuery(_ filter: SQLQueryString) -> SQLQueryString {
        var q: SQLQueryString = """
            SELECT k.id, k.compound_id, c.name AS compound_name, k.company_id, co.name AS company_name, k.community_code, k.starts_on, k.ends_on,
                   k.fee, k.services, k.staff, k.room_area
            FROM property_contracts k JOIN property_compounds c ON c.id = k.compound_id JOIN property_companies co ON co.id = k.company_id WHERE
            """
        q.appendInterpolation(unsafeRaw: " ")
        q = q + filter
        q.appendInterpolation(unsafeRaw: " ORDER BY k.starts_on DESC, k.id LIMIT 200")
        return q
    }

    public func contracts(ofCompound id: UUID, in scope: RegistryScope) async throws -> [ContractRecord] {
        _ = try await requireCompound(id, in: scope)
        return try await sql.raw(contractQuery("k.compound_id = \(bind: id)")).all().map { try $0.decodeRecord(ContractRecord.self) }
    }

    /// A company's contracts with the compounds of the caller's area.
    public func contracts(ofCompany id: UUID, in scope: RegistryScope) async throws -> [ContractRecord] {
        try await sql.raw(contractQuery("k.company_id = \(bind: id) AND k.community_code LIKE \(bind: Self.area(scope) + "%")")).all()
            .map { try $0.decodeRecord(ContractRecord.self) }
    }

    /// Adds a contract to a compound: one company at a time, so a term overlapping another contract of the compound is 409.
    public func addContract(compound id: UUID, _ input: ContractInput, by actor: PropertyActor) async throws -> ContractRecord {
        guard actor.mayWrite else { throw RegistryError.forbidden("您没有登记物业服务合同的权限") }
        let c = try await requireCompound(id, in: actor.scope)
        var errors = PropertyRules.check(input)
        if errors.isEmpty, try await company(input.companyId!) == nil { errors.append(FieldError("company_id", "没有这个物业服务企业，请先登记")) }
        guard errors.isEmpty, let starts = input.startsOn, let ends = input.endsOn else { throw RegistryError.invalid(errors) }
        let contractId = UUID(), at = nowSeconds
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            // The compound's row is touched first, so two contracts added at once are serialized on it (PostgreSQL too).
            try await sql.update("property_compounds").set("updated_at", to: SQLBind(at)).where("id", .equal, SQLBind(id)).run()
            if let row = try await sql.select().columns("starts_on", "ends_on").from("property_contracts").where("compound_id", .equal, SQLBind(id))
                .where("starts_on", .lessThanOrEqual, SQLBind(ends.description)).where("ends_on", .greaterThanOrEqual, SQLBind(starts.description)).first() {
                throw RegistryError.conflict(FieldError("starts_on", "合同期与本小区已登记的合同（\(try row.decode(column: "starts_on", as: String.self))至\(try row.decode(column: "ends_on", as: String.self))）重叠：一个小区同一时间只由一家企业服务"))
            }
            try await sql.insert(into: "property_contracts")
                .columns("id", "compound_id", "company_id", "community_code", "starts_on", "ends_on", "fee", "services", "staff", "room_area", "created_by", "created_at")
                .values(SQLBind(contractId), SQLBind(id), SQLBind(input.companyId!), SQLBind(c.communityCode), SQLBind(starts.description), SQLBind(ends.description),
                        SQLBind(input.fee!), SQLBind(PropertyService.encode(input.services)), SQLBind(input.staff), SQLBind(input.roomArea),
                        SQLBind(actor.audit.username), SQLBind(at)).run()
            try await AuditLog.append([AuditEvent(PropertyAudit.contractCreate, target: .compound(id),
                                                  detail: ["company": input.companyId!.uuidString, "starts_on": starts.description, "ends_on": ends.description])],
                                      by: actor.audit, on: db)
        }
        guard let k = try await sql.raw(contractQuery("k.id = \(bind: contractId)")).first()?.decodeRecord(ContractRecord.self) else {
            throw RegistryError.notFound("物业服务合同")
        }
        return k
    }

    /// The company serving a building's compound today (its department code and name), for dispatching a request.
    public func serving(building id: UUID) async throws -> (department: String, name: String)? {
        guard let row = try await sql.raw("""
            SELECT co.department_code, co.name FROM property_compound_buildings pb
            JOIN property_contracts k ON k.compound_id = pb.compound_id AND k.starts_on <= \(bind: today.description) AND k.ends_on >= \(bind: today.description)
            JOIN property_companies co ON co.id = k.company_id WHERE pb.building_id = \(bind: id)
            """).first() else { return nil }
        return (try row.decode(column: "department_code", as: String.self), try row.decode(column: "name", as: String.self))
    }
}
