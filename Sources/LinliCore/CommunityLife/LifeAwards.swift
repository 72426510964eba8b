/// Awards and appraisals (评选): the plan's "开展文明家庭创建活动" and "学习型社区、学习型家庭、学习型个人评选活动". A
/// street or the district runs a campaign per year and kind; workers nominate households, residents or
/// communities with the reason; the nominations are published (公示) for at least `noticeDays` days, during which
/// anyone may object; after the notice the street or district records the result.

/// What is appraised, and who can be nominated for it.
public enum AwardKind: String, Codable, Sendable, CaseIterable {
    case civilizedFamily = "civilized_family"
    case learningFamily = "learning_family"
    case learningCommunity = "learning_community"
    case learningPerson = "learning_person"

    public var label: String {
        switch self {
        case .civilizedFamily: return "文明家庭"
        case .learningFamily: return "学习型家庭"
        case .learningCommunity: return "学习型社区"
        case .learningPerson: return "学习型个人"
        }
    }

    public var nominee: AwardNominee {
        switch self {
        case .civilizedFamily, .learningFamily: return .household
        case .learningCommunity: return .community
        case .learningPerson: return .resident
        }
    }
}

public enum AwardNominee: String, Codable, Sendable, CaseIterable {
    case household
    case community
    case resident
}

/// A campaign's stage: nominations open, in its public notice (公示), decided.
public enum AwardStage: String, Codable, Sendable, CaseIterable {
    case nominating
    case notice
    case decided

    public var label: String {
        switch self {
        case .nominating: return "推荐中"
        case .notice: return "公示中"
        case .decided: return "已评定"
        }
    }
}

public enum AwardResult: String, Codable, Sendable, CaseIterable {
    case pending
    case awarded
    case notAwarded = "not_awarded"

    public var label: String {
        switch self {
        case .pending: return "待评定"
        case .awarded: return "评为"
        case .notAwarded: return "未评上"
        }
    }
}

public enum AwardRules {
    /// The shortest public notice, in days (first and last day included). The plan names no period; five days
    /// is what the district's appraisals use, configured here.
    public static let noticeDays = 5

    public static func checkYear(_ year: Int?) -> FieldError? {
        guard let year else { return FieldError("year", "请填写评选年度") }
        return (2000...2100).contains(year) ? nil : FieldError("year", "评选年度应在2000到2100之间")
    }

    /// A notice period from today or later, at least `noticeDays` days long.
    public static func checkNotice(from: CivilDate?, to: CivilDate?, today: CivilDate) -> [FieldError] {
        guard let from else { return [FieldError("notice_from", "请填写公示开始日期")] }
        guard let to else { return [FieldError("notice_to", "请填写公示结束日期")] }
        if from < today { return [FieldError("notice_from", "公示开始日期不能早于今天")] }
        if to.dayNumber - from.dayNumber + 1 < noticeDays { return [FieldError("notice_to", "公示期不少于\(noticeDays)天")] }
        if to.dayNumber - from.dayNumber > 60 { return [FieldError("notice_to", "公示期不超过60天")] }
        return []
    }

    public static func mayNominate(_ stage: AwardStage) -> String? {
        stage == .nominating ? nil : "评选已\(stage.label)，不能再推荐"
    }

    /// Objections are taken during the notice, first and last day included.
    public static func mayObject(_ stage: AwardStage, from: CivilDate?, to: CivilDate?, today: CivilDate) -> Bool {
        guard stage == .notice, let from, let to else { return false }
        return from <= today && today <= to
    }

    /// The result is recorded once the notice is over.
    public static func mayDecide(_ stage: AwardStage, to: CivilDate?, today: CivilDate) -> String? {
        guard stage == .notice, let to else { return "评选还没有公示，不能评定" }
        return today > to ? nil : "公示期（至\(to)）结束后才能评定"
    }

    public static func checkReason(_ reason: String?) -> FieldError? {
        let text = reason?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if text.isEmpty { return FieldError("reason", "请填写推荐理由") }
        return text.count > 500 ? FieldError("reason", "推荐理由不超过500字") : nil
    }
}
