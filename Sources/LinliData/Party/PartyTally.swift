import FluentKit
import Foundation
import LinliCore
import SQLKit

/// `party_tallies`: the members of each (community where they live, community of their organization) pair, and how
/// many of them have 报到, so that the overview, the roll's totals and the home page read a few rows instead of
/// grouping every member of the district with the registry on each view. `org_community_code` is '' for a member
/// whose organization is outside (外单位). A member is 在职党员 (expected to 报到) when the two codes differ. Every write
/// that adds, removes, re-places or reports a member, or moves a member's home, moves the member's contribution in
/// its own transaction; a boundary change and the demo load rebuild the table from the rows.
public enum PartyTally {
    /// One member's row of the tally.
    struct Key: Equatable {
        var community: String
        var orgCommunity: String
        var reported: Bool

        init(grid: String, orgDivision: String?, reportedOn: String?) {
            community = String(grid.prefix(12)); orgCommunity = orgDivision.map { String($0.prefix(12)) } ?? ""; reported = reportedOn != nil
        }
    }

    /// The member's current key, read inside the write's transaction (nil: not on the roll). On PostgreSQL the member's
    /// and the resident's rows are locked until the write commits, so that a member write and a move of the same
    /// person's home, on two connections, take their "before" one after the other.
    static func key(member: UUID, on db: any Database) async throws -> Key? {
        try await key(where: "m.id = \(bind: member)", on: db)
    }

    static func key(resident: UUID, on db: any Database) async throws -> Key? {
        try await key(where: "m.resident_id = \(bind: resident)", on: db)
    }

    private static func key(where w: SQLQueryString, on db: any Database) async throws -> Key? {
        let lock: SQLQueryString = db.isSQLite ? "" : " FOR UPDATE OF m, r"
        guard let row = try await SQLHelpers.sql(db).raw("""
            SELECT r.grid_code, o.division_code, m.reported_on FROM party_members m JOIN residents r ON r.id = m.resident_id
            LEFT JOIN party_orgs o ON o.id = m.org_id WHERE
            """ + " " + w + lock).first() else { return nil }
        return Key(grid: try row.decode(column: "grid_code", as: String.self), orgDivision: try row.decode(column: "division_code", as: String?.self),
                   reportedOn: try row.decode(column: "reported_on", as: String?.self))
    }

    /// Adds (`sign` 1) or takes away (`sign` -1) one member.
    static func add(_ k: Key, _ sign: Int64, on sql: any SQLDatabase) async throws {
        try await sql.raw("""
            INSERT INTO party_tallies (community_code, org_community_code, members, reported)
            VALUES (\(bind: k.community), \(bind: k.orgCommunity), \(bind: sign), \(bind: k.reported ? sign : 0))
            ON CONFLICT (community_code, org_community_code) DO UPDATE SET members = party_tallies.members + excluded.members,
                reported = party_tallies.reported + excluded.reported
            """).run()
    }

    /// Moves a member's contribution from `before` (nil: was not on the roll) to `after` (nil: left it).
    static func move(from before: Key?, to after: Key?, on sql: any SQLDatabase) async throws {
        guard before != after else { return }
        if let before { try await add(before, -1, on: sql) }
        if let after { try await add(after, 1, on: sql) }
    }

    /// The tally as a recount of the roll would give it (the migration, the demo load and a boundary change use it).
    static let recount: SQLQueryString = """
        SELECT SUBSTR(r.grid_code, 1, 12) AS community_code, COALESCE(SUBSTR(o.division_code, 1, 12), '') AS org_community_code,
               CAST(COUNT(*) AS BIGINT) AS members, CAST(SUM(CASE WHEN m.reported_on IS NULL THEN 0 ELSE 1 END) AS BIGINT) AS reported
        FROM party_members m JOIN residents r ON r.id = m.resident_id LEFT JOIN party_orgs o ON o.id = m.org_id
        GROUP BY SUBSTR(r.grid_code, 1, 12), COALESCE(SUBSTR(o.division_code, 1, 12), '')
        """

    /// Replaces the whole tally with a recount, in the caller's transaction.
    public static func rebuild(on db: any Database) async throws {
        let sql = SQLHelpers.sql(db)
        try await sql.raw("DELETE FROM party_tallies").run()
        try await sql.raw("INSERT INTO party_tallies (community_code, org_community_code, members, reported) " + recount).run()
    }

    /// What a recount gives, row by row, sorted (tests compare it with the table).
    public static func recounted(on db: any Database) async throws -> [String] {
        try await rows(recount + " ORDER BY 1, 2", on: db)
    }

    /// The table's rows, sorted, without rows that have fallen to zero.
    public static func stored(on db: any Database) async throws -> [String] {
        try await rows("SELECT community_code, org_community_code, members, reported FROM party_tallies WHERE members <> 0 OR reported <> 0 ORDER BY 1, 2", on: db)
    }

    private static func rows(_ q: SQLQueryString, on db: any Database) async throws -> [String] {
        try await SQLHelpers.sql(db).raw(q).all().map { row in
            "\(try row.decode(column: "community_code", as: String.self))|\(try row.decode(column: "org_community_code", as: String.self))|"
                + "\(try row.decode(column: "members", as: Int.self))|\(try row.decode(column: "reported", as: Int.self))"
        }
    }
}

extension PartyQueries {
    /// Whether the tally answers for the area: it is kept per community, so a grid's figures are counted from the roll.
    func tallied(_ scope: RegistryScope) -> Bool { scope.prefix.count <= 12 }

    /// Members living in the area, 在职党员 among them and those who have 报到, from the tally.
    func tallyFigures(prefix p: String) async throws -> PartyFigures {
        var f = PartyFigures()
        guard let row = try await sql.raw("""
            SELECT CAST(COALESCE(SUM(members), 0) AS BIGINT) AS members,
                   CAST(COALESCE(SUM(CASE WHEN org_community_code <> community_code THEN members ELSE 0 END), 0) AS BIGINT) AS expected,
                   CAST(COALESCE(SUM(CASE WHEN org_community_code <> community_code THEN reported ELSE 0 END), 0) AS BIGINT) AS reported
            FROM party_tallies WHERE
            """ + " " + prefix("community_code", p)).first() else { return f }
        f.members = try row.decode(column: "members", as: Int.self)
        f.expected = try row.decode(column: "expected", as: Int.self)
        f.reported = try row.decode(column: "reported", as: Int.self)
        return f
    }

    /// The roll's total for the area (members living in it or belonging to one of its organizations), optionally
    /// only 在职党员 who have (true) or have not (false) 报到 — what `members` would count, from the tally.
    func tallyTotal(prefix p: String, reported: Bool?) async throws -> Int {
        let n: SQLQueryString = switch reported {
        case nil: "members"
        case true?: "CASE WHEN org_community_code <> community_code THEN reported ELSE 0 END"
        case false?: "CASE WHEN org_community_code <> community_code THEN members - reported ELSE 0 END"
        }
        let area: SQLQueryString = p.isEmpty ? "1 = 1" : "(" + prefix("community_code", p) + " OR " + prefix("org_community_code", p) + ")"
        return try await sql.raw("SELECT CAST(COALESCE(SUM(" + n + "), 0) AS BIGINT) AS n FROM party_tallies WHERE " + area)
            .first()?.decode(column: "n", as: Int.self) ?? 0
    }
}
