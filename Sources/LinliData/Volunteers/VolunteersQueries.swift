import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 志愿者: the roll, teams, activities, sign-ups and hours. Reads take the caller's `RegistryScope` (a volunteer
/// is in the community of their registry entry; a grid worker sees their grid's volunteers and their community's
/// activities). A record outside the scope is not found.
public struct VolunteersQueries: Sendable {
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

    static let volunteerColumns = ["id", "resident_id", "community_code", "state", "skills", "skill_note", "service_areas", "availability",
                                   "registered_on", "confirmed_on", "signed_on", "terms_version", "signature", "guardian_name", "guardian_relation",
                                   "guardian_consent_on", "withdrawn_on", "minutes", "last_served_on", "registered_via", "version"]

    var volunteerSelect: SQLSelectBuilder {
        var q = sql.select()
        for c in Self.volunteerColumns { q = q.column(SQLColumn(c, table: "v")) }
        return q.column(SQLColumn("name", table: "r")).column(SQLColumn("name_pinyin", table: "r")).column(SQLColumn("id_masked", table: "r"))
            .column(SQLColumn("birth_date", table: "r")).column(SQLColumn("grid_code", table: "r"))
            .column(SQLColumn("name", table: "d"), as: "community_name")
            .from(SQLAlias(SQLIdentifier("volunteers"), as: SQLIdentifier("v")))
            .join(SQLAlias(SQLIdentifier(Resident.schema), as: SQLIdentifier("r")), on: SQLColumn("resident_id", table: "v"), .equal, SQLColumn("id", table: "r"))
            .join(SQLAlias(SQLIdentifier(Division.schema), as: SQLIdentifier("d")), method: SQLJoinMethod.left,
                  on: SQLColumn("code", table: "d"), .equal, SQLColumn("community_code", table: "v"))
    }

    /// Volunteers of the scope: by community (an index range), a grid's by the resident's grid too.
    func scoped(_ q: SQLSelectBuilder, _ scope: RegistryScope) -> SQLSelectBuilder {
        if scope.prefix.count > 12 {
            return q.where(SQLColumn("community_code", table: "v"), .equal, SQLBind(String(scope.prefix.prefix(12))))
                .wherePrefix("r.grid_code", scope.prefix, sqlite: sqlite)
        }
        return q.wherePrefix("v.community_code", scope.prefix, sqlite: sqlite)
    }

    public struct Filter: Sendable {
        public var state: VolunteerState?
        /// Pinyin initials or a name's start.
        public var search: String?
        public var skill: VolunteerSkill?
        public var star: VolunteerStar?
        public init() {}
    }

    public func volunteers(in scope: RegistryScope, filter: Filter = Filter(), page: PageRequest) async throws -> ResultPage<VolunteerRecord> {
        func filtered(_ q: SQLSelectBuilder) -> SQLSelectBuilder {
            var q = scoped(q, scope)
            if let s = filter.state { q = q.where(SQLColumn("state", table: "v"), .equal, SQLBind(s.rawValue)) }
            if let k = filter.skill { q = q.where(SQLColumn("skills", table: "v"), .like, SQLBind("%" + k.rawValue + "%")) }
            if let star = filter.star {
                q = q.where(SQLColumn("minutes", table: "v"), .greaterThanOrEqual, SQLBind(star.hours * 60))
                if let next = VolunteerStar(rawValue: star.rawValue + 1) { q = q.where(SQLColumn("minutes", table: "v"), .lessThan, SQLBind(next.hours * 60)) }
            }
            if let s = filter.search?.trimmingCharacters(in: .whitespaces), !s.isEmpty {
                if s.allSatisfy({ $0.isASCII && $0.isLetter }) {
                    let sqlite = sqlite, letters = s.lowercased()
                    q = q.where { g in
                        g.where { $0.wherePrefix("r.name_initials", letters, sqlite: sqlite) }.orWhere { $0.wherePrefix("r.name_pinyin", letters, sqlite: sqlite) }
                    }
                } else {
                    q = q.wherePrefix("r.name", s, sqlite: sqlite)
                }
            }
            return q
        }
        let items = try await filtered(volunteerSelect).orderBy(SQLColumn("community_code", table: "v")).orderBy(SQLColumn("registered_on", table: "v"))
            .orderBy(SQLColumn("id", table: "v")).limit(page.perPage).offset(page.offset).all().map { try $0.decodeRecord(VolunteerRecord.self) }
        // The registry is joined for the count only when a grid's scope or a search needs it.
        var count = sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(SQLAlias(SQLIdentifier("volunteers"), as: SQLIdentifier("v")))
        if scope.prefix.count > 12 || filter.search?.trimmedOrNil != nil {
            count = count.join(SQLAlias(SQLIdentifier(Resident.schema), as: SQLIdentifier("r")), on: SQLColumn("resident_id", table: "v"), .equal, SQLColumn("id", table: "r"))
        }
        let total = try await SQLHelpers.count(filtered(count))
        return ResultPage(items: items, total: total, page: page.page, perPage: page.perPage)
    }

