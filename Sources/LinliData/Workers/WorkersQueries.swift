import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 社工队伍: the register of community workers, their qualifications, training, appraisals, reserve lists and pay
/// grades. Reads take the caller's `RegistryScope`: a worker is seen in the scope of the division they serve (a
/// street officer sees the street's communities and the street's own staff). A worker outside the scope is not
/// found (404), for reads and writes alike.
public struct WorkersQueries: Sendable {
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

    static let columns = ["id", "name", "post", "employment", "division_code", "title", "phone_masked", "hired_on", "registration_no", "registered_on",
                          "registration_valid_to", "qualification", "titled", "account_username", "version", "updated_at"]

    var select: SQLSelectBuilder {
        var q = sql.select()
        for c in Self.columns { q = q.column(SQLColumn(c, table: "w")) }
        return q.column(SQLColumn("name", table: "d"), as: "division_name")
            .from(SQLAlias(SQLIdentifier("workers"), as: SQLIdentifier("w")))
            .join(SQLAlias(SQLIdentifier(Division.schema), as: SQLIdentifier("d")), method: SQLJoinMethod.left,
                  on: SQLColumn("code", table: "d"), .equal, SQLColumn("division_code", table: "w"))
    }

    /// A grid's scope (longer than a community's) sees no worker: grid workers see only their own record.
    func scoped(_ q: SQLSelectBuilder, _ scope: RegistryScope, column: String = "w.division_code") -> SQLSelectBuilder {
        q.wherePrefix(column, scope.prefix.count > 12 ? "~" : scope.prefix, sqlite: sqlite)
    }

    /// The date 90 days on: a registration valid to this day or earlier is due for renewal.
    public var expiryHorizon: String { today.adding(days: 90).description }

    func filtered(_ q: SQLSelectBuilder, _ f: WorkerFilter) -> SQLSelectBuilder {
        var q = q
        if let p = f.post { q = q.where(SQLColumn("post", table: "w"), .equal, SQLBind(p.rawValue)) }
        if let e = f.employment { q = q.where(SQLColumn("employment", table: "w"), .equal, SQLBind(e.rawValue)) }
        if let ql = f.qualified { q = q.where(SQLColumn("qualification", table: "w"), ql ? .isNot : .is, SQLLiteral.null) }
        if f.expiring { q = q.where(SQLColumn("registration_valid_to", table: "w"), .lessThanOrEqual, SQLBind(expiryHorizon)) }
        if let t = f.text?.trimmingCharacters(in: .whitespaces), !t.isEmpty {
            let initials = Pinyin.normalizeQuery(t)
            // Wildcards typed are dropped rather than escaped: SQLite's LIKE has no default escape.
            let like = "%" + t.filter { $0 != "%" && $0 != "_" && $0 != "\\" } + "%"
            if !initials.isEmpty && initials.count == t.count {
                q = q.where { $0.where(SQLColumn("name_initials", table: "w"), .like, SQLBind(initials + "%"))
                    .orWhere(SQLColumn("name", table: "w"), .like, SQLBind(like)) }
            } else {
                q = q.where(SQLColumn("name", table: "w"), .like, SQLBind(like))
            }
        }
        return q
    }

    /// The roster of the scope, by division and name.
    public func list(in scope: RegistryScope, _ filter: WorkerFilter = .init(), page: PageRequest) async throws -> ResultPage<WorkerRecord> {
        let items = try await filtered(scoped(select, scope), filter)
            .orderBy(SQLColumn("division_code", table: "w")).orderBy(SQLColumn("name", table: "w")).orderBy(SQLColumn("id", table: "w"))
            .limit(page.perPage).offset(page.offset).all().map { try $0.decodeRecord(WorkerRecord.self) }
        let total = try await SQLHelpers.count(filtered(scoped(sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from(SQLAlias(SQLIdentifier("workers"), as: SQLIdentifier("w"))), scope), filter))
        return ResultPage(items: items, total: total, page: page.page, perPage: page.perPage)
    }

    public func worker(_ id: UUID, in scope: RegistryScope) async throws -> WorkerRecord? {
        try await scoped(select, scope).where(SQLColumn("id", table: "w"), .equal, SQLBind(id)).first()?.decodeRecord(WorkerRecord.self)
    }

