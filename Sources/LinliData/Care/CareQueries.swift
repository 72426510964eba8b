import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 居家养老: the roll (derived from the registry), assessments, plans, service records, emergency calls and
/// facilities. Every read takes the caller's `RegistryScope`; every write runs in one transaction with its
/// audit entry; a record outside the scope is not found.
public struct CareQueries: Sendable {
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

    /// The day of a moment in China (UTC+8), as service records and visits are dated.
    public static func day(of seconds: Int64) -> CivilDate {
        CivilDate(dayNumber: Int((seconds + 8 * 3600).quotientRoundingDown(86400)))
    }

    // MARK: The roll

    static let elderColumns: [(String, String)] = [("r", "id"), ("r", "name"), ("r", "id_masked"), ("r", "birth_date"), ("r", "sex"),
                                                   ("r", "grid_code"), ("r", "tags"), ("s", "level"), ("s", "total"), ("s", "assessed_on"),
                                                   ("s", "next_due"), ("s", "last_visit_on"), ("s", "has_plan")]

    func rollFrom(_ q: SQLSelectBuilder) -> SQLSelectBuilder {
        q.from(SQLAlias(SQLIdentifier(Resident.schema), as: SQLIdentifier("r")))
            .join(SQLAlias(SQLIdentifier("care_status"), as: SQLIdentifier("s")), method: SQLJoinMethod.left,
                  on: SQLColumn("resident_id", table: "s"), .equal, SQLColumn("id", table: "r"))
    }

    /// Active residents aged 60 or more on `today`, in scope, with the filters.
    func rollFiltered(_ q: SQLSelectBuilder, scope: RegistryScope, filter: CareFilter) -> SQLSelectBuilder {
        var q = q.where(SQLColumn("life_status", table: "r"), .equal, SQLBind(LifeStatus.active.rawValue))
            .wherePrefix("r.grid_code", scope.prefix, sqlite: sqlite)
            .where(SQLColumn("birth_date", table: "r"), .lessThanOrEqual, SQLBind(today.yearsEarlier(CareRules.minimumAge).description))
        if let g = filter.gridCode { q = q.where(SQLColumn("grid_code", table: "r"), .equal, SQLBind(g)) }
        if let l = filter.level { q = q.where(SQLColumn("level", table: "s"), .equal, SQLBind(l.rawValue)) }
        if filter.unassessed { q = q.where(SQLColumn("level", table: "s"), .is, SQLLiteral.null) }
        if let f = filter.flag { q = flagged(q, f) }
        if filter.due {
            q = q.where { g in
                g.where(SQLColumn("next_due", table: "s"), .is, SQLLiteral.null)
                    .orWhere(SQLColumn("next_due", table: "s"), .lessThanOrEqual, SQLBind(today.description))
            }
        }
        if filter.missedVisit {
            q = flagged(q, .livingAlone).where { g in
                g.where(SQLColumn("last_visit_on", table: "s"), .is, SQLLiteral.null)
                    .orWhere(SQLColumn("last_visit_on", table: "s"), .lessThan,
                             SQLBind(today.adding(days: -CareRules.visitIntervalDays).description))
            }
        }
        return q
    }

    func flagged(_ q: SQLSelectBuilder, _ f: CareFlag) -> SQLSelectBuilder {
        if f == .oldestOld {
            return q.where(SQLColumn("birth_date", table: "r"), .lessThanOrEqual, SQLBind(today.yearsEarlier(CareRules.oldestAge).description))
        }
        return q.where(SQLColumn("id", table: "r"), .in, SQLGroupExpression(
            sql.select().column("resident_id").from(ResidentTagRow.schema).where("tag", .equal, SQLBind(f.tag.rawValue)).select))
    }

    var elderSelect: SQLSelectBuilder {
        var q = sql.select()
        for (t, c) in CareQueries.elderColumns { q = q.column(SQLColumn(c, table: t)) }
        return rollFrom(q)
    }

