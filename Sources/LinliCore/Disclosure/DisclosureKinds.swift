import Foundation

/// 四个公开: the four kinds of notice the plan names ("推进政务、事务、财务、服务'四个公开'").
public enum NoticeKind: String, Codable, Sendable, CaseIterable {
    case government, affairs, finance, service

    public var label: String {
        switch self {
        case .government: return "政务公开"
        case .affairs: return "事务公开"
        case .finance: return "财务公开"
        case .service: return "服务公开"
        }
    }

    /// The single character the notice board uses.
    public var short: String {
        switch self {
        case .government: return "政务"
        case .affairs: return "事务"
        case .finance: return "财务"
        case .service: return "服务"
        }
    }

    public static func parse(_ raw: String?) -> NoticeKind? {
        guard let raw = raw?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
        return NoticeKind(rawValue: raw) ?? allCases.first { $0.label == raw || $0.short == raw }
    }
}

public enum DisclosureNoticeStatus: String, Codable, Sendable {
    case published, withdrawn

    public var label: String { self == .published ? "已发布" : "已撤回" }
}

/// 收入 or 支出 in the community's ledger.
public enum LedgerDirection: String, Codable, Sendable, CaseIterable {
    case income, expense

    public var label: String { self == .income ? "收入" : "支出" }
}

/// An entry's way through the ledger: recorded by the community, approved by the street, then published in a
/// quarter's statement. Once published it is never changed; a correction is a reversing entry (冲正).
public enum LedgerEntryStatus: String, Codable, Sendable {
    case pending, approved, published

    public var label: String {
        switch self {
        case .pending: return "待街道审核"
        case .approved: return "已审核"
        case .published: return "已公开"
        }
    }

    /// What may be done to an entry in each status (the table the writes consult).
    public static let allowed: [LedgerEntryStatus: Set<LedgerAction>] = [
        .pending: [.edit, .approve],
        .approved: [.reverse],
        .published: [.reverse],
    ]
}

public enum LedgerAction: String, Sendable {
    case edit, approve, reverse
}

/// The subjects (科目) of a community's accounts the form offers; others may be typed.
public enum LedgerSubjects {
    public static let income = ["上级拨款", "办公经费", "惠民资金", "社区公益金", "物业补贴", "捐赠收入", "利息收入", "其他收入"]
    public static let expense = ["办公经费", "惠民资金", "社区活动", "物业补贴", "人员补贴", "设施维修", "困难帮扶", "水电费", "其他支出"]
}

/// A calendar quarter, written `2026-Q3`.
public struct Quarter: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let year: Int
    /// 1…4
    public let number: Int

    public init?(year: Int, number: Int) {
        guard (1...9999).contains(year), (1...4).contains(number) else { return nil }
        self.year = year
        self.number = number
    }

    public init?(_ text: String) {
        let t = text.trimmingCharacters(in: .whitespaces).uppercased()
        let parts = t.split(separator: "-")
        guard parts.count == 2, parts[0].count == 4, let y = Int(parts[0]), parts[1].count == 2, parts[1].first == "Q",
              let q = Int(parts[1].dropFirst()) else { return nil }
        self.init(year: y, number: q)
    }

    public static func of(_ date: CivilDate) -> Quarter { Quarter(year: date.year, number: (date.month - 1) / 3 + 1)! }

    public var description: String { "\(year)-Q\(number)" }
    public var label: String { "\(year)年第\(["一", "二", "三", "四"][number - 1])季度" }

    public var start: CivilDate { CivilDate(year: year, month: number * 3 - 2, day: 1)! }
    public var end: CivilDate { CivilDate(year: year, month: number * 3, day: CivilDate.daysIn(month: number * 3, year: year))! }

    /// The quarter before (the first quarter of year 1 is its own: dates end there).
    public var previous: Quarter { (number == 1 ? Quarter(year: year - 1, number: 4) : Quarter(year: year, number: number - 1)) ?? self }
    /// The quarter after (the last of year 9999 is its own).
    public var next: Quarter { (number == 4 ? Quarter(year: year + 1, number: 1) : Quarter(year: year, number: number + 1)) ?? self }

    /// The last day on which publishing the quarter's statement is on time: the last day of the month after
    /// the quarter ends (one month's grace: the statement of Q3, ended 30 September, is due by 31 October).
    public var publishDeadline: CivilDate {
        let m = number * 3 + 1
        let (y, month) = m > 12 ? (year + 1, 1) : (year, m)
        return CivilDate(year: y, month: month, day: CivilDate.daysIn(month: month, year: y)) ?? end
    }

    /// The last quarter that has ended before `today`.
    public static func lastEnded(before today: CivilDate) -> Quarter { of(today).previous }

    public static func < (a: Quarter, b: Quarter) -> Bool { (a.year, a.number) < (b.year, b.number) }
}
