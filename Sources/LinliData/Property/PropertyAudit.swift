import Foundation
import LinliCore

/// 物业管理's audit actions.
public enum PropertyAudit: String, AuditAction, CaseIterable {
    case compoundCreate = "property.compound.create"
    case compoundUpdate = "property.compound.update"
    case companyCreate = "property.company.create"
    case companyUpdate = "property.company.update"
    case contractCreate = "property.contract.create"
    case committeeCreate = "property.committee.create"
    case settings = "property.settings"
    case ratingCreate = "property.rating.create"
    case demoLoad = "demo.property"

    public static var all: [PropertyAudit] { allCases }
}

extension AuditTarget {
    public static func compound(_ id: UUID) -> AuditTarget { AuditTarget("compound", id.uuidString) }
    public static func propertyCompany(_ id: UUID) -> AuditTarget { AuditTarget("property_company", id.uuidString) }
}
