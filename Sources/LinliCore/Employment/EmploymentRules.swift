/// 就业困难人员 categories: what a designation rests on.
public enum DifficultyCategory: String, Codable, Sendable, CaseIterable {
    /// 大龄: women 40 and over, men 50 and over.
    case older
    /// 残疾人: the registry's 残疾人 tag.
    case disabled
    /// 长期失业: registered unemployed for more than a year.
    case longTerm = "long_term"
    /// 低保家庭成员: a member of a household with an approved 低保 case.
    case dibaoFamily = "dibao_family"
    /// 零就业家庭: every member of working age in the household is registered unemployed.
    case zeroEmployment = "zero_employment"
    /// 其他: the note says why.
    case other

    public var label: String {
        switch self {
        case .older: return "大龄（女40岁、男50岁以上）"
        case .disabled: return "残疾人"
        case .longTerm: return "长期失业（登记满一年）"
        case .dibaoFamily: return "低保家庭成员"
        case .zeroEmployment: return "零就业家庭成员"
        case .other: return "其他"
        }
    }

    public var shortLabel: String {
        switch self {
        case .older: return "大龄"
        case .disabled: return "残疾"
        case .longTerm: return "长期失业"
        case .dibaoFamily: return "低保家庭"
        case .zeroEmployment: return "零就业家庭"
        case .other: return "其他"
        }
    }

    /// `older,disabled` → the categories, unknown names dropped.
    public static func parse(_ stored: String) -> [DifficultyCategory] {
        stored.split(separator: ",").compactMap { DifficultyCategory(rawValue: String($0)) }
    }

    public static func stored(_ categories: [DifficultyCategory]) -> String {
        allCases.filter(categories.contains).map(\.rawValue).joined(separator: ",")
    }
}

/// Why a registration ended (退出登记).
public enum EmploymentExitReason: String, Codable, Sendable, CaseIterable {
    case employed
    case business
    /// Placed in a public-welfare post: set by the placement, never typed.
    case publicWelfare = "public_welfare"
    case leftLabourForce = "left_labour_force"
    case movedAway = "moved_away"

    public var label: String {
        switch self {
        case .employed: return "实现就业"
        case .business: return "自主创业"
        case .publicWelfare: return "公益性岗位安置"
        case .leftLabourForce: return "退出劳动力市场"
        case .movedAway: return "迁出本区"
        }
    }

    /// Counted as leaving to employment by the indicator.
    public var isEmployment: Bool { self == .employed || self == .business || self == .publicWelfare }
    /// What a worker may record by hand.
    public static var typed: [EmploymentExitReason] { allCases.filter { $0 != .publicWelfare } }
}

/// 联系方式
public enum ContactWay: String, Codable, Sendable, CaseIterable {
    case visit, phone, station, message
    public var label: String {
        switch self {
        case .visit: return "入户走访"
        case .phone: return "电话"
        case .station: return "来站服务"
        case .message: return "短信或微信"
        }
    }
}

/// 推荐结果
public enum ReferralResult: String, Codable, Sendable, CaseIterable {
    case pending, hired, rejected, declined
    public var label: String {
        switch self {
        case .pending: return "待反馈"
        case .hired: return "已录用"
        case .rejected: return "未录用"
        case .declined: return "本人放弃"
        }
    }
}

/// What the registry and the other registers say about a person, for the designation rules.
public struct EmploymentFacts: Sendable, Equatable {
    public var birth: CivilDate
    public var sex: Sex
    public var disabledTag: Bool
    public var registeredOn: CivilDate
    public var dibaoHousehold: Bool
    /// Every member of working age of the household is registered unemployed (this person included).
    public var zeroEmploymentHousehold: Bool

    public init(birth: CivilDate, sex: Sex, disabledTag: Bool, registeredOn: CivilDate, dibaoHousehold: Bool, zeroEmploymentHousehold: Bool) {
        self.birth = birth; self.sex = sex; self.disabledTag = disabledTag; self.registeredOn = registeredOn
        self.dibaoHousehold = dibaoHousehold; self.zeroEmploymentHousehold = zeroEmploymentHousehold
    }
}

/// 失业登记 and 就业困难人员认定: pure rules, each returning the fields at fault.
public enum EmploymentRules {
    /// Working age for the register: 16 to 59.
    public static let minimumAge = 16
    public static let maximumAge = 59
    /// 动态管理: a registered person not contacted for this many days is overdue.
    public static let contactDays = 30
    /// The placement term when the district has set none: three years.
    public static let defaultTermMonths = 36
    /// Left to employment "within six months" of registering.
    public static let employedWithinDays = 183

    /// The categories a person's facts support on `today`; `other` always (it rests on its note).
    public static func supported(_ f: EmploymentFacts, today: CivilDate) -> Set<DifficultyCategory> {
        var s: Set<DifficultyCategory> = [.other]
        let age = f.birth.age(on: today)
        if age >= (f.sex == .female ? 40 : 50) { s.insert(.older) }
        if f.disabledTag { s.insert(.disabled) }
        if f.registeredOn.yearsEarlier(-1) < today { s.insert(.longTerm) }
        if f.dibaoHousehold { s.insert(.dibaoFamily) }
        if f.zeroEmploymentHousehold { s.insert(.zeroEmployment) }
        return s
    }

