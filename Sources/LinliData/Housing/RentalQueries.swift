import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 出租房屋登记: reads of rentals, their tenants and checks; the lists of contracts ended, checks overdue and floating
/// tenants due for a 居住证. Scoped on the rental's grid code (its dwelling's).
extension HousingQueries {
    static let rentalColumns = ["id", "dwelling_id", "grid_code", "landlord_resident_id", "landlord_name", "landlord_phone_masked", "starts_on", "ends_on",
                                "rent_band", "tenant_count", "group_rental", "last_fire_on", "last_gas_on", "last_ebike_on", "ended_on", "version"]

    var rentalSelect: SQLSelectBuilder {
        var q = sql.select()
        for c in Self.rentalColumns { q = q.column(SQLColumn(c, table: "t")) }
        return q.column(SQLColumn("number", table: "w"), as: "dwelling_number").column(SQLColumn("name", table: "b"), as: "building_name")
            .from(Self.alias("rentals", "t"))
            .join(Self.alias("dwellings", "w"), method: SQLJoinMethod.inner, on: SQLColumn("id", table: "w"), .equal, SQLColumn("dwelling_id", table: "t"))
            .join(Self.alias("buildings", "b"), method: SQLJoinMethod.inner, on: SQLColumn("id", table: "b"), .equal, SQLColumn("building_id", table: "w"))
    }

    /// The rentals of a state: in force ones compare their end day and their last checks with today and the settings.
    func rentalFilter(_ q: SQLSelectBuilder, _ state: RentalState, settings: HousingSettings, text: String?) -> SQLSelectBuilder {
        var q = q
        let t = today.description
        switch state {
        case .ended: q = q.where(SQLColumn("ended_on", table: "t"), .isNot, SQLLiteral.null)
        case .current: q = q.where(SQLColumn("ended_on", table: "t"), .is, SQLLiteral.null)
        case .expired: q = q.where(SQLColumn("ended_on", table: "t"), .is, SQLLiteral.null).where(SQLColumn("ends_on", table: "t"), .lessThan, SQLBind(t))
        case .group: q = q.where(SQLColumn("ended_on", table: "t"), .is, SQLLiteral.null).where(SQLColumn("group_rental", table: "t"), .equal, SQLBind(true))
        case .overdue:
            q = q.where(SQLColumn("ended_on", table: "t"), .is, SQLLiteral.null).where { g in
                var g = g
                for k in SafetyCheckKind.allCases {
                    let cutoff = HousingRules.overdueBefore(k, settings: settings, today: today).description
                    g = g.orWhere(SQLFunction("COALESCE", args: SQLColumn("last_\(k.rawValue)_on", table: "t"), SQLColumn("starts_on", table: "t")),
                                  .lessThan, SQLBind(cutoff))
                }
                return g
            }
        }
        if let text = text?.trimmedOrNil {
            let like = "%" + text.filter { $0 != "%" && $0 != "_" && $0 != "\\" } + "%"
            q = q.where { $0.where(SQLColumn("landlord_name", table: "t"), .like, SQLBind(like)).orWhere(SQLColumn("number", table: "w"), .like, SQLBind(like)) }
        }
        return q
    }

    public func rentals(in scope: RegistryScope, state: RentalState, text: String? = nil, page: PageRequest) async throws -> ResultPage<RentalRecord> {
        let s = try await settings()
        let items = try await rentalFilter(rentalSelect.wherePrefix("t.grid_code", scope.prefix, sqlite: sqlite), state, settings: s, text: text)
            .orderBy(SQLColumn("grid_code", table: "t")).orderBy(SQLColumn("ends_on", table: "t")).orderBy(SQLColumn("id", table: "t"))
            .limit(page.perPage).offset(page.offset).all().map { try $0.decodeRecord(RentalRecord.self) }
        let total = try await SQLHelpers.count(rentalFilter(sql.select().column(countAll, as: "n").from(Self.alias("rentals", "t"))
            .join(Self.alias("dwellings", "w"), method: SQLJoinMethod.inner, on: SQLColumn("id", table: "w"), .equal, SQLColumn("dwelling_id", table: "t"))
            .wherePrefix("t.grid_code", scope.prefix, sqlite: sqlite), state, settings: s, text: text))
        return ResultPage(items: items, total: total, page: page.page, perPage: page.perPage)
    }

    public func rental(_ id: UUID, in scope: RegistryScope) async throws -> RentalRecord? {
        guard let r = try await rentalSelect.where(SQLColumn("id", table: "t"), .equal, SQLBind(id)).first()?.decodeRecord(RentalRecord.self),
              scope.contains(code: r.gridCode) else { return nil }
        return r
    }

    func requireRental(_ id: UUID, in scope: RegistryScope) async throws -> RentalRecord {
        guard let r = try await rental(id, in: scope) else { throw RegistryError.notFound("出租房屋登记") }
        return r
    }

    /// The rental in force of a dwelling, if any.
    public func currentRental(of dwelling: UUID, in scope: RegistryScope) async throws -> RentalRecord? {
        guard let r = try await rentalSelect.where(SQLColumn("active_dwelling_id", table: "t"), .equal, SQLBind(dwelling)).first()?
            .decodeRecord(RentalRecord.self), scope.contains(code: r.gridCode) else { return nil }
        return r
    }

