import Foundation

/// 社会救助: eligibility per kind, the amount, the decision time limit and re-check dates. Pure functions;
/// the worked cases are in `AssistanceRulesTests`.

/// 城市 or 农村: a 村's households are rural, a 社区's urban (the standards may differ).
public enum AssistanceArea: String, Codable, Sendable, CaseIterable {
    case urban, rural
    public var label: String { self == .urban ? "城市" : "农村" }
    public init(_ kind: CommunityKind?) { self = kind == .village ? .rural : .urban }
}

/// The year's standards for one area, configured by the district (never hard-coded). Money in whole yuan.
public struct AssistanceStandard: Codable, Sendable, Equatable {
    public var year: Int
    public var area: AssistanceArea
    /// 低保标准 (元/人·月).
    public var dibao: Int
    /// 特困人员基本生活标准 (元/人·月).
    public var tekun: Int
    /// 困难残疾人生活补贴 (元/人·月).
    public var disabilityLiving: Int
    /// 重度残疾人护理补贴 (元/人·月).
    public var disabilityCare: Int
    /// 低保 paid at least this much a month (保底金额).
    public var floor: Int
    /// 临时救助 at most this much a case; the street grants urgent cases first up to it (先行救助).
    public var temporaryCap: Int
    /// 医疗救助: the share of the out-of-pocket cost paid (%).
    public var medicalPercent: Int

    public init(year: Int, area: AssistanceArea, dibao: Int, tekun: Int, disabilityLiving: Int, disabilityCare: Int, floor: Int,
                temporaryCap: Int, medicalPercent: Int) {
        self.year = year; self.area = area; self.dibao = dibao; self.tekun = tekun; self.disabilityLiving = disabilityLiving
        self.disabilityCare = disabilityCare; self.floor = floor; self.temporaryCap = temporaryCap; self.medicalPercent = medicalPercent
    }

    /// Every problem with a standard as configured.
    public func check() -> [FieldError] {
        var e = FieldErrors()
        if !(2000...2100).contains(year) { e.add("year", "年度应在2000至2100之间") }
        for (field, label, value) in [("dibao", "低保标准", dibao), ("tekun", "特困供养标准", tekun), ("disability_living", "困难残疾人生活补贴", disabilityLiving),
                                      ("disability_care", "重度残疾人护理补贴", disabilityCare), ("temporary_cap", "临时救助上限", temporaryCap)]
        where !(1...100_000).contains(value) {
            e.add(field, "\(label)应为1至100000元")
        }
        if floor < 0 || floor > dibao { e.add("floor", "保底金额应在0至低保标准之间") }
        if !(1...100).contains(medicalPercent) { e.add("medical_percent", "医疗救助比例应为1%至100%") }
        if tekun < dibao { e.add("tekun", "特困供养标准不应低于低保标准") }
        return e.errors
    }
}

/// What the rules know besides the declaration.
public struct EligibilityContext: Sendable {
    public var standard: AssistanceStandard
    /// The member the case is for (the applicant); household kinds (低保, 临时救助) are for everyone.
    public var beneficiary: String
    /// The household is on 低保 or 特困 now.
    public var householdAssisted: Bool
    public init(standard: AssistanceStandard, beneficiary: String, householdAssisted: Bool) {
        self.standard = standard; self.beneficiary = beneficiary; self.householdAssisted = householdAssisted
    }
}

public enum AssistanceRules {
    /// 金融资产: at most 24 months of the standard per head (家庭人均金融资产不超过当地24个月低保标准).
    public static let depositMonths = 24
    /// 低保边缘: per-head income under 1.5 times the standard.
    public static let marginalPercent = 150

