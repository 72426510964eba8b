import Foundation
import LinliCore

/// 网格巡查's audit actions.
public enum PatrolsAudit: String, AuditAction, CaseIterable {
    case start = "patrols.start"
    case visit = "patrols.visit"
    case end = "patrols.end"
    case settings = "patrols.settings"
    case export = "patrols.export"
    case demoLoad = "demo.patrols"

    public static var all: [PatrolsAudit] { allCases }
}

extension AuditTarget {
    public static func patrolRound(_ id: UUID) -> AuditTarget { AuditTarget("patrol_round", id.uuidString) }
}
