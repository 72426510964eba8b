/// 民主协商's meetings: the plan's four deliberative forms (民情恳谈会, 事务协调会, 工作听证会, 成效评议会) and the
/// self-government meetings of a stairway or the owners (楼道议事, 业主议事).
public enum MeetingKind: String, Codable, Sendable, CaseIterable {
    case hearing = "kentan"
    case coordination = "xietiao"
    case publicHearing = "tingzheng"
    case review = "pingyi"
    case stairway = "loudao"
    case owners = "yezhu"

    public var label: String {
        switch self {
        case .hearing: return "民情恳谈会"
        case .coordination: return "事务协调会"
        case .publicHearing: return "工作听证会"
        case .review: return "成效评议会"
        case .stairway: return "楼道议事"
        case .owners: return "业主议事"
        }
    }

    /// The four forms the plan names (the standard counts only these).
    public var isDeliberative: Bool { self != .stairway && self != .owners }

    public static func parse(_ raw: String?) -> MeetingKind? {
        guard let raw = raw?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
        return MeetingKind(rawValue: raw) ?? allCases.first { $0.label == raw }
    }
}

/// A resolution (决议) is open until its owner's follow-up marks it done.
public enum ResolutionState: String, Codable, Sendable, CaseIterable {
    case open, done

    public var label: String { self == .open ? "落实中" : "已落实" }
}

/// A proposal of 网上议事 is open for comments and supports until the community closes it with a decision.
public enum ProposalState: String, Codable, Sendable, CaseIterable {
    case open, closed

    public var label: String { self == .open ? "征求意见中" : "已答复" }
}