    /// Checks the declaration adds up: the stated total equals the members' incomes (within a yuan).
    public static func checkSums(_ f: DeclaredFacts) -> [FieldError] {
        var e = FieldErrors()
        if f.members.isEmpty { e.add("members", "请填写家庭成员") }
        for (i, m) in f.members.enumerated() {
            for (j, inc) in m.incomes.enumerated() where inc.amount < 0 || inc.amount > 100_000_000 {
                e.add("members[\(i)].incomes[\(j)].amount", "收入金额应为0至100万元")
            }
            if let g = m.disabilityGrade, !(1...4).contains(g) { e.add("members[\(i)].disability_grade", "残疾等级应为1至4级") }
        }
        if abs(f.statedMonthlyIncome - f.monthlyIncome) > 100 {
            e.add("monthly_income", "家庭月收入合计\(Money.yuan(f.statedMonthlyIncome))元与各成员收入之和\(Money.yuan(f.monthlyIncome))元不一致")
        }
        if f.assets.deposits < 0 || f.assets.vehicles < 0 || f.assets.dwellings < 0 { e.add("assets", "财产不能为负数") }
        return e.errors
    }

    /// Whether the declared household qualifies for the kind; each unmet condition is a message at its field.
    public static func check(_ kind: AssistanceKind, _ f: DeclaredFacts, _ c: EligibilityContext) -> [FieldError] {
        var e = FieldErrors()
        let std = c.standard.dibao * 100
        let members = max(f.members.count, 1)
        let beneficiary = f.members.first { $0.residentId == c.beneficiary }
        let perHead = f.perCapitaIncome
        let marginal = perHead < std * marginalPercent / 100 || c.householdAssisted
        func incomeBelowStandard() {
            if perHead >= std {
                e.add("monthly_income", "家庭月人均收入\(Money.yuan(perHead))元，不低于当地低保标准\(c.standard.dibao)元")
            }
        }
        switch kind {
        case .dibao:
            incomeBelowStandard()
            if f.assets.deposits > std * depositMonths * members {
                e.add("assets.deposits", "家庭人均金融资产超过\(depositMonths)个月低保标准（\(c.standard.dibao * depositMonths)元）")
            }
            if f.assets.vehicles > 0 { e.add("assets.vehicles", "家庭拥有机动车辆（残疾人功能性补偿代步机动车除外）") }
            if f.assets.dwellings > 1 { e.add("assets.dwellings", "家庭拥有两套及以上住房") }
        case .tekun:
            if let b = beneficiary, !b.cannotWork {
                e.add("members.labour_capacity", "特困供养对象应为老年人、未成年人或无劳动能力的残疾人")
            }
            incomeBelowStandard()
            if f.hasAbleSupporter { e.add("has_able_supporter", "有法定赡养、抚养、扶养义务人且其有履行能力") }
        case .temporaryUrgent:
            if (f.emergency ?? "").trimmingCharacters(in: .whitespaces).isEmpty { e.add("emergency", "请说明遭遇的急难情形") }
            checkRequested(f, c, &e)
        case .temporaryExpense:
            if f.expense <= 0 { e.add("expense", "请填写近12个月的刚性支出") }
            // After the rigid expense, what is left per head per month must fall under the standard.
            let left = (f.monthlyIncome * 12 - f.expense) / 12 / members
            if f.expense > 0, left >= std {
                e.add("expense", "扣除刚性支出后家庭月人均收入\(Money.yuan(max(left, 0)))元，不低于低保标准\(c.standard.dibao)元")
            }
            checkRequested(f, c, &e)
        case .medical:
            if f.expense <= 0 { e.add("expense", "请填写医保报销后的个人自付医疗费用") }
            if !marginal { e.add("monthly_income", "医疗救助对象应为低保、特困或低保边缘家庭成员") }
        case .disabilityLiving:
            if beneficiary?.disabilityGrade == nil { e.add("members.disability_grade", "困难残疾人生活补贴对象应持有残疾人证") }
            if !marginal { e.add("monthly_income", "困难残疾人生活补贴对象应为低保或低保边缘家庭成员") }
        case .disabilityCare:
            if beneficiary?.severelyDisabled != true { e.add("members.disability_grade", "重度残疾人护理补贴对象应为一、二级残疾人") }
        }
        if beneficiary == nil { e.add("applicant_id", "申请人不是所填家庭成员") }
        return e.errors
    }

