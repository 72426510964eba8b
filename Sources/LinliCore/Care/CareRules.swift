import Foundation

/// 居家养老: the pure rules of the care roll — the Barthel index and the three care levels, reassessment
/// due dates, the groups an elder belongs to, the visiting rule for elders living alone, the floor-area
/// standard of the plan and the response times of emergency calls. Nothing here touches a database.

/// One item of the Barthel index (ADL, activities of daily living) with the scores it allows.
/// The items and scores are those of the Barthel index as used in 《护理分级》WS/T 431-2013 and in the
/// ADL part of 《老年人能力评估》MZ/T 039-2013.
public enum BarthelItem: String, CaseIterable, Codable, Sendable {
    case feeding, bathing, grooming, dressing, bowels, bladder, toilet, transfer, mobility, stairs

    public var label: String {
        switch self {
        case .feeding: return "进食"
        case .bathing: return "洗澡"
        case .grooming: return "修饰（洗脸、刷牙、梳头、刮脸）"
        case .dressing: return "穿衣"
        case .bowels: return "控制大便"
        case .bladder: return "控制小便"
        case .toilet: return "如厕"
        case .transfer: return "床椅转移"
        case .mobility: return "平地行走45米"
        case .stairs: return "上下楼梯"
        }
    }

    /// The scores the item allows, from fully dependent to independent.
    public var allowedScores: [Int] {
        switch self {
        case .bathing, .grooming: return [0, 5]
        case .transfer, .mobility: return [0, 5, 10, 15]
        default: return [0, 5, 10]
        }
    }

    public var maximum: Int { allowedScores.last! }
}

/// How much help a person needs, by Barthel total (WS/T 431-2013 护理分级, 5.2): 100 无需依赖,
/// 61–99 轻度依赖, 41–60 中度依赖, ≤ 40 重度依赖.
public enum DependencyBand: String, Codable, Sendable, CaseIterable {
    case none, light, moderate, severe

    public var label: String {
        switch self {
        case .none: return "无需依赖"
        case .light: return "轻度依赖"
        case .moderate: return "中度依赖"
        case .severe: return "重度依赖"
        }
    }

    public static func of(total: Int) -> DependencyBand {
        if total >= 100 { return .none }
        if total >= 61 { return .light }
        if total >= 41 { return .moderate }
        return .severe
    }
}

/// The three care levels the plan classifies elders by. 自理 covers 无需依赖 and 轻度依赖 (a little help,
/// living on their own), 半失能 is 中度依赖 (most activities need help), 失能 is 重度依赖 (all need help).
public enum CareLevel: String, Codable, Sendable, CaseIterable {
    case independent
    case partlyDependent = "partly_dependent"
    case dependent

    public var label: String {
        switch self {
        case .independent: return "自理"
        case .partlyDependent: return "半失能"
        case .dependent: return "失能"
        }
    }

    public static func of(total: Int) -> CareLevel {
        switch DependencyBand.of(total: total) {
        case .none, .light: return .independent
        case .moderate: return .partlyDependent
        case .severe: return .dependent
        }
    }

    /// Months until the next assessment: a year for 自理, half a year otherwise (their state changes faster).
    public var reassessmentMonths: Int { self == .independent ? 12 : 6 }
}

/// A filled-in Barthel form: a score for every item.
public struct BarthelScores: Codable, Sendable, Equatable {
    public var scores: [BarthelItem: Int]

    public init(_ scores: [BarthelItem: Int]) { self.scores = scores }

    /// Checks a form as typed (item code → score): every item present, every score one the item allows,
    /// no unknown item. Each problem names the field `scores.<item>`.
    public static func check(_ raw: [String: Int]?) -> Result<BarthelScores, ValidationFailure> {
        guard let raw else { return .failure(ValidationFailure([FieldError("scores", "请填写日常生活活动能力（Barthel 指数）的10个项目")])) }
        var errors: [FieldError] = []
        var scores: [BarthelItem: Int] = [:]
        for key in raw.keys.sorted() where BarthelItem(rawValue: key) == nil {
            errors.append(FieldError("scores.\(key)", "未知的评估项目 \(key)"))
        }
        for item in BarthelItem.allCases {
            guard let v = raw[item.rawValue] else {
                errors.append(FieldError("scores.\(item.rawValue)", "请填写“\(item.label)”的得分"))
                continue
            }
            guard item.allowedScores.contains(v) else {
                errors.append(FieldError("scores.\(item.rawValue)",
                                         "“\(item.label)”的得分应为 \(item.allowedScores.map(String.init).joined(separator: "、")) 之一"))
                continue
            }
            scores[item] = v
        }
        return errors.isEmpty ? .success(BarthelScores(scores)) : .failure(ValidationFailure(errors))
    }