    /// A rental's page: tenants (names of registry residents), checks, when each check is next due. A full view,
    /// audited (`audit: nil` for a page that has just written).
    public func file(of r: RentalRecord, audit: AuditActor?) async throws -> RentalFile {
        let tenants = try await sql.select().column(SQLColumn("resident_id", table: "x")).column(SQLColumn("name", table: "r"))
            .column(SQLColumn("residence_status", table: "r")).column(SQLColumn("floating", table: "x")).column(SQLColumn("moved_in_on", table: "x"))
            .column(SQLColumn("permit_on", table: "x")).column(SQLColumn("active", table: "x"))
            .from(Self.alias("rental_tenants", "x"))
            .join(Self.alias("residents", "r"), method: SQLJoinMethod.inner, on: SQLColumn("id", table: "r"), .equal, SQLColumn("resident_id", table: "x"))
            .where(SQLColumn("rental_id", table: "x"), .equal, SQLBind(r.id)).orderBy(SQLColumn("name", table: "r")).all()
            .map { try $0.decodeRecord(TenantRecord.self) }
        let checks = try await sql.select().columns("id", "kind", "checked_on", "passed", "findings", "recorded_by").from("rental_checks")
            .where("rental_id", .equal, SQLBind(r.id)).orderBy("checked_on", .descending).limit(200).all().map { try $0.decodeRecord(SafetyCheckRecord.self) }
        let s = try await settings()
        let start = CivilDate(r.startsOn) ?? today
        let due = Dictionary(uniqueKeysWithValues: SafetyCheckKind.allCases.map { ($0, HousingRules.checkDue(last: r.last($0), startsOn: start, kind: $0, settings: s)) })
        if let audit {
            try await AuditLog.record(AuditEvent(HousingAudit.view, target: .rental(r.id)), by: audit, on: db, now: now())
        }
        return RentalFile(rental: r, tenants: tenants, checks: checks, due: due)
    }

    /// The landlord's full phone (an outside owner's): a full view, audited.
    public func landlordPhone(of id: UUID, by actor: HousingActor) async throws -> String? {
        _ = try await requireRental(id, in: actor.scope)
        guard let row = try await sql.select().column("landlord_phone_cipher").from("rentals").where("id", .equal, SQLBind(id)).first(),
              let sealed = try row.decode(column: "landlord_phone_cipher", as: Data?.self) else { return nil }
        let phone = try cipher.open(sealed)
        try await AuditLog.record(AuditEvent(HousingAudit.view, target: .rental(id), detail: ["field": "landlord_phone"]), by: actor.audit, on: db, now: now())
        return phone
    }

    /// Floating-population tenants in force, without a 居住证, who moved in 180 days ago or more.
    public func permitsDue(in scope: RegistryScope, limit: Int = 500) async throws -> [PermitDueRecord] {
        let cutoff = today.adding(days: -HousingRules.residencePermitDays).description
        return try await permitsDueQuery(scope, cutoff: cutoff, count: false).orderBy(SQLColumn("moved_in_on", table: "x")).limit(limit).all()
            .map { try $0.decodeRecord(PermitDueRecord.self) }
    }

    func permitsDueQuery(_ scope: RegistryScope, cutoff: String, count: Bool) -> SQLSelectBuilder {
        var q = sql.select()
        if count {
            q = q.column(countAll, as: "n")
        } else {
            q = q.column(SQLColumn("rental_id", table: "x")).column(SQLColumn("resident_id", table: "x")).column(SQLColumn("name", table: "r"))
                .column(SQLColumn("grid_code", table: "x")).column(SQLColumn("moved_in_on", table: "x"))
                .column(SQLColumn("number", table: "w"), as: "dwelling_number").column(SQLColumn("name", table: "b"), as: "building_name")
        }
        q = q.from(Self.alias("rental_tenants", "x"))
        if !count {
            q = q.join(Self.alias("residents", "r"), method: SQLJoinMethod.inner, on: SQLColumn("id", table: "r"), .equal, SQLColumn("resident_id", table: "x"))
                .join(Self.alias("rentals", "t"), method: SQLJoinMethod.inner, on: SQLColumn("id", table: "t"), .equal, SQLColumn("rental_id", table: "x"))
                .join(Self.alias("dwellings", "w"), method: SQLJoinMethod.inner, on: SQLColumn("id", table: "w"), .equal, SQLColumn("dwelling_id", table: "t"))
                .join(Self.alias("buildings", "b"), method: SQLJoinMethod.inner, on: SQLColumn("id", table: "b"), .equal, SQLColumn("building_id", table: "w"))
        }
        return q.wherePrefix("x.grid_code", scope.prefix, sqlite: sqlite).where(SQLColumn("floating", table: "x"), .equal, SQLBind(true))
            .where(SQLColumn("active", table: "x"), .equal, SQLBind(true)).where(SQLColumn("permit_on", table: "x"), .is, SQLLiteral.null)
            .where(SQLColumn("moved_in_on", table: "x"), .lessThanOrEqual, SQLBind(cutoff))
    }

    /// The home page's tiles: contracts past their end, rentals with a check overdue, floating tenants due for a 居住证.
    public func todo(in scope: RegistryScope) async throws -> (expired: Int, overdue: Int, permits: Int) {
        let s = try await settings()
        func count(_ state: RentalState) async throws -> Int {
            try await SQLHelpers.count(rentalFilter(sql.select().column(countAll, as: "n").from(Self.alias("rentals", "t"))
                .join(Self.alias("dwellings", "w"), method: SQLJoinMethod.inner, on: SQLColumn("id", table: "w"), .equal, SQLColumn("dwelling_id", table: "t"))
                .wherePrefix("t.grid_code", scope.prefix, sqlite: sqlite), state, settings: s, text: nil))
        }
        let permits = try await SQLHelpers.count(permitsDueQuery(scope, cutoff: today.adding(days: -HousingRules.residencePermitDays).description, count: true))
        return (try await count(.expired), try await count(.overdue), permits)
    }
}
