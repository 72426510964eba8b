import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 季度收支公开表: the street publishes a community's statement of an ended quarter, made from the quarter's
/// approved entries, as a 财务 notice. The statement row goes in first with ON CONFLICT DO NOTHING on
/// (community, quarter): of two publications at once, one makes the statement and the other is 409.
extension DisclosureQueries {
    public func publishStatement(community raw: String?, quarter text: String?, by actor: DisclosureActor) async throws -> StatementRecord {
        guard actor.mayApprove else { throw RegistryError.forbidden("收支公开表由镇/街道审核后公开") }
        let c = try await community(raw, in: actor.scope)
        guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else {
            throw RegistryError.invalid([FieldError("quarter", "请选择季度（如 2026-Q3）")])
        }
        guard let q = Quarter(text) else { throw RegistryError.invalid([FieldError("quarter", "季度应写作 YYYY-Qn，如 2026-Q3")]) }
        guard q.end < today else { throw RegistryError.invalid([FieldError("quarter", "\(q.label)尚未结束，季度结束后才能公开收支")]) }
        let id = UUID(), noticeID = UUID(), at = nowSeconds, day = today
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            let entries = try await sql.select().columns(Self.entryColumns).from("disclosure_ledger_entries")
                .where("community_code", .equal, SQLBind(c.code)).where("quarter", .equal, SQLBind(q.description)).all()
                .map { try $0.decodeRecord(LedgerEntryRecord.self) }
            let waiting = entries.filter { $0.status == .pending }.count
            if waiting > 0 { throw RegistryError.invalid([FieldError("quarter", "\(q.label)还有\(waiting)笔账目待街道审核，审核后再公开")]) }
            let approved = entries.filter { $0.status == .approved }
            let opening = try await opening(of: c.code, before: q, on: db)
            let figures = DisclosureRules.statement(openingFen: opening, entries: approved.map { ($0.direction, $0.subject, $0.signedFen) })
            let lines = String(decoding: try JSONEncoder().encode(figures.lines), as: UTF8.self)
            let made = try await sql.raw("""
                INSERT INTO disclosure_statements (id, community_code, quarter, opening_fen, income_fen, expense_fen, closing_fen, lines, entries, notice_id,
                    published_on, published_by, created_at)
                VALUES (\(bind: id), \(bind: c.code), \(bind: q.description), \(bind: figures.openingFen), \(bind: figures.incomeFen), \(bind: figures.expenseFen),
                    \(bind: figures.closingFen), \(bind: lines), \(bind: approved.count), \(bind: noticeID), \(bind: day.description), \(bind: actor.audit.username), \(bind: at))
                ON CONFLICT (community_code, quarter) DO NOTHING RETURNING id
                """).first()
            if made == nil { throw RegistryError.conflict(FieldError("quarter", "\(c.name)\(q.label)的收支公开表已公开")) }
            if !approved.isEmpty {
                try await sql.update("disclosure_ledger_entries").set("status", to: SQLBind(LedgerEntryStatus.published.rawValue)).set("statement_id", to: SQLBind(id))
                    .where("community_code", .equal, SQLBind(c.code)).where("quarter", .equal, SQLBind(q.description))
                    .where("status", .equal, SQLBind(LedgerEntryStatus.approved.rawValue)).run()
            }
            let body = Self.statementText(c.name, q, figures, entries: approved.count)
            try await sql.insert(into: "disclosure_notices").columns(Self.noticeColumns)
                .values(SQLBind(noticeID), SQLBind(c.code), SQLBind(NoticeKind.finance.rawValue), SQLBind("\(c.name)\(q.label)收支公开表"), SQLBind(body),
                        SQLBind(day.description), SQLBind(String?.none), SQLBind(0), SQLBind(DisclosureNoticeStatus.published.rawValue), SQLBind(id), SQLBind(1),
                        SQLBind(actor.audit.username), SQLBind(at), SQLBind(String?.none), SQLBind(Int64?.none), SQLBind(String?.none))
                .run()
            try await AuditLog.append([AuditEvent(DisclosureAudit.statement, target: .financeStatement(id),
                                                  detail: ["community": c.code, "quarter": q.description, "entries": String(approved.count)])], by: actor.audit, on: db)
        }
        return try await statement(id, in: actor.scope)
    }

    /// The notice's text: the statement in words, for the board and the portal.
    static func statementText(_ community: String, _ q: Quarter, _ f: StatementFigures, entries: Int) -> String {
        var out = ["\(community)\(q.label)（\(q.start.description) 至 \(q.end.description)）收支情况公开如下（单位：元）：",
                   "期初余额：\(DisclosureRules.yuan(f.openingFen))"]
        for d in LedgerDirection.allCases {
            out.append("\(d.label)合计：\(DisclosureRules.yuan(d == .income ? f.incomeFen : f.expenseFen))")
            for l in f.lines where l.direction == d { out.append("　\(l.subject)：\(DisclosureRules.yuan(l.amountFen))") }
        }
        out.append("期末余额：\(DisclosureRules.yuan(f.closingFen))")
        out.append("本季度经街道审核的账目共\(entries)笔（含冲正分录）。如有疑问，请向社区居委会或街道反映。")
        return out.joined(separator: "\n")
    }
}