    public var total: Int { BarthelItem.allCases.reduce(0) { $0 + (scores[$1] ?? 0) } }
    public var level: CareLevel { CareLevel.of(total: total) }

    /// A compact text of the scores in item order ("10,5,5,10,10,10,10,15,15,10"), the form that is encrypted.
    public var encoded: String { BarthelItem.allCases.map { String(scores[$0] ?? 0) }.joined(separator: ",") }

    public init?(encoded text: String) {
        let parts = text.split(separator: ",").map { Int($0) }
        guard parts.count == BarthelItem.allCases.count else { return nil }
        var s: [BarthelItem: Int] = [:]
        for (item, v) in zip(BarthelItem.allCases, parts) {
            guard let v, item.allowedScores.contains(v) else { return nil }
            s[item] = v
        }
        scores = s
    }

    /// As the API shows them: item code → score.
    public var byCode: [String: Int] { Dictionary(uniqueKeysWithValues: scores.map { ($0.key.rawValue, $0.value) }) }
}

extension CivilDate {
    /// The same day `months` later; the last day of the month when that month is shorter (31 Aug + 6 → 28/29 Feb).
    public func addingMonths(_ months: Int) -> CivilDate {
        let index = year * 12 + (month - 1) + months
        let y = index / 12, m = index % 12 + 1
        return CivilDate(year: y, month: m, day: min(day, CivilDate.daysIn(month: m, year: y)))!
    }
}

public enum CareRules {
    /// Elders are residents aged 60 and over on `today`.
    public static let minimumAge = 60
    /// 高龄: 80 and over.
    public static let oldestAge = 80

    public static func isElder(birth: CivilDate, today: CivilDate) -> Bool { birth.age(on: today) >= minimumAge }

    /// The next assessment falls due this many months after the last one.
    public static func nextDue(assessedOn: CivilDate, level: CareLevel) -> CivilDate {
        assessedOn.addingMonths(level.reassessmentMonths)
    }

    /// Due (or overdue) on `today`: never assessed, or the due date reached.
    public static func isAssessmentDue(nextDue: CivilDate?, today: CivilDate) -> Bool {
        guard let nextDue else { return true }
        return nextDue <= today
    }

    /// The visiting rule for elders living alone (独居): a 关爱巡访 at least every 7 days. A visit is missed
    /// when the last one is more than 7 days before `today` (a visit 7 days ago is on time), or when there
    /// has been none since the elder came under the rule (`since`, e.g. the plan's start) more than 7 days ago.
    public static let visitIntervalDays = 7

    public static func isVisitMissed(livingAlone: Bool, lastVisit: CivilDate?, since: CivilDate?, today: CivilDate) -> Bool {
        guard livingAlone else { return false }
        let reference = lastVisit ?? since
        guard let reference else { return true }
        return today.dayNumber - reference.dayNumber > visitIntervalDays
    }
}

/// Residents under 60 in care: 未满60周岁的居民因失能、残疾或特殊困难可纳入居家养老服务, but only with the reason
/// recorded on their care plan. The plan is where the reason is written; assessments, service records and calls
/// of someone under 60 are accepted once such a plan exists (the plan brings them into care), and refused before.
/// They are not on the roll: the roll and the plan's figures count residents aged 60 and over.
public enum Under60Reason {
    /// The API's field and the form's.
    public static let field = "under_60_reason"
    public static let label = "未满60周岁纳入原因"
    /// The usual reasons, offered as examples; any text of 2 to 100 characters is accepted.
    public static let examples = ["失能", "残疾", "特殊困难"]
    public static let maximumLength = 100