    public func roll(in scope: RegistryScope, filter: CareFilter, page: PageRequest) async throws -> ResultPage<CareElderRecord> {
        let items = try await rollFiltered(elderSelect, scope: scope, filter: filter)
            .orderBy(SQLColumn("grid_code", table: "r")).orderBy(SQLColumn("name_pinyin", table: "r")).orderBy(SQLColumn("id", table: "r"))
            .limit(page.perPage).offset(page.offset).all().map { try $0.decodeRecord(CareElderRecord.self) }
        let total = try await SQLHelpers.count(rollFiltered(rollFrom(sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")),
                                                            scope: scope, filter: filter))
        return ResultPage(items: items, total: total, page: page.page, perPage: page.perPage)
    }

    /// The elder with this resident id, if in scope, on the roll (active, 60+) or not.
    public func elder(_ id: UUID, in scope: RegistryScope) async throws -> (record: CareElderRecord, lifeStatus: LifeStatus)? {
        guard let row = try await elderSelect.column(SQLColumn("life_status", table: "r"))
            .where(SQLColumn("id", table: "r"), .equal, SQLBind(id)).first() else { return nil }
        let r = try row.decodeRecord(CareElderRecord.self)
        guard scope.contains(code: r.gridCode) else { return nil }
        return (r, try row.decodeStored(column: "life_status", as: LifeStatus.self, of: "residents"))
    }

    /// The resident for a care write: in scope (else 404), active and in care (else 422 naming `resident_id`). In
    /// care is 60 or more, or younger with a plan that records why (`under_60_reason`). `forPlan` lets someone
    /// under 60 through without that plan: the plan is where the reason is recorded (`savePlan` requires it).
    func requireElder(_ id: UUID, in scope: RegistryScope, forPlan: Bool = false) async throws -> CareElderRecord {
        guard case let (r, life)? = try await elder(id, in: scope) else { throw RegistryError.notFound("居民") }
        if life != .active {
            throw RegistryError.invalid([FieldError("resident_id", "该居民\(life.label)，不在养老服务名册上")])
        }
        guard let birth = CivilDate(r.birthDate) else { throw RegistryError.invalid([FieldError("resident_id", "该居民的出生日期无效")]) }
        if forPlan || CareRules.isElder(birth: birth, today: today) { return r }
        if Under60Reason.inCare(birth: birth, today: today, planReason: try await under60Reason(of: id)) { return r }
        throw RegistryError.invalid([FieldError("resident_id", "该居民未满60周岁，不在养老服务名册上；因失能、残疾或特殊困难纳入照护的，请先制定照护计划并填写\(Under60Reason.label)")])
    }

    /// The resident's care file subject: an active resident in scope who is in care (60 or more, or younger with a
    /// plan that records the reason); nil when not in care; 404 outside the scope.
    public func inCare(_ id: UUID, in scope: RegistryScope) async throws -> CareElderRecord? {
        do { return try await requireElder(id, in: scope) } catch RegistryError.invalid { return nil }
    }

    /// The reason recorded on the plan of a resident under 60, if any.
    func under60Reason(of id: UUID) async throws -> String? {
        try await sql.select().column("under_60_reason").from("care_plans").where("resident_id", .equal, SQLBind(id)).first()?
            .decode(column: "under_60_reason", as: String?.self)
    }

    // MARK: Assessments

    /// Care rows are read through the elder: whoever has the elder in their area now sees their history, even
    /// rows written while the elder lived in another grid; whoever no longer has them sees none of it.
    func inScope(_ id: UUID, _ scope: RegistryScope) async throws -> Bool {
        guard let row = try await sql.select().column("grid_code").from(Resident.schema).where("id", .equal, SQLBind(id)).first() else { return false }
        return scope.contains(code: try row.decode(column: "grid_code", as: String.self))
    }

    public func assessments(of id: UUID, in scope: RegistryScope) async throws -> [CareAssessmentRecord] {
        guard try await inScope(id, scope) else { return [] }
        return try await sql.select().columns("id", "resident_id", "grid_code", "assessed_on", "total", "level", "assessor", "next_due", "note")
            .from("care_assessments").where("resident_id", .equal, SQLBind(id))
            .orderBy("assessed_on", .descending).orderBy("created_at", .descending).all().map { try $0.decodeRecord(CareAssessmentRecord.self) }
    }

    /// An assessment with its item scores decrypted: written to the audit log before it is returned.
    public func fullAssessment(_ id: UUID, in scope: RegistryScope, by actor: AuditActor) async throws -> (CareAssessmentRecord, BarthelScores)? {
        guard let row = try await sql.select()
            .columns("id", "resident_id", "grid_code", "assessed_on", "total", "level", "assessor", "next_due", "note", "scores_cipher")
            .from("care_assessments").where("id", .equal, SQLBind(id)).first() else { return nil }
        let a = try row.decodeRecord(CareAssessmentRecord.self)
        guard try await inScope(a.residentId, scope) else { return nil }
        guard let scores = BarthelScores(encoded: try cipher.open(try row.decode(column: "scores_cipher", as: Data.self))) else {
            throw RegistryError.conflictingState("评估记录无法读取")
        }
        try await AuditLog.record(AuditEvent(CareAudit.viewAssessment, target: .careAssessment(id), detail: ["resident": a.residentId.uuidString]),
                                  by: actor, on: db)
        return (a, scores)
    }

    public func assess(_ residentID: UUID, scores raw: [String: Int]?, assessedOn: String?, note: String?, in scope: RegistryScope,
                       by actor: AuditActor) async throws -> CareAssessmentRecord {
        let elder = try await requireElder(residentID, in: scope)
        var errors = FieldErrors()
        var scores: BarthelScores?
        switch BarthelScores.check(raw) {
        case .success(let s): scores = s
        case .failure(let e): for x in e.errors { errors.add(x) }
        }
        var on = today
        if let text = assessedOn {
            if let d = CivilDate(text) { on = d } else { errors.add("assessed_on", "日期格式应为 YYYY-MM-DD") }
        }
        if on > today { errors.add("assessed_on", "评估日期不能晚于今天") }
        if on < today.yearsEarlier(1) { errors.add("assessed_on", "评估日期不能早于一年前") }
        if let note, note.count > 500 { errors.add("note", "备注不能超过500个字") }
        guard errors.isEmpty, let scores else { throw RegistryError.invalid(errors.errors) }
        let level = scores.level
        let due = CareRules.nextDue(assessedOn: on, level: level)
        let record = CareAssessmentRecord(id: UUID(), residentId: residentID, gridCode: elder.gridCode, assessedOn: on.description,
                                          total: scores.total, level: level, assessor: actor.username, nextDue: due.description,
                                          note: note)
        let sealed = try cipher.seal(scores.encoded)
        let created = nowSeconds
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            try await sql.insert(into: "care_assessments")
                .columns("id", "resident_id", "grid_code", "assessed_on", "scores_cipher", "total", "level", "assessor", "next_due", "note", "created_at")
                .values(SQLBind(record.id), SQLBind(residentID), SQLBind(record.gridCode), SQLBind(record.assessedOn), SQLBind(sealed),
                        SQLBind(record.total), SQLBind(record.level.rawValue), SQLBind(record.assessor), SQLBind(record.nextDue), SQLBind(note),
                        SQLBind(created)).run()
            // The current state follows the latest assessment by date.
            let latest = try await sql.select().columns("total", "level", "assessed_on", "next_due").from("care_assessments")
                .where("resident_id", .equal, SQLBind(residentID)).orderBy("assessed_on", .descending).orderBy("created_at", .descending)
                .limit(1).first()!
            try await CareQueries.upsertStatus(residentID, grid: record.gridCode, on: db, [
                ("level", try latest.decode(column: "level", as: String.self)), ("total", try latest.decode(column: "total", as: Int.self)),
                ("assessed_on", try latest.decode(column: "assessed_on", as: String.self)),
                ("next_due", try latest.decode(column: "next_due", as: String.self)),
            ])
            // The level is not a secret; the item scores stay out of the log.
            try await AuditLog.append([AuditEvent(CareAudit.assess, target: .resident(residentID),
                                                  detail: ["assessment": record.id.uuidString, "level": record.level.rawValue])], by: actor, on: db)
        }
        return record
    }

