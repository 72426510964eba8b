import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 社区党建's reads. Organizations and centres are scoped by their division code; a member is in an area when they
/// live in it (their grid) or belong to one of its organizations. The member roll is `party.members`' alone:
/// without it, names come back masked (`PartyActor.mayReadMembers`), and the roll's pages audit each read.
public struct PartyQueries: Sendable {
    let db: any Database
    let today: CivilDate
    let residentCache: RecordCache<UUID, ResidentRecord>?
    let now: @Sendable () -> Date

    public init(_ db: any Database, today: CivilDate, residentCache: RecordCache<UUID, ResidentRecord>? = nil, now: @escaping @Sendable () -> Date = { Date() }) {
        self.db = db
        self.today = today
        self.residentCache = residentCache
        self.now = now
    }

    var sql: any SQLDatabase { SQLHelpers.sql(db) }
    var sqlite: Bool { db.isSQLite }
    var nowSeconds: Int64 { Int64(now().timeIntervalSince1970) }

    /// `column` starts with `prefix`, answerable from an index on both databases (see `wherePrefix`).
    func prefix(_ column: String, _ prefix: String) -> SQLQueryString {
        if prefix.isEmpty { return "1 = 1" }
        if sqlite { return "(\(unsafeRaw: column) >= \(bind: prefix) AND \(unsafeRaw: column) < \(bind: prefix + "\u{10FFFF}"))" }
        return "\(unsafeRaw: column) LIKE \(bind: SQLHelpers.likePrefix(prefix))"
    }

    /// A year's days as stored: 'YYYY-01-01' … 'YYYY-12-31'.
    static func yearBounds(_ year: Int) -> (String, String) { (String(format: "%04d-01-01", year), String(format: "%04d-12-31", year)) }

    // MARK: Organizations

    static let orgSelect: SQLQueryString = """
        SELECT o.id, o.parent_id, o.kind, o.functional_kind, o.name, o.division_code, d.name AS division_name, o.secretary_member_id,
               sr.name AS secretary_name, o.members, o.version
        FROM party_orgs o LEFT JOIN divisions d ON d.code = o.division_code
        LEFT JOIN party_members sm ON sm.id = o.secretary_member_id LEFT JOIN residents sr ON sr.id = sm.resident_id
        """

    /// The codes of the divisions that hold a narrower area: the district, the street and, for a grid, its community
    /// (321271000000, 321271002000, 321271002001). Their organizations and centres are the area's too.
    static func above(_ scope: RegistryScope) -> [String] {
        let p = scope.prefix
        var codes: [String] = []
        if p.count > 6 { codes.append(String(p.prefix(6)) + "000000") }
        if p.count > 9 { codes.append(String(p.prefix(9)) + "000") }
        if p.count > 12 { codes.append(String(p.prefix(12))) }
        return codes
    }

    /// Every organization of the area and those above it (a street's tree is a few hundred rows), by division then name.
    public func orgs(in scope: RegistryScope) async throws -> [PartyOrgRecord] {
        let above = Self.above(scope)
        var w = prefix("o.division_code", scope.prefix)
        if !above.isEmpty { w = "(" + w + " OR o.division_code IN (\(binds: above)))" }
        return try await sql.raw(Self.orgSelect + " WHERE " + w + " ORDER BY o.division_code, o.name_pinyin, o.id")
            .all().map { try $0.decodeRecord(PartyOrgRecord.self) }
    }

    /// An organization of the area, or the work committee of the street that holds it (a community worker sees it).
    public func org(_ id: UUID, in scope: RegistryScope) async throws -> PartyOrgRecord? {
        guard let o = try await sql.raw(Self.orgSelect + " WHERE o.id = \(bind: id)").first().map({ try $0.decodeRecord(PartyOrgRecord.self) }) else { return nil }
        // A street's work committee is readable from its communities, the rest only inside the area.
        guard scope.contains(code: o.divisionCode) || Self.above(scope).contains(o.divisionCode) else { return nil }
        return o
    }