    public func volunteer(_ id: UUID, in scope: RegistryScope) async throws -> VolunteerRecord? {
        try await scoped(volunteerSelect, scope).where(SQLColumn("id", table: "v"), .equal, SQLBind(id)).first()?.decodeRecord(VolunteerRecord.self)
    }

    public func volunteer(resident: UUID) async throws -> VolunteerRecord? {
        try await volunteerSelect.where(SQLColumn("resident_id", table: "v"), .equal, SQLBind(resident)).first()?.decodeRecord(VolunteerRecord.self)
    }

    func requireVolunteer(_ id: UUID, in scope: RegistryScope) async throws -> VolunteerRecord {
        guard let v = try await volunteer(id, in: scope) else { throw RegistryError.notFound("志愿者") }
        return v
    }

    // MARK: Activities

    var activitySelect: SQLSelectBuilder {
        var q = sql.select()
        for c in ["id", "community_code", "team_id", "organization_id", "project_id", "title", "place", "detail", "skills", "starts_at", "ends_at",
                  "places", "taken", "code", "created_by", "cancelled_on", "cancel_reason"] { q = q.column(SQLColumn(c, table: "a")) }
        return q.column(SQLColumn("name", table: "t"), as: "team_name")
            .from(SQLAlias(SQLIdentifier("volunteer_activities"), as: SQLIdentifier("a")))
            .join(SQLAlias(SQLIdentifier("volunteer_teams"), as: SQLIdentifier("t")), method: SQLJoinMethod.left,
                  on: SQLColumn("id", table: "t"), .equal, SQLColumn("team_id", table: "a"))
    }

    /// Activities of the scope's communities (a grid sees its community's).
    func scopedActivities(_ q: SQLSelectBuilder, _ scope: RegistryScope) -> SQLSelectBuilder {
        if scope.prefix.count > 12 { return q.where(SQLColumn("community_code", table: "a"), .equal, SQLBind(String(scope.prefix.prefix(12)))) }
        return q.wherePrefix("a.community_code", scope.prefix, sqlite: sqlite)
    }

    /// Activities newest first; `upcoming` only those not yet ended.
    public func activities(in scope: RegistryScope, upcoming: Bool = false, page: PageRequest) async throws -> ResultPage<VolunteerActivityRecord> {
        func filtered(_ q: SQLSelectBuilder) -> SQLSelectBuilder {
            let q = scopedActivities(q, scope)
            return upcoming ? q.where(SQLColumn("ends_at", table: "a"), .greaterThan, SQLBind(nowSeconds)).where(SQLColumn("cancelled_on", table: "a"), .is, SQLLiteral.null) : q
        }
        let items = try await filtered(activitySelect).orderBy(SQLColumn("starts_at", table: "a"), upcoming ? SQLDirection.ascending : SQLDirection.descending)
            .orderBy(SQLColumn("id", table: "a")).limit(page.perPage).offset(page.offset).all().map { try $0.decodeRecord(VolunteerActivityRecord.self) }
        let total = try await SQLHelpers.count(filtered(sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from(SQLAlias(SQLIdentifier("volunteer_activities"), as: SQLIdentifier("a")))))
        return ResultPage(items: items, total: total, page: page.page, perPage: page.perPage)
    }

