/// 志愿者: the fixed lists (skills, service areas, team kinds) and the states of a registration. Nothing here
/// touches a database.

/// What a volunteer can do (the fixed list; anything else goes in the free text beside it).
public enum VolunteerSkill: String, Codable, Sendable, CaseIterable {
    case medical, counselling, legal, tutoring, culture, eldercare, environment, patrol, emergency, it, repair, language

    public var label: String {
        switch self {
        case .medical: return "医疗护理"
        case .counselling: return "心理疏导"
        case .legal: return "法律咨询"
        case .tutoring: return "教育辅导"
        case .culture: return "文体活动"
        case .eldercare: return "助老助残"
        case .environment: return "环境保护"
        case .patrol: return "治安巡逻"
        case .emergency: return "应急救援"
        case .it: return "信息技术"
        case .repair: return "家电维修"
        case .language: return "外语翻译"
        }
    }
}

/// Where a volunteer serves (服务类别).
public enum VolunteerServiceArea: String, Codable, Sendable, CaseIterable {
    case elderly, children, disabled, governance, environment, culture, safety, convenience

    public var label: String {
        switch self {
        case .elderly: return "扶老助老"
        case .children: return "关爱儿童"
        case .disabled: return "助残帮困"
        case .governance: return "社区治理"
        case .environment: return "环境保护"
        case .culture: return "文化体育"
        case .safety: return "平安建设"
        case .convenience: return "便民服务"
        }
    }
}

/// When a volunteer can serve.
public enum VolunteerAvailability: String, Codable, Sendable, CaseIterable {
    case weekdayDay = "weekday_day", weekdayEvening = "weekday_evening", weekend, anytime

    public var label: String {
        switch self {
        case .weekdayDay: return "工作日白天"
        case .weekdayEvening: return "工作日晚上"
        case .weekend: return "周末"
        case .anytime: return "随时"
        }
    }
}

/// How a team is formed.
public enum VolunteerTeamKind: String, Codable, Sendable, CaseIterable {
    case community, organization, skill

    public var label: String {
        switch self {
        case .community: return "社区志愿服务队"
        case .organization: return "社会组织志愿服务队"
        case .skill: return "专业技能志愿服务队"
        }
    }
}

/// 注册和签约: 申请 → 已确认 → 已签约; 退出 from any of them; 重新申请 from 退出 back to 申请.
public enum VolunteerState: String, Codable, Sendable, CaseIterable {
    case applied, confirmed, signed, withdrawn

    public var label: String {
        switch self {
        case .applied: return "申请"
        case .confirmed: return "已确认"
        case .signed: return "已签约"
        case .withdrawn: return "退出"
        }
    }

    /// A volunteer who may sign up for activities and earn hours.
    public var serves: Bool { self == .signed }
}

/// The steps of a registration, as a table: which state each starts from and where it leads.
public enum VolunteerStep: String, Codable, Sendable, CaseIterable {
    case confirm, sign, withdraw
    /// Back after withdrawing: the same registration (one per person) applies again, to be confirmed and signed anew.
    case rejoin

    public var label: String {
        switch self {
        case .confirm: return "社区确认"
        case .sign: return "签订服务协议"
        case .withdraw: return "退出"
        case .rejoin: return "重新申请"
        }
    }

    public static let table: [VolunteerStep: (from: Set<VolunteerState>, to: VolunteerState)] = [
        .confirm: ([.applied], .confirmed),
        .sign: ([.confirmed], .signed),
        .withdraw: ([.applied, .confirmed, .signed], .withdrawn),
        .rejoin: ([.withdrawn], .applied),
    ]

    /// The state after this step from `state`, or nil when the step is not allowed there.
    public func next(from state: VolunteerState) -> VolunteerState? {
        guard let row = Self.table[self], row.from.contains(state) else { return nil }
        return row.to
    }
}

/// How the volunteer's side of the agreement was signed.
public enum VolunteerSignature: String, Codable, Sendable, CaseIterable {
    /// The resident signed on the portal, signed in and linked.
    case portal
    /// The worker recorded a paper agreement signed at the community.
    case paper

    public var label: String { self == .portal ? "网上签署" : "纸质签署" }
}

/// 志愿服务星级: by verified hours.
public enum VolunteerStar: Int, Codable, Sendable, CaseIterable, Comparable {
    case one = 1, two, three, four, five

    /// Hours at which each star is reached (inclusive).
    public var hours: Int {
        switch self {
        case .one: return 100
        case .two: return 300
        case .three: return 600
        case .four: return 1000
        case .five: return 1500
        }
    }

    public var label: String { ["一星", "二星", "三星", "四星", "五星"][rawValue - 1] + "志愿者" }

    /// The star of `minutes` of verified service, nil under 100 hours.
    public static func of(minutes: Int) -> VolunteerStar? {
        allCases.last { minutes >= $0.hours * 60 }
    }

    public static func < (a: VolunteerStar, b: VolunteerStar) -> Bool { a.rawValue < b.rawValue }
}
