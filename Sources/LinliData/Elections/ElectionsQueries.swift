import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 换届选举's reads. Every read takes the caller's `RegistryScope`: an election of a community outside it is not
/// found. The portal reads with `.everything` and masks names itself.
public struct ElectionsQueries: Sendable {
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

    static let columns = ["id", "community_code", "committee_kind", "method", "seats", "vice_chairs", "committee", "roll_published_on",
                          "roll_frozen_on", "candidates_published_on", "election_day", "status", "round", "roll_count", "first_cast",
                          "first_ballot", "elected", "term_start", "term_end", "version"]

    var electionSelect: SQLSelectBuilder {
        var q = sql.select()
        for c in Self.columns { q = q.column(SQLColumn(c, table: "e")) }
        return q.column(SQLColumn("name", table: "d"), as: "community_name")
            .from(SQLAlias(SQLIdentifier("elections"), as: SQLIdentifier("e")))
            .join(SQLAlias(SQLIdentifier(Division.schema), as: SQLIdentifier("d")), method: SQLJoinMethod.left,
                  on: SQLRaw("d.code = e.community_code"))
    }

    /// The elections of the scope, latest election day first within each community, communities in code order.
    public func elections(in scope: RegistryScope, limit: Int = 500) async throws -> [ElectionRecord] {
        try await electionSelect.wherePrefix("e.community_code", Self.communityPrefix(scope), sqlite: sqlite)
            .orderBy(SQLColumn("community_code", table: "e")).orderBy(SQLOrderBy(expression: SQLColumn("election_day", table: "e"), direction: SQLDirection.descending))
            .limit(limit).all().map { try $0.decodeRecord(ElectionRecord.self) }
    }

    /// A community worker's scope reaches into their community's grids; elections are kept by the community.
    static func communityPrefix(_ scope: RegistryScope) -> String { scope.prefix.count > 12 ? String(scope.prefix.prefix(12)) : scope.prefix }

    public func election(_ id: UUID, in scope: RegistryScope) async throws -> ElectionRecord? {
        guard let row = try await electionSelect.where(SQLColumn("id", table: "e"), .equal, SQLBind(id)).first() else { return nil }
        let e = try row.decodeRecord(ElectionRecord.self)
        return e.communityCode.hasPrefix(Self.communityPrefix(scope)) ? e : nil
    }

    public func requireElection(_ id: UUID, in scope: RegistryScope) async throws -> ElectionRecord {
        guard let e = try await election(id, in: scope) else { throw RegistryError.notFound("选举") }
        return e
    }

    /// A page of the roll in name-initials order, optionally those whose initials start with `initials`; excluded
    /// people are listed only when `excluded` is asked.
    public func voters(_ election: UUID, initials: String? = nil, excluded: Bool = false, page: Int, per: Int) async throws -> (rows: [VoterRecord], more: Bool) {
        var q = sql.select().columns("resident_id", "grid_code", "name", "name_initials", "birth_date", "basis", "decision").from("election_voters")
            .where("election_id", .equal, SQLBind(election))
        q = excluded ? q.where("basis", .equal, SQLBind(VoterBasis.excluded.rawValue)) : q.where("basis", .notEqual, SQLBind(VoterBasis.excluded.rawValue))
        if let initials, !initials.isEmpty { q = q.wherePrefix("name_initials", initials.lowercased(), sqlite: sqlite) }
        let rows = try await q.orderBy("name_initials").orderBy("resident_id").limit(per + 1).offset(max(0, page - 1) * per).all()
            .map { try $0.decodeRecord(VoterRecord.self) }
        return (Array(rows.prefix(per)), rows.count > per)
    }

    public func voter(_ election: UUID, _ resident: UUID) async throws -> VoterRecord? {
        try await sql.select().columns("resident_id", "grid_code", "name", "name_initials", "birth_date", "basis", "decision").from("election_voters")
            .where("election_id", .equal, SQLBind(election)).where("resident_id", .equal, SQLBind(resident)).first()
            .map { try $0.decodeRecord(VoterRecord.self) }
    }