    /// The reason as it will be stored for a plan of a resident born on `birth`: nil for a resident of 60 or more
    /// (the reason does not apply and is not kept), the trimmed text for someone younger, or the problem with the
    /// field (missing, too short or too long).
    public static func check(_ raw: String?, birth: CivilDate, today: CivilDate) -> Result<String?, FieldError> {
        if CareRules.isElder(birth: birth, today: today) { return .success(nil) }
        let text = (raw ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty {
            return .failure(FieldError(field, "该居民未满60周岁：纳入居家养老须填写\(label)（如\(examples.joined(separator: "、"))）"))
        }
        if text.count < 2 || text.count > maximumLength { return .failure(FieldError(field, "\(label)应为2至\(maximumLength)个字")) }
        return .success(text)
    }

    /// Whether a resident is in care: 60 or more, or younger with a plan that records the reason.
    public static func inCare(birth: CivilDate, today: CivilDate, planReason: String?) -> Bool {
        CareRules.isElder(birth: birth, today: today) || !(planReason ?? "").isEmpty
    }
}

/// Overlapping service records: one provider (a person, a team) cannot serve in two places at once. A record
/// takes [start, start + duration); two records of the same provider overlap when those intervals share a moment
/// (one ending at 10:00 and the next starting at 10:00 do not). Providers are the same when their names are
/// equal after trimming.
public struct CareServiceSlot: Sendable, Equatable {
    public var provider: String
    /// Unix seconds.
    public var start: Int64
    public var durationMinutes: Int

    public init(provider: String, start: Int64, durationMinutes: Int) {
        self.provider = provider; self.start = start; self.durationMinutes = durationMinutes
    }

    public var end: Int64 { start + Int64(durationMinutes) * 60 }
    public var providerKey: String { provider.trimmingCharacters(in: .whitespacesAndNewlines) }

    public func overlaps(_ other: CareServiceSlot) -> Bool {
        providerKey == other.providerKey && start < other.end && other.start < end
    }

    /// The longest record allowed (a day): a record starting earlier than `start - maximumSeconds` cannot reach it.
    public static let maximumSeconds: Int64 = 1440 * 60

    /// The first of `existing` that `slot` overlaps, if any.
    public static func firstOverlap(_ slot: CareServiceSlot, in existing: [CareServiceSlot]) -> CareServiceSlot? {
        existing.sorted { $0.start < $1.start }.first { slot.overlaps($0) }
    }

    /// Every pair of `slots` that overlap (for checking a whole set, e.g. the demo's).
    public static func overlappingPairs(_ slots: [CareServiceSlot]) -> [(CareServiceSlot, CareServiceSlot)] {
        var out: [(CareServiceSlot, CareServiceSlot)] = []
        for (_, group) in Dictionary(grouping: slots, by: \.providerKey) {
            let sorted = group.sorted { $0.start < $1.start }
            // Sorted by start, a slot can only overlap later ones that start before the furthest end so far.
            var open: [CareServiceSlot] = []
            for s in sorted {
                open.removeAll { $0.end <= s.start }
                for o in open { out.append((o, s)) }
                open.append(s)
            }
        }
        return out
    }
}

/// The groups of an elder the care roll is filtered by: 独居, 空巢, 高龄 (80+), 低保, 特困, 残疾.
public enum CareFlag: String, Codable, Sendable, CaseIterable {
    case livingAlone = "living_alone"
    case emptyNest = "empty_nest"
    case oldestOld = "oldest_old"
    case lowIncome = "low_income"
    case extremeHardship = "extreme_hardship"
    case disabled

    public var label: String {
        switch self {
        case .livingAlone: return "独居"
        case .emptyNest: return "空巢"
        case .oldestOld: return "高龄"
        case .lowIncome: return "低保"
        case .extremeHardship: return "特困"
        case .disabled: return "残疾"
        }
    }

    /// The registry tag the flag comes from (高龄 comes from the birth date).
    public var tag: ResidentTag {
        switch self {
        case .livingAlone: return .livingAlone
        case .emptyNest: return .emptyNest
        case .oldestOld: return .oldestOld
        case .lowIncome: return .lowIncome
        case .extremeHardship: return .extremeHardship
        case .disabled: return .disabled
        }
    }

    /// The flags of an elder from the registry's recorded tags and the birth date.
    public static func of(recordedTags: [ResidentTag], birth: CivilDate, today: CivilDate) -> [CareFlag] {
        allCases.filter { f in
            f == .oldestOld ? birth.age(on: today) >= CareRules.oldestAge : recordedTags.contains(f.tag)
        }
    }
}

/// The services of a care plan.
public enum CareService: String, Codable, Sendable, CaseIterable {
    case meals, cleaning, bathing, medical, visit, emergency

    public var label: String {
        switch self {
        case .meals: return "助餐"
        case .cleaning: return "助洁"
        case .bathing: return "助浴"
        case .medical: return "助医"
        case .visit: return "关爱巡访"
        case .emergency: return "紧急呼叫"
        }
    }
}

/// How often a planned service is given.
public enum CareFrequency: String, Codable, Sendable, CaseIterable {
    case daily, weekly, biweekly, monthly, onCall = "on_call"

