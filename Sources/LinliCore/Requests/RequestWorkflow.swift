import Foundation

/// Where a request (an event found on a round, or a resident's request) stands in its handling.
public enum RequestStatus: String, Codable, Sendable, CaseIterable {
    case reported
    case accepted
    case refused
    case dispatched
    case inProgress = "in_progress"
    case resolved
    case verified
    case closed

    public var label: String {
        switch self {
        case .reported: return "已上报"
        case .accepted: return "已受理"
        case .refused: return "不予受理"
        case .dispatched: return "已派遣"
        case .inProgress: return "处置中"
        case .resolved: return "已办结"
        case .verified: return "已核查"
        case .closed: return "已结案"
        }
    }

    /// Still being handled: it has a due date that matters and can be escalated.
    public var isOpen: Bool { ![.refused, .resolved, .verified, .closed].contains(self) }
}

/// The level that holds a request now. Escalation moves it up one level.
public enum HandlingLevel: String, Codable, Sendable, CaseIterable, Comparable {
    case community, street, district

    public var label: String {
        switch self {
        case .community: return "社区"
        case .street: return "镇（街道）"
        case .district: return "区"
        }
    }

    public var next: HandlingLevel? {
        switch self {
        case .community: return .street
        case .street: return .district
        case .district: return nil
        }
    }

    var rank: Int { HandlingLevel.allCases.firstIndex(of: self)! }
    public static func < (a: HandlingLevel, b: HandlingLevel) -> Bool { a.rank < b.rank }

    /// The level of a division: a grid's requests are held by its community.
    public init(division: DivisionLevel) {
        switch division {
        case .grid, .community: self = .community
        case .street: self = .street
        case .district: self = .district
        }
    }
}

/// What someone can do to a request. Each action is allowed from some states only.
public enum RequestAction: String, Codable, Sendable, CaseIterable {
    case accept
    case refuse
    case dispatch
    case start
    case resolve
    case verify
    case close
    /// 回退: the handler gives it back to the dispatcher, with a reason.
    case `return`
    /// 上报: up one level, when beyond the level's power or overdue.
    case escalate
    /// The reporter is not satisfied and reopens it (within the reopening window).
    case reopen
    /// A note or photos without a change of state.
    case comment

    public var label: String {
        switch self {
        case .accept: return "受理"
        case .refuse: return "不予受理"
        case .dispatch: return "派遣"
        case .start: return "开始处置"
        case .resolve: return "办结"
        case .verify: return "核查"
        case .close: return "结案"
        case .return: return "回退"
        case .escalate: return "上报上级"
        case .reopen: return "重新办理"
        case .comment: return "备注"
        }
    }

    /// Who may take it: the level that holds the request (its dispatcher), the unit it was dispatched to,
    /// or the reporter (or a grid worker, for verification).
    public enum Actor: Sendable { case holder, handler, verifier, reporter, anyone }

    public var actor: Actor {
        switch self {
        case .accept, .refuse, .dispatch, .escalate, .close: return .holder
        case .start, .resolve, .return: return .handler
        case .verify: return .verifier
        case .reopen: return .reporter
        case .comment: return .anyone
        }
    }

    /// An action that must say why.
    public var needsNote: Bool { [.refuse, .return, .escalate, .reopen].contains(self) }
}

/// The workflow as a table: from a state, an action leads to a state, or is not allowed.
public enum RequestWorkflow {
    public static func next(from status: RequestStatus, by action: RequestAction) -> RequestStatus? {
        switch (status, action) {
        case (.reported, .accept): return .accepted
        case (.reported, .refuse), (.accepted, .refuse): return .refused
        case (.reported, .dispatch), (.accepted, .dispatch): return .dispatched
        case (.dispatched, .start): return .inProgress
        case (.dispatched, .resolve), (.inProgress, .resolve): return .resolved
        case (.dispatched, .return), (.inProgress, .return): return .accepted
        case (.resolved, .verify): return .verified
        case (.verified, .close), (.refused, .close): return .closed
        // Escalating hands it to the level above, which accepts it afresh.
        case (.reported, .escalate), (.accepted, .escalate), (.dispatched, .escalate), (.inProgress, .escalate): return .reported
        // A resolved item the reporter does not accept goes back to the dispatcher.
        case (.resolved, .reopen), (.verified, .reopen), (.closed, .reopen): return .accepted
        case (let s, .comment): return s
        default: return nil
        }
    }

    /// The actions allowed now, in the order a page shows them.
    public static func actions(from status: RequestStatus) -> [RequestAction] {
        RequestAction.allCases.filter { $0 != .comment && next(from: status, by: $0) != nil }
    }

    /// How long a resident may reopen a closed request.
    public static let reopenWindowDays = 7
}

/// The time limit of a request: a yellow card when a quarter of the time is left, a red one when overdue.
public enum DeadlineCard: String, Codable, Sendable, CaseIterable {
    case none, yellow, red

    public var label: String {
        switch self {
        case .none: return "正常"
        case .yellow: return "黄牌（即将超时）"
        case .red: return "红牌（已超时）"
        }
    }

    public static func of(reportedAt: Int64, dueAt: Int64, now: Int64, open: Bool) -> DeadlineCard {
        guard open else { return .none }
        if now >= dueAt { return .red }
        let quarter = (dueAt - reportedAt) / 4
        return dueAt - now <= quarter ? .yellow : .none
    }
}

/// When an overdue request is handed up automatically: at the community as soon as it is overdue, at the
/// street when it is overdue by a whole time limit more. The district is the top.
public enum EscalationRule {
    public static func shouldEscalate(status: RequestStatus, level: HandlingLevel, reportedAt: Int64, dueAt: Int64, now: Int64) -> Bool {
        guard status.isOpen, level.next != nil else { return false }
        let limit = max(dueAt - reportedAt, 1)
        return now >= dueAt + Int64(level.rank) * limit
    }
}

/// A resident's rating of the result.
public enum Satisfaction {
    public static let range = 1...5
    public static func label(_ score: Int) -> String {
        switch score {
        case 5: return "非常满意"
        case 4: return "满意"
        case 3: return "基本满意"
        case 2: return "不满意"
        default: return "非常不满意"
        }
    }
}
