import Foundation
import LinliCore

/// The registry's audit actions.
public enum RegistryAudit: AuditAction, Equatable {
    case divisionCreate, divisionUpdate, buildingCreate, buildingUpdate, householdCreate, householdUpdate
    case residentCreate, residentUpdate, residentViewFull
    /// A life event (birth, death, move …): `resident.<kind>`.
    case residentEvent(ResidentEventKind)
    case export, exportFull, buildingsExport, householdsExport, `import`, demoLoad

    public static var all: [RegistryAudit] {
        [.divisionCreate, .divisionUpdate, .buildingCreate, .buildingUpdate, .householdCreate, .householdUpdate, .residentCreate,
         .residentUpdate, .residentViewFull, .export, .exportFull, .buildingsExport, .householdsExport, .import, .demoLoad]
            // A correction (`update`) is written as `residentUpdate`, the same name.
            + ResidentEventKind.allCases.filter { $0 != .update }.map { .residentEvent($0) }
    }

    public var name: String {
        switch self {
        case .divisionCreate: return "division.create"
        case .divisionUpdate: return "division.update"
        case .buildingCreate: return "building.create"
        case .buildingUpdate: return "building.update"
        case .householdCreate: return "household.create"
        case .householdUpdate: return "household.update"
        case .residentCreate: return "resident.create"
        case .residentUpdate: return "resident.update"
        case .residentViewFull: return "resident.view_full"
        case .residentEvent(let kind): return "resident." + kind.rawValue
        case .export: return "registry.export"
        case .exportFull: return "registry.export_full"
        case .buildingsExport: return "buildings.export"
        case .householdsExport: return "households.export"
        case .import: return "registry.import"
        case .demoLoad: return "demo.load"
        }
    }
}

extension AuditTarget {
    public static func resident(_ id: some CustomStringConvertible) -> AuditTarget { AuditTarget("resident", id.description) }
    public static func household(_ id: some CustomStringConvertible) -> AuditTarget { AuditTarget("household", id.description) }
    public static func building(_ id: some CustomStringConvertible) -> AuditTarget { AuditTarget("building", id.description) }
    public static func division(_ code: String) -> AuditTarget { AuditTarget("division", code) }
}
