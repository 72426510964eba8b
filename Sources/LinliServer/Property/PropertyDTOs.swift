import Foundation
import LinliCore
import LinliData

struct CompoundDTO: Encodable, Sendable {
    var id: UUID
    var communityCode: String
    var name: String
    var yearBuilt: Int?
    var old: Bool
    var quasiServices: [PropertyService]
    var buildings: Int
    var households: Int
    var mode: ManagementMode
    var modeLabel: String
    var companyId: UUID?
    var companyName: String?
    var contractEndsOn: String?
    var version: Int

    init(_ c: CompoundRecord) {
        id = c.id; communityCode = c.communityCode; name = c.name; yearBuilt = c.yearBuilt; old = c.old; quasiServices = c.services
        buildings = c.buildings; households = c.households; mode = c.mode; modeLabel = c.mode.label; companyId = c.companyId; companyName = c.companyName
        contractEndsOn = c.contractEndsOn; version = c.version
    }
}

struct CompoundBuildingDTO: Encodable, Sendable {
    var id: UUID
    var name: String
    var gridCode: String
    init(_ b: CompoundBuildingRecord) { id = b.id; name = b.name; gridCode = b.gridCode }
}

struct CompoundFileDTO: Encodable, Sendable {
    var compound: CompoundDTO
    var buildings: [CompoundBuildingDTO]
    var contracts: [ContractDTO]
}

struct CompanyDTO: Encodable, Sendable {
    var id: UUID
    var name: String
    var creditCode: String
    var departmentCode: String
    var username: String?
    var contactName: String?
    var compounds: Int
    var version: Int

    init(_ c: CompanyRecord) {
        id = c.id; name = c.name; creditCode = c.creditCode; departmentCode = c.departmentCode; username = c.username; contactName = c.contactName
        compounds = c.compounds; version = c.version
    }
}

struct ContractDTO: Encodable, Sendable {
    var id: UUID
    var compoundId: UUID
    var compoundName: String?
    var companyId: UUID
    var companyName: String?
    var startsOn: String
    var endsOn: String
    var fee: Double
    var services: [PropertyService]
    var staff: Int?
    var roomArea: Double?

    init(_ k: ContractRecord) {
        id = k.id; compoundId = k.compoundId; compoundName = k.compoundName; companyId = k.companyId; companyName = k.companyName; startsOn = k.startsOn
        endsOn = k.endsOn; fee = k.fee; services = PropertyService.decode(k.services); staff = k.staff; roomArea = k.roomArea
    }
}
