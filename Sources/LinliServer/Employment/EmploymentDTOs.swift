import Foundation
import LinliCore
import LinliData

/// A registration in a list: the name masked, no categories (disability is among them).
struct RegistrationListDTO: Encodable, Sendable {
    var id: UUID
    var name: String
    var idNumberMasked: String
    var gridCode: String
    var registeredOn: String
    var status: RegistrationStatus
    var designated: Bool
    var lastContactOn: String
    var contactOverdue: Bool
    var version: Int

    init(_ r: EmploymentRegistrationRecord, today: CivilDate) {
        id = r.id; name = Masking.name(r.name); idNumberMasked = r.idMasked; gridCode = r.gridCode; registeredOn = r.registeredOn; status = r.status
        designated = r.designated; lastContactOn = r.lastContactOn
        contactOverdue = r.status == .open && CivilDate(r.lastContactOn).map { EmploymentRules.isOverdue(lastContact: $0, today: today) } ?? false
        version = r.version
    }
}

/// A person's registration in full (a view that is audited).
struct RegistrationDTO: Encodable, Sendable {
    var id: UUID
    var residentId: UUID
    var name: String
    var idNumberMasked: String
    var sex: Sex
    var birthDate: String
    var householdId: UUID
    var gridCode: String
    var registeredOn: String
    var reason: String
    var lastJob: String?
    var skills: String?
    var wishes: String?
    var designated: Bool
    var categories: [DifficultyCategory]
    var categoryNote: String?
    var designatedOn: String?
    var status: RegistrationStatus
    var lastContactOn: String
    var contactOverdue: Bool
    var exitReason: EmploymentExitReason?
    var exitOn: String?
    var exitEmployer: String?
    var exitNote: String?
    var version: Int

    init(_ r: EmploymentRegistrationRecord, today: CivilDate) {
        id = r.id; residentId = r.residentId; name = r.name; idNumberMasked = r.idMasked; sex = r.sex; birthDate = r.birthDate
        householdId = r.householdId; gridCode = r.gridCode; registeredOn = r.registeredOn; reason = r.reason; lastJob = r.lastJob; skills = r.skills
        wishes = r.wishes; designated = r.designated; categories = r.categoryList; categoryNote = r.categoryNote; designatedOn = r.designatedOn
        status = r.status; lastContactOn = r.lastContactOn
        contactOverdue = r.status == .open && CivilDate(r.lastContactOn).map { EmploymentRules.isOverdue(lastContact: $0, today: today) } ?? false
        exitReason = r.exitReason; exitOn = r.exitOn; exitEmployer = r.exitEmployer; exitNote = r.exitNote; version = r.version
    }
}

struct HouseholdCaseDTO: Encodable, Sendable {
    var number: String
    var kind: AssistanceKind
    var kindLabel: String
    var stage: AssistanceStage
    var stageLabel: String
    init(_ c: HouseholdAssistanceCase) { number = c.number; kind = c.kind; kindLabel = c.kind.label; stage = c.stage; stageLabel = c.stage.label }
}

struct RegistrationFileDTO: Encodable, Sendable {
    var registration: RegistrationDTO
    var contacts: [EmploymentContactRecord]
    var referrals: [EmploymentReferralRecord]
    var placements: [PlacementDTO]
    var householdAssistance: [HouseholdCaseDTO]
}

struct PostDTO: Encodable, Sendable {
    var id: UUID
    var title: String
    var employer: String
    var communityCode: String
    var communityName: String?
    var hoursPerWeek: Int
    var monthlyAllowance: Int
    var places: Int
    var filled: Int
    var version: Int
    init(_ p: EmploymentPostRecord) {
        id = p.id; title = p.title; employer = p.employer; communityCode = p.communityCode; communityName = p.communityName; hoursPerWeek = p.hoursPerWeek
        monthlyAllowance = p.monthlyAllowance; places = p.places; filled = p.filled ?? 0; version = p.version
    }
}

struct PlacementDTO: Encodable, Sendable {
    var id: UUID
    var postId: UUID
    var postTitle: String?
    var residentId: UUID
    var name: String
    var idNumberMasked: String?
    var startOn: String
    var endOn: String
    var untilOn: String
    var endedReason: String?
    var monthlyAllowance: Int
    var version: Int
    init(_ p: EmploymentPlacementRecord) {
        id = p.id; postId = p.postId; postTitle = p.postTitle; residentId = p.residentId; name = Masking.name(p.name ?? ""); idNumberMasked = p.idMasked
        startOn = p.startOn; endOn = p.endOn; untilOn = p.untilOn; endedReason = p.endedReason; monthlyAllowance = p.monthlyAllowance; version = p.version
    }
}

struct PostFileDTO: Encodable, Sendable {
    var post: PostDTO
    var placements: [PlacementDTO]
}

struct AllowanceLineDTO: Encodable, Sendable {
    var name: String
    var idNumberMasked: String
    var communityCode: String
    var postTitle: String
    var startOn: String
    var untilOn: String
    var monthlyAllowance: Int
    var days: Int
    var amount: Int
    init(_ l: AllowanceLine) {
        name = l.name; idNumberMasked = l.idMasked; communityCode = l.communityCode; postTitle = l.postTitle; startOn = l.startOn; untilOn = l.untilOn
        monthlyAllowance = l.monthlyAllowance; days = l.days; amount = l.amount
    }
}

struct AllowanceRollDTO: Encodable, Sendable {
    var street: String
    var month: String
    var lines: [AllowanceLineDTO]
    var total: Int
}

struct EmploymentSettingsDTO: Codable, Sendable {
    var placementTermMonths: Int?
    var version: Int?
}
