import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 助残康复: the roll of card holders, their assessments, rehabilitation services and devices. Every read takes the
/// caller's `RegistryScope` (a prefix of the card's grid code); a card outside it is not found. The full card
/// number is only opened by `fullView`, which audits the view.
public struct DisabilityQueries: Sendable {
    let db: any Database
    let cipher: PersonalDataCipher
    let today: CivilDate
    let now: @Sendable () -> Date
    /// The registry's cache of residents: a holder whose tag changed is dropped from it after the write commits.
    let residentCache: RecordCache<UUID, ResidentRecord>?

    public init(_ db: any Database, cipher: PersonalDataCipher, today: CivilDate, residentCache: RecordCache<UUID, ResidentRecord>? = nil,
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.db = db
        self.cipher = cipher
        self.today = today
        self.residentCache = residentCache
        self.now = now
    }

    var sql: any SQLDatabase { SQLHelpers.sql(db) }
    var sqlite: Bool { db.isSQLite }
    var nowSeconds: Int64 { Int64(now().timeIntervalSince1970) }

    static let cardColumns = ["id", "resident_id", "grid_code", "category", "grade", "number_masked", "issued_on", "valid_until", "registered_on",
                              "status", "ended_on", "end_reason", "last_assessed_on", "rehab_until", "version"]

    var cardSelect: SQLSelectBuilder {
        var q = sql.select()
        for c in Self.cardColumns { q = q.column(SQLColumn(c, table: "d")) }
        return q.column(SQLColumn("name", table: "r"), as: "resident_name").column(SQLColumn("birth_date", table: "r"))
            .column(SQLColumn("household_id", table: "r")).column(SQLColumn("life_status", table: "r"))
            .from(SQLAlias(SQLIdentifier("disability_cards"), as: SQLIdentifier("d")))
            .join(SQLAlias(SQLIdentifier(Resident.schema), as: SQLIdentifier("r")), method: SQLJoinMethod.inner,
                  on: SQLColumn("id", table: "r"), .equal, SQLColumn("resident_id", table: "d"))
    }

    func filtered(_ q: SQLSelectBuilder, scope: RegistryScope, filter: DisabilityFilter) -> SQLSelectBuilder {
        var q = q.wherePrefix("d.grid_code", scope.prefix, sqlite: sqlite)
        if let s = filter.status { q = q.where(SQLColumn("status", table: "d"), .equal, SQLBind(s.rawValue)) }
        if let c = filter.category { q = q.where(SQLColumn("category", table: "d"), .equal, SQLBind(c.rawValue)) }
        if let g = filter.grade { q = q.where(SQLColumn("grade", table: "d"), .equal, SQLBind(g.rawValue)) }
        if filter.overdue || filter.unassessed {
            q = q.where(SQLColumn("status", table: "d"), .equal, SQLBind(DisabilityCardStatus.active.rawValue))
                .where(SQLColumn("last_assessed_on", table: "d"), .is, SQLLiteral.null)
        }
        if filter.overdue {
            q = q.where(SQLColumn("registered_on", table: "d"), .lessThan, SQLBind(DisabilityRules.overdueBefore(today: today).description))
        }
        return q
    }

    /// One page of the roll, grid by grid, newest registrations first in each.
    public func cards(in scope: RegistryScope, filter: DisabilityFilter, page: PageRequest) async throws -> ResultPage<DisabilityCardRecord> {
        let items = try await filtered(cardSelect, scope: scope, filter: filter)
            .orderBy(SQLOrderBy(expression: SQLColumn("grid_code", table: "d"), direction: SQLDirection.ascending))
            .orderBy(SQLOrderBy(expression: SQLColumn("registered_on", table: "d"), direction: SQLDirection.descending))
            .orderBy(SQLOrderBy(expression: SQLColumn("id", table: "d"), direction: SQLDirection.ascending))
            .limit(page.perPage).offset(page.offset).all().map { try $0.decodeRecord(DisabilityCardRecord.self) }
        let countQ = sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from(SQLAlias(SQLIdentifier("disability_cards"), as: SQLIdentifier("d")))
        let total = try await SQLHelpers.count(filtered(countQ, scope: scope, filter: filter))
        return ResultPage(items: items, total: total, page: page.page, perPage: page.perPage)
    }

    public func card(_ id: UUID, in scope: RegistryScope) async throws -> DisabilityCardRecord? {
        try await cardSelect.where(SQLColumn("id", table: "d"), .equal, SQLBind(id)).first()
            .map { try $0.decodeRecord(DisabilityCardRecord.self) }
            .flatMap { scope.contains(code: $0.gridCode) ? $0 : nil }
    }

    public func requireCard(_ id: UUID, in scope: RegistryScope) async throws -> DisabilityCardRecord {
        guard let c = try await card(id, in: scope) else { throw RegistryError.notFound("残疾人证") }
        return c
    }

    /// The card of a resident, if they have one in scope.
    public func card(ofResident id: UUID, in scope: RegistryScope) async throws -> DisabilityCardRecord? {
        try await cardSelect.where(SQLColumn("resident_id", table: "d"), .equal, SQLBind(id)).first()
            .map { try $0.decodeRecord(DisabilityCardRecord.self) }
            .flatMap { scope.contains(code: $0.gridCode) ? $0 : nil }
    }

