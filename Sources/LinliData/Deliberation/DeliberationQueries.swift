import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 民主协商与网上议事: meetings, resolutions and follow-ups, proposals with supports and comments. Reads take the
/// caller's `RegistryScope`; a record of a community outside it is not found. The portal's reads are open and
/// carry nothing personal beyond masked names.
public struct DeliberationQueries: Sendable {
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

    static let meetingColumns = ["id", "community_code", "kind", "title", "agenda", "held_on", "place", "residents", "other_residents", "units", "officials",
                                 "minutes", "resolutions", "version", "recorded_by", "created_at"]
    static let resolutionColumns = ["id", "meeting_id", "community_code", "held_on", "text", "owner", "due_on", "state", "done_on", "request_number", "version",
                                    "created_at"]
    static let proposalColumns = ["id", "community_code", "title", "what", "why", "cost", "deadline", "published_on", "state", "decision", "response", "supports",
                                  "comments", "version", "created_by", "created_at", "closed_at"]

    /// The community (12 digits) a code of the scope names, or the field error.
    func community(_ raw: String?, in scope: RegistryScope) async throws -> DivisionRecord {
        let code = raw?.trimmingCharacters(in: .whitespaces) ?? ""
        guard let d = try? DivisionCode(code), d.level == .community, scope.contains(code: code),
              let division = try await DivisionQueries(db).find(code: code) else {
            throw RegistryError.invalid([FieldError("community_code", code.isEmpty ? "请选择村/社区" : "本辖区没有这个村/社区")])
        }
        return division
    }

    public func communityName(_ code: String) async throws -> String {
        try await DivisionQueries(db).find(code: code)?.name ?? code
    }

    // MARK: meetings

    /// The meetings of the scope, newest first; `kind` narrows.
    public func meetings(in scope: RegistryScope, kind: MeetingKind? = nil, page: PageRequest) async throws -> ResultPage<MeetingRecord> {
        func narrowed(_ q: SQLSelectBuilder) -> SQLSelectBuilder {
            let q = q.wherePrefix("community_code", scope.prefix, sqlite: sqlite)
            return kind.map { q.where("kind", .equal, SQLBind($0.rawValue)) } ?? q
        }
        let items = try await narrowed(sql.select().columns(Self.meetingColumns.map { SQLColumn($0) }).from("deliberation_meetings"))
            .orderBy(SQLOrderBy(expression: SQLColumn("held_on"), direction: SQLDirection.descending)).orderBy("id")
            .limit(page.perPage).offset(page.offset).all().map { try $0.decodeRecord(MeetingRecord.self) }
        let total = try await SQLHelpers.count(narrowed(sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("deliberation_meetings")))
        return ResultPage(items: items, total: total, page: page.page, perPage: page.perPage)
    }

    public func meeting(_ id: UUID, in scope: RegistryScope) async throws -> MeetingRecord? {
        guard let row = try await sql.select().columns(Self.meetingColumns.map { SQLColumn($0) }).from("deliberation_meetings")
            .where("id", .equal, SQLBind(id)).first() else { return nil }
        let m = try row.decodeRecord(MeetingRecord.self)
        return scope.contains(code: m.communityCode) ? m : nil
    }

    public func requireMeeting(_ id: UUID, in scope: RegistryScope) async throws -> MeetingRecord {
        guard let m = try await meeting(id, in: scope) else { throw RegistryError.notFound("会议") }
        return m
    }

    /// A meeting with its resolutions, their follow-ups and the linked participants' masked names.
    public func meetingFile(_ id: UUID, in scope: RegistryScope) async throws -> MeetingFile {
        let m = try await requireMeeting(id, in: scope)
        let resolutions = try await resolutions(of: id)
        var follow: [UUID: [FollowUpRecord]] = [:]
        if !resolutions.isEmpty {
            for row in try await sql.select().columns("id", "resolution_id", "on_date", "note", "done", "recorded_by", "created_at").from("deliberation_followups")
                .where("resolution_id", .in, SQLBind.group(resolutions.map(\.id))).orderBy("created_at").all() {
                let f = try row.decodeRecord(FollowUpRecord.self)
                follow[f.resolutionId, default: []].append(f)
            }
        }
        let ids = try await sql.select().column("resident_id").from("deliberation_participants").where("meeting_id", .equal, SQLBind(id)).all()
            .map { try $0.decode(column: "resident_id", as: UUID.self) }
        var names: [String] = []
        let residents = ResidentQueries(db, cipher: cipher, today: today)
        for rid in ids.prefix(200) { if let r = try await residents.find(id: rid, in: .everything) { names.append(Masking.name(r.name)) } }
        return MeetingFile(meeting: m, communityName: try await communityName(m.communityCode), participants: names, resolutions: resolutions, followUps: follow)
    }

