import Foundation

/// 需求评估: the areas of need an assessment records (the plan: 康复训练、辅助器具 … 生活补贴).
public enum DisabilityNeed: String, Codable, Sendable, CaseIterable {
    case rehabTraining = "rehab_training", assistiveDevice = "assistive_device", care, employment, education, livingSubsidy = "living_subsidy",
         accessibility, other

    public var label: String {
        switch self {
        case .rehabTraining: return "康复训练"
        case .assistiveDevice: return "辅助器具"
        case .care: return "护理照料"
        case .employment: return "就业"
        case .education: return "教育"
        case .livingSubsidy: return "生活补贴"
        case .accessibility: return "无障碍改造"
        case .other: return "其他"
        }
    }
}

/// 评估结论
public enum AssessmentResult: String, Codable, Sendable, CaseIterable {
    case services, referred, noNeed = "no_need"

    public var label: String {
        switch self {
        case .services: return "纳入康复服务"
        case .referred: return "转介相关部门"
        case .noNeed: return "暂无服务需求"
        }
    }
}

/// 机构康复、社区康复、家庭康复 ("相互依托").
public enum RehabSetting: String, Codable, Sendable, CaseIterable {
    case institution, community, home

    public var label: String {
        switch self {
        case .institution: return "机构康复"
        case .community: return "社区康复"
        case .home: return "家庭康复"
        }
    }
}

/// 辅助器具 funding.
public enum DeviceSource: String, Codable, Sendable, CaseIterable {
    case government, donation, selfPaid = "self_paid", mixed

    public var label: String {
        switch self {
        case .government: return "政府补贴（残联适配）"
        case .donation: return "社会捐赠"
        case .selfPaid: return "个人自费"
        case .mixed: return "补贴加自付"
        }
    }
}

public struct AssessmentInput: Sendable, Equatable {
    public var assessedOn: String?
    public var assessor: String?
    public var needs: [DisabilityNeed]
    public var result: AssessmentResult?
    public var note: String?
    public init(assessedOn: String?, assessor: String?, needs: [DisabilityNeed], result: AssessmentResult?, note: String?) {
        self.assessedOn = assessedOn; self.assessor = assessor; self.needs = needs; self.result = result; self.note = note
    }
}

public struct RehabServiceInput: Sendable, Equatable {
    public var setting: RehabSetting?
    public var provider: String?
    public var startedOn: String?
    public var endedOn: String?
    public var sessions: Int?
    public var hours: Int?
    public var outcome: String?
    public init(setting: RehabSetting?, provider: String?, startedOn: String?, endedOn: String?, sessions: Int?, hours: Int?, outcome: String?) {
        self.setting = setting; self.provider = provider; self.startedOn = startedOn; self.endedOn = endedOn
        self.sessions = sessions; self.hours = hours; self.outcome = outcome
    }
}

public struct DeviceInput: Sendable, Equatable {
    public var device: String?
    public var issuedOn: String?
    public var source: DeviceSource?
    public init(device: String?, issuedOn: String?, source: DeviceSource?) { self.device = device; self.issuedOn = issuedOn; self.source = source }
}

extension DisabilityRules {
    public static func text(_ v: String?, field: String, label: String, max: Int, required: Bool, _ e: inout FieldErrors) {
        let t = v?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if t.isEmpty { if required { e.add(field, "请填写\(label)") }; return }
        if t.count > max { e.add(field, "\(label)最多\(max)个字") }
    }

    /// An assessment: its date (not before the card was registered … nor in the future), the assessor, at least
    /// one need unless the result is that there is none, a result.
    public static func check(_ a: AssessmentInput, today: CivilDate) -> [FieldError] {
        var e = FieldErrors()
        pastDate(a.assessedOn, field: "assessed_on", label: "评估日期", today: today, required: true, &e)
        text(a.assessor, field: "assessor", label: "评估人", max: 40, required: true, &e)
        if a.result == nil { e.add("result", "请选择评估结论") }
        if a.needs.isEmpty && a.result != .noNeed { e.add("needs", "请至少选择一项需求，或选择“暂无服务需求”") }
        text(a.note, field: "note", label: "评估说明", max: 500, required: false, &e)
        return e.errors
    }

    /// A service: a setting and a provider, a start not in the future, an end (if any) not before the start,
    /// sessions or hours (whole numbers from 0 to 10,000).
    public static func check(_ s: RehabServiceInput, today: CivilDate) -> [FieldError] {
        var e = FieldErrors()
        if s.setting == nil { e.add("setting", "请选择康复形式（机构康复、社区康复或家庭康复）") }
        text(s.provider, field: "provider", label: "服务机构或人员", max: 60, required: true, &e)
        let start = pastDate(s.startedOn, field: "started_on", label: "开始日期", today: today, required: true, &e)
        if let raw = s.endedOn, !raw.isEmpty {
            if let end = CivilDate(raw) {
                if let start, end < start { e.add("ended_on", "结束日期不能早于开始日期") }
            } else { e.add("ended_on", "结束日期应为日期（YYYY-MM-DD）") }
        }
        for (field, label, v) in [("sessions", "服务次数", s.sessions), ("hours", "服务时长", s.hours)] {
            if let v, !(0...10_000).contains(v) { e.add(field, "\(label)应为0至10000之间的整数") }
        }
        if s.sessions == nil && s.hours == nil { e.add("sessions", "请填写服务次数或服务时长") }
        text(s.outcome, field: "outcome", label: "康复效果", max: 200, required: false, &e)
        return e.errors
    }

    public static func check(_ d: DeviceInput, today: CivilDate) -> [FieldError] {
        var e = FieldErrors()
        text(d.device, field: "device", label: "辅助器具名称", max: 40, required: true, &e)
        pastDate(d.issuedOn, field: "issued_on", label: "发放日期", today: today, required: true, &e)
        if d.source == nil { e.add("source", "请选择资金来源") }
        return e.errors
    }
}

/// The two subsidies of 社会救助 a card holder may be eligible for (the rules of `AssistanceRules`: 重度残疾人护理补贴
/// for 一、二级; 困难残疾人生活补贴 for a holder in a 低保 household).
public enum DisabilitySubsidy {
    public static func eligible(grade: DisabilityGrade, inDibaoHousehold: Bool) -> [AssistanceKind] {
        var kinds: [AssistanceKind] = []
        if inDibaoHousehold { kinds.append(.disabilityLiving) }
        if grade.isSevere { kinds.append(.disabilityCare) }
        return kinds
    }
}