    public func orgDetail(_ id: UUID, in scope: RegistryScope, year: Int) async throws -> PartyOrgDetail? {
        guard let o = try await org(id, in: scope) else { return nil }
        let parent: PartyOrgRecord? = if let p = o.parentId { try await org(p, in: .everything) } else { nil }
        let children = try await sql.raw(Self.orgSelect + " WHERE o.parent_id = \(bind: id) ORDER BY o.kind, o.name_pinyin, o.id").all()
            .map { try $0.decodeRecord(PartyOrgRecord.self) }.filter { scope.contains(code: $0.divisionCode) || Self.above(scope).contains($0.divisionCode) }
        let brands = try await self.brands(of: [id] + children.map(\.id), year: year)
        let (from, to) = Self.yearBounds(year)
        let memberRows: SQLQueryString = o.kind == .group
            ? "SELECT member_id FROM party_group_members WHERE group_id = \(bind: id)"
            : "SELECT id FROM party_members WHERE org_id = \(bind: id)"
        // Led by the organization's members, as `serviceByGrid`: led by the hours, SQLite read the year's whole district.
        let row = try await sql.raw("""
            SELECT CAST(COALESCE(SUM(h.minutes), 0) AS BIGINT) AS minutes, COUNT(DISTINCT v.resident_id) AS served
            FROM party_members m CROSS JOIN volunteers v CROSS JOIN volunteer_hours h CROSS JOIN volunteer_activities a
            WHERE v.resident_id = m.resident_id AND h.volunteer_id = v.id AND a.id = h.activity_id
                AND a.party_service = \(bind: true) AND h.served_on >= \(bind: from) AND h.served_on <= \(bind: to) AND m.id IN (
            """ + memberRows + ")").first()
        return PartyOrgDetail(org: o, parent: parent, children: children, brands: brands,
                              minutesThisYear: try row?.decode(column: "minutes", as: Int.self) ?? 0,
                              servedThisYear: try row?.decode(column: "served", as: Int.self) ?? 0)
    }

    // MARK: Members

    static let memberSelect: SQLQueryString = """
        SELECT m.id, m.resident_id, r.name, r.id_masked, r.grid_code, m.org_id, o.name AS org_name, o.division_code AS org_division, m.outside_org,
               m.joined_on, m.reported_on, m.version
        FROM party_members m JOIN residents r ON r.id = m.resident_id LEFT JOIN party_orgs o ON o.id = m.org_id
        """

    /// Members who live in the area or belong to one of its organizations.
    func memberScope(_ scope: RegistryScope) -> SQLQueryString {
        if scope.prefix.isEmpty { return "1 = 1" }
        // A community or a grid: two indexed lookups (its residents, its organizations) rather than an OR over the
        // join, which reads every member of the district. A street or the district holds most members: reading them
        // all is cheaper than looking up each of its residents.
        if scope.prefix.count >= 12 {
            return "(m.resident_id IN (SELECT id FROM residents WHERE " + prefix("grid_code", scope.prefix)
                + ") OR m.org_id IN (SELECT id FROM party_orgs WHERE " + prefix("division_code", scope.prefix) + "))"
        }
        return "(" + prefix("r.grid_code", scope.prefix) + " OR " + prefix("o.division_code", scope.prefix) + ")"
    }

    func memberWhere(_ scope: RegistryScope, _ f: PartyMemberFilter) -> SQLQueryString {
        var w = " WHERE " + memberScope(scope)
        if let o = f.orgId { w = w + " AND m.org_id = \(bind: o)" }
        if let g = f.groupId { w = w + " AND m.id IN (SELECT member_id FROM party_group_members WHERE group_id = \(bind: g))" }
        if let r = f.reported {
            w = w + " AND (o.id IS NULL OR SUBSTR(o.division_code, 1, 12) <> SUBSTR(r.grid_code, 1, 12))"
            w = w + (r ? " AND m.reported_on IS NOT NULL" : " AND m.reported_on IS NULL")
        }
        if let t = f.text?.trimmedOrNil {
            let initials = Pinyin.normalizeQuery(t)
            if !initials.isEmpty && initials.count == t.count {
                w = w + " AND r.name_initials LIKE \(bind: initials + "%")"
            } else {
                w = w + " AND r.name LIKE \(bind: "%" + t.filter { $0 != "%" && $0 != "_" && $0 != "\\" } + "%")"
            }
        }
        return w
    }