    /// The full card number, written to the audit log before it is returned.
    public func fullView(_ id: UUID, in scope: RegistryScope, by actor: AuditActor) async throws -> (card: DisabilityCardRecord, number: String) {
        let c = try await requireCard(id, in: scope)
        let row = try await sql.select().column("number_cipher").from("disability_cards").where("id", .equal, SQLBind(id)).first()
        guard let sealed = try row?.decode(column: "number_cipher", as: Data.self) else { throw RegistryError.notFound("残疾人证") }
        let number = try cipher.open(sealed)
        try await db.writeTransaction { db in
            try await AuditLog.append([AuditEvent(DisabilityAudit.viewCard, target: .disabilityCard(id))], by: actor, on: db)
        }
        return (c, number)
    }

    public func assessments(of card: UUID) async throws -> [DisabilityAssessmentRecord] {
        try await sql.select().columns("id", "assessed_on", "assessor", "needs", "result", "note", "recorded_by").from("disability_assessments")
            .where("card_id", .equal, SQLBind(card)).orderBy("assessed_on", .descending).limit(200).all()
            .map { try $0.decodeRecord(DisabilityAssessmentRecord.self) }
    }

    public func services(of card: UUID) async throws -> [DisabilityServiceRecord] {
        try await sql.select().columns("id", "setting", "provider", "started_on", "ended_on", "sessions", "hours", "outcome", "recorded_by")
            .from("disability_services").where("card_id", .equal, SQLBind(card)).orderBy("started_on", .descending).limit(200).all()
            .map { try $0.decodeRecord(DisabilityServiceRecord.self) }
    }

    public func devices(of card: UUID) async throws -> [DisabilityDeviceRecord] {
        try await sql.select().columns("id", "device", "issued_on", "source", "recorded_by").from("disability_devices")
            .where("card_id", .equal, SQLBind(card)).orderBy("issued_on", .descending).limit(200).all()
            .map { try $0.decodeRecord(DisabilityDeviceRecord.self) }
    }

    /// The holder's two subsidy cases (read-only) and the kinds the rules make them eligible for without a case.
    public func subsidies(of c: DisabilityCardRecord) async throws -> DisabilitySubsidies {
        let kinds = [AssistanceKind.disabilityLiving, .disabilityCare]
        let cases = try await sql.select().columns("id", "number", "kind", "stage", "amount").from("assistance_cases")
            .where("household_id", .equal, SQLBind(c.householdId)).where("kind", .in, SQLBind.group(kinds.map(\.rawValue)))
            .where("applicant_id", .equal, SQLBind(c.residentId)).orderBy("accepted_on", .descending).all().map { row in
                DisabilitySubsidyCase(id: try row.decode(column: "id", as: UUID.self), number: try row.decode(column: "number", as: String.self),
                                      kind: try AssistanceKind.stored(try row.decode(column: "kind", as: String.self), column: "kind", of: "assistance_cases"),
                                      stage: try AssistanceStage.stored(try row.decode(column: "stage", as: String.self), column: "stage", of: "assistance_cases"),
                                      amount: try row.decode(column: "amount", as: Int.self))
            }
        let dibao = try await sql.select().column("id").from("assistance_cases").where("household_id", .equal, SQLBind(c.householdId))
            .where("kind", .equal, SQLBind(AssistanceKind.dibao.rawValue)).where("stage", .equal, SQLBind(AssistanceStage.approved.rawValue)).first() != nil
        let open = Set(cases.filter { $0.stage.isOpen }.map(\.kind))
        let missing = c.active ? DisabilitySubsidy.eligible(grade: c.cardGrade, inDibaoHousehold: dibao).filter { !open.contains($0) } : []
        return DisabilitySubsidies(cases: cases, inDibaoHousehold: dibao, missing: missing)
    }

    /// The roll's counts in a scope: holders, assessed, in rehabilitation, overdue.
    public func figures(in scope: RegistryScope) async throws -> DisabilityFigures {
        // One pass over the figures index (covering): no row of the table is read.
        func when(_ condition: String) -> SQLRaw { SQLRaw("CAST(sum(CASE WHEN \(condition) THEN 1 ELSE 0 END) AS BIGINT)") }
        let since = DisabilityRules.rehabSince(today: today).description, before = DisabilityRules.overdueBefore(today: today).description
        guard let row = try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .column(when("last_assessed_on IS NOT NULL"), as: "assessed").column(when("rehab_until >= '\(since)'"), as: "in_rehab")
            .column(when("last_assessed_on IS NULL AND registered_on < '\(before)'"), as: "overdue")
            .from("disability_cards").where("status", .equal, SQLBind(DisabilityCardStatus.active.rawValue))
            .wherePrefix("grid_code", scope.prefix, sqlite: sqlite).first() else { return DisabilityFigures() }
        func n(_ c: String) throws -> Int { Int(try row.decode(column: c, as: Int64?.self) ?? 0) }
        var f = DisabilityFigures()
        f.holders = try n("n")
        f.assessed = try n("assessed")
        f.inRehab = try n("in_rehab")
        f.overdue = try n("overdue")
        return f
    }

    /// Card holders past the 30 days without an assessment: a short range of the overdue index.
    public func overdueCount(in scope: RegistryScope) async throws -> Int {
        try await SQLHelpers.count(sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("disability_cards")
            .where("status", .equal, SQLBind(DisabilityCardStatus.active.rawValue)).where("last_assessed_on", .is, SQLLiteral.null)
            .where("registered_on", .lessThan, SQLBind(DisabilityRules.overdueBefore(today: today).description))
            .wherePrefix("grid_code", scope.prefix, sqlite: sqlite))
    }
}
