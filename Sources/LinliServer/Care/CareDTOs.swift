import Foundation
import LinliCore
import LinliData

/// An elder on the roll: masked ID number, level and score, flags, due date and visit state. Never the item scores.
struct CareElderDTO: Encodable, Sendable {
    var id: UUID
    var name: String
    var idNumberMasked: String
    var birthDate: String
    var age: Int
    var sex: String
    var gridCode: String
    var flags: [String]
    var level: String?
    var levelLabel: String
    var score: Int?
    var assessedOn: String?
    var nextDue: String?
    var assessmentDue: Bool
    var lastVisitOn: String?
    var visitMissed: Bool
    var hasPlan: Bool

    init(_ r: CareElderRecord, today: CivilDate) {
        let birth = CivilDate(r.birthDate) ?? today
        id = r.id; name = r.name; idNumberMasked = r.idMasked; birthDate = r.birthDate; age = birth.age(on: today); sex = r.sex.rawValue
        gridCode = r.gridCode
        let flagValues = CareFlag.of(recordedTags: r.recordedTags, birth: birth, today: today)
        flags = flagValues.map(\.rawValue)
        level = r.level?.rawValue; levelLabel = r.level?.label ?? "未评估"; score = r.total
        assessedOn = r.assessedOn; nextDue = r.nextDue
        assessmentDue = CareRules.isAssessmentDue(nextDue: r.nextDue.flatMap { CivilDate($0) }, today: today)
        lastVisitOn = r.lastVisitOn
        visitMissed = CareRules.isVisitMissed(livingAlone: flagValues.contains(.livingAlone), lastVisit: r.lastVisitOn.flatMap { CivilDate($0) },
                                              since: nil, today: today)
        hasPlan = r.hasPlan ?? false
    }
}

struct CareAssessmentDTO: Encodable, Sendable {
    var id: UUID
    var residentId: UUID
    var assessedOn: String
    var total: Int
    var level: String
    var levelLabel: String
    var dependency: String
    var assessor: String
    var nextDue: String
    var note: String?
    /// Only in the audited full view.
    var scores: [String: Int]?

    init(_ a: CareAssessmentRecord) {
        id = a.id; residentId = a.residentId; assessedOn = a.assessedOn; total = a.total; level = a.level.rawValue
        levelLabel = a.level.label; dependency = DependencyBand.of(total: a.total).label
        assessor = a.assessor; nextDue = a.nextDue; note = a.note
    }
}

struct CarePlanServiceDTO: Encodable, Sendable {
    var service: String
    var serviceLabel: String
    var frequency: String
    var frequencyLabel: String
    var providerKind: String
    var providerName: String
}

struct CarePlanDTO: Encodable, Sendable {
    var id: UUID
    var residentId: UUID
    var services: [CarePlanServiceDTO]
    var startsOn: String
    var endsOn: String?
    var note: String?
    var under60Reason: String?
    var version: Int

    /// `under_60_reason` spelt out: the encoder's snake case would write `under60_reason`.
    enum CodingKeys: String, CodingKey {
        case id, residentId, services, startsOn, endsOn, note, version
        case under60Reason = "under_60_reason"
    }

    init(_ p: CarePlanRecord) {
        id = p.id; residentId = p.residentId; startsOn = p.startsOn; endsOn = p.endsOn; note = p.note; version = p.version
        under60Reason = p.under60Reason
        services = p.services.map {
            CarePlanServiceDTO(service: $0.service.rawValue, serviceLabel: $0.service.label, frequency: $0.frequency.rawValue,
                               frequencyLabel: $0.frequency.label, providerKind: $0.providerKind.rawValue,
                               providerName: $0.providerName)
        }
    }
}

struct CareRecordDTO: Encodable, Sendable {
    var id: UUID
    var residentId: UUID
    var service: String
    var serviceLabel: String
    var providedAt: Date
    var providedOn: String
    var durationMinutes: Int
    var providerKind: String
    var providerName: String
    var feedback: String?
    var satisfaction: Int?
    var recordedBy: String

