import Foundation
import LinliCore

/// 区划调整's audit actions.
public enum BoundaryAudit: String, AuditAction, CaseIterable {
    case create = "boundary.create"
    case approve = "boundary.approve"
    case cancel = "boundary.cancel"
    case apply = "boundary.apply"
    case flagResolve = "boundary.flag.resolve"
    case demoLoad = "demo.boundary"

    public static var all: [BoundaryAudit] { allCases }
}

extension AuditTarget {
    public static func boundaryOrder(_ id: UUID) -> AuditTarget { AuditTarget("boundary_order", id.uuidString) }
}