    /// A page of the roll, masked unless the actor reads members.
    public func members(_ f: PartyMemberFilter = .init(), by actor: PartyActor, page: PageRequest) async throws -> ResultPage<PartyMemberRecord> {
        let w = memberWhere(actor.scope, f)
        var items = try await sql.raw(Self.memberSelect + w + " ORDER BY r.grid_code, r.name_pinyin, m.id LIMIT \(bind: page.perPage) OFFSET \(bind: page.offset)")
            .all().map { try $0.decodeRecord(PartyMemberRecord.self) }
        if !actor.mayReadMembers { items = items.map { var m = $0; m.name = Masking.name(m.name); return m } }
        // The whole area's roll, or its 报到 filter, is counted by the tally; a name, an organization or a group by the rows.
        if f.orgId == nil, f.groupId == nil, f.text?.trimmedOrNil == nil, tallied(actor.scope) {
            let total = try await tallyTotal(prefix: actor.scope.prefix, reported: f.reported)
            return ResultPage(items: items, total: total, page: page.page, perPage: page.perPage)
        }
        let total = try await sql.raw("SELECT COUNT(*) AS n FROM party_members m JOIN residents r ON r.id = m.resident_id LEFT JOIN party_orgs o ON o.id = m.org_id" + w)
            .first()?.decode(column: "n", as: Int.self) ?? 0
        return ResultPage(items: items, total: total, page: page.page, perPage: page.perPage)
    }

    public func member(_ id: UUID, in scope: RegistryScope) async throws -> PartyMemberRecord? {
        try await sql.raw(Self.memberSelect + " WHERE m.id = \(bind: id) AND " + memberScope(scope)).first().map { try $0.decodeRecord(PartyMemberRecord.self) }
    }

    public func memberDetail(_ id: UUID, in scope: RegistryScope, year: Int) async throws -> PartyMemberDetail? {
        guard let m = try await member(id, in: scope) else { return nil }
        let groups = try await sql.raw(Self.orgSelect + " WHERE o.id IN (SELECT group_id FROM party_group_members WHERE member_id = \(bind: id)) ORDER BY o.name_pinyin")
            .all().map { try $0.decodeRecord(PartyOrgRecord.self) }
        let minutes = try await minutes(of: [m.residentId], year: year)[m.residentId] ?? 0
        return PartyMemberDetail(member: m, groups: groups, minutesThisYear: minutes)
    }

    /// Verified party-member service minutes in `year`, by resident.
    public func minutes(of residents: [UUID], year: Int) async throws -> [UUID: Int] {
        guard !residents.isEmpty else { return [:] }
        let (from, to) = Self.yearBounds(year)
        var out: [UUID: Int] = [:]
        for row in try await sql.raw("""
            SELECT v.resident_id, CAST(SUM(h.minutes) AS BIGINT) AS minutes FROM volunteer_hours h JOIN volunteer_activities a ON a.id = h.activity_id
            JOIN volunteers v ON v.id = h.volunteer_id
            WHERE a.party_service = \(bind: true) AND h.served_on >= \(bind: from) AND h.served_on <= \(bind: to) AND v.resident_id IN (\(binds: residents))
            GROUP BY v.resident_id
            """).all() {
            out[try row.decode(column: "resident_id", as: UUID.self)] = try row.decode(column: "minutes", as: Int.self)
        }
        return out
    }

    // MARK: Figures

    /// The area's figures for `year`, grouped by the grid where members live (the indicators sum them up the tree).
    public func figuresByGrid(prefix p: String, year: Int) async throws -> [String: PartyFigures] {
        var out = try await rollByGrid(prefix: p)
        for (g, s) in try await serviceByGrid(prefix: p, year: year) { out[g, default: PartyFigures()].served = s.served; out[g, default: PartyFigures()].minutes = s.minutes }
        return out
    }