    static func checkRequested(_ f: DeclaredFacts, _ c: EligibilityContext, _ e: inout FieldErrors) {
        if f.requested <= 0 { e.add("requested", "请填写申请救助金额") }
        if f.requested > c.standard.temporaryCap * 100 { e.add("requested", "申请金额超过临时救助上限\(c.standard.temporaryCap)元") }
    }

    /// The amount proposed, in whole yuan (a month for monthly kinds, once for the others).
    /// 低保 is the gap (补差): standard × members − the household's monthly income, with a floor.
    public static func amount(_ kind: AssistanceKind, _ f: DeclaredFacts, _ s: AssistanceStandard) -> Int {
        switch kind {
        case .dibao:
            let gap = s.dibao * 100 * f.members.count - f.monthlyIncome
            guard gap > 0 else { return 0 }
            return max(s.floor, (gap + 50) / 100)
        case .tekun: return s.tekun
        case .disabilityLiving: return s.disabilityLiving
        case .disabilityCare: return s.disabilityCare
        case .temporaryUrgent, .temporaryExpense: return (min(f.requested, s.temporaryCap * 100) + 50) / 100
        case .medical: return (f.expense * s.medicalPercent / 100 + 50) / 100
        }
    }
}

/// The time limits of a case.
public enum AssistanceSchedule {
    /// 自受理之日起30个工作日内作出决定 (configurable).
    public static let defaultDecisionDays = 30

    /// `days` working days after `date`, Saturdays and Sundays skipped (public holidays are not known to the platform).
    public static func addingWorkingDays(_ days: Int, to date: CivilDate) -> CivilDate {
        var d = date
        var left = days
        while left > 0 {
            d = d.adding(days: 1)
            if !isWeekend(d) { left -= 1 }
        }
        return d
    }

    public static func isWeekend(_ d: CivilDate) -> Bool {
        let weekday = ((d.dayNumber + 3) % 7 + 7) % 7 // 0 = Monday; 1970-01-01 was a Thursday
        return weekday >= 5
    }

    /// The same day `months` later (the last day of a shorter month).
    public static func addingMonths(_ months: Int, to d: CivilDate) -> CivilDate {
        let total = d.year * 12 + (d.month - 1) + months
        let y = total / 12, m = total % 12 + 1
        return CivilDate(year: y, month: m, day: min(d.day, CivilDate.daysIn(month: m, year: y)))!
    }

    /// Months to the next re-check (动态管理): 特困 and stable 低保 households (everyone 60+, severely disabled or
    /// unable to work) and the disability subsidies yearly; other 低保 households every six months.
    /// One-off kinds have none.
    public static func recheckMonths(_ kind: AssistanceKind, stable: Bool, stableMonths: Int = 12, otherMonths: Int = 6) -> Int? {
        switch kind {
        case .tekun, .disabilityLiving, .disabilityCare: return stableMonths
        case .dibao: return stable ? stableMonths : otherMonths
        case .temporaryUrgent, .temporaryExpense, .medical: return nil
        }
    }

    /// Monthly kinds are paid from the month after approval: `2026-11-20` → `2026-12`.
    public static func firstPaidMonth(approvedOn d: CivilDate) -> String {
        let n = addingMonths(1, to: CivilDate(year: d.year, month: d.month, day: 1)!)
        return String(format: "%04d-%02d", n.year, n.month)
    }
}

/// 公示: what the community's notice shows — the name with the given name masked, the household size, the
/// kind, the amount and the dates; never the ID number, the address or any income.
public enum AssistanceNotice {
    public static func maskedName(_ name: String) -> String { Masking.name(name) }
}
