import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 再就业培训's reads and writes, scoped: a course is seen by those inside the area that opened it and by
/// those above it; a trainee only by those whose area holds the trainee's grid.
public struct TrainingQueries: Sendable {
    let db: any Database
    let today: CivilDate
    let now: @Sendable () -> Date
    var sql: any SQLDatabase { SQLHelpers.sql(db) }
    var sqlite: Bool { db.isSQLite }

    public init(_ db: any Database, today: CivilDate, now: @escaping @Sendable () -> Date = Date.init) {
        self.db = db
        self.today = today
        self.now = now
    }

    /// The area prefixes of courses the scope sees from below: every prefix of its own (its area and those above).
    static func ancestorPrefixes(of scope: RegistryScope) -> [String] {
        (0...scope.prefix.count).map { String(scope.prefix.prefix($0)) }
    }

    /// Courses opened in the scope's area, above it (the street's course for a community) or below it.
    func visible(_ q: SQLSelectBuilder, _ scope: RegistryScope) -> SQLSelectBuilder {
        if scope.prefix == "~" { return q.where(SQLLiteral.boolean(false)) }
        if scope.prefix.isEmpty { return q }
        let sqlite = self.sqlite
        return q.where { w in
            w.where(SQLColumn("area_prefix", table: "c"), .in, SQLBind.group(Self.ancestorPrefixes(of: scope)))
                .orWhere { g in g.wherePrefix("c.area_prefix", scope.prefix, sqlite: sqlite) }
        }
    }

    var courseSelect: SQLSelectBuilder {
        sql.select().columns(["c.id", "c.name", "c.kind", "c.trade", "c.provider", "c.area_code", "c.area_prefix", "c.starts_on", "c.ends_on",
                             "c.hours", "c.capacity", "c.enrolled", "c.created_by", "c.version"].map(SQLHelpers.column))
            .from(SQLAlias(SQLIdentifier("training_courses"), as: SQLIdentifier("c")))
    }
}

extension TrainingQueries {
    public func courses(in scope: RegistryScope, filter: TrainingCourseFilter, page: PageRequest) async throws -> ResultPage<TrainingCourseRecord> {
        let today = self.today.description
        func filtered(_ q: SQLSelectBuilder) -> SQLSelectBuilder {
            var q = visible(q, scope)
            if let k = filter.kind { q = q.where(SQLColumn("kind", table: "c"), .equal, SQLBind(k.rawValue)) }
            switch filter.phase {
            case .planned?: q = q.where(SQLColumn("starts_on", table: "c"), .greaterThan, SQLBind(today))
            case .running?: q = q.where(SQLColumn("starts_on", table: "c"), .lessThanOrEqual, SQLBind(today))
                .where(SQLColumn("ends_on", table: "c"), .greaterThanOrEqual, SQLBind(today))
            case .finished?: q = q.where(SQLColumn("ends_on", table: "c"), .lessThan, SQLBind(today))
            case nil: break
            }
            return q
        }
        let items = try await filtered(courseSelect)
            .orderBy(SQLOrderBy(expression: SQLColumn("starts_on", table: "c"), direction: SQLDirection.descending)).orderBy(SQLColumn("name", table: "c"))
            .limit(page.perPage).offset(page.offset).all().map { try $0.decodeRecord(TrainingCourseRecord.self) }
        let total = try await SQLHelpers.count(filtered(sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from(SQLAlias(SQLIdentifier("training_courses"), as: SQLIdentifier("c")))))
        return ResultPage(items: items, total: total, page: page.page, perPage: page.perPage)
    }

    public func course(_ id: UUID, in scope: RegistryScope) async throws -> TrainingCourseRecord? {
        try await visible(courseSelect, scope).where(SQLColumn("id", table: "c"), .equal, SQLBind(id)).first()?.decodeRecord(TrainingCourseRecord.self)
    }

    func requireCourse(_ id: UUID, in scope: RegistryScope) async throws -> TrainingCourseRecord {
        guard let c = try await course(id, in: scope) else { throw RegistryError.notFound("培训班") }
        return c
    }

    /// Each course's trainees in the scope, completed, followed up and at work: one grouped query for a page of courses.
    public func figures(of courses: [UUID], in scope: RegistryScope) async throws -> [UUID: TrainingCourseFigures] {
        guard !courses.isEmpty else { return [:] }
        func when(_ c: String) -> SQLRaw { SQLRaw("CAST(sum(CASE WHEN \(c) THEN 1 ELSE 0 END) AS BIGINT)") }
        var out: [UUID: TrainingCourseFigures] = [:]
        for row in try await sql.select().column("course_id").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .column(when("result = 'completed'"), as: "completed").column(when("followup_on IS NOT NULL"), as: "followed")
            .column(when("followup_employed = \(sqlite ? "1" : "true")"), as: "employed")
            .from("training_enrolments").where("course_id", .in, SQLBind.group(courses))
            .wherePrefix("grid_code", scope.prefix, sqlite: sqlite).groupBy("course_id").all() {
            var f = TrainingCourseFigures()
            f.trainees = try row.decode(column: "n", as: Int.self)
            f.completed = Int(try row.decode(column: "completed", as: Int64?.self) ?? 0)
            f.followedUp = Int(try row.decode(column: "followed", as: Int64?.self) ?? 0)
            f.employed = Int(try row.decode(column: "employed", as: Int64?.self) ?? 0)
            out[try row.decode(column: "course_id", as: UUID.self)] = f
        }
        return out
    }