    /// Members, 在职党员 and 报到 by the grid where members live, counted from the roll.
    func rollByGrid(prefix p: String) async throws -> [String: PartyFigures] {
        var out: [String: PartyFigures] = [:]
        for row in try await sql.raw("""
            SELECT r.grid_code, COUNT(*) AS members,
                   CAST(SUM(CASE WHEN o.id IS NULL OR SUBSTR(o.division_code, 1, 12) <> SUBSTR(r.grid_code, 1, 12) THEN 1 ELSE 0 END) AS BIGINT) AS expected,
                   CAST(SUM(CASE WHEN (o.id IS NULL OR SUBSTR(o.division_code, 1, 12) <> SUBSTR(r.grid_code, 1, 12)) AND m.reported_on IS NOT NULL THEN 1 ELSE 0 END) AS BIGINT) AS reported
            FROM party_members m JOIN residents r ON r.id = m.resident_id LEFT JOIN party_orgs o ON o.id = m.org_id
            WHERE
            """ + " " + prefix("r.grid_code", p) + " GROUP BY r.grid_code").all() {
            let g = try row.decode(column: "grid_code", as: String.self)
            out[g, default: PartyFigures()].members = try row.decode(column: "members", as: Int.self)
            out[g, default: PartyFigures()].expected = try row.decode(column: "expected", as: Int.self)
            out[g, default: PartyFigures()].reported = try row.decode(column: "reported", as: Int.self)
        }
        return out
    }

    /// Members who served in `year` and their verified minutes, by the grid where they live. The hours are summed per
    /// member first, from the members (a few per cent of the people) to their hours in that order (SQLite keeps a CROSS
    /// JOIN's order; PostgreSQL plans it as joins); only those who served are then looked up in the registry for their
    /// grid. Led by the year's hours, SQLite read every hour of the district to keep a community's (420 ms at 161k);
    /// joined to the registry before summing, it built a filter over every resident on each view (140 ms).
    func serviceByGrid(prefix p: String, year: Int) async throws -> [String: (served: Int, minutes: Int)] {
        var out: [String: (served: Int, minutes: Int)] = [:]
        let (from, to) = Self.yearBounds(year)
        for row in try await sql.raw("""
            WITH s AS MATERIALIZED (
                SELECT m.resident_id, SUM(h.minutes) AS minutes
                FROM party_members m CROSS JOIN volunteers v CROSS JOIN volunteer_hours h CROSS JOIN volunteer_activities a
                WHERE v.resident_id = m.resident_id AND h.volunteer_id = v.id AND a.id = h.activity_id
                    AND a.party_service = \(bind: true) AND h.served_on >= \(bind: from) AND h.served_on <= \(bind: to)
                GROUP BY m.resident_id)
            SELECT r.grid_code, COUNT(*) AS served, CAST(SUM(s.minutes) AS BIGINT) AS minutes
            FROM s CROSS JOIN residents r WHERE r.id = s.resident_id AND
            """ + " " + prefix("r.grid_code", p) + " GROUP BY r.grid_code").all() {
            out[try row.decode(column: "grid_code", as: String.self)] = (try row.decode(column: "served", as: Int.self), try row.decode(column: "minutes", as: Int.self))
        }
        return out
    }

    /// Functional groups by community.
    public func functionalGroups(prefix p: String) async throws -> [String: Int] {
        var out: [String: Int] = [:]
        for row in try await sql.raw("SELECT division_code, COUNT(*) AS n FROM party_orgs WHERE kind = 'group' AND functional_kind IS NOT NULL AND "
                                     + prefix("division_code", p) + " GROUP BY division_code").all() {
            out[try row.decode(column: "division_code", as: String.self), default: 0] += try row.decode(column: "n", as: Int.self)
        }
        return out
    }

    /// The area's figures, summed: the roll's from the tally (a grid's from its rows), the year's service from the hours.
    public func figures(in scope: RegistryScope, year: Int) async throws -> PartyFigures {
        var f = try await memberFigures(in: scope)
        for s in try await serviceByGrid(prefix: scope.prefix, year: year).values { f.served += s.served; f.minutes += s.minutes }
        f.functionalGroups = try await functionalGroups(prefix: scope.prefix).values.reduce(0, +)
        return f
    }

    /// Members living in the area, 在职党员 and 报到 only (the home page's figures).
    public func memberFigures(in scope: RegistryScope) async throws -> PartyFigures {
        if tallied(scope) { return try await tallyFigures(prefix: scope.prefix) }
        var f = PartyFigures()
        for g in try await rollByGrid(prefix: scope.prefix).values { f.members += g.members; f.expected += g.expected; f.reported += g.reported }
        return f
    }

    // MARK: Centres and brands