    /// Creates the elder's `care_status` row or updates the given columns.
    static func upsertStatus(_ id: UUID, grid: String, on db: any Database, _ sets: [(String, any Encodable & Sendable)]) async throws {
        let sql = SQLHelpers.sql(db)
        if try await sql.select().column("resident_id").from("care_status").where("resident_id", .equal, SQLBind(id)).first() == nil {
            var cols = ["resident_id", "grid_code", "has_plan"]
            var vals: [any SQLExpression] = [SQLBind(id), SQLBind(grid), SQLBind(false)]
            for (c, v) in sets {
                if let i = cols.firstIndex(of: c) { vals[i] = SQLBind(v) } else { cols.append(c); vals.append(SQLBind(v)) }
            }
            try await sql.insert(into: "care_status").columns(cols).values(vals).run()
        } else {
            var u = sql.update("care_status").set("grid_code", to: SQLBind(grid))
            for (c, v) in sets { u = u.set(SQLIdentifier(c), to: SQLBind(v)) }
            try await u.where("resident_id", .equal, SQLBind(id)).run()
        }
    }

    // MARK: Figures

    /// The care figures of a scope: the roll by level, due assessments, plans, missed visits, calls, and each
    /// community against the floor-area standard.
    public func figures(in scope: RegistryScope) async throws -> CareFigures {
        var f = CareFigures()
        let visitBound = today.adding(days: -CareRules.visitIntervalDays).description
        let alone = "r.id IN (SELECT resident_id FROM resident_tags WHERE tag = 'living_alone')"
        let row = try await rollFiltered(rollFrom(sql.select()
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .column(SQLRaw("sum(CASE WHEN s.level IS NOT NULL THEN 1 ELSE 0 END)"), as: "assessed")
            .column(SQLRaw("sum(CASE WHEN s.level = 'independent' THEN 1 ELSE 0 END)"), as: "l0")
            .column(SQLRaw("sum(CASE WHEN s.level = 'partly_dependent' THEN 1 ELSE 0 END)"), as: "l1")
            .column(SQLRaw("sum(CASE WHEN s.level = 'dependent' THEN 1 ELSE 0 END)"), as: "l2")
            .column(SQLRaw("sum(CASE WHEN s.next_due IS NULL OR s.next_due <= '\(today.description)' THEN 1 ELSE 0 END)"), as: "due")
            .column(SQLRaw("sum(CASE WHEN s.has_plan THEN 1 ELSE 0 END)"), as: "plans")
            .column(SQLRaw("sum(CASE WHEN \(alone) THEN 1 ELSE 0 END)"), as: "alone")
            .column(SQLRaw("sum(CASE WHEN \(alone) AND (s.last_visit_on IS NULL OR s.last_visit_on < '\(visitBound)') THEN 1 ELSE 0 END)"), as: "missed")),
            scope: scope, filter: CareFilter()).first()
        func int(_ c: String) throws -> Int { try row?.decode(column: c, as: Int?.self) ?? 0 }
        f.elders = try int("n"); f.assessed = try int("assessed"); f.due = try int("due"); f.withPlan = try int("plans")
        f.livingAlone = try int("alone"); f.missedVisits = try int("missed")
        f.byLevel = [CareLevel.independent.rawValue: try int("l0"), CareLevel.partlyDependent.rawValue: try int("l1"),
                     CareLevel.dependent.rawValue: try int("l2")]
        (f.calls, f.openCalls) = try await callFigures(in: scope)
        f.communities = try await communityAreas(in: scope)
        return f
    }

