/// 社工队伍: the posts, forms of employment, qualifications, appraisal results and reserve lists the register knows.

/// A worker's post (岗位). Posts fall in three pay classes (`PostClass`).
public enum WorkerPost: String, Codable, Sendable, CaseIterable {
    case secretary
    case director
    case deputyDirector = "deputy_director"
    case member
    case socialWorker = "social_worker"
    case gridWorker = "grid_worker"

    public var label: String {
        switch self {
        case .secretary: return "书记"
        case .director: return "主任"
        case .deputyDirector: return "副主任"
        case .member: return "委员"
        case .socialWorker: return "社工"
        case .gridWorker: return "网格员"
        }
    }

    /// Committee members are published by name on the portal as communities publish them.
    public var isCommittee: Bool { self == .secretary || self == .director || self == .deputyDirector || self == .member }

    public var payClass: PostClass {
        switch self {
        case .secretary, .director: return .head
        case .deputyDirector, .member: return .deputy
        case .socialWorker, .gridWorker: return .staff
        }
    }
}

/// The 岗位等级薪酬体系's three rows: 正职, 副职, 工作人员.
public enum PostClass: String, Codable, Sendable, CaseIterable {
    case head
    case deputy
    case staff

    public var label: String {
        switch self {
        case .head: return "正职（书记、主任）"
        case .deputy: return "副职（副主任、委员）"
        case .staff: return "工作人员（社工、网格员）"
        }
    }
}

/// 专职制、聘用制、派遣制、项目制、委托制 — the plan's five ways of employing community workers.
public enum EmploymentForm: String, Codable, Sendable, CaseIterable {
    case fullTime = "full_time"
    case contract
    case dispatched
    case project
    case entrusted

    public var label: String {
        switch self {
        case .fullTime: return "专职"
        case .contract: return "聘用"
        case .dispatched: return "派遣"
        case .project: return "项目"
        case .entrusted: return "委托"
        }
    }
}

/// 社会工作者职业水平 (the national examination's three levels), lowest first.
public enum QualificationLevel: String, Codable, Sendable, CaseIterable, Comparable {
    case assistant
    case full
    case senior

    public var label: String {
        switch self {
        case .assistant: return "助理社会工作师"
        case .full: return "社会工作师"
        case .senior: return "高级社会工作师"
        }
    }

    var rank: Int { Self.allCases.firstIndex(of: self)! }
    public static func < (a: Self, b: Self) -> Bool { a.rank < b.rank }
}

/// 年度考核 results, best first.
public enum AppraisalResult: String, Codable, Sendable, CaseIterable {
    case excellent
    case competent
    case basic
    case incompetent

    public var label: String {
        switch self {
        case .excellent: return "优秀"
        case .competent: return "称职"
        case .basic: return "基本称职"
        case .incompetent: return "不称职"
        }
    }
}

/// 后备干部: the street's list or the district's.
public enum ReserveLevel: String, Codable, Sendable, CaseIterable {
    case street
    case district

    public var label: String { self == .street ? "街道（镇）后备干部" : "区后备干部" }
}
