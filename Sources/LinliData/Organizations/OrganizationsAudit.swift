import Foundation
import LinliCore

/// 社会组织's audit actions.
public enum OrganizationsAudit: String, AuditAction, CaseIterable {
    case create = "organizations.create"
    case update = "organizations.update"
    case status = "organizations.status"
    case report = "organizations.report"
    case view = "organizations.view"
    case export = "organizations.export"
    case incubationEnter = "organizations.incubation.enter"
    case incubationGraduate = "organizations.incubation.graduate"
    case support = "organizations.support"
    case projectCreate = "organizations.project.create"
    case milestone = "organizations.project.milestone"
    case evaluate = "organizations.project.evaluate"
    case demoLoad = "demo.organizations"

    public static var all: [OrganizationsAudit] { allCases }
}

extension AuditTarget {
    public static func organization(_ id: UUID) -> AuditTarget { AuditTarget("organization", id.uuidString) }
    public static func organizationProject(_ id: UUID) -> AuditTarget { AuditTarget("organization_project", id.uuidString) }
}
