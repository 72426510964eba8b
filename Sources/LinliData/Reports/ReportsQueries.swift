import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 一表通: departments' forms and the communities' returns. A department sees its own forms; the others see the
/// forms sent to a community of their scope, and of a form only those communities. A form or community
/// outside what the caller may see is not found.
public struct ReportsQueries: Sendable {
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

    static let formColumns = "id, series_id, version_no, task_id, department_code, title, reference_date, due_date, fields, field_count, automatic_count, status, version, created_by, created_at"
    static let returnColumns = "id, form_id, community_code, status, answers, automatic_fields, comment, version, updated_by, updated_at, submitted_by, submitted_at"

    func formRow(_ id: UUID, on db: (any Database)? = nil) async throws -> ReportFormRecord? {
        try await SQLHelpers.sql(db ?? self.db).raw("SELECT \(unsafeRaw: Self.formColumns) FROM report_forms WHERE id = \(bind: id)").first()?
            .decodeRecord(ReportFormRecord.self)
    }

    public func communities(of form: UUID, on db: (any Database)? = nil) async throws -> [String] {
        try await SQLHelpers.sql(db ?? self.db).raw("SELECT community_code FROM report_form_communities WHERE form_id = \(bind: form) ORDER BY community_code")
            .all().map { try $0.decode(column: "community_code", as: String.self) }
    }

    /// A form with the communities the actor may see of it; not found when there are none.
    public func form(_ id: UUID, by actor: ReportsActor) async throws -> (ReportFormRecord, [String]) {
        guard let f = try await formRow(id) else { throw RegistryError.notFound("报表") }
        let seen = actor.communities(of: try await communities(of: id), department: f.departmentCode)
        guard !seen.isEmpty else { throw RegistryError.notFound("报表") }
        return (f, seen)
    }

    /// The current forms the actor may see, latest due first.
    public func forms(by actor: ReportsActor, page: PageRequest) async throws -> ResultPage<ReportFormRecord> {
        let sqlite = db.isSQLite
        var q = sql.select().column(SQLRaw("*")).from("report_forms").where("status", .equal, SQLBind("current"))
        var count = sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("report_forms").where("status", .equal, SQLBind("current"))
        if let d = actor.department {
            q = q.where("department_code", .equal, SQLBind(d))
            count = count.where("department_code", .equal, SQLBind(d))
        } else {
            let inScope = sql.select().column("form_id").from("report_form_communities").wherePrefix("community_code", actor.scope.prefix, sqlite: sqlite)
            q = q.where("id", .in, SQLGroupExpression(inScope.select))
            count = count.where("id", .in, SQLGroupExpression(inScope.select))
        }
        let items = try await q.orderBy("due_date", .descending).orderBy("created_at", .descending).limit(page.perPage).offset(page.offset)
            .all().map { try $0.decodeRecord(ReportFormRecord.self) }
        return ResultPage(items: items, total: try await SQLHelpers.count(count), page: page.page, perPage: page.perPage)
    }

    /// The fields and the automatic fields of all current forms the actor may see: the share in total.
    public func fieldTotals(by actor: ReportsActor) async throws -> (fields: Int64, automatic: Int64) {
        var q = sql.select().column(SQLRaw("CAST(SUM(field_count) AS BIGINT)"), as: "n").column(SQLRaw("CAST(SUM(automatic_count) AS BIGINT)"), as: "a")
            .from("report_forms").where("status", .equal, SQLBind("current"))
        if let d = actor.department { q = q.where("department_code", .equal, SQLBind(d)) } else {
            q = q.where("id", .in, SQLGroupExpression(sql.select().column("form_id").from("report_form_communities")
                .wherePrefix("community_code", actor.scope.prefix, sqlite: db.isSQLite).select))
        }
        guard let row = try await q.first() else { return (0, 0) }
        return (try row.decode(column: "n", as: Int64?.self) ?? 0, try row.decode(column: "a", as: Int64?.self) ?? 0)
    }

    /// The earlier versions of a form's series, newest first.
    public func versions(of form: ReportFormRecord) async throws -> [ReportFormRecord] {
        try await sql.raw("SELECT \(unsafeRaw: Self.formColumns) FROM report_forms WHERE series_id = \(bind: form.seriesId) ORDER BY version_no DESC")
            .all().map { try $0.decodeRecord(ReportFormRecord.self) }
    }

    /// The returns of a form, by community (only those started).
    public func returns(of form: UUID, on db: (any Database)? = nil) async throws -> [String: ReportReturnRecord] {
        var out: [String: ReportReturnRecord] = [:]
        for row in try await SQLHelpers.sql(db ?? self.db).raw("SELECT \(unsafeRaw: Self.returnColumns) FROM report_returns WHERE form_id = \(bind: form)").all() {
            let r = try row.decodeRecord(ReportReturnRecord.self)
            out[r.communityCode] = r
        }
        return out
    }

    public func returnRow(_ form: UUID, community: String, on db: (any Database)? = nil) async throws -> ReportReturnRecord? {
        try await SQLHelpers.sql(db ?? self.db).raw("""
            SELECT \(unsafeRaw: Self.returnColumns) FROM report_returns WHERE form_id = \(bind: form) AND community_code = \(bind: community)
            """).first()?.decodeRecord(ReportReturnRecord.self)
    }

    /// Returns of the actor's communities waiting for them (not submitted) on current forms: the home page's to-do.
    public func pendingReturns(by actor: ReportsActor) async throws -> Int {
        guard actor.department == nil else { return 0 }
        let rows = try await sql.select().column(SQLColumn("form_id", table: "c")).column(SQLColumn("community_code", table: "c"))
            .from(SQLAlias(SQLIdentifier("report_form_communities"), as: SQLIdentifier("c")))
            .join(SQLAlias(SQLIdentifier("report_forms"), as: SQLIdentifier("f")), method: SQLJoinMethod.inner,
                  on: SQLColumn("id", table: "f"), .equal, SQLColumn("form_id", table: "c"))
            .join(SQLAlias(SQLIdentifier("report_returns"), as: SQLIdentifier("r")), method: SQLJoinMethod.left,
                  on: SQLRaw("r.form_id = c.form_id AND r.community_code = c.community_code"))
            .where(SQLColumn("status", table: "f"), .equal, SQLBind("current"))
            .where(SQLRaw("(r.status IS NULL OR r.status <> 'submitted')"))
            .wherePrefix("c.community_code", actor.scope.prefix, sqlite: db.isSQLite).limit(1000).all()
        return rows.count
    }

    /// The district's minutes of a community worker's time one field takes to fill by hand.
    public func minutesPerField() async throws -> Int {
        try await sql.raw("SELECT value FROM report_settings WHERE key = 'minutes_per_field'").first()?.decode(column: "value", as: Int.self) ?? 3
    }
}

extension ReportsQueries {
    /// The current forms published under an admitted 数据报表 task (for the task's page), oldest first.
    public func forms(underTask task: UUID) async throws -> [ReportFormRecord] {
        try await sql.raw("""
            SELECT \(unsafeRaw: Self.formColumns) FROM report_forms WHERE task_id = \(bind: task) AND status = 'current' ORDER BY created_at, id
            """).all().map { try $0.decodeRecord(ReportFormRecord.self) }
    }
}
