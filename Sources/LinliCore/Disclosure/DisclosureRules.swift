import Foundation

/// A notice as typed.
public struct DisclosureNoticeInput: Sendable, Equatable {
    public var kind: NoticeKind?
    public var title: String?
    public var body: String?
    public var publishOn: CivilDate?
    public var endOn: CivilDate?
    /// Days the notice must stay up (a 公示 of 7 days); 0 when it may be withdrawn at any time.
    public var minimumDays: Int?

    public init(kind: NoticeKind?, title: String?, body: String?, publishOn: CivilDate?, endOn: CivilDate?, minimumDays: Int?) {
        self.kind = kind; self.title = title; self.body = body; self.publishOn = publishOn; self.endOn = endOn; self.minimumDays = minimumDays
    }
}

/// A ledger entry as typed. Amounts are in fen (分), always positive: the direction says income or expense.
public struct LedgerEntryInput: Sendable, Equatable {
    public var direction: LedgerDirection?
    public var onDate: CivilDate?
    public var subject: String?
    public var counterpart: String?
    public var amountFen: Int64?
    public var voucherNo: String?

    public init(direction: LedgerDirection?, onDate: CivilDate?, subject: String?, counterpart: String?, amountFen: Int64?, voucherNo: String?) {
        self.direction = direction; self.onDate = onDate; self.subject = subject; self.counterpart = counterpart
        self.amountFen = amountFen; self.voucherNo = voucherNo
    }
}

/// One line of a quarterly statement: a subject's total in one direction.
public struct StatementLine: Codable, Sendable, Equatable {
    public var direction: LedgerDirection
    public var subject: String
    public var amountFen: Int64

    public init(direction: LedgerDirection, subject: String, amountFen: Int64) {
        self.direction = direction; self.subject = subject; self.amountFen = amountFen
    }
}

/// 季度收支公开表: opening balance, income and expense by subject, closing balance.
public struct StatementFigures: Codable, Sendable, Equatable {
    public var openingFen: Int64
    public var incomeFen: Int64
    public var expenseFen: Int64
    public var closingFen: Int64
    public var lines: [StatementLine]
}

public enum DisclosureRules {
    public static let titleMax = 100
    public static let bodyMax = 20_000
    /// A notice stays up at most two years; a 公示 at most 90 days.
    public static let longestDays = 730
    public static let minimumDaysMax = 90
    /// One entry at most 1 亿元 (in fen); the sum of a quarter stays far inside Int64.
    public static let amountMaxFen: Int64 = 10_000_000_000
    public static let textMax = 60
    /// A notice or entry dated this far back at most (a year's ledger may be caught up, not a decade's).
    public static let backdateDays = 400

    public static func check(_ n: DisclosureNoticeInput, today: CivilDate) -> [FieldError] {
        var e = FieldErrors()
        if n.kind == nil { e.add("kind", "请选择公开类别（政务、事务、财务、服务）") }
        let title = n.title?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if title.isEmpty { e.add("title", "请填写标题") } else if title.count > titleMax { e.add("title", "标题不超过\(titleMax)字") }
        let body = n.body?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if body.isEmpty { e.add("body", "请填写公开内容") } else if body.count > bodyMax { e.add("body", "内容不超过\(bodyMax)字") }
        if let p = n.publishOn {
            if p > today.adding(days: 60) { e.add("publish_on", "发布日期最多提前60天") }
            if p < today.adding(days: -backdateDays) { e.add("publish_on", "发布日期不能早于\(backdateDays)天前") }
        } else { e.add("publish_on", "请填写发布日期") }
        let minimum = n.minimumDays ?? 0
        if minimum < 0 || minimum > minimumDaysMax { e.add("minimum_days", "公示期应为0–\(minimumDaysMax)天") }
        if let p = n.publishOn, let end = n.endOn {
            if end < p { e.add("end_on", "截止日期不能早于发布日期") }
            else if end.dayNumber - p.dayNumber > longestDays { e.add("end_on", "公开期不超过\(longestDays)天") }
            else if (0...minimumDaysMax).contains(minimum), end.dayNumber - p.dayNumber + 1 < minimum {
                e.add("end_on", "截止日期应在公示期（\(minimum)天）届满之后")
            }
        }
        return e.errors
    }

    /// The first day a notice with a minimum period may be withdrawn: the day after its period ends
    /// (a 7-day 公示 published on the 1st is up 1st–7th and may be withdrawn from the 8th).
    public static func earliestWithdrawal(publishOn: CivilDate, minimumDays: Int) -> CivilDate {
        publishOn.adding(days: max(0, min(minimumDays, minimumDaysMax)))
    }

    public static func checkWithdrawal(publishOn: CivilDate, minimumDays: Int, reason: String?, today: CivilDate) -> [FieldError] {
        var e = FieldErrors()
        let earliest = earliestWithdrawal(publishOn: publishOn, minimumDays: minimumDays)
        if publishOn <= today, today < earliest {
            e.add("minimum_days", "本公告公示期\(minimumDays)天，\(earliest.description)起方可撤回")
        }
        let r = reason?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if r.isEmpty { e.add("reason", "请填写撤回原因") } else if r.count > 200 { e.add("reason", "撤回原因不超过200字") }
        return e.errors
    }

