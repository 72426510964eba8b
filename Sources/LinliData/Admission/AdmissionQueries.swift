import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 行政事务进社区准入: departments' tasks, their review, the 准入清单, the communities' refusals of unadmitted
/// tasks and the funds that arrived. The tables are the district's few hundred tasks, not the residents: every
/// read is on an index of them.
public struct AdmissionQueries: Sendable {
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

    static let taskColumns = ["id", "department_code", "kind", "title", "status", "valid_from", "valid_to", "version", "created_by", "created_at",
                              "content", "basis", "reach", "street_code", "frequency", "staff", "funds_fen", "power", "note", "reviewed_by",
                              "decided_by", "decided_on", "updated_at"]

    /// The departments by code (a small table).
    public func departments() async throws -> [(code: String, name: String)] {
        try await sql.select().columns("code", "name").from("departments").orderBy("code").all()
            .map { (code: try $0.decode(column: "code", as: String.self), name: try $0.decode(column: "name", as: String.self)) }
    }

    public func departmentNames() async throws -> [String: String] {
        Dictionary(try await departments().map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
    }

    /// Tasks the actor sees, newest first: a department its own; the reviewers all; others the admitted ones.
    public func tasks(status: AdmissionStatus? = nil, department: String? = nil, kind: AdmissionTaskKind? = nil, by actor: AdmissionActor,
                      page: PageRequest) async throws -> ResultPage<AdmissionTaskRecord> {
        func narrowed(_ q: SQLSelectBuilder) -> SQLSelectBuilder {
            var q = q
            if let own = actor.department, actor.mayApply { q = q.where("department_code", .equal, SQLBind(own)) }
            else if !actor.seesAllStatuses { q = q.where("status", .equal, SQLBind(AdmissionStatus.admitted.rawValue)) }
            if let status { q = q.where("status", .equal, SQLBind(status.rawValue)) }
            if let department { q = q.where("department_code", .equal, SQLBind(department)) }
            if let kind { q = q.where("kind", .equal, SQLBind(kind.rawValue)) }
            return q
        }
        let items = try await narrowed(sql.select().columns(Self.taskColumns).from("admission_tasks"))
            .orderBy(SQLOrderBy(expression: SQLColumn("updated_at"), direction: SQLDirection.descending)).orderBy("id")
            .limit(page.perPage).offset(page.offset).all().map { try $0.decodeRecord(AdmissionTaskRecord.self) }
        let total = try await SQLHelpers.count(narrowed(sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("admission_tasks")))
        return ResultPage(items: items, total: total, page: page.page, perPage: page.perPage)
    }

    /// A task the actor may see, or not found.
    public func task(_ id: UUID, by actor: AdmissionActor) async throws -> AdmissionTaskRecord {
        guard let t = try await sql.select().columns(Self.taskColumns).from("admission_tasks").where("id", .equal, SQLBind(id)).first()?
            .decodeRecord(AdmissionTaskRecord.self) else { throw RegistryError.notFound("事项") }
        if t.status == .admitted || actor.seesAllStatuses { return t }
        if actor.mayApply, let own = actor.department, own == t.departmentCode { return t }
        throw RegistryError.notFound("事项")
    }

    public func communities(of id: UUID) async throws -> [String] {
        try await sql.select().column("community_code").from("admission_task_communities").where("task_id", .equal, SQLBind(id))
            .orderBy("community_code").all().map { try $0.decode(column: "community_code", as: String.self) }
    }

    public func steps(of id: UUID) async throws -> [AdmissionStepRecord] {
        try await sql.select().columns("action", "note", "by_user", "at").from("admission_steps").where("task_id", .equal, SQLBind(id))
            .orderBy("version").all().map { try $0.decodeRecord(AdmissionStepRecord.self) }
    }

    /// The 准入清单: admitted tasks whose period has not ended, by department then title.
    public func list(page: PageRequest) async throws -> ResultPage<AdmissionTaskRecord> {
        func narrowed(_ q: SQLSelectBuilder) -> SQLSelectBuilder {
            q.where("status", .equal, SQLBind(AdmissionStatus.admitted.rawValue)).where("valid_to", .greaterThanOrEqual, SQLBind(today.description))
        }
        let items = try await narrowed(sql.select().columns(Self.taskColumns).from("admission_tasks"))
            .orderBy("department_code").orderBy("title").orderBy("id").limit(page.perPage).offset(page.offset).all()
            .map { try $0.decodeRecord(AdmissionTaskRecord.self) }
        let total = try await SQLHelpers.count(narrowed(sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("admission_tasks")))
        return ResultPage(items: items, total: total, page: page.page, perPage: page.perPage)
    }

    /// How many communities each task applies to (one grouped read).
    public func communityCounts(of ids: [UUID]) async throws -> [UUID: Int] {
        guard !ids.isEmpty else { return [:] }
        var out: [UUID: Int] = [:]
        for row in try await sql.select().column("task_id").column(SQLRaw("CAST(count(*) AS BIGINT)"), as: "n").from("admission_task_communities")
            .where("task_id", .in, SQLBind.group(ids)).groupBy("task_id").all() {
            out[try row.decode(column: "task_id", as: UUID.self)] = Int(try row.decode(column: "n", as: Int64.self))
        }
        return out
    }

    /// A community of the actor's scope (level 村/社区), or not found.
    public func community(_ raw: String?, in scope: RegistryScope) async throws -> DivisionRecord {
        let text = raw?.trimmingCharacters(in: .whitespaces) ?? ""
        guard !text.isEmpty else { throw RegistryError.invalid([FieldError("community_code", "请选择村/社区")]) }
        guard let code = try? DivisionCode(text), code.level == .community, let d = try await DivisionQueries(db).find(code: text, in: scope),
              d.level == .community else { throw RegistryError.notFound("村/社区") }
        return d
    }

    /// The admitted tasks in force on `today` that apply to a community, with this year's promised and arrived funds.
    public func tasks(of community: String) async throws -> [AdmissionCommunityTask] {
        let rows = try await sql.raw("""
            SELECT t.id FROM admission_task_communities c JOIN admission_tasks t ON t.id = c.task_id
            WHERE c.community_code = \(bind: community) AND t.status = 'admitted' AND t.valid_to >= \(bind: today.description)
            """).all().map { try $0.decode(column: "id", as: UUID.self) }
        guard !rows.isEmpty else { return [] }
        let tasks = try await sql.select().columns(Self.taskColumns).from("admission_tasks").where("id", .in, SQLBind.group(rows))
            .orderBy("kind").orderBy("title").all().map { try $0.decodeRecord(AdmissionTaskRecord.self) }
        let arrived = try await self.arrived(community: community, year: today.year)
        return tasks.map { t in
            let promised = AdmissionRules.covers(year: today.year, from: CivilDate(t.validFrom) ?? today, to: CivilDate(t.validTo) ?? today) ? t.fundsFen : 0
            return AdmissionCommunityTask(task: t, promisedFen: promised, arrivedFen: arrived[t.id] ?? 0)
        }
    }

    /// What arrived per task for a community and year.
    func arrived(community: String, year: Int) async throws -> [UUID: Int64] {
        var out: [UUID: Int64] = [:]
        for row in try await sql.select().column("task_id").column(SQLRaw("CAST(SUM(amount_fen) AS BIGINT)"), as: "s").from("admission_funds")
            .where("community_code", .equal, SQLBind(community)).where("year", .equal, SQLBind(year)).groupBy("task_id").all() {
            out[try row.decode(column: "task_id", as: UUID.self)] = try row.decode(column: "s", as: Int64?.self) ?? 0
        }
        return out
    }

    public func funds(of community: String, limit: Int = 100) async throws -> [AdmissionFundsRecord] {
        try await sql.select().columns("id", "task_id", "community_code", "year", "amount_fen", "received_on", "recorded_by").from("admission_funds")
            .where("community_code", .equal, SQLBind(community))
            .orderBy(SQLOrderBy(expression: SQLColumn("received_on"), direction: SQLDirection.descending)).limit(limit).all()
            .map { try $0.decodeRecord(AdmissionFundsRecord.self) }
    }

    static let pushColumns = ["id", "community_code", "department_code", "title", "pushed_on", "channel", "note", "recorded_by", "created_at"]

    /// Unadmitted tasks a community refused, newest first.
    public func pushes(of community: String, page: PageRequest) async throws -> ResultPage<AdmissionPushRecord> {
        let items = try await sql.select().columns(Self.pushColumns).from("admission_pushes").where("community_code", .equal, SQLBind(community))
            .orderBy(SQLOrderBy(expression: SQLColumn("pushed_on"), direction: SQLDirection.descending)).orderBy("id")
            .limit(page.perPage).offset(page.offset).all().map { try $0.decodeRecord(AdmissionPushRecord.self) }
        let total = try await SQLHelpers.count(sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("admission_pushes")
            .where("community_code", .equal, SQLBind(community)))
        return ResultPage(items: items, total: total, page: page.page, perPage: page.perPage)
    }

    /// Admitted 检查考核 and 牌子增挂 in force today applying to a community.
    public func checksAndPlaques(of community: String) async throws -> Int {
        let row = try await sql.raw("""
            SELECT CAST(count(*) AS BIGINT) AS n FROM admission_task_communities c JOIN admission_tasks t ON t.id = c.task_id
            WHERE c.community_code = \(bind: community) AND t.status = 'admitted' AND t.kind IN ('check', 'plaque')
                AND t.valid_from <= \(bind: today.description) AND t.valid_to >= \(bind: today.description)
            """).first()
        return Int(try row?.decode(column: "n", as: Int64?.self) ?? 0)
    }

    /// The supervision table: per department, tasks admitted, refused and under review, and unadmitted tasks the
    /// communities of `scope` refused this year. Grouped reads of the task and refusal tables.
    public func departmentFigures(scope: RegistryScope) async throws -> [AdmissionDepartmentFigures] {
        var figures: [String: AdmissionDepartmentFigures] = [:]
        for d in try await departments() { figures[d.code] = AdmissionDepartmentFigures(code: d.code, name: d.name) }
        for row in try await sql.select().column("department_code").column("status").column(SQLRaw("CAST(count(*) AS BIGINT)"), as: "n")
            .from("admission_tasks").groupBy("department_code").groupBy("status").all() {
            let code = try row.decode(column: "department_code", as: String.self), n = Int(try row.decode(column: "n", as: Int64.self))
            var f = figures[code] ?? AdmissionDepartmentFigures(code: code, name: code)
            switch AdmissionStatus(rawValue: try row.decode(column: "status", as: String.self)) {
            case .admitted?: f.admitted += n
            case .refused?: f.refused += n
            case .submitted?, .reviewed?: f.pending += n
            default: break
            }
            figures[code] = f
        }
        let yearStart = CivilDate(year: today.year, month: 1, day: 1)!.description
        for row in try await sql.select().column("department_code").column(SQLRaw("CAST(count(*) AS BIGINT)"), as: "n").from("admission_pushes")
            .where("pushed_on", .greaterThanOrEqual, SQLBind(yearStart)).wherePrefix("community_code", scope.prefix, sqlite: db.isSQLite)
            .groupBy("department_code").all() {
            let code = try row.decode(column: "department_code", as: String.self)
            var f = figures[code] ?? AdmissionDepartmentFigures(code: code, name: code)
            f.unadmitted += Int(try row.decode(column: "n", as: Int64.self))
            figures[code] = f
        }
        return figures.values.filter { $0.admitted + $0.refused + $0.pending + $0.unadmitted > 0 }.sorted { $0.code < $1.code }
    }

    /// How many tasks wait for a step (the home page's tile): a count, not the rows.
    public func waitingCount(for status: AdmissionStatus) async throws -> Int {
        try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("admission_tasks")
            .where("status", .equal, SQLBind(status.rawValue)).first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// Tasks waiting for the actor's step (初审 or 审定), oldest first.
    public func waiting(for status: AdmissionStatus, limit: Int = 100) async throws -> [AdmissionTaskRecord] {
        try await sql.select().columns(Self.taskColumns).from("admission_tasks").where("status", .equal, SQLBind(status.rawValue))
            .orderBy("updated_at").limit(limit).all().map { try $0.decodeRecord(AdmissionTaskRecord.self) }
    }
}