    /// A designation: at least one category, each supported by the facts; `other` needs its note.
    public static func checkDesignation(_ categories: [DifficultyCategory], note: String?, facts: EmploymentFacts, today: CivilDate) -> [FieldError] {
        if categories.isEmpty { return [FieldError("categories", "认定就业困难人员须至少选择一个类别")] }
        let ok = supported(facts, today: today)
        var errors: [FieldError] = []
        for c in DifficultyCategory.allCases where categories.contains(c) && !ok.contains(c) {
            errors.append(FieldError("categories", "“\(c.shortLabel)”与登记信息不符：\(reason(c))"))
        }
        if categories.contains(.other), (note ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            errors.append(FieldError("category_note", "选择“其他”须说明认定理由"))
        }
        return errors
    }

    static func reason(_ c: DifficultyCategory) -> String {
        switch c {
        case .older: return "女性须满40岁、男性须满50岁"
        case .disabled: return "人口登记中没有“残疾人”标记"
        case .longTerm: return "失业登记须满一年"
        case .dibaoFamily: return "所在家庭没有已批准的低保"
        case .zeroEmployment: return "家庭中还有劳动年龄成员未登记失业"
        case .other: return ""
        }
    }

    /// A day that must have happened: given, a date, not after today and not before `notBefore`.
    public static func checkPastDay(_ raw: String?, field: String, label: String, today: CivilDate, notBefore: CivilDate? = nil,
                                    notBeforeLabel: String = "") -> (CivilDate?, [FieldError]) {
        guard let raw = raw?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return (nil, [FieldError(field, "请填写\(label)")]) }
        guard let d = CivilDate(raw) else { return (nil, [FieldError(field, "\(label)应为日期（YYYY-MM-DD）")]) }
        if today < d { return (nil, [FieldError(field, "\(label)不能晚于今天")]) }
        if let notBefore, d < notBefore { return (nil, [FieldError(field, "\(label)不能早于\(notBeforeLabel)（\(notBefore)）")]) }
        return (d, [])
    }

    /// Age for the register on the day of registration.
    public static func checkAge(birth: CivilDate, on day: CivilDate) -> [FieldError] {
        let age = birth.age(on: day)
        if age < minimumAge || age > maximumAge {
            return [FieldError("resident_id", "失业登记限劳动年龄（\(minimumAge)至\(maximumAge)岁）的居民，该居民\(age)岁")]
        }
        return []
    }

    /// Contacted within 30 days (the registration day counts as a contact).
    public static func isOverdue(lastContact: CivilDate, today: CivilDate) -> Bool { lastContact.adding(days: contactDays) < today }

    /// The day before which a last contact makes a registration overdue on `today`.
    public static func overdueBefore(_ today: CivilDate) -> CivilDate { today.adding(days: -contactDays) }
}

/// 公益性岗位: posts and placements.
public enum PublicWelfareRules {
    public static func checkPost(title: String?, employer: String?, hoursPerWeek: Int?, allowance: Int?, places: Int?) -> [FieldError] {
        var e: [FieldError] = []
        if (title ?? "").trimmingCharacters(in: .whitespaces).isEmpty { e.append(FieldError("title", "请填写岗位名称")) }
        if (employer ?? "").trimmingCharacters(in: .whitespaces).isEmpty { e.append(FieldError("employer", "请填写用人单位")) }
        if let h = hoursPerWeek { if h < 1 || h > 44 { e.append(FieldError("hours_per_week", "每周工时应在1至44小时之间")) } } else {
            e.append(FieldError("hours_per_week", "请填写每周工时"))
        }
        if let a = allowance { if a < 0 { e.append(FieldError("monthly_allowance", "岗位补贴不能为负数")) } else if a > 100_000 {
            e.append(FieldError("monthly_allowance", "岗位补贴过大"))
        } } else { e.append(FieldError("monthly_allowance", "请填写每月岗位补贴（元）")) }
        if let p = places { if p < 1 || p > 1000 { e.append(FieldError("places", "岗位数应在1至1000之间")) } } else {
            e.append(FieldError("places", "请填写岗位数"))
        }
        return e
    }

    /// A placement's dates: the start has happened, the end after it and within the term.
    public static func checkTerm(start: CivilDate, end: CivilDate, termMonths: Int) -> [FieldError] {
        if end < start { return [FieldError("end_on", "结束日期不能早于开始日期")] }
        let limit = start.addingMonths(termMonths)
        if limit < end { return [FieldError("end_on", "安置期限不得超过\(termMonths)个月（最晚\(limit)）")] }
        return []
    }

    /// The allowance of a month for a placement running `from`…`to` (inclusive): whole months whole, a part
    /// month by its days, rounded half up to the yuan.
    public static func allowance(monthly: Int, from: CivilDate, to: CivilDate, year: Int, month: Int) -> (days: Int, amount: Int) {
        let first = CivilDate(year: year, month: month, day: 1)!
        let length = CivilDate.daysIn(month: month, year: year)
        let last = CivilDate(year: year, month: month, day: length)!
        let a = max(first, from), b = min(last, to)
        guard !(b < a) else { return (0, 0) }
        let days = b.dayNumber - a.dayNumber + 1
        if days == length { return (days, monthly) }
        return (days, (monthly * days * 2 + length) / (2 * length))
    }
}
