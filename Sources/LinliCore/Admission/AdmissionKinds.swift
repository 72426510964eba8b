import Foundation

/// What a department asks to push into communities. 检查考核 and 牌子增挂 are kinds of their own so that
/// their number per community can be watched ("精简条线的检查考核和牌子增挂").
public enum AdmissionTaskKind: String, Codable, Sendable, CaseIterable {
    case service, data, check, plaque, other

    public var label: String {
        switch self {
        case .service: return "服务事项"
        case .data: return "数据报表"
        case .check: return "检查考核"
        case .plaque: return "牌子增挂"
        case .other: return "其他事项"
        }
    }

    public static func parse(_ raw: String?) -> AdmissionTaskKind? {
        guard let raw = raw?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
        return AdmissionTaskKind(rawValue: raw) ?? allCases.first { $0.label == raw }
    }
}

/// How often the communities must do it.
public enum AdmissionFrequency: String, Codable, Sendable, CaseIterable {
    case once, monthly, quarterly, halfYearly = "half_yearly", yearly, asNeeded = "as_needed"

    public var label: String {
        switch self {
        case .once: return "一次性"
        case .monthly: return "每月"
        case .quarterly: return "每季度"
        case .halfYearly: return "每半年"
        case .yearly: return "每年"
        case .asNeeded: return "按需"
        }
    }

    public static func parse(_ raw: String?) -> AdmissionFrequency? {
        guard let raw = raw?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
        return AdmissionFrequency(rawValue: raw) ?? allCases.first { $0.label == raw }
    }
}

/// Which communities a task applies to: the whole district, one street's, or a list.
public enum AdmissionReach: String, Codable, Sendable, CaseIterable {
    case district, street, list

    public var label: String {
        switch self {
        case .district: return "全区村/社区"
        case .street: return "一个镇（街道）的村/社区"
        case .list: return "指定村/社区"
        }
    }
}

/// A task's way through the review: the department drafts and submits; civil affairs (民政) does the 初审;
/// the leading group (领导小组) the 审定. Either step may send it back for the department to amend and resubmit.
public enum AdmissionStatus: String, Codable, Sendable, CaseIterable {
    case draft, submitted, reviewed, returned, admitted, refused

    public var label: String {
        switch self {
        case .draft: return "草稿"
        case .submitted: return "待初审"
        case .reviewed: return "待审定"
        case .returned: return "退回修改"
        case .admitted: return "已准入"
        case .refused: return "不予准入"
        }
    }
}

/// What may be done to a task.
public enum AdmissionAction: String, Codable, Sendable, CaseIterable {
    /// The department edits its draft or a returned task.
    case edit
    case submit
    /// 初审 (民政): passes it on to the 审定.
    case pass
    /// 审定 (领导小组): on the 准入清单.
    case admit
    /// Either step: not admitted (a reason is required).
    case refuse
    /// Either step: back to the department (退回修改).
    case sendBack = "send_back"

    public var label: String {
        switch self {
        case .edit: return "修改"
        case .submit: return "提交申请"
        case .pass: return "初审通过"
        case .admit: return "审定准入"
        case .refuse: return "不予准入"
        case .sendBack: return "退回修改"
        }
    }
}

/// Who takes an action: the applying department, civil affairs' 初审, the leading group's 审定.
public enum AdmissionStep: String, Codable, Sendable {
    case apply, review, decide

    public var label: String {
        switch self {
        case .apply: return "部门申请"
        case .review: return "民政初审"
        case .decide: return "领导小组审定"
        }
    }
}

/// The review as a table: for each status, the actions allowed, the step that takes them and the status after.
public enum AdmissionWorkflow {
    public struct Move: Sendable, Equatable {
        public let step: AdmissionStep
        public let to: AdmissionStatus

        public init(step: AdmissionStep, to: AdmissionStatus) {
            self.step = step
            self.to = to
        }
    }

    public static let table: [AdmissionStatus: [AdmissionAction: Move]] = [
        .draft: [.edit: Move(step: .apply, to: .draft), .submit: Move(step: .apply, to: .submitted)],
        .returned: [.edit: Move(step: .apply, to: .returned), .submit: Move(step: .apply, to: .submitted)],
        .submitted: [.pass: Move(step: .review, to: .reviewed), .refuse: Move(step: .review, to: .refused), .sendBack: Move(step: .review, to: .returned)],
        .reviewed: [.admit: Move(step: .decide, to: .admitted), .refuse: Move(step: .decide, to: .refused), .sendBack: Move(step: .decide, to: .returned)],
        .admitted: [:],
        .refused: [:],
    ]

    public static func move(_ action: AdmissionAction, from status: AdmissionStatus) -> Move? { table[status]?[action] }

    /// The actions open to `step` on a task in `status`.
    public static func actions(for step: AdmissionStep, in status: AdmissionStatus) -> [AdmissionAction] {
        AdmissionAction.allCases.filter { table[status]?[$0]?.step == step }
    }
}

/// How an unadmitted task reached the community (拒绝未准入事项).
public enum AdmissionChannel: String, Codable, Sendable, CaseIterable {
    case phone, document, spreadsheet, chat, visit, other

    public var label: String {
        switch self {
        case .phone: return "电话"
        case .document: return "发文"
        case .spreadsheet: return "表格（电子表格）"
        case .chat: return "工作群/微信"
        case .visit: return "上门布置"
        case .other: return "其他"
        }
    }

    public static func parse(_ raw: String?) -> AdmissionChannel? {
        guard let raw = raw?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
        return AdmissionChannel(rawValue: raw) ?? allCases.first { $0.label == raw }
    }
}

/// Departments the admission review adds beside those the requests capability ships with (codes never change).
public enum AdmissionDepartments {
    public static let added: [DepartmentDefinition] = [
        .init(code: "WJ", name: "区卫生健康委员会"),
        .init(code: "TY", name: "区退役军人事务局"),
        .init(code: "CL", name: "区残疾人联合会"),
        .init(code: "RS", name: "区人力资源和社会保障局"),
        .init(code: "TJ", name: "区统计局"),
        .init(code: "WM", name: "区文明办"),
    ]
}
