import Foundation
import LinliCore

/// 房屋和单位's audit actions.
public enum HousingAudit: String, AuditAction, CaseIterable {
    case dwellingCreate = "housing.dwelling.create"
    case dwellingUpdate = "housing.dwelling.update"
    case householdPlace = "housing.household.place"
    case rentalCreate = "housing.rental.create"
    case rentalUpdate = "housing.rental.update"
    case rentalEnd = "housing.rental.end"
    case check = "housing.check"
    case permit = "housing.permit"
    case unitCreate = "housing.unit.create"
    case unitUpdate = "housing.unit.update"
    case view = "housing.view"
    case export = "housing.export"
    case settings = "housing.settings"
    case importDwellings = "housing.import.dwellings"
    case importUnits = "housing.import.units"
    case demoLoad = "demo.housing"

    public static var all: [HousingAudit] { allCases }
}

extension AuditTarget {
    public static func dwelling(_ id: UUID) -> AuditTarget { AuditTarget("dwelling", id.uuidString) }
    public static func rental(_ id: UUID) -> AuditTarget { AuditTarget("rental", id.uuidString) }
    public static func unit(_ id: UUID) -> AuditTarget { AuditTarget("unit", id.uuidString) }
}