    public var label: String {
        switch self {
        case .daily: return "每天"
        case .weekly: return "每周"
        case .biweekly: return "每两周"
        case .monthly: return "每月"
        case .onCall: return "按需"
        }
    }
}

/// Who gives a service.
public enum CareProviderKind: String, Codable, Sendable, CaseIterable {
    case facility, organization, volunteers, worker

    public var label: String {
        switch self {
        case .facility: return "养老服务设施"
        case .organization: return "服务组织"
        case .volunteers: return "志愿者团队"
        case .worker: return "社区工作者"
        }
    }
}

/// 养老服务设施的类型.
public enum CareFacilityKind: String, Codable, Sendable, CaseIterable {
    case homeCareCentre = "home_care_centre"
    case homeCareStation = "home_care_station"
    case dayCare = "day_care"
    case institution

    public var label: String {
        switch self {
        case .homeCareCentre: return "居家养老服务中心"
        case .homeCareStation: return "居家养老服务站"
        case .dayCare: return "日间照料中心"
        case .institution: return "养老机构"
        }
    }

    /// Counted as the community's 居家养老服务场所 for the floor-area standard (an institution is not).
    public var isHomeCareSpace: Bool { self != .institution }
}

public enum CareSetting: String, Codable, Sendable, CaseIterable {
    case urban, rural

    public var label: String { self == .urban ? "城市" : "农村" }

    /// 村 are rural, 社区 urban.
    public static func of(_ kind: CommunityKind?) -> CareSetting { kind == .village ? .rural : .urban }
}

/// The plan's standards for care space and beds.
public enum CareStandards {
    /// 城市社区设立不少于300平方米、乡镇社区设立不少于450平方米的社区居家养老服务场所.
    public static func minimumArea(_ setting: CareSetting) -> Double { setting == .urban ? 300 : 450 }

    /// A community meets the standard when its home-care spaces add up to the minimum.
    public static func meetsArea(total: Double, setting: CareSetting) -> Bool { total >= minimumArea(setting) }

    /// 每千名老人拥有床位数达50张，其中50%为护理型床位.
    public static let bedsPerThousand = 50.0
    public static let nursingShare = 50.0

    public static func bedsPerThousandElders(beds: Int64, elders: Int64) -> Double? {
        elders == 0 ? nil : Double(beds) / Double(elders) * 1000
    }
}

/// 紧急呼叫的状态: received → assigned → responded → closed.
public enum CareCallStatus: String, Codable, Sendable, CaseIterable {
    case received, assigned, responded, closed

    public var label: String {
        switch self {
        case .received: return "已接警"
        case .assigned: return "已派单"
        case .responded: return "已响应"
        case .closed: return "已办结"
        }
    }
}

public enum CareCallAction: String, Codable, Sendable, CaseIterable {
    case assign, respond, close

    /// The state after the action, or nil when the action is not allowed in `status`. A call may be
    /// responded to without being assigned first (the worker on duty goes), and closed once responded to.
    public func next(from status: CareCallStatus) -> CareCallStatus? {
        switch (self, status) {
        case (.assign, .received), (.assign, .assigned): return .assigned
        case (.respond, .received), (.respond, .assigned): return .responded
        case (.close, .responded): return .closed
        default: return nil
        }
    }
}

/// The response-time figures of a set of calls (seconds from receipt to response).
public struct CallResponseFigures: Sendable, Equatable {
    public var calls: Int
    public var responded: Int
    public var totalSeconds: Int64
    /// Responded within the target (`CallResponseFigures.targetSeconds`).
    public var withinTarget: Int

    /// Someone must be with the elder within 30 minutes of the call.
    public static let targetSeconds: Int64 = 30 * 60

    public init(calls: Int = 0, responded: Int = 0, totalSeconds: Int64 = 0, withinTarget: Int = 0) {
        self.calls = calls; self.responded = responded; self.totalSeconds = totalSeconds; self.withinTarget = withinTarget
    }

    /// From (received, responded) pairs in Unix seconds; a response before the receipt counts as zero.
    public static func of(_ calls: [(received: Int64, responded: Int64?)]) -> CallResponseFigures {
        var f = CallResponseFigures(calls: calls.count)
        for c in calls {
            guard let r = c.responded else { continue }
            let s = max(0, r - c.received)
            f.responded += 1
            f.totalSeconds += s
            if s <= targetSeconds { f.withinTarget += 1 }
        }
        return f
    }

    /// Mean minutes to respond, nil when none was responded to.
    public var meanMinutes: Double? { responded == 0 ? nil : Double(totalSeconds) / Double(responded) / 60 }
}