    var enrolmentSelect: SQLSelectBuilder {
        sql.select().columns(["e.id", "e.course_id", "e.resident_id", "e.grid_code", "e.enrolled_on", "e.sessions_total", "e.sessions_present",
                             "e.result", "e.result_on", "e.certificate", "e.certificate_number", "e.followup_due_on", "e.followup_on",
                             "e.followup_employed", "e.followup_employer", "e.version"].map(SQLHelpers.column))
            .column(SQLColumn("name", table: "r")).column(SQLColumn("id_masked", table: "r"))
            .from(SQLAlias(SQLIdentifier("training_enrolments"), as: SQLIdentifier("e")))
            .join(SQLAlias(SQLIdentifier("residents"), as: SQLIdentifier("r")), method: SQLJoinMethod.inner,
                  on: SQLColumn("id", table: "r"), .equal, SQLColumn("resident_id", table: "e"))
    }

    /// A course's trainees in the scope, by name.
    public func enrolments(of course: UUID, in scope: RegistryScope) async throws -> [TrainingEnrolmentRecord] {
        try await enrolmentSelect.where(SQLColumn("course_id", table: "e"), .equal, SQLBind(course))
            .wherePrefix("e.grid_code", scope.prefix, sqlite: sqlite)
            .orderBy(SQLColumn("name_pinyin", table: "r")).limit(500).all().map { try $0.decodeRecord(TrainingEnrolmentRecord.self) }
    }

    public func enrolment(_ id: UUID, in scope: RegistryScope) async throws -> TrainingEnrolmentRecord? {
        guard let e = try await enrolmentSelect.where(SQLColumn("id", table: "e"), .equal, SQLBind(id)).first()?
            .decodeRecord(TrainingEnrolmentRecord.self) else { return nil }
        return scope.contains(code: e.gridCode) ? e : nil
    }

    /// A person's courses with their names, newest first (the unemployment register's page shows them).
    public func enrolments(ofResident id: UUID, in scope: RegistryScope) async throws -> [(enrolment: TrainingEnrolmentRecord, course: String)] {
        try await enrolmentSelect.column(SQLColumn("name", table: "c"), as: "course_name")
            .join(SQLAlias(SQLIdentifier("training_courses"), as: SQLIdentifier("c")), method: SQLJoinMethod.inner,
                  on: SQLColumn("id", table: "c"), .equal, SQLColumn("course_id", table: "e"))
            .where(SQLColumn("resident_id", table: "e"), .equal, SQLBind(id))
            .wherePrefix("e.grid_code", scope.prefix, sqlite: sqlite)
            .orderBy(SQLOrderBy(expression: SQLColumn("enrolled_on", table: "e"), direction: SQLDirection.descending)).all()
            .map { (try $0.decodeRecord(TrainingEnrolmentRecord.self), try $0.decode(column: "course_name", as: String.self)) }
    }

    /// 待回访: trainees who completed six months ago or more and have not been followed up, oldest first.
    public func followUpsDue(in scope: RegistryScope, page: PageRequest) async throws -> ResultPage<TrainingEnrolmentRecord> {
        let today = self.today.description, sqlite = self.sqlite
        func filtered(_ q: SQLSelectBuilder) -> SQLSelectBuilder {
            q.wherePrefix("e.grid_code", scope.prefix, sqlite: sqlite)
                .where(SQLColumn("followup_due_on", table: "e"), .lessThanOrEqual, SQLBind(today))
                .where(SQLColumn("followup_on", table: "e"), .is, SQLLiteral.null)
        }
        let items = try await filtered(enrolmentSelect).orderBy(SQLColumn("followup_due_on", table: "e")).orderBy(SQLColumn("id", table: "e"))
            .limit(page.perPage).offset(page.offset).all().map { try $0.decodeRecord(TrainingEnrolmentRecord.self) }
        let total = try await SQLHelpers.count(filtered(sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from(SQLAlias(SQLIdentifier("training_enrolments"), as: SQLIdentifier("e")))))
        return ResultPage(items: items, total: total, page: page.page, perPage: page.perPage)
    }
}