    public static func check(_ x: LedgerEntryInput, today: CivilDate) -> [FieldError] {
        var e = FieldErrors()
        if x.direction == nil { e.add("direction", "请选择收入或支出") }
        if let d = x.onDate {
            if d > today { e.add("on_date", "记账日期不能晚于今天") }
            else if d < today.adding(days: -backdateDays) { e.add("on_date", "记账日期不能早于\(backdateDays)天前") }
        } else { e.add("on_date", "请填写记账日期") }
        let subject = x.subject?.trimmingCharacters(in: .whitespaces) ?? ""
        if subject.isEmpty { e.add("subject", "请填写科目") } else if subject.count > textMax { e.add("subject", "科目不超过\(textMax)字") }
        let counterpart = x.counterpart?.trimmingCharacters(in: .whitespaces) ?? ""
        if counterpart.isEmpty { e.add("counterpart", "请填写对方单位或个人") } else if counterpart.count > textMax { e.add("counterpart", "不超过\(textMax)字") }
        if let a = x.amountFen {
            if a <= 0 { e.add("amount_fen", "金额应大于0") } else if a > amountMaxFen { e.add("amount_fen", "单笔金额不超过1亿元") }
        } else { e.add("amount_fen", "请填写金额") }
        let voucher = x.voucherNo?.trimmingCharacters(in: .whitespaces) ?? ""
        if voucher.isEmpty { e.add("voucher_no", "请填写凭证号") } else if voucher.count > 30 { e.add("voucher_no", "凭证号不超过30字") }
        return e.errors
    }

    /// Whether `action` may be done to an entry in `status`; a refusal names the field the client meant to change.
    public static func checkAction(_ action: LedgerAction, status: LedgerEntryStatus) -> FieldError? {
        if LedgerEntryStatus.allowed[status]?.contains(action) == true { return nil }
        switch action {
        case .edit: return FieldError("status", "该笔账目已\(status.label)，不能修改；如有差错请做冲正分录")
        case .approve: return FieldError("status", "该笔账目\(status.label)，无需再审核")
        case .reverse: return FieldError("status", "待审核的账目可直接修改，无需冲正")
        }
    }

    /// Parses a yuan amount typed in a form ("1234.5") into fen, refusing what is not a plain amount.
    public static func fen(fromYuan text: String?) -> Int64?? {
        guard let t = text?.trimmingCharacters(in: .whitespaces), !t.isEmpty else { return .some(nil) }
        let parts = t.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = parts.first, !whole.isEmpty, whole.count <= 9, whole.allSatisfy(\.isASCII), let y = Int64(whole), y >= 0 else { return nil }
        var f: Int64 = 0
        if parts.count == 2 {
            let frac = parts[1]
            guard (1...2).contains(frac.count), frac.allSatisfy({ $0.isASCII && $0.isNumber }), let v = Int64(frac) else { return nil }
            f = frac.count == 1 ? v * 10 : v
        }
        return .some(y * 100 + f)
    }

    /// 元 with two decimals, for the pages (never a float).
    public static func yuan(_ fen: Int64) -> String {
        let sign = fen < 0 ? "-" : ""
        let m = fen.magnitude
        let f = m % 100
        return "\(sign)\(m / 100).\(f < 10 ? "0" : "")\(f)"
    }

    /// The statement of a quarter from the opening balance and the quarter's approved entries (signed: a
    /// reversing entry of an income is an income of negative amount, so the statement shows it in its subject).
    public static func statement(openingFen: Int64, entries: [(direction: LedgerDirection, subject: String, signedFen: Int64)]) -> StatementFigures {
        var sums: [String: Int64] = [:]
        var order: [(LedgerDirection, String)] = []
        var income: Int64 = 0, expense: Int64 = 0
        for x in entries {
            let key = x.direction.rawValue + "|" + x.subject
            if sums[key] == nil { order.append((x.direction, x.subject)) }
            sums[key, default: 0] += x.signedFen
            if x.direction == .income { income += x.signedFen } else { expense += x.signedFen }
        }
        let lines = order.map { StatementLine(direction: $0.0, subject: $0.1, amountFen: sums[$0.0.rawValue + "|" + $0.1] ?? 0) }
            .sorted { ($0.direction == .income ? 0 : 1, $0.subject) < ($1.direction == .income ? 0 : 1, $1.subject) }
        return StatementFigures(openingFen: openingFen, incomeFen: income, expenseFen: expense, closingFen: openingFen + income - expense, lines: lines)
    }

    // MARK: The standard (居民依法自治达标率, the disclosure part)

    /// How far back a notice still counts as a current disclosure: three months, taken as 92 days.
    public static let currentDays = 92

    /// Whether a notice keeps its kind's disclosure current on `today`: published (not withdrawn), already up,
    /// and either published within the last 92 days or still up (no end date, or ending today or later).
    public static func keepsCurrent(publishOn: CivilDate, endOn: CivilDate?, withdrawn: Bool, today: CivilDate) -> Bool {
        guard !withdrawn, publishOn <= today else { return false }
        if publishOn >= today.adding(days: -currentDays) { return true }
        return endOn.map { $0 >= today } ?? true
    }

    /// The quarters whose published statement satisfies the standard on `today`: the last ended quarter; within
    /// its grace (up to its `publishDeadline`) the quarter before it still suffices.
    public static func statementQuartersAccepted(today: CivilDate) -> [Quarter] {
        let last = Quarter.lastEnded(before: today)
        return today <= last.publishDeadline ? [last, last.previous] : [last]
    }
}
