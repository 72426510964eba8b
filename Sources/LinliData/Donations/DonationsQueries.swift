import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 捐赠物资接收点: points, their stock and ledger. Reads take the caller's `RegistryScope`; a grid worker sees the
/// point of the community their grid belongs to. A point outside the scope is not found.
public struct DonationsQueries: Sendable {
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

    static let pointColumns = ["id", "community_code", "street_code", "name", "address", "opening_hours", "keeper_name", "keeper_phone_masked",
                               "latitude", "longitude", "needs", "open", "last_activity_on", "version", "updated_at"]

    var pointSelect: SQLSelectBuilder {
        var q = sql.select()
        for c in Self.pointColumns { q = q.column(SQLColumn(c, table: "p")) }
        return q.column(SQLColumn("name", table: "d"), as: "community_name")
            .from(SQLAlias(SQLIdentifier("donation_points"), as: SQLIdentifier("p")))
            .join(SQLAlias(SQLIdentifier(Division.schema), as: SQLIdentifier("d")), method: SQLJoinMethod.left,
                  on: SQLColumn("code", table: "d"), .equal, SQLColumn("community_code", table: "p"))
    }

    /// Whether a point of `community` is visible in `scope` (a grid's scope sees its community's point).
    public static func sees(_ scope: RegistryScope, community: String) -> Bool {
        scope.contains(code: community) || (scope.prefix.count > community.count && scope.prefix.hasPrefix(community))
    }

    func scoped(_ q: SQLSelectBuilder, _ scope: RegistryScope) -> SQLSelectBuilder {
        if scope.prefix.count > 12 { return q.where(SQLColumn("community_code", table: "p"), .equal, SQLBind(String(scope.prefix.prefix(12)))) }
        return q.wherePrefix("p.community_code", scope.prefix, sqlite: sqlite)
    }

    public func points(in scope: RegistryScope, page: PageRequest) async throws -> ResultPage<DonationPointRecord> {
        let items = try await scoped(pointSelect, scope).orderBy(SQLColumn("community_code", table: "p"))
            .limit(page.perPage).offset(page.offset).all().map { try $0.decodeRecord(DonationPointRecord.self) }
        let total = try await SQLHelpers.count(scoped(sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from(SQLAlias(SQLIdentifier("donation_points"), as: SQLIdentifier("p"))), scope))
        return ResultPage(items: items, total: total, page: page.page, perPage: page.perPage)
    }

    /// The communities of the scope that have no point yet (the coverage's gaps), in code order.
    public func communitiesWithoutPoint(in scope: RegistryScope) async throws -> [(code: String, name: String)] {
        let prefix = scope.prefix.count > 12 ? String(scope.prefix.prefix(12)) : scope.prefix
        return try await sql.select().columns("code", "name").from(Division.schema)
            .where("level", .equal, SQLBind(DivisionLevel.community.rawValue)).where("retired_on", .is, SQLLiteral.null).wherePrefix("code", prefix, sqlite: sqlite)
            .where("code", .notIn, SQLGroupExpression(sql.select().column("community_code").from("donation_points").select))
            .orderBy("code").all()
            .map { (try $0.decode(column: "code", as: String.self), try $0.decode(column: "name", as: String.self)) }
    }

    /// The communities of the scope, those with a point and those with a working one: the home page's figure.
    public func coverage(in scope: RegistryScope) async throws -> (communities: Int, points: Int, working: Int) {
        let prefix = scope.prefix.count > 12 ? String(scope.prefix.prefix(12)) : scope.prefix
        let communities = try await SQLHelpers.count(sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(Division.schema)
            .where("level", .equal, SQLBind(DivisionLevel.community.rawValue)).where("retired_on", .is, SQLLiteral.null).wherePrefix("code", prefix, sqlite: sqlite))
        let points = try await sql.select().columns("open", "last_activity_on").from("donation_points")
            .wherePrefix("community_code", prefix, sqlite: sqlite).all()
        let working = try points.filter {
            DonationRules.isWorking(open: try $0.decode(column: "open", as: Bool.self),
                                    lastActivity: try $0.decode(column: "last_activity_on", as: String?.self).flatMap(CivilDate.init), today: today)
        }.count
        return (communities, points.count, working)
    }