    public func activity(_ id: UUID, in scope: RegistryScope) async throws -> VolunteerActivityRecord? {
        try await scopedActivities(activitySelect, scope).where(SQLColumn("id", table: "a"), .equal, SQLBind(id)).first()?
            .decodeRecord(VolunteerActivityRecord.self)
    }

    func requireActivity(_ id: UUID, in scope: RegistryScope) async throws -> VolunteerActivityRecord {
        guard let a = try await activity(id, in: scope) else { throw RegistryError.notFound("志愿活动") }
        return a
    }

    var signupSelect: SQLSelectBuilder {
        var q = sql.select()
        for c in ["id", "activity_id", "volunteer_id", "via", "signed_up_at", "check_in_at", "check_out_at", "proposed_minutes", "verified_minutes",
                  "verified_at", "verified_by"] { q = q.column(SQLColumn(c, table: "s")) }
        return q.column(SQLColumn("name", table: "r"))
            .from(SQLAlias(SQLIdentifier("volunteer_signups"), as: SQLIdentifier("s")))
            .join(SQLAlias(SQLIdentifier("volunteers"), as: SQLIdentifier("v")), on: SQLColumn("volunteer_id", table: "s"), .equal, SQLColumn("id", table: "v"))
            .join(SQLAlias(SQLIdentifier(Resident.schema), as: SQLIdentifier("r")), on: SQLColumn("resident_id", table: "v"), .equal, SQLColumn("id", table: "r"))
    }

    public func signups(of activity: UUID) async throws -> [VolunteerSignupRecord] {
        try await signupSelect.where(SQLColumn("activity_id", table: "s"), .equal, SQLBind(activity)).orderBy(SQLColumn("signed_up_at", table: "s"))
            .orderBy(SQLColumn("id", table: "s")).all().map { try $0.decodeRecord(VolunteerSignupRecord.self) }
    }

    public func signup(_ id: UUID) async throws -> VolunteerSignupRecord? {
        try await signupSelect.where(SQLColumn("id", table: "s"), .equal, SQLBind(id)).first()?.decodeRecord(VolunteerSignupRecord.self)
    }

    public func signup(activity: UUID, volunteer: UUID) async throws -> VolunteerSignupRecord? {
        try await signupSelect.where(SQLColumn("activity_id", table: "s"), .equal, SQLBind(activity))
            .where(SQLColumn("volunteer_id", table: "s"), .equal, SQLBind(volunteer)).first()?.decodeRecord(VolunteerSignupRecord.self)
    }

    /// A volunteer's sign-ups with their activities, newest first.
    public func signups(ofVolunteer id: UUID, limit: Int = 50) async throws -> [(VolunteerSignupRecord, VolunteerActivityRecord)] {
        let signups = try await signupSelect.where(SQLColumn("volunteer_id", table: "s"), .equal, SQLBind(id))
            .orderBy(SQLColumn("signed_up_at", table: "s"), SQLDirection.descending).limit(limit).all().map { try $0.decodeRecord(VolunteerSignupRecord.self) }
        var out: [(VolunteerSignupRecord, VolunteerActivityRecord)] = []
        for s in signups {
            if let a = try await activity(s.activityId, in: .everything) { out.append((s, a)) }
        }
        return out
    }

