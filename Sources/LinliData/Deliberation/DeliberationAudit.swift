import Foundation
import LinliCore

/// 民主协商与网上议事's audit actions.
public enum DeliberationAudit: String, AuditAction, CaseIterable {
    case meeting = "deliberation.meeting"
    case minutes = "deliberation.minutes"
    case resolution = "deliberation.resolution"
    case followUp = "deliberation.follow_up"
    case toRequest = "deliberation.to_request"
    case propose = "deliberation.propose"
    case support = "deliberation.support"
    case comment = "deliberation.comment"
    case hide = "deliberation.hide_comment"
    case close = "deliberation.close"
    case demoLoad = "demo.deliberation"

    public static var all: [DeliberationAudit] { allCases }
}

extension AuditTarget {
    public static func meeting(_ id: UUID) -> AuditTarget { AuditTarget("meeting", id.uuidString) }
    public static func proposal(_ id: UUID) -> AuditTarget { AuditTarget("proposal", id.uuidString) }
}
