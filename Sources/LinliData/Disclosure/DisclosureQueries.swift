import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 四个公开与财务公开: the communities' notices, ledgers and quarterly statements. Reads take the caller's
/// `RegistryScope`: a community outside it is not found. Notices and published statements are public; the
/// portal reads them with `.everything`.
public struct DisclosureQueries: Sendable {
    let db: any Database
    let today: CivilDate
    let now: @Sendable () -> Date
    /// Where notices' attachments are kept (nil: no uploads).
    public let attachmentStore: AssistanceAttachmentStore?

    public init(_ db: any Database, today: CivilDate, attachments: AssistanceAttachmentStore? = nil, now: @escaping @Sendable () -> Date = { Date() }) {
        self.db = db
        self.today = today
        self.attachmentStore = attachments
        self.now = now
    }

    var sql: any SQLDatabase { SQLHelpers.sql(db) }
    var sqlite: Bool { db.isSQLite }
    var nowSeconds: Int64 { Int64(now().timeIntervalSince1970) }

    static let noticeColumns = ["id", "community_code", "kind", "title", "body", "publish_on", "end_on", "minimum_days", "status", "statement_id",
                                "version", "created_by", "created_at", "withdrawn_by", "withdrawn_at", "withdrawn_reason"]
    static let entryColumns = ["id", "community_code", "quarter", "direction", "on_date", "subject", "counterpart", "amount_fen", "voucher_no", "status",
                               "reverses_id", "reversed_by_id", "statement_id", "version", "recorded_by", "approved_by"]
    static let statementColumns = ["id", "community_code", "quarter", "opening_fen", "income_fen", "expense_fen", "closing_fen", "lines", "entries",
                                   "notice_id", "published_on", "published_by"]

    var noticeSelect: SQLSelectBuilder {
        var q = sql.select()
        for c in Self.noticeColumns { q = q.column(SQLColumn(c, table: "n")) }
        return q.column(SQLColumn("name", table: "d"), as: "community_name")
            .from(SQLAlias(SQLIdentifier("disclosure_notices"), as: SQLIdentifier("n")))
            .join(SQLAlias(SQLIdentifier(Division.schema), as: SQLIdentifier("d")), method: SQLJoinMethod.left,
                  on: SQLColumn("code", table: "d"), .equal, SQLColumn("community_code", table: "n"))
    }

    /// A community of the scope (12 digits, level 村/社区), or a field error naming `community_code`.
    public func community(_ raw: String?, in scope: RegistryScope) async throws -> DivisionRecord {
        let text = raw?.trimmingCharacters(in: .whitespaces) ?? ""
        guard !text.isEmpty else { throw RegistryError.invalid([FieldError("community_code", "请选择村/社区")]) }
        guard let code = try? DivisionCode(text), code.level == .community, let d = try await DivisionQueries(db).find(code: text, in: scope),
              d.level == .community else { throw RegistryError.notFound("村/社区") }
        return d
    }

    /// The communities of the scope with their names, for the pickers.
    public func communities(in scope: RegistryScope) async throws -> [DivisionRecord] {
        try await DivisionQueries(db).all(in: scope, level: .community)
    }

    /// A community's notices, newest first; `current` keeps those up today.
    public func notices(of community: String, kind: NoticeKind? = nil, current: Bool = false, page: PageRequest) async throws -> ResultPage<DisclosureNoticeRecord> {
        let day = today.description
        func narrowed(_ q: SQLSelectBuilder) -> SQLSelectBuilder {
            var q = q.where(SQLColumn("community_code", table: "n"), .equal, SQLBind(community))
            if let kind { q = q.where(SQLColumn("kind", table: "n"), .equal, SQLBind(kind.rawValue)) }
            if current {
                q = q.where(SQLColumn("status", table: "n"), .equal, SQLBind(DisclosureNoticeStatus.published.rawValue))
                    .where(SQLColumn("publish_on", table: "n"), .lessThanOrEqual, SQLBind(day))
                    .where { $0.where(SQLColumn("end_on", table: "n"), .is, SQLLiteral.null).orWhere(SQLColumn("end_on", table: "n"), .greaterThanOrEqual, SQLBind(day)) }
            }
            return q
        }
        let items = try await narrowed(noticeSelect)
            .orderBy(SQLOrderBy(expression: SQLColumn("publish_on", table: "n"), direction: SQLDirection.descending))
            .orderBy(SQLOrderBy(expression: SQLColumn("created_at", table: "n"), direction: SQLDirection.descending))
            .limit(page.perPage).offset(page.offset).all().map { try $0.decodeRecord(DisclosureNoticeRecord.self) }
        let total = try await SQLHelpers.count(narrowed(sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from(SQLAlias(SQLIdentifier("disclosure_notices"), as: SQLIdentifier("n")))))
        return ResultPage(items: items, total: total, page: page.page, perPage: page.perPage)
    }