    public func resolutions(of meeting: UUID) async throws -> [ResolutionRecord] {
        try await sql.select().columns(Self.resolutionColumns.map { SQLColumn($0) }).from("deliberation_resolutions")
            .where("meeting_id", .equal, SQLBind(meeting)).orderBy("created_at").orderBy("id").all().map { try $0.decodeRecord(ResolutionRecord.self) }
    }

    public func resolution(_ id: UUID, in scope: RegistryScope) async throws -> ResolutionRecord {
        guard let row = try await sql.select().columns(Self.resolutionColumns.map { SQLColumn($0) }).from("deliberation_resolutions")
            .where("id", .equal, SQLBind(id)).first() else { throw RegistryError.notFound("决议") }
        let r = try row.decodeRecord(ResolutionRecord.self)
        guard scope.contains(code: r.communityCode) else { throw RegistryError.notFound("决议") }
        return r
    }

    /// Open resolutions of the scope past their due date, oldest due first.
    public func overdue(in scope: RegistryScope, limit: Int = 50) async throws -> [ResolutionRecord] {
        try await sql.select().columns(Self.resolutionColumns.map { SQLColumn($0) }).from("deliberation_resolutions")
            .wherePrefix("community_code", scope.prefix, sqlite: sqlite).where("state", .equal, SQLBind(ResolutionState.open.rawValue))
            .where("due_on", .lessThan, SQLBind(today.description)).orderBy("due_on").limit(limit).all().map { try $0.decodeRecord(ResolutionRecord.self) }
    }

    // MARK: proposals

    var proposalSelect: SQLSelectBuilder {
        var q = sql.select()
        for c in Self.proposalColumns { q = q.column(SQLColumn(c, table: "p")) }
        return q.column(SQLColumn("name", table: "d"), as: "community_name")
            .from(SQLAlias(SQLIdentifier("consultation_proposals"), as: SQLIdentifier("p")))
            .join(SQLAlias(SQLIdentifier(Division.schema), as: SQLIdentifier("d")), method: SQLJoinMethod.left, on: SQLRaw("d.code = p.community_code"))
    }

    /// Proposals of the scope (`.everything` for the portal), newest first; counts come from the row.
    public func proposals(in scope: RegistryScope, state: ProposalState? = nil, page: PageRequest) async throws -> ResultPage<ProposalRecord> {
        func narrowed(_ q: SQLSelectBuilder) -> SQLSelectBuilder {
            let q = q.wherePrefix("p.community_code", scope.prefix, sqlite: sqlite)
            return state.map { q.where(SQLColumn("state", table: "p"), .equal, SQLBind($0.rawValue)) } ?? q
        }
        let items = try await narrowed(proposalSelect)
            .orderBy(SQLOrderBy(expression: SQLColumn("published_on", table: "p"), direction: SQLDirection.descending))
            .orderBy(SQLOrderBy(expression: SQLColumn("created_at", table: "p"), direction: SQLDirection.descending))
            .limit(page.perPage).offset(page.offset).all().map { try $0.decodeRecord(ProposalRecord.self) }
        let total = try await SQLHelpers.count(narrowed(sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from(SQLAlias(SQLIdentifier("consultation_proposals"), as: SQLIdentifier("p")))))
        return ResultPage(items: items, total: total, page: page.page, perPage: page.perPage)
    }

    public func proposal(_ id: UUID, in scope: RegistryScope) async throws -> ProposalRecord {
        guard let row = try await proposalSelect.where(SQLColumn("id", table: "p"), .equal, SQLBind(id)).first() else { throw RegistryError.notFound("议题") }
        let p = try row.decodeRecord(ProposalRecord.self)
        guard scope.contains(code: p.communityCode) else { throw RegistryError.notFound("议题") }
        return p
    }

    /// A proposal's comments in order (hidden ones included: the page shows the reason instead of the text).
    public func comments(of proposal: UUID, page: PageRequest) async throws -> ResultPage<CommentRecord> {
        let items = try await sql.select().columns("id", "proposal_id", "resident_id", "author", "body", "hidden", "hide_reason", "hidden_by", "created_at")
            .from("consultation_comments").where("proposal_id", .equal, SQLBind(proposal)).orderBy("created_at").orderBy("id")
            .limit(page.perPage).offset(page.offset).all().map { try $0.decodeRecord(CommentRecord.self) }
        let total = try await SQLHelpers.count(sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("consultation_comments")
            .where("proposal_id", .equal, SQLBind(proposal)))
        return ResultPage(items: items, total: total, page: page.page, perPage: page.perPage)
    }

    /// Whether the resident supported the proposal.
    public func supported(_ proposal: UUID, by resident: UUID) async throws -> Bool {
        try await sql.select().column("resident_id").from("consultation_supports").where("proposal_id", .equal, SQLBind(proposal))
            .where("resident_id", .equal, SQLBind(resident)).first() != nil
    }
}
