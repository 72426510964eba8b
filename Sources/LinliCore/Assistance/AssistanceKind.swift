/// 社会救助: the kinds of assistance and the steps each goes through. Nothing here touches a database.

/// The kinds of assistance the plan names (最低生活保障制度…实行分类救助、精准救助), each with its own steps.
public enum AssistanceKind: String, Codable, Sendable, CaseIterable {
    /// 最低生活保障: a monthly top-up to the local standard (补差).
    case dibao
    /// 特困人员救助供养: monthly support for people with no labour capacity, income or supporter able to help.
    case tekun
    /// 临时救助·急难型: a sudden emergency (fire, accident, grave illness); the street may grant first.
    case temporaryUrgent = "temporary_urgent"
    /// 临时救助·支出型: a rigid expense (medical, schooling) beyond what the household can bear.
    case temporaryExpense = "temporary_expense"
    /// 医疗救助: the part of medical costs left after insurance.
    case medical
    /// 困难残疾人生活补贴.
    case disabilityLiving = "disability_living"
    /// 重度残疾人护理补贴.
    case disabilityCare = "disability_care"

    public var label: String {
        switch self {
        case .dibao: return "最低生活保障"
        case .tekun: return "特困人员救助供养"
        case .temporaryUrgent: return "临时救助（急难型）"
        case .temporaryExpense: return "临时救助（支出型）"
        case .medical: return "医疗救助"
        case .disabilityLiving: return "困难残疾人生活补贴"
        case .disabilityCare: return "重度残疾人护理补贴"
        }
    }

    public var shortLabel: String {
        switch self {
        case .dibao: return "低保"
        case .tekun: return "特困"
        case .temporaryUrgent: return "临时救助·急难"
        case .temporaryExpense: return "临时救助·支出"
        case .medical: return "医疗救助"
        case .disabilityLiving: return "残疾人生活补贴"
        case .disabilityCare: return "残疾人护理补贴"
        }
    }

    /// Paid every month until a re-check ends it; the others are paid once.
    public var isMonthly: Bool { [.dibao, .tekun, .disabilityLiving, .disabilityCare].contains(self) }

    /// The steps after 受理, in order. An optional step may be skipped.
    public var steps: [AssistanceStage] {
        switch self {
        case .dibao, .tekun: return [.checked, .investigated, .deliberated, .reviewed, .noticed, .approved]
        case .temporaryExpense: return [.checked, .investigated, .reviewed, .approved]
        case .temporaryUrgent: return [.investigated, .reviewed, .approved]
        case .medical: return [.checked, .reviewed, .approved]
        case .disabilityLiving: return [.checked, .reviewed, .noticed, .approved]
        case .disabilityCare: return [.investigated, .reviewed, .approved]
        }
    }

    /// Who decides by default; the district may delegate a kind to the streets (configured, audited).
    public var defaultApprovalLevel: ApprovalLevel {
        switch self {
        case .dibao, .tekun, .disabilityLiving, .disabilityCare: return .district
        case .temporaryUrgent, .temporaryExpense, .medical: return .street
        }
    }
}

/// 审批权限: who decides a kind's cases.
public enum ApprovalLevel: String, Codable, Sendable, CaseIterable {
    case district, street
    public var label: String { self == .district ? "区民政局审批" : "街道（镇）审批（委托）" }
}

/// Where a case stands: the last step done.
public enum AssistanceStage: String, Codable, Sendable, CaseIterable {
    /// 已受理
    case accepted
    /// 家庭经济状况核对 done (the result recorded with its source and date).
    case checked
    /// 入户调查 done (two workers, findings, date).
    case investigated
    /// 民主评议 held (optional).
    case deliberated
    /// 街道审核 done (the street's opinion).
    case reviewed
    /// 公示中: on the community's notice for at least 7 days.
    case noticed
    /// 已批准: paid from the next month (monthly kinds) or once.
    case approved
    /// 不予批准 (with the reason told to the applicant).
    case refused
    /// 已终止: ended by a re-check, with a reason.
    case ended

    public var label: String {
        switch self {
        case .accepted: return "已受理"
        case .checked: return "已核对经济状况"
        case .investigated: return "已入户调查"
        case .deliberated: return "已民主评议"
        case .reviewed: return "街道已审核"
        case .noticed: return "公示中"
        case .approved: return "已批准"
        case .refused: return "不予批准"
        case .ended: return "已终止"
        }
    }

