import Foundation
import LinliCore
import LinliData
import Vapor

/// A card on the roll: the holder's name masked, the number masked.
struct DisabilityCardDTO: Encodable, Sendable {
    var id: UUID
    var residentId: UUID
    var name: String
    var gridCode: String
    var category: DisabilityCategory
    var categoryLabel: String
    var grade: Int
    var gradeLabel: String
    var numberMasked: String
    var issuedOn: String
    var validUntil: String?
    var registeredOn: String
    var status: DisabilityCardStatus
    var endedOn: String?
    var lastAssessedOn: String?
    var assessmentOverdue: Bool
    var inRehab: Bool
    /// False once the holder died or moved out: the card is still to be ended (注销).
    var holderActive: Bool
    var version: Int

    init(_ c: DisabilityCardRecord, today: CivilDate, fullName: Bool = false) {
        id = c.id
        residentId = c.residentId
        name = fullName ? c.residentName : Masking.name(c.residentName)
        gridCode = c.gridCode
        category = c.category
        categoryLabel = c.category.label
        grade = c.grade
        gradeLabel = c.cardGrade.label
        numberMasked = c.numberMasked
        issuedOn = c.issuedOn
        validUntil = c.validUntil
        registeredOn = c.registeredOn
        status = DisabilityCardStatus(rawValue: c.status) ?? .ended
        endedOn = c.endedOn
        lastAssessedOn = c.lastAssessedOn
        assessmentOverdue = c.overdue(today: today)
        inRehab = c.inRehab(today: today)
        holderActive = c.lifeStatus == LifeStatus.active.rawValue
        version = c.version
    }
}

struct DisabilitySubsidyCaseDTO: Encodable, Sendable {
    var id: UUID
    var number: String
    var kind: AssistanceKind
    var kindLabel: String
    var stage: AssistanceStage
    var stageLabel: String
    var monthlyAmount: Int
}

/// The 社会救助 subsidies of a holder: their cases, and those they could apply for.
struct DisabilitySubsidiesDTO: Encodable, Sendable {
    var cases: [DisabilitySubsidyCaseDTO]
    var inDibaoHousehold: Bool
    var mayApply: [AssistanceKind]

    init(_ s: DisabilitySubsidies) {
        cases = s.cases.map { DisabilitySubsidyCaseDTO(id: $0.id, number: $0.number, kind: $0.kind, kindLabel: $0.kind.label, stage: $0.stage,
                                                       stageLabel: $0.stage.label, monthlyAmount: $0.amount) }
        inDibaoHousehold = s.inDibaoHousehold
        mayApply = s.missing
    }
}

/// A card without personal detail, with the holder's subsidies.
struct DisabilityCardSummaryDTO: Encodable, Sendable {
    var card: DisabilityCardDTO
    var subsidies: DisabilitySubsidiesDTO
}

struct DisabilityAssessmentDTO: Encodable, Sendable {
    var id: UUID
    var assessedOn: String
    var assessor: String
    var needs: [DisabilityNeed]
    var result: AssessmentResult
    var note: String?
    init(_ a: DisabilityAssessmentRecord) {
        id = a.id; assessedOn = a.assessedOn; assessor = a.assessor; needs = a.needList; result = a.result; note = a.note
    }
}

struct DisabilityServiceDTO: Encodable, Sendable {
    var id: UUID
    var setting: RehabSetting
    var settingLabel: String
    var provider: String
    var startedOn: String
    var endedOn: String?
    var sessions: Int?
    var hours: Int?
    var outcome: String?
    init(_ s: DisabilityServiceRecord) {
        id = s.id; setting = s.setting; settingLabel = s.setting.label; provider = s.provider; startedOn = s.startedOn; endedOn = s.endedOn
        sessions = s.sessions; hours = s.hours; outcome = s.outcome
    }
}

struct DisabilityDeviceDTO: Encodable, Sendable {
    var id: UUID
    var device: String
    var issuedOn: String
    var source: DeviceSource
    init(_ d: DisabilityDeviceRecord) { id = d.id; device = d.device; issuedOn = d.issuedOn; source = d.source }
}

/// The full view (audited): the holder's name, the full card number, assessments, services, devices.
struct DisabilityFullDTO: Encodable, Sendable {
    var card: DisabilityCardDTO
    var cardNumber: String
    var assessments: [DisabilityAssessmentDTO]
    var services: [DisabilityServiceDTO]
    var devices: [DisabilityDeviceDTO]
}

struct DisabilityFiguresDTO: Encodable, Sendable {
    var holders: Int
    var assessed: Int
    var inRehab: Int
    var assessmentOverdue: Int
    init(_ f: DisabilityFigures) { holders = f.holders; assessed = f.assessed; inRehab = f.inRehab; assessmentOverdue = f.overdue }
}
