import Foundation
import LinliCore

/// 换届选举's audit actions.
public enum ElectionsAudit: String, AuditAction, CaseIterable {
    case create = "elections.create"
    case publishRoll = "elections.publish_roll"
    case voterAdd = "elections.voter_add"
    case voterExclude = "elections.voter_exclude"
    case candidate = "elections.candidate"
    case publishCandidates = "elections.publish_candidates"
    case proxy = "elections.proxy"
    case box = "elections.box"
    case entry = "elections.entry"
    case closeRound = "elections.close_round"
    case cancel = "elections.cancel"
    case objection = "elections.objection"
    case answer = "elections.answer"
    case demoLoad = "demo.elections"

    public static var all: [ElectionsAudit] { allCases }
}

extension AuditTarget {
    public static func election(_ id: UUID) -> AuditTarget { AuditTarget("election", id.uuidString) }
}