    func require(_ id: UUID, in scope: RegistryScope) async throws -> WorkerRecord {
        guard let w = try await worker(id, in: scope) else { throw RegistryError.notFound("社区工作者") }
        return w
    }

    /// The worker an account is linked to, whatever the account's scope.
    public func worker(account username: String) async throws -> WorkerRecord? {
        try await select.where(SQLColumn("account_username", table: "w"), .equal, SQLBind(username)).first()?.decodeRecord(WorkerRecord.self)
    }

    /// The full phone: a full view, audited.
    public func phone(of id: UUID, by actor: WorkersActor) async throws -> String? {
        _ = try await require(id, in: actor.scope)
        guard let row = try await sql.select().column("phone_cipher").from("workers").where("id", .equal, SQLBind(id)).first(),
              let sealed = try row.decode(column: "phone_cipher", as: Data?.self) else { return nil }
        let phone = try cipher.open(sealed)
        try await AuditLog.record(AuditEvent(WorkersAudit.view, target: .worker(id), detail: ["field": "phone"]), by: actor.audit, on: db, now: now())
        return phone
    }

    /// A worker's page: qualifications, training, appraisals, reserve entries and the grade history. Opening it is a
    /// full view of a person's record, audited (`audit: nil` for the worker's own record read through their account).
    public func file(of w: WorkerRecord, audit: AuditActor?) async throws -> WorkerFile {
        let quals = try await sql.select().columns("id", "level", "certificate_no", "obtained_on").from("worker_qualifications")
            .where("worker_id", .equal, SQLBind(w.id)).orderBy("obtained_on").all().map { try $0.decodeRecord(QualificationRecord.self) }
        let training = try await sql.select().columns("year", "hours").from("worker_training").where("worker_id", .equal, SQLBind(w.id))
            .orderBy("year", .descending).all().map { try $0.decodeRecord(TrainingRecord.self) }
        let appraisals = try await sql.select().columns("id", "year", "scores", "mean_tenths", "result", "recorded_by").from("worker_appraisals")
            .where("worker_id", .equal, SQLBind(w.id)).orderBy("year", .descending).all().map { try $0.decodeRecord(AppraisalRecord.self) }
        let reserves = try await reserveSelect.where(SQLColumn("worker_id", table: "r"), .equal, SQLBind(w.id))
            .orderBy(SQLColumn("listed_on", table: "r"), SQLDirection.descending).all().map { try $0.decodeRecord(ReserveRecord.self) }
        let scale = try await payScale()
        let history = PayGrades.history(post: w.post, qualification: w.qualification, appraisals: appraisals.map { ($0.year, $0.result) }, scale: scale)
        let grade = history.last!.grade
        if let audit {
            try await AuditLog.record(AuditEvent(WorkersAudit.view, target: .worker(w.id)), by: audit, on: db, now: now())
        }
        return WorkerFile(worker: w, qualifications: quals, training: training, appraisals: appraisals, reserves: reserves, grades: history,
                          grade: grade, monthlyFen: scale.amount(w.post.payClass, grade: grade))
    }

    /// The district's pay scale; the default steps where none are stored.
    public func payScale() async throws -> PayScale {
        var grades: [PostClass: [Int]] = [:]
        for row in try await sql.select().columns("post_class", "grade", "monthly_fen").from("worker_pay_grades").orderBy("post_class").orderBy("grade").all() {
            guard let c = PostClass(rawValue: try row.decode(column: "post_class", as: String.self)) else { continue }
            grades[c, default: []].append(Int(try row.decode(column: "monthly_fen", as: Int64.self)))
        }
        var steps = PayScale.defaultSteps
        for row in try await sql.select().columns("reason", "steps").from("worker_grade_steps").all() {
            if let r = GradeStepReason(rawValue: try row.decode(column: "reason", as: String.self)) { steps[r] = try row.decode(column: "steps", as: Int.self) }
        }
        return PayScale(grades: grades, steps: steps)
    }

    var reserveSelect: SQLSelectBuilder {
        var q = sql.select()
        for c in ["id", "worker_id", "level", "listed_on", "listed_by", "reason", "removed_on", "removed_by", "removal_reason"] {
            q = q.column(SQLColumn(c, table: "r"))
        }
        return q.column(SQLColumn("name", table: "w"), as: "worker_name").column(SQLColumn("division_code", table: "w")).column(SQLColumn("post", table: "w"))
            .from(SQLAlias(SQLIdentifier("worker_reserves"), as: SQLIdentifier("r")))
            .join(SQLAlias(SQLIdentifier("workers"), as: SQLIdentifier("w")), method: SQLJoinMethod.inner,
                  on: SQLColumn("id", table: "w"), .equal, SQLColumn("worker_id", table: "r"))
    }