    public func notice(_ id: UUID, in scope: RegistryScope) async throws -> DisclosureNoticeRecord? {
        guard let n = try await noticeSelect.where(SQLColumn("id", table: "n"), .equal, SQLBind(id)).first()?.decodeRecord(DisclosureNoticeRecord.self),
              scope.contains(code: n.communityCode) else { return nil }
        return n
    }

    public func requireNotice(_ id: UUID, in scope: RegistryScope) async throws -> DisclosureNoticeRecord {
        guard let n = try await notice(id, in: scope) else { throw RegistryError.notFound("公告") }
        return n
    }

    public func history(of noticeID: UUID) async throws -> [DisclosureNoticeHistoryRecord] {
        try await sql.select().columns("action", "title", "body", "reason", "by_user", "at").from("disclosure_notice_history")
            .where("notice_id", .equal, SQLBind(noticeID)).orderBy("at").all().map { try $0.decodeRecord(DisclosureNoticeHistoryRecord.self) }
    }

    /// A community's ledger entries of a quarter, by date then voucher.
    public func entries(of community: String, quarter: Quarter) async throws -> [LedgerEntryRecord] {
        try await sql.select().columns(Self.entryColumns).from("disclosure_ledger_entries")
            .where("community_code", .equal, SQLBind(community)).where("quarter", .equal, SQLBind(quarter.description))
            .orderBy("on_date").orderBy("voucher_no").all().map { try $0.decodeRecord(LedgerEntryRecord.self) }
    }

    public func entry(_ id: UUID, in scope: RegistryScope) async throws -> LedgerEntryRecord {
        guard let x = try await sql.select().columns(Self.entryColumns).from("disclosure_ledger_entries").where("id", .equal, SQLBind(id)).first()?
            .decodeRecord(LedgerEntryRecord.self), scope.contains(code: x.communityCode) else { throw RegistryError.notFound("账目") }
        return x
    }

    /// Entries waiting for the street's approval in the scope, oldest first.
    public func pending(in scope: RegistryScope, limit: Int = 200) async throws -> [LedgerEntryRecord] {
        try await sql.select().columns(Self.entryColumns).from("disclosure_ledger_entries")
            .where("status", .equal, SQLBind(LedgerEntryStatus.pending.rawValue)).wherePrefix("community_code", scope.prefix, sqlite: sqlite)
            .orderBy("community_code").orderBy("on_date").limit(limit).all().map { try $0.decodeRecord(LedgerEntryRecord.self) }
    }

    public func statements(of community: String) async throws -> [StatementRecord] {
        try await sql.select().columns(Self.statementColumns).from("disclosure_statements").where("community_code", .equal, SQLBind(community))
            .orderBy(SQLOrderBy(expression: SQLColumn("quarter"), direction: SQLDirection.descending)).all().map { try $0.decodeRecord(StatementRecord.self) }
    }

    public func statement(_ id: UUID, in scope: RegistryScope) async throws -> StatementRecord {
        guard let s = try await sql.select().columns(Self.statementColumns).from("disclosure_statements").where("id", .equal, SQLBind(id)).first()?
            .decodeRecord(StatementRecord.self), scope.contains(code: s.communityCode) else { throw RegistryError.notFound("收支公开表") }
        return s
    }

    /// The closing balance of the community's last statement before `quarter` (0 when none).
    func opening(of community: String, before quarter: Quarter, on db: any Database) async throws -> Int64 {
        try await SQLHelpers.sql(db).select().column("closing_fen").from("disclosure_statements").where("community_code", .equal, SQLBind(community))
            .where("quarter", .lessThan, SQLBind(quarter.description))
            .orderBy(SQLOrderBy(expression: SQLColumn("quarter"), direction: SQLDirection.descending)).limit(1).first()?
            .decode(column: "closing_fen", as: Int64.self) ?? 0
    }
}

extension DisclosureQueries {
    /// For the home page: ledger entries of the scope waiting for the street's approval.
    public func pendingCount(in scope: RegistryScope) async throws -> Int {
        try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("disclosure_ledger_entries")
            .where("status", .equal, SQLBind(LedgerEntryStatus.pending.rawValue)).wherePrefix("community_code", scope.prefix, sqlite: sqlite)
            .first()?.decode(column: "n", as: Int.self) ?? 0
    }
}
