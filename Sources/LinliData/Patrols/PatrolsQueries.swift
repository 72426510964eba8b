import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 网格巡查: rounds, their visits, the weekly tally against the district's norm. Reads take the caller's
/// `RegistryScope` on the round's grid code: a round outside it is not found (404), for reads and writes alike.
public struct PatrolsQueries: Sendable {
    let db: any Database
    let requests: RequestQueries
    let now: @Sendable () -> Date

    public init(_ db: any Database, requests: RequestQueries, now: @escaping @Sendable () -> Date = { Date() }) {
        self.db = db
        self.requests = requests
        self.now = now
    }

    var sql: any SQLDatabase { SQLHelpers.sql(db) }
    var sqlite: Bool { db.isSQLite }
    var nowSeconds: Int64 { Int64(now().timeIntervalSince1970) }
    public var thisWeek: PatrolWeek { PatrolWeek(seconds: nowSeconds) }

    static let columns = ["id", "grid_code", "walker_account_id", "walker_name", "started_at", "ended_at", "week", "visits", "findings", "counted", "version"]

    var select: SQLSelectBuilder {
        var q = sql.select()
        for c in Self.columns { q = q.column(SQLColumn(c, table: "r")) }
        return q.column(SQLColumn("name", table: "d"), as: "grid_name")
            .from(SQLAlias(SQLIdentifier("patrol_rounds"), as: SQLIdentifier("r")))
            .join(SQLAlias(SQLIdentifier(Division.schema), as: SQLIdentifier("d")), method: SQLJoinMethod.left,
                  on: SQLColumn("code", table: "d"), .equal, SQLColumn("grid_code", table: "r"))
    }

    func filtered(_ q: SQLSelectBuilder, _ scope: RegistryScope, _ f: RoundFilter) -> SQLSelectBuilder {
        var q = q.wherePrefix("r.grid_code", scope.prefix, sqlite: sqlite)
        if let g = f.grid { q = q.where(SQLColumn("grid_code", table: "r"), .equal, SQLBind(g)) }
        if let w = f.week { q = q.where(SQLColumn("week", table: "r"), .equal, SQLBind(w.code)) }
        if let s = f.status { q = q.where(SQLColumn("ended_at", table: "r"), s == .open ? .is : .isNot, SQLLiteral.null) }
        if let a = f.walker { q = q.where(SQLColumn("walker_account_id", table: "r"), .equal, SQLBind(a)) }
        return q
    }

    // MARK: Settings

    public func settings() async throws -> PatrolSettings { try await Self.settings(on: db) }

    static func settings(on db: any Database) async throws -> PatrolSettings {
        guard let row = try await SQLHelpers.sql(db).select().columns("weekly_norm", "version").from("patrol_settings").where("id", .equal, SQLBind(1)).first()
        else { return PatrolSettings(weeklyNorm: PatrolRules.defaultNorm, version: 0) }
        return try row.decodeRecord(PatrolSettings.self)
    }

    // MARK: Rounds

    public func rounds(in scope: RegistryScope, _ filter: RoundFilter = .init(), page: PageRequest) async throws -> ResultPage<RoundRecord> {
        let items = try await filtered(select, scope, filter).orderBy(SQLColumn("started_at", table: "r"), SQLDirection.descending).orderBy(SQLColumn("id", table: "r"))
            .limit(page.perPage).offset(page.offset).all().map { try $0.decodeRecord(RoundRecord.self) }
        let total = try await SQLHelpers.count(filtered(sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from(SQLAlias(SQLIdentifier("patrol_rounds"), as: SQLIdentifier("r"))), scope, filter))
        return ResultPage(items: items, total: total, page: page.page, perPage: page.perPage)
    }

    public func round(_ id: UUID, in scope: RegistryScope) async throws -> RoundRecord? {
        try await filtered(select, scope, .init()).where(SQLColumn("id", table: "r"), .equal, SQLBind(id)).first()?.decodeRecord(RoundRecord.self)
    }

    /// The walker's open round, if any.
    public func openRound(of account: UUID) async throws -> RoundRecord? {
        try await select.where(SQLColumn("open_walker", table: "r"), .equal, SQLBind(account)).first()?.decodeRecord(RoundRecord.self)
    }

    public func detail(_ id: UUID, in scope: RegistryScope) async throws -> RoundDetail? {
        guard let r = try await round(id, in: scope) else { return nil }
        return RoundDetail(round: r, visits: try await visits(of: id))
    }

    public func visits(of round: UUID) async throws -> [VisitRecord] {
        try await sql.select()
            .columns(SQLColumn("id", table: "v"), SQLColumn("round_id", table: "v"), SQLColumn("seq", table: "v"), SQLColumn("building_id", table: "v"),
                     SQLColumn("latitude", table: "v"), SQLColumn("longitude", table: "v"), SQLColumn("visited_at", table: "v"),
                     SQLColumn("finding", table: "v"), SQLColumn("note", table: "v"), SQLColumn("request_id", table: "v"), SQLColumn("request_seq", table: "v"))
            .column(SQLColumn("name", table: "b"), as: "building_name")
            .from(SQLAlias(SQLIdentifier("patrol_visits"), as: SQLIdentifier("v")))
            .join(SQLAlias(SQLIdentifier(Building.schema), as: SQLIdentifier("b")), method: SQLJoinMethod.left,
                  on: SQLColumn("id", table: "b"), .equal, SQLColumn("building_id", table: "v"))
            .where(SQLColumn("round_id", table: "v"), .equal, SQLBind(round)).orderBy(SQLColumn("seq", table: "v")).all()
            .map { try $0.decodeRecord(VisitRecord.self) }
    }