    /// Not yet decided: counts against the decision time limit.
    public var isPending: Bool { ![.approved, .refused, .ended].contains(self) }
    /// Open: pending or being paid. One open case per kind and household.
    public var isOpen: Bool { self != .refused && self != .ended }
}

/// What a worker does to a case. Each is allowed from some stages only, per kind (`AssistanceWorkflow`).
public enum AssistanceAction: String, Codable, Sendable, CaseIterable {
    /// 受理: the first step, taken by making the application.
    case accept
    /// 家庭经济状况核对
    case check
    /// 入户调查
    case investigate
    /// 民主评议
    case deliberate
    /// 街道审核
    case review
    /// 公示 (start the notice)
    case publish
    /// 审批/确认
    case approve
    /// 不予批准
    case refuse
    /// 公示异议成立: back to 入户调查.
    case reinvestigate
    /// 先行救助: the street grants an urgent case first, documented afterwards.
    case grantFirst = "grant_first"
    /// 事后补充: the documents of a case granted first.
    case supplement
    /// A note without a change of stage.
    case comment

    public var label: String {
        switch self {
        case .accept: return "受理"
        case .check: return "家庭经济状况核对"
        case .investigate: return "入户调查"
        case .deliberate: return "民主评议"
        case .review: return "街道审核"
        case .publish: return "公示"
        case .approve: return "审批"
        case .refuse: return "不予批准"
        case .reinvestigate: return "异议成立，重新入户调查"
        case .grantFirst: return "先行救助"
        case .supplement: return "事后补充材料"
        case .comment: return "备注"
        }
    }

    /// The stage the action records.
    var stage: AssistanceStage? {
        switch self {
        case .check: return .checked
        case .investigate: return .investigated
        case .deliberate: return .deliberated
        case .review: return .reviewed
        case .publish: return .noticed
        case .approve: return .approved
        default: return nil
        }
    }

    /// Who takes it: the community (write), the street (review) or whoever approves the kind.
    public enum Actor: Sendable { case community, street, approver }

    public var actor: Actor {
        switch self {
        case .accept, .check, .investigate, .deliberate, .supplement, .comment: return .community
        case .review, .publish, .reinvestigate, .grantFirst: return .street
        case .approve, .refuse: return .approver
        }
    }

    public var needsNote: Bool { [.refuse, .reinvestigate, .review, .deliberate].contains(self) }
}

/// The workflow as a table built from each kind's steps: from a stage, an action leads to a stage or is not allowed.
public enum AssistanceWorkflow {
    public static func next(kind: AssistanceKind, from stage: AssistanceStage, by action: AssistanceAction, grantedFirst: Bool = false) -> AssistanceStage? {
        switch action {
        case .accept: return nil
        case .comment: return stage
        case .refuse: return stage.isPending ? .refused : nil
        case .reinvestigate:
            // An objection upheld during the notice sends the case back to 入户调查: the step before it stands.
            guard stage == .noticed else { return nil }
            let steps = kind.steps
            guard let i = steps.firstIndex(of: .investigated) else { return nil }
            return i == 0 ? .accepted : steps[i - 1]
        case .grantFirst: return kind == .temporaryUrgent && stage == .accepted ? .approved : nil
        case .supplement: return grantedFirst && stage == .approved ? .approved : nil
        default:
            guard let target = action.stage, stage.isPending else { return nil }
            let steps = kind.steps
            guard let to = steps.firstIndex(of: target) else { return nil }
            // The steps between the current stage and the target must all be optional.
            let from = stage == .accepted ? -1 : (steps.firstIndex(of: stage) ?? Int.max)
            guard to > from else { return nil }
            let skipped = steps[(from + 1)..<to]
            return skipped.allSatisfy { $0 == .deliberated } ? target : nil
        }
    }

    /// The actions allowed now, in the order a page shows them.
    public static func actions(kind: AssistanceKind, from stage: AssistanceStage, grantedFirst: Bool = false) -> [AssistanceAction] {
        AssistanceAction.allCases.filter { $0 != .comment && next(kind: kind, from: stage, by: $0, grantedFirst: grantedFirst) != nil }
    }

    /// The notice lasts at least this many days (公示期不少于7天).
    public static let minimumNoticeDays = 7
}
