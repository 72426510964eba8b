import Foundation
import LinliCore
import LinliData

struct DwellingDTO: Encodable, Sendable {
    var id: UUID
    var buildingId: UUID
    var buildingName: String?
    var gridCode: String
    var number: String
    var floor: Int?
    var area: Double?
    var rooms: Int?
    var use: DwellingUse
    var useLabel: String
    var version: Int

    init(_ d: DwellingRecord) {
        id = d.id; buildingId = d.buildingId; buildingName = d.buildingName; gridCode = d.gridCode; number = d.number; floor = d.floor; area = d.area
        rooms = d.rooms; use = d.use; useLabel = d.use.label; version = d.version
    }
}

struct DwellingFileDTO: Encodable, Sendable {
    var dwelling: DwellingDTO
    var households: [HouseholdRefDTO]
    var rental: RentalDTO?
}

struct HouseholdRefDTO: Encodable, Sendable {
    var id: UUID
    var number: String
    var room: String
    init(_ h: HouseholdRecord) { id = h.id; number = h.number; room = h.room }
}

struct OccupancyDTO: Encodable, Sendable {
    var buildingId: UUID
    var dwellings: Int
    var byUse: [String: Int]
    var households: Int
    var placedHouseholds: Int
    var residents: Int
    var rentals: Int

    init(_ o: BuildingOccupancy) {
        buildingId = o.buildingId; dwellings = o.dwellings; households = o.households; placedHouseholds = o.placedHouseholds; residents = o.residents
        rentals = o.rentals
        byUse = Dictionary(uniqueKeysWithValues: zip(DwellingUse.allCases.map(\.rawValue), o.byUse))
    }
}

struct RentalDTO: Encodable, Sendable {
    var id: UUID
    var dwellingId: UUID
    var dwellingNumber: String?
    var buildingName: String?
    var gridCode: String
    var landlordResidentId: UUID?
    var landlordName: String?
    /// Masked; the full number is a full view (`GET …/landlord-phone`, audited).
    var landlordPhone: String?
    var startsOn: String
    var endsOn: String
    var rentBand: RentBand
    var rentBandLabel: String
    var tenantCount: Int
    var groupRental: Bool
    var lastChecks: [String: String]
    var endedOn: String?
    var version: Int

    init(_ r: RentalRecord) {
        id = r.id; dwellingId = r.dwellingId; dwellingNumber = r.dwellingNumber; buildingName = r.buildingName; gridCode = r.gridCode
        landlordResidentId = r.landlordResidentId; landlordName = r.landlordName; landlordPhone = r.landlordPhoneMasked; startsOn = r.startsOn
        endsOn = r.endsOn; rentBand = r.rentBand; rentBandLabel = r.rentBand.label; tenantCount = r.tenantCount; groupRental = r.groupRental
        lastChecks = Dictionary(uniqueKeysWithValues: SafetyCheckKind.allCases.compactMap { k in r.last(k).map { (k.rawValue, $0.description) } })
        endedOn = r.endedOn; version = r.version
    }
}

struct TenantDTO: Encodable, Sendable {
    var residentId: UUID
    var name: String
    var residenceStatus: ResidenceStatus
    var floating: Bool
    var movedInOn: String
    var permitOn: String?
    var active: Bool
    init(_ t: TenantRecord) {
        residentId = t.residentId; name = t.name; residenceStatus = t.residenceStatus; floating = t.floating; movedInOn = t.movedInOn; permitOn = t.permitOn
        active = t.active
    }
}

struct SafetyCheckDTO: Encodable, Sendable {
    var id: UUID
    var kind: SafetyCheckKind
    var kindLabel: String
    var checkedOn: String
    var passed: Bool
    var findings: String
    var recordedBy: String
    init(_ c: SafetyCheckRecord) {
        id = c.id; kind = c.kind; kindLabel = c.kind.label; checkedOn = c.checkedOn; passed = c.passed; findings = c.findings; recordedBy = c.recordedBy
    }
}

struct RentalFileDTO: Encodable, Sendable {
    var rental: RentalDTO
    var tenants: [TenantDTO]
    var checks: [SafetyCheckDTO]
    var due: [String: String]
    init(_ f: RentalFile) {
        rental = RentalDTO(f.rental); tenants = f.tenants.map(TenantDTO.init); checks = f.checks.map(SafetyCheckDTO.init)
        due = Dictionary(uniqueKeysWithValues: f.due.map { ($0.key.rawValue, $0.value.description) })
    }
}

struct PermitDueDTO: Encodable, Sendable {
    var rentalId: UUID
    var residentId: UUID
    var name: String
    var gridCode: String
    var movedInOn: String
    var dwellingNumber: String?
    var buildingName: String?
    init(_ p: PermitDueRecord) {
        rentalId = p.rentalId; residentId = p.residentId; name = p.name; gridCode = p.gridCode; movedInOn = p.movedInOn; dwellingNumber = p.dwellingNumber
        buildingName = p.buildingName
    }
}

struct UnitDTO: Encodable, Sendable {
    var id: UUID
    var name: String
    var creditCode: String
    var kind: UnitKind
    var kindLabel: String
    var buildingId: UUID
    var buildingName: String?
    var gridCode: String
    var contactName: String?
    /// Masked; the full number is a full view (`GET …/phone`, audited).
    var contactPhone: String?
    var employees: Int?
    var opensFacilities: Bool
    var safetyPerson: String?
    var version: Int
    init(_ u: UnitRecord) {
        id = u.id; name = u.name; creditCode = u.creditCode; kind = u.kind; kindLabel = u.kind.label; buildingId = u.buildingId; buildingName = u.buildingName
        gridCode = u.gridCode; contactName = u.contactName; contactPhone = u.contactPhoneMasked; employees = u.employees; opensFacilities = u.opensFacilities
        safetyPerson = u.safetyPerson; version = u.version
    }
}

struct HousingSettingsDTO: Encodable, Sendable {
    var minAreaPerTenant: Double
    var checkEvery: [String: Int]
    init(_ s: HousingSettings) {
        minAreaPerTenant = s.minAreaPerTenant
        checkEvery = Dictionary(uniqueKeysWithValues: SafetyCheckKind.allCases.map { ($0.rawValue, s.interval($0)) })
    }
}