    static let centreSelect: SQLQueryString = """
        SELECT c.id, c.facility_id, f.name AS facility_name, f.address, c.level, c.division_code, c.name, c.services, c.opening_hours, c.version
        FROM party_centres c LEFT JOIN facilities f ON f.id = c.facility_id
        """

    /// The centres that serve the area: its own and those of the street and district above it. `masked`: the
    /// members on duty as the portal shows them.
    public func centres(in scope: RegistryScope, masked: Bool) async throws -> [PartyCentreRecord] {
        let above = Self.above(scope)
        var w = prefix("c.division_code", scope.prefix)
        if !above.isEmpty { w = "(" + w + " OR c.division_code IN (\(binds: above)))" }
        var items = try await sql.raw(Self.centreSelect + " WHERE " + w + " ORDER BY c.division_code, c.name").all().map { try $0.decodeRecord(PartyCentreRecord.self) }
        guard !items.isEmpty else { return items }
        var duty: [UUID: [String]] = [:]
        for row in try await sql.raw("""
            SELECT d.centre_id, r.name FROM party_centre_duty d JOIN party_members m ON m.id = d.member_id JOIN residents r ON r.id = m.resident_id
            WHERE d.centre_id IN (\(binds: items.map(\.id))) ORDER BY r.name_pinyin
            """).all() {
            let n = try row.decode(column: "name", as: String.self)
            duty[try row.decode(column: "centre_id", as: UUID.self), default: []].append(masked ? Masking.name(n) : n)
        }
        for i in items.indices { items[i].duty = duty[items[i].id] ?? [] }
        return items
    }

    static let brandSelect: SQLQueryString = """
        SELECT b.id, b.org_id, o.name AS org_name, b.name, b.summary, b.started_on, b.results, b.version
        FROM party_brands b JOIN party_orgs o ON o.id = b.org_id
        """

    public func brands(in scope: RegistryScope, year: Int) async throws -> [PartyBrandRecord] {
        let items = try await sql.raw(Self.brandSelect + " WHERE " + prefix("o.division_code", scope.prefix) + " ORDER BY o.division_code, b.started_on DESC, b.id")
            .all().map { try $0.decodeRecord(PartyBrandRecord.self) }
        return try await withActivity(items, year: year)
    }

    func brands(of orgs: [UUID], year: Int) async throws -> [PartyBrandRecord] {
        let items = try await sql.raw(Self.brandSelect + " WHERE b.org_id IN (\(binds: orgs)) ORDER BY b.started_on DESC, b.id").all()
            .map { try $0.decodeRecord(PartyBrandRecord.self) }
        return try await withActivity(items, year: year)
    }

    public func brand(_ id: UUID, in scope: RegistryScope, year: Int) async throws -> PartyBrandRecord? {
        guard let b = try await sql.raw(Self.brandSelect + " WHERE b.id = \(bind: id) AND " + prefix("o.division_code", scope.prefix)).first()
            .map({ try $0.decodeRecord(PartyBrandRecord.self) }) else { return nil }
        return try await withActivity([b], year: year).first
    }

    /// Each brand's party-service activities and their verified minutes in `year`.
    func withActivity(_ items: [PartyBrandRecord], year: Int) async throws -> [PartyBrandRecord] {
        guard !items.isEmpty else { return items }
        let (from, to) = Self.yearBounds(year)
        var counts: [UUID: (Int, Int)] = [:]
        for row in try await sql.raw("""
            SELECT a.party_brand_id, COUNT(DISTINCT a.id) AS activities, CAST(COALESCE(SUM(h.minutes), 0) AS BIGINT) AS minutes
            FROM volunteer_activities a LEFT JOIN volunteer_hours h ON h.activity_id = a.id AND h.served_on >= \(bind: from) AND h.served_on <= \(bind: to)
            WHERE a.party_brand_id IN (\(binds: items.map(\.id))) GROUP BY a.party_brand_id
            """).all() {
            counts[try row.decode(column: "party_brand_id", as: UUID.self)] = (try row.decode(column: "activities", as: Int.self), try row.decode(column: "minutes", as: Int.self))
        }
        return items.map { var b = $0; (b.activities, b.minutes) = counts[b.id] ?? (0, 0); return b }
    }
}
