/// 社会组织: the kinds the civil-affairs register knows, the fields they serve, and the status table.

/// How an organization is on the books: 登记 (registered with civil affairs, with a 统一社会信用代码) or
/// 备案 (a community-based organization filed with its street, without a code).
public enum OrganizationRegistration: String, Codable, Sendable, CaseIterable {
    case registered
    case filed

    public var label: String { self == .registered ? "登记" : "备案" }
}

/// 社会团体, 民办非企业单位（社会服务机构）, 基金会 are registered; 社区社会组织 are filed.
public enum OrganizationKind: String, Codable, Sendable, CaseIterable {
    case socialGroup = "social_group"
    case socialService = "social_service"
    case foundation
    case community

    public var label: String {
        switch self {
        case .socialGroup: return "社会团体"
        case .socialService: return "民办非企业单位（社会服务机构）"
        case .foundation: return "基金会"
        case .community: return "社区社会组织"
        }
    }

    public var registration: OrganizationRegistration { self == .community ? .filed : .registered }

    /// The 机构类别 character (2nd) of a 民政 code for this kind: 51 社会团体, 52 民办非企业单位, 53 基金会.
    public var creditCodePrefix: String? {
        switch self {
        case .socialGroup: return "51"
        case .socialService: return "52"
        case .foundation: return "53"
        case .community: return nil
        }
    }
}

/// The field of service, as the plan lists the services communities need.
public enum OrganizationField: String, Codable, Sendable, CaseIterable {
    case elderly
    case children
    case disability
    case culture
    case education
    case health
    case charity
    case environment
    case mediation
    case volunteer
    case other

    public var label: String {
        switch self {
        case .elderly: return "为老服务"
        case .children: return "青少年儿童"
        case .disability: return "助残服务"
        case .culture: return "文体娱乐"
        case .education: return "教育培训"
        case .health: return "医疗卫生"
        case .charity: return "慈善救助"
        case .environment: return "环境保护"
        case .mediation: return "矛盾调解与平安建设"
        case .volunteer: return "志愿服务"
        case .other: return "其他"
        }
    }
}

/// 正常活动, 休眠 (no activity, kept on the books), 已注销 (final).
public enum OrganizationStatus: String, Codable, Sendable, CaseIterable {
    case active
    case dormant
    case deregistered

    public var label: String {
        switch self {
        case .active: return "正常活动"
        case .dormant: return "休眠"
        case .deregistered: return "已注销"
        }
    }

    /// Counted among the district's social organizations (the plan's 450): not deregistered.
    public var counts: Bool { self != .deregistered }
}

public enum OrganizationAction: String, Codable, Sendable, CaseIterable {
    case markDormant = "mark_dormant"
    case revive
    case deregister

    public var label: String {
        switch self {
        case .markDormant: return "标记为休眠"
        case .revive: return "恢复活动"
        case .deregister: return "注销"
        }
    }
}

/// The status machine as a table: from a status, an action leads to a status or is not allowed.
public enum OrganizationWorkflow {
    static let table: [OrganizationStatus: [OrganizationAction: OrganizationStatus]] = [
        .active: [.markDormant: .dormant, .deregister: .deregistered],
        .dormant: [.revive: .active, .deregister: .deregistered],
        .deregistered: [:],
    ]

    public static func next(from status: OrganizationStatus, by action: OrganizationAction) -> OrganizationStatus? { table[status]?[action] }

    public static func actions(from status: OrganizationStatus) -> [OrganizationAction] {
        OrganizationAction.allCases.filter { next(from: status, by: $0) != nil }
    }
}

/// 政府购买服务, 资助项目, 合同外包: how a unit buys or funds an organization's service.
public enum ProjectMode: String, Codable, Sendable, CaseIterable {
    case purchase
    case grant
    case outsourcing

    public var label: String {
        switch self {
        case .purchase: return "政府购买服务"
        case .grant: return "资助项目"
        case .outsourcing: return "合同外包"
        }
    }
}

/// 培育+补贴+奖励: what an organization is given. 场地 and 培训 may have no amount; 资金, 补贴, 奖励 have one.
public enum SupportKind: String, Codable, Sendable, CaseIterable {
    case venue
    case training
    case funding
    case subsidy
    case award

    public var label: String {
        switch self {
        case .venue: return "场地"
        case .training: return "培训"
        case .funding: return "资金"
        case .subsidy: return "补贴"
        case .award: return "奖励"
        }
    }

    public var needsAmount: Bool { self == .funding || self == .subsidy || self == .award }
}
