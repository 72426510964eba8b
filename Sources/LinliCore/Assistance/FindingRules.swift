import Foundation

/// 主动发现: rules over the registry, care and requests that point at people who may qualify for assistance
/// and get none. A rule is a value in `FindingRules.all`; its SQL lives beside the data layer under the same
/// code, so adding one is one more value and one more query piece, touching no other rule.
public struct FindingRule: Sendable, Equatable, Identifiable {
    /// Which open cases make a hit moot.
    public enum Excludes: Sendable, Equatable {
        /// Any open case of the person's household.
        case anyOpenCase
        /// An open case of the kind the rule suggests.
        case openCaseOfSuggestedKind
    }

    public var code: String
    public var name: String
    public var suggests: AssistanceKind
    public var excludes: Excludes
    /// Why it fired, with `{key}` replaced by the facts the rule's query returns (`age` is always there).
    public var why: String

    public var id: String { code }

    public init(code: String, name: String, suggests: AssistanceKind, excludes: Excludes, why: String) {
        self.code = code
        self.name = name
        self.suggests = suggests
        self.excludes = excludes
        self.why = why
    }

    /// The why-text for these facts; an unknown key stays as written so that a missing fact shows.
    public func why(_ facts: [String: String]) -> String {
        var text = why
        for (k, v) in facts { text = text.replacingOccurrences(of: "{\(k)}", with: v) }
        return text
    }
}

public enum FindingRules {
    /// The age from which an elder living alone and assessed 失能 is looked for.
    public static let oldestAge = 80
    /// How recent an ended case must be for a hardship request to bring the household back.
    public static let endedWithinMonths = 6
    /// A hit is handled in time when its outcome is recorded within this many days of it being first seen.
    public static let handleWithinDays = 30

    public static let all: [FindingRule] = [
        FindingRule(code: "elder_alone_dependent", name: "高龄独居失能老人", suggests: .tekun, excludes: .anyOpenCase,
                    why: "{age}岁，独居，{assessed_on}评估为失能，无救助案件"),
        FindingRule(code: "disabled_unemployed", name: "失业残疾人", suggests: .disabilityLiving, excludes: .anyOpenCase,
                    why: "{age}岁，登记为残疾、失业，无救助案件"),
        FindingRule(code: "ended_hardship_request", name: "救助终止后反映困难", suggests: .temporaryExpense, excludes: .anyOpenCase,
                    why: "该户{case_kind}案件{case_number}于{ended_on}终止，同楼栋{reported_on}有困难帮扶诉求（编号{request_seq}）"),
        FindingRule(code: "dibao_member_disabled", name: "低保户成员登记为残疾", suggests: .disabilityLiving, excludes: .openCaseOfSuggestedKind,
                    why: "{age}岁，低保户（案件{case_number}）成员，登记为残疾，未领取困难残疾人生活补贴"),
    ]

    public static func rule(_ code: String) -> FindingRule? { all.first { $0.code == code } }

    /// The facts a hit fired on, reduced to a short stable text: a handled hit is not shown again until this
    /// changes. FNV-1a over the sorted `key=value` lines, so the order the query gave them in does not matter.
    public static func fingerprint(_ facts: [String: String]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for line in facts.sorted(by: { $0.key < $1.key }).map({ "\($0.key)=\($0.value)\n" }) {
            for byte in line.utf8 {
                hash ^= UInt64(byte)
                hash = hash &* 0x0000_0100_0000_01b3
            }
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// Handled in time: the outcome recorded no later than `handleWithinDays` after the hit was first seen.
    public static func handledInTime(firstSeen: CivilDate, handled: CivilDate) -> Bool {
        handled.dayNumber - firstSeen.dayNumber <= handleWithinDays
    }

    /// The first day a hit first seen on `firstSeen` is late if still unhandled.
    public static func lateFrom(firstSeen: CivilDate) -> CivilDate { firstSeen.adding(days: handleWithinDays + 1) }
}

/// What the worker did about a hit.
public enum FindingOutcome: String, Codable, Sendable, CaseIterable {
    /// 已联系: contacted, nothing applied for (yet).
    case contacted
    /// 已申请: an application was made.
    case applied
    /// 不符合条件, with the reason.
    case notEligible = "not_eligible"

    public var label: String {
        switch self {
        case .contacted: return "已联系"
        case .applied: return "已申请"
        case .notEligible: return "不符合条件"
        }
    }

    public var needsReason: Bool { self == .notEligible }
}
