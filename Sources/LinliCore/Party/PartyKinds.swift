import Foundation

/// A party organization's kind in the tree: the street's 街道社会工作党委 at the top, a community's 党委/党总支/党支部
/// (by its size, as the party's rules set it) and the 党小组 under them.
public enum PartyOrgKind: String, Codable, Sendable, CaseIterable {
    case workCommittee = "work_committee"
    case committee
    case generalBranch = "general_branch"
    case branch
    case group

    public var label: String {
        switch self {
        case .workCommittee: return "街道社会工作党委"
        case .committee: return "党委"
        case .generalBranch: return "党总支"
        case .branch: return "党支部"
        case .group: return "党小组"
        }
    }

    /// The kinds that may be this kind's parent: a work committee stands alone at a street; a community's
    /// organization hangs under its street's work committee (or, for a branch, under a committee or general branch);
    /// a group under a branch, a general branch or a committee.
    public var parentKinds: Set<PartyOrgKind> {
        switch self {
        case .workCommittee: return []
        case .committee, .generalBranch: return [.workCommittee]
        case .branch: return [.workCommittee, .committee, .generalBranch]
        case .group: return [.committee, .generalBranch, .branch]
        }
    }

    /// Members belong to a branch (or to a committee or general branch that has none under it); a work committee
    /// leads organizations, and groups are joined on top of one's organization.
    public var holdsMembers: Bool { self == .committee || self == .generalBranch || self == .branch }
}

/// 功能型党小组: the four kinds the plan names, formed by members' skills, interests and habits.
public enum FunctionalKind: String, Codable, Sendable, CaseIterable {
    case professional
    case talent
    case social
    case central

    public var label: String {
        switch self {
        case .professional: return "专业型"
        case .talent: return "特长型"
        case .social: return "社会型"
        case .central: return "中心型"
        }
    }
}

/// 三级党员服务中心: district, street and community.
public enum CentreLevel: String, Codable, Sendable, CaseIterable {
    case district, street, community

    public var label: String {
        switch self {
        case .district: return "区党员服务中心"
        case .street: return "街道党员服务中心"
        case .community: return "社区党员服务站"
        }
    }

    /// The code of the division at this level that holds `community` (codes are 12 digits: 321271000000 the
    /// district, 321271002000 a street, 321271002001 a community).
    public func division(of community: String) -> String {
        switch self {
        case .district: return String(community.prefix(6)) + "000000"
        case .street: return String(community.prefix(9)) + "000"
        case .community: return String(community.prefix(12))
        }
    }
}

/// What a service centre offers.
public enum CentreService: String, Codable, Sendable, CaseIterable {
    case transfer
    case education
    case volunteering
    case hardship
    case consultation
    case dues
    case floating

    public var label: String {
        switch self {
        case .transfer: return "组织关系接转"
        case .education: return "党员教育"
        case .volunteering: return "党员志愿服务"
        case .hardship: return "困难党员帮扶"
        case .consultation: return "政策咨询"
        case .dues: return "党费收缴"
        case .floating: return "流动党员管理"
        }
    }

    public static func list(_ raw: String) -> [CentreService] { raw.split(separator: ",").compactMap { CentreService(rawValue: String($0)) } }
}
