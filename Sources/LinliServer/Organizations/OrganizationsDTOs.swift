import Foundation
import LinliCore
import LinliData

struct OrganizationDTO: Encodable, Sendable {
    var id: UUID
    var name: String
    var registration: OrganizationRegistration
    var kind: OrganizationKind
    var kindLabel: String
    var field: OrganizationField
    var fieldLabel: String
    var creditCode: String?
    var legalPerson: String
    /// Masked; the full number is a full view (`GET …/phone`, audited).
    var phone: String
    var foundedOn: String
    var registeredOn: String
    var divisionCode: String
    var divisionName: String?
    var status: OrganizationStatus
    var statusLabel: String
    var statusOn: String?
    var incubating: Bool
    var version: Int

    init(_ o: OrganizationRecord) {
        id = o.id; name = o.name; registration = o.registration; kind = o.kind; kindLabel = o.kind.label; field = o.field; fieldLabel = o.field.label
        creditCode = o.creditCode; legalPerson = o.legalPerson; phone = o.phoneMasked; foundedOn = o.foundedOn; registeredOn = o.registeredOn
        divisionCode = o.divisionCode; divisionName = o.divisionName; status = o.status; statusLabel = o.status.label; statusOn = o.statusOn
        incubating = o.incubating; version = o.version
    }
}

struct ReportDTO: Encodable, Sendable {
    var year: Int
    var receivedOn: String
    init(_ r: OrganizationReportRecord) { year = r.year; receivedOn = r.receivedOn }
}

struct IncubationDTO: Encodable, Sendable {
    var id: UUID
    var enteredOn: String
    var graduatedOn: String?
    var note: String?
    init(_ i: IncubationRecord) { id = i.id; enteredOn = i.enteredOn; graduatedOn = i.graduatedOn; note = i.note }
}

struct SupportDTO: Encodable, Sendable {
    var id: UUID
    var organizationId: UUID
    var kind: SupportKind
    var kindLabel: String
    var amountFen: Int?
    var onDate: String
    var giver: String
    var documentNo: String?
    var note: String?
    init(_ s: SupportRecord) {
        id = s.id; organizationId = s.organizationId; kind = s.kind; kindLabel = s.kind.label; amountFen = s.amountFen; onDate = s.onDate; giver = s.giver
        documentNo = s.documentNo; note = s.note
    }
}

struct SupportYearDTO: Encodable, Sendable {
    var year: Int
    var amountFen: Int
    var entries: Int
}

/// An organization with its annual reports, incubation stays and support (with totals per year).
struct OrganizationFileDTO: Encodable, Sendable {
    var organization: OrganizationDTO
    var reports: [ReportDTO]
    var incubations: [IncubationDTO]
    var support: [SupportDTO]
    var supportTotals: [SupportYearDTO]
    var actions: [OrganizationAction]
}

struct ProjectDTO: Encodable, Sendable {
    var id: UUID
    var organizationId: UUID
    var organizationName: String?
    var title: String
    var mode: ProjectMode
    var modeLabel: String
    var buyer: String
    /// The department's code when the buyer is a district department.
    var buyerCode: String?
    var contractFen: Int
    var paidFen: Int
    var signedOn: String
    var startsOn: String
    var endsOn: String
    var deliverables: String
    var beneficiaries: Int
    var milestones: Int
    var score: Int?
    var evaluatedOn: String?
    var evaluationNote: String?
    var version: Int

    init(_ p: ProjectRecord) {
        id = p.id; organizationId = p.organizationId; organizationName = p.organizationName; title = p.title; mode = p.mode; modeLabel = p.mode.label
        buyer = p.buyer; buyerCode = p.buyerCode; contractFen = p.contractFen; paidFen = p.paidFen; signedOn = p.signedOn; startsOn = p.startsOn; endsOn = p.endsOn
        deliverables = p.deliverables; beneficiaries = p.beneficiaries; milestones = p.milestones; score = p.score; evaluatedOn = p.evaluatedOn
        evaluationNote = p.evaluationNote; version = p.version
    }
}

struct MilestoneDTO: Encodable, Sendable {
    var id: UUID
    var seq: Int
    var onDate: String
    var description: String
    var paymentFen: Int
    var paidAfterFen: Int
    var beneficiaries: Int
    init(_ m: MilestoneRecord) {
        id = m.id; seq = m.seq; onDate = m.onDate; description = m.description; paymentFen = m.paymentFen; paidAfterFen = m.paidAfterFen
        beneficiaries = m.beneficiaries
    }
}

struct ProjectFileDTO: Encodable, Sendable {
    var project: ProjectDTO
    var milestones: [MilestoneDTO]
}

/// The portal's entry: nothing personal.
struct PublicOrganizationDTO: Encodable, Sendable {
    var name: String
    var kind: OrganizationKind
    var kindLabel: String
    var field: OrganizationField
    var fieldLabel: String
    var registration: OrganizationRegistration
    var divisionCode: String
    var divisionName: String?
    var registeredOn: String
    init(_ o: PublicOrganizationRecord) {
        name = o.name; kind = o.kind; kindLabel = o.kind.label; field = o.field; fieldLabel = o.field.label; registration = o.registration
        divisionCode = o.divisionCode; divisionName = o.divisionName; registeredOn = o.registeredOn
    }
}
