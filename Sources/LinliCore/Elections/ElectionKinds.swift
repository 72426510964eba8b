/// 换届选举: the election of a community's 居民委员会 or a village's 村民委员会, every five years.

/// Which committee is elected: the registry's `CommunityKind` decides.
public enum CommitteeKind: String, Codable, Sendable, CaseIterable {
    /// 居民委员会 (an urban community): 5–9 members.
    case residents
    /// 村民委员会 (a village): 3–7 members, and always more candidates than seats (差额).
    case villagers

    public init(_ kind: CommunityKind?) { self = kind == .village ? .villagers : .residents }

    public var label: String { self == .residents ? "居民委员会" : "村民委员会" }
    /// The committee's size allowed by law.
    public var sizes: ClosedRange<Int> { self == .residents ? 5...9 : 3...7 }
    public var minimumSize: Int { sizes.lowerBound }
}

/// How the voters take part.
public enum ElectionMethod: String, Codable, Sendable, CaseIterable {
    /// 全体选民直接选举.
    case direct
    /// 户代表选举.
    case householdRepresentatives = "household_representatives"
    /// 居民小组代表选举.
    case groupRepresentatives = "group_representatives"

    public var label: String {
        switch self {
        case .direct: return "全体选民直接选举"
        case .householdRepresentatives: return "户代表选举"
        case .groupRepresentatives: return "居民小组代表选举"
        }
    }
}

/// A seat of the committee.
public enum CommitteePost: String, Codable, Sendable, CaseIterable {
    case chair, viceChair = "vice_chair", member

    public var label: String {
        switch self {
        case .chair: return "主任"
        case .viceChair: return "副主任"
        case .member: return "委员"
        }
    }
}

/// Where a ballot box stands.
public enum BallotBoxKind: String, Codable, Sendable, CaseIterable {
    case central, branch, mobile

    public var label: String {
        switch self {
        case .central: return "中心会场"
        case .branch: return "分会场"
        case .mobile: return "流动票箱"
        }
    }
}

/// Why a person is on, or off, the roll beside the draw from the registry.
public enum VoterBasis: String, Codable, Sendable, CaseIterable {
    /// Drawn from the registry: lives in the community, 18 or over on election day.
    case registry
    /// 户籍 elsewhere, lives here, added on application.
    case application
    /// Excluded by a recorded decision (被剥夺政治权利).
    case excluded

    public var label: String {
        switch self {
        case .registry: return "登记"
        case .application: return "申请登记"
        case .excluded: return "依法不列入"
        }
    }
}

/// The state of an election.
public enum ElectionStatus: String, Codable, Sendable, CaseIterable {
    /// 筹备: the committee, seats and timetable are set.
    case preparing
    /// 选民名单已公布.
    case rollPublished = "roll_published"
    /// 正式候选人已公布.
    case candidatesPublished = "candidates_published"
    /// 另行选举: fewer were elected than seats; a further round is open.
    case furtherRound = "further_round"
    /// 选举成功: the committee reached its minimum size.
    case succeeded
    /// 选举无效: not more than half of the voters voted, or the committee stays short.
    case failed
    case cancelled

    public var label: String {
        switch self {
        case .preparing: return "筹备中"
        case .rollPublished: return "选民名单已公布"
        case .candidatesPublished: return "候选人已公布"
        case .furtherRound: return "另行选举"
        case .succeeded: return "选举成功"
        case .failed: return "选举无效"
        case .cancelled: return "已撤销"
        }
    }

    public var isClosed: Bool { self == .succeeded || self == .failed || self == .cancelled }
}

/// What a worker does to an election.
public enum ElectionStep: String, Codable, Sendable, CaseIterable {
    case publishRoll = "publish_roll"
    case publishCandidates = "publish_candidates"
    /// Close the round counted from the confirmed boxes: succeeded, further round or failed by the rules.
    case closeRound = "close_round"
    case cancel
}

/// The state machine as a table: the states a step may be taken from, and where it goes (for `closeRound`, the
/// rules pick among the targets).
public enum ElectionWorkflow {
    public static let table: [ElectionStep: (from: Set<ElectionStatus>, to: Set<ElectionStatus>)] = [
        .publishRoll: ([.preparing], [.rollPublished]),
        .publishCandidates: ([.rollPublished], [.candidatesPublished]),
        .closeRound: ([.candidatesPublished, .furtherRound], [.succeeded, .furtherRound, .failed]),
        .cancel: ([.preparing, .rollPublished, .candidatesPublished], [.cancelled]),
    ]

    public static func allows(_ step: ElectionStep, from status: ElectionStatus) -> Bool {
        table[step]?.from.contains(status) ?? false
    }

    public static func allows(_ step: ElectionStep, from status: ElectionStatus, to next: ElectionStatus) -> Bool {
        guard let row = table[step] else { return false }
        return row.from.contains(status) && row.to.contains(next)
    }
}