    /// A volunteer's hour entries (verifications and corrections), newest first.
    public func hours(of volunteer: UUID, limit: Int = 200) async throws -> [VolunteerHoursRecord] {
        var q = sql.select()
        for c in ["id", "volunteer_id", "activity_id", "kind", "minutes", "reason", "served_on", "recorded_by", "created_at"] { q = q.column(SQLColumn(c, table: "h")) }
        return try await q.column(SQLColumn("title", table: "a"), as: "activity_title")
            .from(SQLAlias(SQLIdentifier("volunteer_hours"), as: SQLIdentifier("h")))
            .join(SQLAlias(SQLIdentifier("volunteer_activities"), as: SQLIdentifier("a")), method: SQLJoinMethod.left,
                  on: SQLColumn("id", table: "a"), .equal, SQLColumn("activity_id", table: "h"))
            .where(SQLColumn("volunteer_id", table: "h"), .equal, SQLBind(volunteer))
            .orderBy(SQLColumn("served_on", table: "h"), SQLDirection.descending).orderBy(SQLColumn("created_at", table: "h"), SQLDirection.descending)
            .limit(limit).all().map { try $0.decodeRecord(VolunteerHoursRecord.self) }
    }

    /// Minutes by year (entries summed per year; corrections count in the year of the service they correct).
    public func minutesByYear(of volunteer: UUID) async throws -> [(year: Int, minutes: Int)] {
        try await sql.raw("""
            SELECT SUBSTR(served_on, 1, 4) AS y, CAST(SUM(minutes) AS BIGINT) AS m FROM volunteer_hours
            WHERE volunteer_id = \(bind: volunteer) GROUP BY SUBSTR(served_on, 1, 4) ORDER BY y
            """).all().compactMap { row in
            guard let y = Int(try row.decode(column: "y", as: String.self)) else { return nil }
            return (y, try row.decode(column: "m", as: Int.self))
        }
    }

    // MARK: Teams

    public func teams(in scope: RegistryScope, page: PageRequest) async throws -> ResultPage<VolunteerTeamRecord> {
        let prefix = scope.prefix.count > 12 ? String(scope.prefix.prefix(12)) : scope.prefix
        let cols = ["id", "community_code", "name", "kind", "skill", "organization_id", "leader_id", "members", "minutes", "version"]
        let items = try await sql.select().columns(cols).from("volunteer_teams").wherePrefix("community_code", prefix, sqlite: sqlite)
            .orderBy("minutes", .descending).orderBy("id").limit(page.perPage).offset(page.offset).all().map { try $0.decodeRecord(VolunteerTeamRecord.self) }
        let total = try await SQLHelpers.count(sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("volunteer_teams")
            .wherePrefix("community_code", prefix, sqlite: sqlite))
        return ResultPage(items: items, total: total, page: page.page, perPage: page.perPage)
    }

    public func team(_ id: UUID, in scope: RegistryScope) async throws -> VolunteerTeamRecord? {
        let cols = ["id", "community_code", "name", "kind", "skill", "organization_id", "leader_id", "members", "minutes", "version"]
        guard let t = try await sql.select().columns(cols).from("volunteer_teams").where("id", .equal, SQLBind(id)).first()?
            .decodeRecord(VolunteerTeamRecord.self) else { return nil }
        let prefix = scope.prefix.count > 12 ? String(scope.prefix.prefix(12)) : scope.prefix
        return t.communityCode.hasPrefix(prefix) ? t : nil
    }

    // MARK: Certificates

    public func certificate(code: String) async throws -> VolunteerCertificateRecord? {
        let c = code.trimmingCharacters(in: .whitespaces).uppercased()
        guard !c.isEmpty, c.count <= 20 else { return nil }
        return try await sql.select().columns("code", "volunteer_id", "name_masked", "community_name", "minutes_by_year", "minutes", "issued_on", "issued_by")
            .from("volunteer_certificates").where("code", .equal, SQLBind(c)).first()?.decodeRecord(VolunteerCertificateRecord.self)
    }

    static func randomCode(_ length: Int) -> String {
        var rng = SystemRandomNumberGenerator()
        return randomCode(length, using: &rng)
    }

    static func randomCode<G: RandomNumberGenerator>(_ length: Int, using rng: inout G) -> String {
        String((0..<length).map { _ in VolunteerRules.codeAlphabet.randomElement(using: &rng)! })
    }
}
