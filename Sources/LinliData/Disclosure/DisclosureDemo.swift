import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 四个公开 in the demo district: a year of notices of the four kinds per community (every ninth community has
/// let its 服务 notices lapse, so it is not current), a year of approved ledger entries per community (10–30 per
/// quarter) with the ended quarters' statements published as 财务 notices, and one reversing entry in the first
/// community. Deterministic; multi-row INSERTs in one transaction.
public struct DisclosureDemo: DemoStep {
    public init() {}

    public func load(_ demo: DemoContext) async throws -> String? {
        let started = Date()
        let s = try await DemoDisclosure.load(on: demo.db, seed: demo.seed, today: demo.today, now: demo.now)
        return String(format: "四个公开：公告 %d 条，账目 %d 笔，季度收支公开表 %d 张，用时 %.1f 秒。", s.notices, s.entries, s.statements,
                      Date().timeIntervalSince(started))
    }
}

public enum DemoDisclosure {
    public struct Summary: Sendable { public var notices = 0, entries = 0, statements = 0 }

    static let titles: [NoticeKind: [String]] = [
        .government: ["社区党组织和居委会年度工作计划", "上级政策文件宣传", "社区工作人员分工及联系方式", "民生实事项目进展情况"],
        .affairs: ["低保申请对象民主评议结果公示", "社区微改造项目方案公示", "居民公约修订意见征集", "楼道自治小组成员名单"],
        .service: ["社区服务项目和办事指南", "老年人助餐服务时间调整", "社区卫生服务站健康讲座安排", "爱心超市开放时间"],
        .finance: ["社区惠民资金使用计划", "社区活动经费使用情况"],
    ]
    static let income: [(String, String, ClosedRange<Int>)] = [("上级拨款", "街道办事处", 2_000_000...6_000_000), ("办公经费", "街道办事处", 500_000...1_500_000),
                                                                ("惠民资金", "区民政局", 1_000_000...4_000_000), ("物业补贴", "区住房保障局", 300_000...900_000)]
    static let expense: [(String, String, ClosedRange<Int>)] = [("办公经费", "文具办公用品店", 20_000...300_000), ("社区活动", "社区文体队", 50_000...800_000),
                                                                 ("惠民资金", "社区居民", 100_000...1_200_000), ("物业补贴", "物业服务企业", 200_000...600_000),
                                                                 ("设施维修", "维修服务部", 50_000...500_000), ("水电费", "供电公司", 30_000...150_000)]

    public static func load(on db: any Database, seed: UInt64, today: CivilDate, now at: Int64) async throws -> Summary {
        let now = Int(at)
        let sql = SQLHelpers.sql(db)
        var rng = SeededRandom(seed: seed ^ 0xD15C_1057)
        let communities = try await sql.select().columns("code", "name").from(Division.schema)
            .where("level", .equal, SQLBind(DivisionLevel.community.rawValue)).orderBy("code").all()
            .map { (code: try $0.decode(column: "code", as: String.self), name: try $0.decode(column: "name", as: String.self)) }
        var s = Summary()
        var batches: [BulkInsert.Batch] = []
        var reversedOnce = false
        var notices = BulkInsert("disclosure_notices", DisclosureQueries.noticeColumns)
        var history = BulkInsert("disclosure_notice_history", ["id", "notice_id", "action", "title", "body", "reason", "by_user", "at"])
        var entries = BulkInsert("disclosure_ledger_entries", ["id", "community_code", "quarter", "direction", "on_date", "subject", "counterpart", "amount_fen",
                                                               "voucher_no", "status", "reverses_id", "reversed_by_id", "statement_id", "version", "recorded_by",
                                                               "created_at", "approved_by", "approved_at"])
        var statements = BulkInsert("disclosure_statements", ["id", "community_code", "quarter", "opening_fen", "income_fen", "expense_fen", "closing_fen", "lines",
                                                              "entries", "notice_id", "published_on", "published_by", "created_at"])
        func notice(_ c: String, _ kind: NoticeKind, _ title: String, _ body: String, _ on: CivilDate, end: CivilDate?, minimum: Int, statement: UUID?) -> UUID {
            let id = rng.uuid()
            notices.add([id, c, kind.rawValue, title, body, on.description, end?.description as String?, minimum, DisclosureNoticeStatus.published.rawValue,
                         statement as UUID?, 1, "demo", now, String?.none, Int?.none, String?.none])
            history.add([rng.uuid(), id, "publish", title, body, String?.none, "demo", now])
            s.notices += 1
            return id
        }
        let thisQuarter = Quarter.of(today)
        let quarters = (0..<4).reversed().map { back in (0..<back).reduce(thisQuarter.previous) { q, _ in q.previous } } + [thisQuarter]
        for (ci, c) in communities.enumerated() {
            let lapsed = ci % 9 == 4
            for week in stride(from: 360, through: 0, by: -rng.int(18...30)) {
                let on = today.adding(days: -week)
                var kind = [NoticeKind.government, .affairs, .service][rng.int(0...2)]
                if lapsed && kind == .service && week < 120 { kind = .affairs }
                let title = titles[kind]![rng.int(0...(titles[kind]!.count - 1))]
                let minimum = kind == .affairs && title.hasSuffix("公示") ? 7 : 0
                _ = notice(c.code, kind, "\(c.name)\(title)", "\(c.name)\(title)，详见社区公开栏。如有意见，请于公开期内向社区居委会反映。", on,
                           end: on.adding(days: minimum > 0 ? 14 : 60), minimum: minimum, statement: nil)
            }
            // Each kind at least once in the last quarter, except 服务 where lapsed.
            for kind in [NoticeKind.government, .affairs] + (lapsed ? [] : [.service]) {
                _ = notice(c.code, kind, "\(c.name)\(titles[kind]![0])", "\(c.name)\(titles[kind]![0])，详见社区公开栏。", today.adding(days: -rng.int(3...40)),
                           end: nil, minimum: 0, statement: nil)
            }
            var balance: Int64 = Int64(rng.int(500_000...5_000_000))
            var voucher = 0
            for q in quarters {
                var rows: [(LedgerDirection, String, Int64)] = []
                let ended = q.end < today
                let span = (ended ? q.end : today).dayNumber - q.start.dayNumber
                guard span >= 0 else { continue }
                let count = ended ? rng.int(10...30) : rng.int(3...10)
                let statementID = rng.uuid(), noticeID = rng.uuid()
                let publish = ended && (q.publishDeadline < today || ci % 5 != 0)
                for i in 0..<count {
                    let isIncome = i < 3 || rng.chance(0.2)
                    let item = isIncome ? income[rng.int(0...(income.count - 1))] : expense[rng.int(0...(expense.count - 1))]
                    let amount = Int64(rng.int(item.2))
                    let on = q.start.adding(days: rng.int(0...span))
                    voucher += 1
                    let dir: LedgerDirection = isIncome ? .income : .expense
                    let status: LedgerEntryStatus = publish ? .published : (ended || rng.chance(0.6) ? .approved : .pending)
                    let id = rng.uuid()
                    var reversal: UUID? = nil
                    if ci == 0 && i == 5 && publish && !reversedOnce { reversal = rng.uuid(); reversedOnce = true }
                    entries.add([id, c.code, q.description, dir.rawValue, on.description, item.0, item.1, Int(amount), "\(q.year)-\(String(format: "%04d", voucher))",
                                 status.rawValue, UUID?.none, reversal, publish ? statementID as UUID? : nil, 1, "demo", now,
                                 status == .pending ? String?.none : "demo", status == .pending ? Int?.none : now])
                    rows.append((dir, item.0, amount))
                    if let reversal {
                        voucher += 1
                        entries.add([reversal, c.code, q.description, dir.rawValue, on.description, item.0, item.1, Int(amount),
                                     "冲\(q.year)-\(String(format: "%04d", voucher - 1))", status.rawValue, id as UUID?, UUID?.none, statementID as UUID?, 1, "demo",
                                     now, "demo", now])
                        rows.append((dir, item.0, -amount))
                        s.entries += 1
                    }
                    s.entries += 1
                }
                guard publish else { continue }
                let f = DisclosureRules.statement(openingFen: balance, entries: rows.map { ($0.0, $0.1, $0.2) })
                balance = f.closingFen
                let on = min(today, q.end.adding(days: ci % 11 == 3 ? 45 : rng.int(5...25)))
                let lines = String(decoding: try JSONEncoder().encode(f.lines), as: UTF8.self)
                statements.add([statementID, c.code, q.description, Int(f.openingFen), Int(f.incomeFen), Int(f.expenseFen), Int(f.closingFen), lines, rows.count, noticeID,
                                on.description, "demo", now])
                notices.add([noticeID, c.code, NoticeKind.finance.rawValue, "\(c.name)\(q.label)收支公开表",
                             DisclosureQueries.statementText(c.name, q, f, entries: rows.count), on.description, String?.none, 0,
                             DisclosureNoticeStatus.published.rawValue, statementID as UUID?, 1, "demo", now, String?.none, Int?.none, String?.none])
                s.notices += 1
                s.statements += 1
            }
            // Keep each statement under the databases' limit of bound values.
            if entries.isFull || notices.isFull || history.isFull {
                for b in [notices.take(), history.take(), statements.take(), entries.take()] { if let b { batches.append(b) } }
            }
        }
        try await db.writeTransaction(bulk: true) { [notices, history, entries, statements, batches] db in
            var notices = notices, history = history, entries = entries, statements = statements
            for b in batches { try await b.run(on: db) }
            try await notices.flush(on: db)
            try await history.flush(on: db)
            try await statements.flush(on: db)
            try await entries.flush(on: db)
            try await AuditLog.append([AuditEvent(DisclosureAudit.demoLoad, target: .table("disclosure_notices"))], by: .system("demo"), on: db)
        }
        return s
    }
}
