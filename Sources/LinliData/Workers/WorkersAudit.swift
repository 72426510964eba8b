import Foundation
import LinliCore

/// 社工队伍's audit actions.
public enum WorkersAudit: String, AuditAction, CaseIterable {
    case create = "workers.create"
    case update = "workers.update"
    case view = "workers.view"
    case export = "workers.export"
    case qualification = "workers.qualification"
    case training = "workers.training"
    case appraisal = "workers.appraisal"
    case reserveAdd = "workers.reserve.add"
    case reserveRemove = "workers.reserve.remove"
    case grades = "workers.grades"
    case demoLoad = "demo.workers"

    public static var all: [WorkersAudit] { allCases }
}

extension AuditTarget {
    public static func worker(_ id: UUID) -> AuditTarget { AuditTarget("worker", id.uuidString) }
}