    /// The response figures of the scope's calls, and how many are not closed yet.
    public func callFigures(in scope: RegistryScope) async throws -> (CallResponseFigures, Int) {
        let calls = try await sql.select().columns("received_at", "responded_at", "status").from("care_calls")
            .wherePrefix("grid_code", scope.prefix, sqlite: sqlite).all()
        let figures = CallResponseFigures.of(try calls.map {
            (try $0.decode(column: "received_at", as: Int64.self), try $0.decode(column: "responded_at", as: Int64?.self))
        })
        return (figures, try calls.filter { try $0.decode(column: "status", as: String.self) != CareCallStatus.closed.rawValue }.count)
    }

    /// Each community of the scope with its home-care floor area and beds.
    public func communityAreas(in scope: RegistryScope) async throws -> [CommunityCareArea] {
        try await CareQueries.communityAreas(db, prefix: scope.prefix.count > 12 ? String(scope.prefix.prefix(12)) : scope.prefix)
    }

    static func communityAreas(_ db: any Database, prefix: String) async throws -> [CommunityCareArea] {
        let sql = SQLHelpers.sql(db), sqlite = db.isSQLite
        var out: [String: CommunityCareArea] = [:]
        var order: [String] = []
        for row in try await sql.select().columns("code", "name", "kind").from(Division.schema)
            .where("level", .equal, SQLBind(DivisionLevel.community.rawValue)).where("retired_on", .is, SQLLiteral.null).wherePrefix("code", prefix, sqlite: sqlite).orderBy("code").all() {
            let code = try row.decode(column: "code", as: String.self)
            let kind = try row.decode(column: "kind", as: String?.self).flatMap(CommunityKind.init(rawValue:))
            out[code] = CommunityCareArea(code: code, name: try row.decode(column: "name", as: String.self), setting: CareSetting.of(kind),
                                          homeCareArea: 0, beds: 0, nursingBeds: 0)
            order.append(code)
        }
        for f in try await sql.select().columns(CareQueries.facilityColumns).from("care_facilities")
            .wherePrefix("community_code", prefix, sqlite: sqlite).all().map({ try $0.decodeRecord(CareFacilityRecord.self) })
            where out[f.communityCode] != nil {
            if f.kind.isHomeCareSpace { out[f.communityCode]!.homeCareArea += f.floorArea }
            out[f.communityCode]!.beds += f.beds
            out[f.communityCode]!.nursingBeds += f.nursingBeds
        }
        return order.map { out[$0]! }
    }
}

extension Int64 {
    func quotientRoundingDown(_ d: Int64) -> Int64 { self >= 0 ? self / d : -((-self + d - 1) / d) }
}