    /// Every point, for the portal (nothing personal: the phone is masked, no recipient is read).
    public func publicPoints() async throws -> [DonationPointRecord] {
        try await pointSelect.orderBy(SQLColumn("community_code", table: "p")).all().map { try $0.decodeRecord(DonationPointRecord.self) }
    }

    public func point(_ id: UUID, in scope: RegistryScope) async throws -> DonationPointRecord? {
        guard let row = try await pointSelect.where(SQLColumn("id", table: "p"), .equal, SQLBind(id)).first() else { return nil }
        let p = try row.decodeRecord(DonationPointRecord.self)
        return Self.sees(scope, community: p.communityCode) ? p : nil
    }

    func requirePoint(_ id: UUID, in scope: RegistryScope) async throws -> DonationPointRecord {
        guard let p = try await point(id, in: scope) else { throw RegistryError.notFound("捐赠物资接收点") }
        return p
    }

    /// The point of a community, for the portal.
    public func point(community: String) async throws -> DonationPointRecord? {
        try await pointSelect.where(SQLColumn("community_code", table: "p"), .equal, SQLBind(community)).first()
            .map { try $0.decodeRecord(DonationPointRecord.self) }
    }

    /// The keeper's full phone, for the console (a work contact, not a resident's).
    public func keeperPhone(of id: UUID) async throws -> String? {
        guard let row = try await sql.select().column("keeper_phone_cipher").from("donation_points").where("id", .equal, SQLBind(id)).first() else { return nil }
        return try cipher.open(try row.decode(column: "keeper_phone_cipher", as: Data.self))
    }

    /// What a point holds now (items run out are left off).
    public func stock(of pointID: UUID) async throws -> [DonationStockRecord] {
        try await sql.select().columns("goods", "unit", "category", "quantity").from("donation_stock")
            .where("point_id", .equal, SQLBind(pointID)).where("quantity", .greaterThan, SQLBind(0))
            .orderBy("category").orderBy("goods").orderBy("unit").all().map { try $0.decodeRecord(DonationStockRecord.self) }
    }

    var movementSelect: SQLSelectBuilder {
        var q = sql.select()
        for c in ["id", "point_id", "kind", "goods", "unit", "category", "quantity", "balance", "on_date", "donor", "household_id",
                  "assistance_kind", "assistance_stage", "note", "recorded_by", "created_at"] { q = q.column(SQLColumn(c, table: "m")) }
        return q.column(SQLColumn("number", table: "h"), as: "household_number")
            .from(SQLAlias(SQLIdentifier("donation_movements"), as: SQLIdentifier("m")))
            .join(SQLAlias(SQLIdentifier(Household.schema), as: SQLIdentifier("h")), method: SQLJoinMethod.left,
                  on: SQLColumn("id", table: "h"), .equal, SQLColumn("household_id", table: "m"))
    }

    /// The ledger of a point, newest first; `kind` narrows it to receipts or hand-outs.
    public func ledger(of pointID: UUID, kind: DonationMovementKind? = nil, page: PageRequest) async throws -> ResultPage<DonationMovementRecord> {
        func narrowed(_ q: SQLSelectBuilder) -> SQLSelectBuilder {
            let q = q.where(SQLColumn("point_id", table: "m"), .equal, SQLBind(pointID))
            return kind.map { q.where(SQLColumn("kind", table: "m"), .equal, SQLBind($0.rawValue)) } ?? q
        }
        let items = try await narrowed(movementSelect)
            .orderBy(SQLOrderBy(expression: SQLColumn("on_date", table: "m"), direction: SQLDirection.descending))
            .orderBy(SQLOrderBy(expression: SQLColumn("seq", table: "m"), direction: SQLDirection.descending))
            .limit(page.perPage).offset(page.offset).all().map { try $0.decodeRecord(DonationMovementRecord.self) }
        let total = try await SQLHelpers.count(narrowed(sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from(SQLAlias(SQLIdentifier("donation_movements"), as: SQLIdentifier("m")))))
        return ResultPage(items: items, total: total, page: page.page, perPage: page.perPage)
    }