    /// The reserve lists of the scope: those on them now (and, with `removed`, those taken off).
    public func reserves(in scope: RegistryScope, removed: Bool = false) async throws -> [ReserveRecord] {
        var q = scoped(reserveSelect, scope)
        if !removed { q = q.where(SQLColumn("removed_on", table: "r"), .is, SQLLiteral.null) }
        return try await q.orderBy(SQLColumn("level", table: "r")).orderBy(SQLColumn("listed_on", table: "r"), SQLDirection.descending).limit(500).all()
            .map { try $0.decodeRecord(ReserveRecord.self) }
    }

    /// A community's workers for the portal: committee members first, then by post and name; no phone, no ID.
    public func publicList(community: String) async throws -> [PublicWorkerRecord] {
        let rows = try await sql.select().columns("name", "post", "title", "qualification").from("workers")
            .where("division_code", .equal, SQLBind(community)).orderBy("name").limit(200).all().map { try $0.decodeRecord(PublicWorkerRecord.self) }
        let order = Dictionary(uniqueKeysWithValues: WorkerPost.allCases.enumerated().map { ($1, $0) })
        return rows.sorted { (order[$0.post]!, $0.name) < (order[$1.post]!, $1.name) }
    }

    /// Home tiles: registrations ending within 90 days; workers without an appraisal for last year.
    public func todo(in scope: RegistryScope) async throws -> (expiring: Int, unappraised: Int) {
        let count = sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(SQLAlias(SQLIdentifier("workers"), as: SQLIdentifier("w")))
        let expiring = try await SQLHelpers.count(scoped(count, scope).where(SQLColumn("registration_valid_to", table: "w"), .lessThanOrEqual, SQLBind(expiryHorizon)))
        let all = try await SQLHelpers.count(scoped(sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from(SQLAlias(SQLIdentifier("workers"), as: SQLIdentifier("w"))), scope))
        let done = try await SQLHelpers.count(scoped(sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from(SQLAlias(SQLIdentifier("worker_appraisals"), as: SQLIdentifier("a")))
            .join(SQLAlias(SQLIdentifier("workers"), as: SQLIdentifier("w")), method: SQLJoinMethod.inner,
                  on: SQLColumn("id", table: "w"), .equal, SQLColumn("worker_id", table: "a"))
            .where(SQLColumn("year", table: "a"), .equal, SQLBind(today.year - 1)), scope))
        return (expiring, max(0, all - done))
    }

    /// The roster of the scope as .xlsx at `path` (phones masked). Audited.
    @discardableResult
    public func export(_ filter: WorkerFilter, to path: String, by actor: WorkersActor) async throws -> Int {
        let rows = try await filtered(scoped(select, actor.scope), filter)
            .orderBy(SQLColumn("division_code", table: "w")).orderBy(SQLColumn("name", table: "w")).all().map { try $0.decodeRecord(WorkerRecord.self) }
        let w = try XLSXWriter(path: path, sheetName: "社区工作者", columnWidths: [12, 18, 8, 8, 16, 14, 18, 12, 12, 12, 14])
        try w.header(["姓名", "所在区划", "岗位", "用工方式", "职业水平", "专业技术职称", "注册证号", "注册有效期至", "入职日期", "联系电话", "平台账号"])
        for x in rows {
            try w.row([.text(x.name), .text(x.divisionName ?? x.divisionCode), .text(x.post.label), .text(x.employment.label),
                       .text(x.qualification?.label ?? ""), .text(x.title ?? ""), .text(x.registrationNo ?? ""), .text(x.registrationValidTo ?? ""),
                       .text(x.hiredOn ?? ""), .text(x.phoneMasked ?? ""), .text(x.accountUsername ?? "")])
        }
        try w.close()
        try await AuditLog.record(AuditEvent(WorkersAudit.export, target: .table("workers"),
                                             detail: ["rows": String(rows.count), "format": "xlsx", "scope": actor.scope.prefix]), by: actor.audit, on: db, now: now())
        return rows.count
    }
}