    init(_ r: CareServiceRecord) {
        id = r.id; residentId = r.residentId; service = r.service.rawValue; serviceLabel = r.service.label
        providedAt = Date(timeIntervalSince1970: TimeInterval(r.providedAt)); providedOn = r.providedOn; durationMinutes = r.durationMinutes
        providerKind = r.providerKind.rawValue; providerName = r.providerName; feedback = r.feedback; satisfaction = r.satisfaction; recordedBy = r.recordedBy
    }
}

struct CareCallDTO: Encodable, Sendable {
    var id: UUID
    var residentId: UUID
    var residentName: String?
    var gridCode: String
    var status: String
    var statusLabel: String
    var receivedAt: Date
    var assignedTo: String?
    var assignedAt: Date?
    var respondedAt: Date?
    var closedAt: Date?
    var responseMinutes: Double?
    var note: String?
    var version: Int

    init(_ c: CareCallRecord) {
        func date(_ s: Int64?) -> Date? { s.map { Date(timeIntervalSince1970: TimeInterval($0)) } }
        id = c.id; residentId = c.residentId; residentName = c.residentName; gridCode = c.gridCode; status = c.status.rawValue
        statusLabel = c.status.label
        receivedAt = date(c.receivedAt)!; assignedTo = c.assignedTo; assignedAt = date(c.assignedAt); respondedAt = date(c.respondedAt)
        closedAt = date(c.closedAt); note = c.note; version = c.version
        responseMinutes = c.respondedAt.map { Double(max(0, $0 - c.receivedAt)) / 60 }
    }
}

struct CareFacilityDTO: Encodable, Sendable {
    var id: UUID
    var name: String
    var kind: String
    var kindLabel: String
    var communityCode: String
    var address: String?
    var floorArea: Double
    var beds: Int
    var nursingBeds: Int
    var setting: String
    var version: Int

    init(_ f: CareFacilityRecord) {
        id = f.id; name = f.name; kind = f.kind.rawValue; kindLabel = f.kind.label; communityCode = f.communityCode
        address = f.address; floorArea = f.floorArea; beds = f.beds; nursingBeds = f.nursingBeds; setting = f.setting.rawValue; version = f.version
    }
}

struct CareCommunityAreaDTO: Encodable, Sendable {
    var code: String
    var name: String
    var setting: String
    var homeCareArea: Double
    var minimumArea: Double
    var meetsStandard: Bool
    var beds: Int
    var nursingBeds: Int
}

struct CareFiguresDTO: Encodable, Sendable {
    var elders: Int
    var assessed: Int
    var byLevel: [String: Int]
    var assessmentsDue: Int
    var withPlan: Int
    var livingAlone: Int
    var missedVisits: Int
    var calls: Int
    var openCalls: Int
    var callsResponded: Int
    var callsWithin30Minutes: Int
    var meanResponseMinutes: Double?
    var communities: [CareCommunityAreaDTO]

    init(_ f: CareFigures) {
        elders = f.elders; assessed = f.assessed; byLevel = f.byLevel; assessmentsDue = f.due; withPlan = f.withPlan
        livingAlone = f.livingAlone; missedVisits = f.missedVisits; calls = f.calls.calls; openCalls = f.openCalls
        callsResponded = f.calls.responded; callsWithin30Minutes = f.calls.withinTarget; meanResponseMinutes = f.calls.meanMinutes
        communities = f.communities.map {
            CareCommunityAreaDTO(code: $0.code, name: $0.name, setting: $0.setting.rawValue, homeCareArea: $0.homeCareArea, minimumArea: $0.minimum,
                                 meetsStandard: $0.meetsStandard, beds: $0.beds, nursingBeds: $0.nursingBeds)
        }
    }
}

struct CareFileDTO: Encodable, Sendable {
    var elder: CareElderDTO
    var assessments: [CareAssessmentDTO]
    var plan: CarePlanDTO?
    var records: [CareRecordDTO]
    var calls: [CareCallDTO]
}