    /// A household of the point's community by its number or id, with its assistance case: for the hand-out form.
    public func household(_ key: String, for point: DonationPointRecord, in scope: RegistryScope) async throws -> DonationHouseholdRecord? {
        let k = key.trimmingCharacters(in: .whitespaces)
        var q = sql.select().columns("id", "number", "grid_code").from(Household.schema)
        q = UUID(uuidString: k).map { q.where("id", .equal, SQLBind($0)) } ?? q.where("number", .equal, SQLBind(k))
        guard let row = try await q.first() else { return nil }
        let id = try row.decode(column: "id", as: UUID.self), grid = try row.decode(column: "grid_code", as: String.self)
        guard grid.hasPrefix(point.communityCode) || scope.contains(code: grid) else { return nil }
        let people = try await sql.select().columns("name", "relation").from(Resident.schema).where("household_id", .equal, SQLBind(id))
            .where("life_status", .equal, SQLBind(LifeStatus.active.rawValue)).all()
        let head = try people.first { try $0.decode(column: "relation", as: String.self) == HouseholdRelation.head.rawValue }
            .map { Masking.name(try $0.decode(column: "name", as: String.self)) }
        let a = try await Self.assistance(of: id, sql: sql)
        return DonationHouseholdRecord(id: id, number: try row.decode(column: "number", as: String.self), gridCode: grid, members: people.count,
                                       headMasked: head, assistanceKind: a?.kind, assistanceStage: a?.stage)
    }

    /// The household's social-assistance case that matters for a hand-out, read only: the one being paid if
    /// any, else the newest still being decided; refused and ended cases are left out.
    static func assistance(of household: UUID, sql: any SQLDatabase) async throws -> (kind: AssistanceKind, stage: AssistanceStage)? {
        let rows = try await sql.select().columns("kind", "stage", "accepted_on").from("assistance_cases")
            .where("household_id", .equal, SQLBind(household))
            .where("stage", .notIn, SQLBind.group([AssistanceStage.refused.rawValue, AssistanceStage.ended.rawValue])).all()
        let cases = try rows.map { (kind: try $0.decode(column: "kind", as: AssistanceKind.self), stage: try $0.decode(column: "stage", as: AssistanceStage.self),
                                    on: try $0.decode(column: "accepted_on", as: String.self)) }
        let best = cases.sorted { a, b in
            let pa = a.stage == .approved ? 0 : 1, pb = b.stage == .approved ? 0 : 1
            return pa != pb ? pa < pb : a.on > b.on
        }.first
        return best.map { ($0.kind, $0.stage) }
    }

    /// The whole ledger of a point as .xlsx at `path`, oldest first, recipients as household numbers. Audited.
    @discardableResult
    public func exportLedger(_ pointID: UUID, to path: String, by actor: DonationsActor) async throws -> Int {
        let p = try await requirePoint(pointID, in: actor.scope)
        let rows = try await movementSelect.where(SQLColumn("point_id", table: "m"), .equal, SQLBind(pointID))
            .orderBy(SQLColumn("on_date", table: "m")).orderBy(SQLColumn("seq", table: "m")).all()
            .map { try $0.decodeRecord(DonationMovementRecord.self) }
        let w = try XLSXWriter(path: path, sheetName: "物资台账", columnWidths: [12, 10, 16, 10, 8, 8, 8, 20, 16, 18, 12])
        try w.header(["日期", "类型", "物资名称", "类别", "数量", "单位", "结存", "捐赠人", "领取家庭户号", "救助情况", "经办人"])
        for m in rows {
            let assistance: XLSXCell = m.assistanceKind.map { XLSXCell.text($0.shortLabel + "·" + (m.assistanceStage?.label ?? "")) } ?? .empty
            try w.row([.text(m.onDate), .text(m.kind.label), .text(m.goods), .text(m.category.label), .number(Double(m.quantity)), .text(m.unit),
                       .number(Double(m.balance)), m.donor.map(XLSXCell.text) ?? .empty, m.householdNumber.map(XLSXCell.text) ?? .empty, assistance, .text(m.recordedBy)])
        }
        try w.close()
        try await AuditLog.record(AuditEvent(DonationsAudit.export, target: .donationPoint(p.communityCode),
                                             detail: ["rows": String(rows.count), "format": "xlsx"]), by: actor.audit, on: db, now: now())
        return rows.count
    }
}