    public func candidates(_ election: UUID) async throws -> [CandidateRecord] {
        try await sql.select().columns("resident_id", "name", "post", "formal", "round").from("election_candidates")
            .where("election_id", .equal, SQLBind(election)).orderBy("recorded_at").orderBy("resident_id").all()
            .map { try $0.decodeRecord(CandidateRecord.self) }
    }

    public func members(_ election: UUID) async throws -> [MemberRecord] {
        let posts = CommitteePost.allCases.map(\.rawValue)
        return try await sql.select().columns("resident_id", "name", "post", "round", "votes", "term_start", "term_end").from("election_members")
            .where("election_id", .equal, SQLBind(election)).orderBy("votes", .descending).all()
            .map { try $0.decodeRecord(MemberRecord.self) }
            .sorted { (posts.firstIndex(of: $0.post.rawValue) ?? 9) < (posts.firstIndex(of: $1.post.rawValue) ?? 9) }
    }

    public func boxes(_ election: UUID) async throws -> [BoxRecord] {
        try await sql.select().columns("id", "round", "kind", "label", "first_entry", "first_by", "second_entry", "second_by", "differences",
                                       "confirmed", "version")
            .from("election_boxes").where("election_id", .equal, SQLBind(election)).orderBy("round").orderBy("label").all().map { row in
                func s(_ c: String) throws -> String? { try row.decode(column: c, as: String?.self) }
                let diff = try s("differences") ?? ""
                return BoxRecord(id: try row.decode(column: "id", as: UUID.self), round: try row.decode(column: "round", as: Int.self),
                                 kind: try row.decodeStored(column: "kind", as: BallotBoxKind.self, of: "BoxRecord"),
                                 label: try row.decode(column: "label", as: String.self),
                                 first: StoredCount.decode(try s("first_entry")), firstBy: try s("first_by"),
                                 second: StoredCount.decode(try s("second_entry")), secondBy: try s("second_by"),
                                 differences: diff.isEmpty ? [] : diff.split(separator: ",").map(String.init),
                                 confirmed: try row.decode(column: "confirmed", as: Bool.self), version: try row.decode(column: "version", as: Int.self))
            }
    }

    /// How many proxies `holder` holds in the election.
    func proxiesHeld(_ election: UUID, holder: UUID, on db: any Database) async throws -> Int {
        try await SQLHelpers.count(SQLHelpers.sql(db).select().column(SQLRaw("count(*)"), as: "n").from("election_proxies")
            .where("election_id", .equal, SQLBind(election)).where("holder_id", .equal, SQLBind(holder)))
    }

    public func objections(_ election: UUID) async throws -> [ObjectionRecord] {
        try await sql.select().columns("id", "name", "contact_cipher", "body", "answer", "answered_by", "created_at").from("election_objections")
            .where("election_id", .equal, SQLBind(election)).orderBy("created_at", .descending).limit(200).all()
            .map { row in
                ObjectionRecord(id: try row.decode(column: "id", as: UUID.self), name: try row.decode(column: "name", as: String.self),
                                contact: try cipher.open(try row.decode(column: "contact_cipher", as: Data.self)),
                                body: try row.decode(column: "body", as: String.self), answer: try row.decode(column: "answer", as: String?.self),
                                answeredBy: try row.decode(column: "answered_by", as: String?.self), createdAt: try row.decode(column: "created_at", as: Int64.self))
            }
    }
}

/// An objection to the roll, lodged on the portal; only workers of the community read it.
public struct ObjectionRecord: Codable, Sendable, Equatable {
    public var id: UUID
    public var name: String
    public var contact: String
    public var body: String
    public var answer: String?
    public var answeredBy: String?
    public var createdAt: Int64
}
