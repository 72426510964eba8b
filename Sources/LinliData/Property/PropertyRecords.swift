import Foundation
import LinliCore

/// A compound (小区) with its size and today's management.
public struct CompoundRecord: Codable, Sendable, Equatable {
    public var id: UUID
    public var communityCode: String
    public var name: String
    public var yearBuilt: Int?
    public var old: Bool
    public var quasiServices: String
    public var buildings: Int
    public var households: Int
    /// The contract in force today, if any, and its company.
    public var contractId: UUID?
    public var companyId: UUID?
    public var companyName: String?
    public var contractEndsOn: String?
    public var version: Int

    public var services: [PropertyService] { PropertyService.decode(quasiServices) }
    public var mode: ManagementMode { PropertyRules.mode(contractInForce: contractId != nil, quasiServices: services) }
}

/// A building of a compound.
public struct CompoundBuildingRecord: Codable, Sendable, Equatable {
    public var id: UUID
    public var name: String
    public var gridCode: String
}

/// A property service company (物业服务企业) and the compounds it serves today.
public struct CompanyRecord: Codable, Sendable, Equatable {
    public var id: UUID
    public var name: String
    public var creditCode: String
    public var departmentCode: String
    public var username: String?
    public var contactName: String?
    public var compounds: Int
    public var version: Int
}

/// A service contract of a compound.
public struct ContractRecord: Codable, Sendable, Equatable {
    public var id: UUID
    public var compoundId: UUID
    public var compoundName: String?
    public var companyId: UUID
    public var companyName: String?
    public var communityCode: String
    public var startsOn: String
    public var endsOn: String
    public var fee: Double
    public var services: String
    public var staff: Int?
    public var roomArea: Double?
}

/// What the home page counts: compounds nobody manages.
public struct PropertyTodo: Sendable, Equatable {
    public var unmanaged: Int
}

/// Who is acting, as the property queries need it.
public struct PropertyActor: Sendable {
    public var audit: AuditActor
    public var scope: RegistryScope
    public var mayWrite: Bool

    public init(audit: AuditActor, scope: RegistryScope, mayWrite: Bool) {
        self.audit = audit; self.scope = scope; self.mayWrite = mayWrite
    }
}
