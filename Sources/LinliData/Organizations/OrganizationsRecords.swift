import Foundation
import LinliCore

/// An organization as read (the legal person's phone masked; the full number only through `phone(of:)`).
public struct OrganizationRecord: Codable, Sendable, Equatable {
    public var id: UUID
    public var name: String
    public var registration: OrganizationRegistration
    public var kind: OrganizationKind
    public var field: OrganizationField
    public var creditCode: String?
    public var legalPerson: String
    public var phoneMasked: String
    public var foundedOn: String
    public var registeredOn: String
    public var divisionCode: String
    public var divisionName: String?
    public var status: OrganizationStatus
    public var statusOn: String?
    public var incubating: Bool
    public var version: Int
    public var updatedAt: Int64
}

/// What the portal shows of an organization: nothing personal.
public struct PublicOrganizationRecord: Codable, Sendable, Equatable {
    public var name: String
    public var kind: OrganizationKind
    public var field: OrganizationField
    public var registration: OrganizationRegistration
    public var divisionCode: String
    public var divisionName: String?
    public var registeredOn: String
}

public struct OrganizationReportRecord: Codable, Sendable, Equatable {
    public var year: Int
    public var receivedOn: String
}

public struct IncubationRecord: Codable, Sendable, Equatable {
    public var id: UUID
    public var organizationId: UUID
    public var enteredOn: String
    public var graduatedOn: String?
    public var note: String?
}

public struct SupportRecord: Codable, Sendable, Equatable {
    public var id: UUID
    public var organizationId: UUID
    public var kind: SupportKind
    public var amountFen: Int?
    public var onDate: String
    public var giver: String
    public var documentNo: String?
    public var note: String?
    public var recordedBy: String
}

/// A year's support of an organization: money given and entries.
public struct SupportYearTotal: Sendable, Equatable {
    public var year: Int
    public var amountFen: Int
    public var entries: Int
}

public struct ProjectRecord: Codable, Sendable, Equatable {
    public var id: UUID
    public var organizationId: UUID
    public var organizationName: String?
    public var divisionCode: String
    public var title: String
    public var mode: ProjectMode
    public var buyer: String
    public var buyerCode: String?
    public var contractFen: Int
    public var paidFen: Int
    public var signedOn: String
    public var startsOn: String
    public var endsOn: String
    public var deliverables: String
    public var beneficiaries: Int
    public var milestones: Int
    public var score: Int?
    public var evaluatedOn: String?
    public var evaluationNote: String?
    public var version: Int
}

public struct MilestoneRecord: Codable, Sendable, Equatable {
    public var id: UUID
    public var projectId: UUID
    public var seq: Int
    public var onDate: String
    public var description: String
    public var paymentFen: Int
    public var paidAfterFen: Int
    public var beneficiaries: Int
    public var recordedBy: String
}

/// Who acts, as the organizations' writes see them.
public struct OrganizationsActor: Sendable {
    public var audit: AuditActor
    public var scope: RegistryScope
    public var mayWrite: Bool
    public var mayRegister: Bool
    public var maySupport: Bool
    public var mayProjects: Bool

    public init(audit: AuditActor, scope: RegistryScope, mayWrite: Bool, mayRegister: Bool, maySupport: Bool, mayProjects: Bool) {
        self.audit = audit; self.scope = scope; self.mayWrite = mayWrite; self.mayRegister = mayRegister
        self.maySupport = maySupport; self.mayProjects = mayProjects
    }
}

/// A search of the register: the name or its pinyin initials, kind, status, field.
public struct OrganizationFilter: Sendable, Equatable {
    public var text: String?
    public var kind: OrganizationKind?
    public var status: OrganizationStatus?
    public var field: OrganizationField?
    public var incubating: Bool?

    public init(text: String? = nil, kind: OrganizationKind? = nil, status: OrganizationStatus? = nil, field: OrganizationField? = nil, incubating: Bool? = nil) {
        self.text = text; self.kind = kind; self.status = status; self.field = field; self.incubating = incubating
    }
}