    /// The buildings of a grid, for the visit form.
    public func buildings(of grid: String) async throws -> [(id: UUID, name: String)] {
        try await sql.select().columns("id", "name").from(Building.schema).where("grid_code", .equal, SQLBind(grid)).orderBy("name").all()
            .map { (try $0.decode(column: "id", as: UUID.self), try $0.decode(column: "name", as: String.self)) }
    }

    /// The grids of an area (code, name, community name), in code order.
    public func grids(in scope: RegistryScope) async throws -> [(code: String, name: String, community: String?)] {
        try await sql.select().column(SQLColumn("code", table: "g")).column(SQLColumn("name", table: "g"))
            .column(SQLColumn("name", table: "c"), as: "community")
            .from(SQLAlias(SQLIdentifier(Division.schema), as: SQLIdentifier("g")))
            .join(SQLAlias(SQLIdentifier(Division.schema), as: SQLIdentifier("c")), method: SQLJoinMethod.left,
                  on: SQLColumn("id", table: "c"), .equal, SQLColumn("parent_id", table: "g"))
            .where(SQLColumn("level", table: "g"), .equal, SQLBind(DivisionLevel.grid.rawValue))
            .wherePrefix("g.code", scope.prefix, sqlite: sqlite).orderBy(SQLColumn("code", table: "g")).all()
            .map { (try $0.decode(column: "code", as: String.self), try $0.decode(column: "name", as: String.self),
                    try $0.decode(column: "community", as: String?.self)) }
    }

    // MARK: The weekly tally

    /// Rounds counted per grid in each of `weeks`, from the tally (grid → week code → rounds).
    public func tallies(in scope: RegistryScope, weeks: [PatrolWeek]) async throws -> [String: [Int: Int]] {
        guard !weeks.isEmpty else { return [:] }
        var out: [String: [Int: Int]] = [:]
        for row in try await sql.select().columns("grid_code", "week", "rounds").from("patrol_weeks")
            .where("week", .in, SQLBind.group(weeks.map(\.code))).wherePrefix("grid_code", scope.prefix, sqlite: sqlite).all() {
            out[try row.decode(column: "grid_code", as: String.self), default: [:]][try row.decode(column: "week", as: Int.self)] =
                Int(try row.decode(column: "rounds", as: Int64.self))
        }
        return out
    }

    /// Every grid of the area with its rounds last week and this week so far.
    public func board(in scope: RegistryScope) async throws -> PatrolBoard {
        let this = thisWeek, last = this.previous
        let norm = try await settings().weeklyNorm
        let t = try await tallies(in: scope, weeks: [last, this])
        let rows = try await grids(in: scope).map { g in
            BoardRow(gridCode: g.code, gridName: g.name, communityName: g.community, lastWeek: t[g.code]?[last.code] ?? 0, thisWeek: t[g.code]?[this.code] ?? 0)
        }
        return PatrolBoard(norm: norm, lastWeek: last, thisWeek: this, rows: rows)
    }

    /// A grid's rounds counted in a week.
    public func rounds(grid: String, week: PatrolWeek) async throws -> Int {
        try await tallies(in: RegistryScope(validatedCode: grid), weeks: [week])[grid]?[week.code] ?? 0
    }

    /// Where a grid lies: its name, boundary ring and its buildings' points; nil when there is no such grid.
    func extent(of grid: String) async throws -> (name: String, extent: GridExtent)? {
        guard let d = try await DivisionQueries(db).find(code: grid), d.level == .grid else { return nil }
        let points = try await sql.select().columns("latitude", "longitude").from(Building.schema).where("grid_code", .equal, SQLBind(grid)).all()
            .map { GeoPoint(latitude: try $0.decode(column: "latitude", as: Double.self), longitude: try $0.decode(column: "longitude", as: Double.self)) }
        return (d.name, GridExtent(ring: d.boundary.flatMap(RequestLocator.outerRing), buildingPoints: points))
    }

    // MARK: Export

    /// The rounds of an area as .xlsx, newest first (the walker's name is a worker's, not a resident's: shown; audited).
    public func export(in scope: RegistryScope, _ filter: RoundFilter, to path: String, by actor: AuditActor) async throws -> Int {
        let rows = try await filtered(select, scope, filter).orderBy(SQLColumn("started_at", table: "r"), SQLDirection.descending).limit(100_000).all()
            .map { try $0.decodeRecord(RoundRecord.self) }
        let w = try XLSXWriter(path: path, sheetName: "巡查记录", columnWidths: [18, 22, 12, 18, 18, 10, 10, 10, 10])
        try w.header(["网格代码", "网格", "巡查人", "开始时间", "结束时间", "所在周", "巡查点数", "发现问题", "计入次数"])
        for r in rows {
            try w.row([.text(r.gridCode), .text(r.gridName ?? ""), .text(r.walkerName), .text(Self.clock(r.startedAt)), .text(r.endedAt.map(Self.clock) ?? "巡查中"),
                       .text(PatrolWeek(code: r.week)?.description ?? ""), .number(Double(r.visits)), .number(Double(r.findings)), .text(r.counted ? "是" : "否")])
        }
        try w.close()
        try await AuditLog.record(AuditEvent(PatrolsAudit.export, target: .table("patrol_rounds"),
                                             detail: ["rows": String(rows.count), "format": "xlsx", "scope": scope.prefix]), by: actor, on: db, now: now())
        return rows.count
    }

    /// `2026-12-07 09:30` in China Standard Time.
    public static func clock(_ seconds: Int64) -> String {
        let day = PatrolWeek.day(of: seconds)
        let minutes = Int((seconds + 8 * 3600 - Int64(day.dayNumber) * 86_400) / 60)
        return "\(day) " + String(format: "%02d:%02d", minutes / 60, minutes % 60)
    }
}
