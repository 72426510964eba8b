import Foundation
import LinliCore

/// A dwelling (房屋) as read.
public struct DwellingRecord: Codable, Sendable, Equatable {
    public var id: UUID
    public var buildingId: UUID
    public var buildingName: String?
    public var gridCode: String
    public var number: String
    public var floor: Int?
    public var area: Double?
    public var rooms: Int?
    public var use: DwellingUse
    public var version: Int
}

/// A building's occupancy: dwellings by use (in `DwellingUse.allCases` order), households, residents on the roll, rentals in force.
public struct BuildingOccupancy: Sendable, Equatable {
    public var buildingId: UUID
    public var byUse: [Int]
    public var dwellings: Int { byUse.reduce(0, +) }
    public var households: Int
    public var placedHouseholds: Int
    public var residents: Int
    public var rentals: Int
}

/// A rental (出租房屋登记) as read; the landlord's phone masked.
public struct RentalRecord: Codable, Sendable, Equatable {
    public var id: UUID
    public var dwellingId: UUID
    public var dwellingNumber: String?
    public var buildingName: String?
    public var gridCode: String
    public var landlordResidentId: UUID?
    public var landlordName: String?
    public var landlordPhoneMasked: String?
    public var startsOn: String
    public var endsOn: String
    public var rentBand: RentBand
    public var tenantCount: Int
    public var groupRental: Bool
    public var lastFireOn: String?
    public var lastGasOn: String?
    public var lastEbikeOn: String?
    public var endedOn: String?
    public var version: Int

    public func last(_ kind: SafetyCheckKind) -> CivilDate? {
        switch kind {
        case .fire: return lastFireOn.flatMap(CivilDate.init)
        case .gas: return lastGasOn.flatMap(CivilDate.init)
        case .ebike: return lastEbikeOn.flatMap(CivilDate.init)
        }
    }

    public var inForce: Bool { endedOn == nil }
}

/// A tenant of a rental: a resident of the registry.
public struct TenantRecord: Codable, Sendable, Equatable {
    public var residentId: UUID
    public var name: String
    public var residenceStatus: ResidenceStatus
    public var floating: Bool
    public var movedInOn: String
    public var permitOn: String?
    public var active: Bool
}

public struct SafetyCheckRecord: Codable, Sendable, Equatable {
    public var id: UUID
    public var kind: SafetyCheckKind
    public var checkedOn: String
    public var passed: Bool
    public var findings: String
    public var recordedBy: String
}

/// Everything on a rental's page.
public struct RentalFile: Sendable {
    public var rental: RentalRecord
    public var tenants: [TenantRecord]
    public var checks: [SafetyCheckRecord]
    /// When each check kind is next due.
    public var due: [SafetyCheckKind: CivilDate]
}

/// A floating-population tenant due for a 居住证.
public struct PermitDueRecord: Codable, Sendable, Equatable {
    public var rentalId: UUID
    public var residentId: UUID
    public var name: String
    public var gridCode: String
    public var movedInOn: String
    public var dwellingNumber: String?
    public var buildingName: String?
}

/// A unit (单位) as read; the contact's phone masked.
public struct UnitRecord: Codable, Sendable, Equatable {
    public var id: UUID
    public var name: String
    public var creditCode: String
    public var kind: UnitKind
    public var buildingId: UUID
    public var buildingName: String?
    public var gridCode: String
    public var contactName: String?
    public var contactPhoneMasked: String?
    public var employees: Int?
    public var opensFacilities: Bool
    public var safetyPerson: String?
    public var version: Int
}

/// Which rentals a list shows.
public enum RentalState: String, Sendable, CaseIterable {
    /// In force (not ended).
    case current
    /// In force, the contract's end day past.
    case expired
    /// In force, a safety check past its due day.
    case overdue
    /// In force, flagged 群租.
    case group
    /// Ended.
    case ended

    public var label: String {
        switch self {
        case .current: return "在租"
        case .expired: return "合同已到期"
        case .overdue: return "安全检查逾期"
        case .group: return "群租"
        case .ended: return "已退租"
        }
    }
}

/// Who acts, as housing's writes see them.
public struct HousingActor: Sendable {
    public var audit: AuditActor
    public var scope: RegistryScope
    public var mayWrite: Bool
    public var maySettings: Bool

    public init(audit: AuditActor, scope: RegistryScope, mayWrite: Bool, maySettings: Bool) {
        self.audit = audit; self.scope = scope; self.mayWrite = mayWrite; self.maySettings = maySettings
    }
}
