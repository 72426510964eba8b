import Foundation
import LinliCore

/// An elder on the care roll as the roll lists them: registry facts (masked) and the current care state.
public struct CareElderRecord: Codable, Sendable, Equatable {
    public var id: UUID
    public var name: String
    public var idMasked: String
    public var birthDate: String
    public var sex: Sex
    public var gridCode: String
    public var tags: String
    public var level: CareLevel?
    public var total: Int?
    public var assessedOn: String?
    public var nextDue: String?
    public var lastVisitOn: String?
    public var hasPlan: Bool?

    public var recordedTags: [ResidentTag] { tags.split(separator: ",").compactMap { ResidentTag(rawValue: String($0)) } }
}

/// An assessment without its item scores (as files and lists show it).
public struct CareAssessmentRecord: Codable, Sendable, Equatable {
    public var id: UUID
    public var residentId: UUID
    public var gridCode: String
    public var assessedOn: String
    public var total: Int
    public var level: CareLevel
    public var assessor: String
    public var nextDue: String
    public var note: String?
}

/// One planned service.
public struct CarePlanService: Codable, Sendable, Equatable {
    public var service: String
    public var frequency: String
    public var providerKind: String
    public var providerName: String

    public init(service: String, frequency: String, providerKind: String, providerName: String) {
        self.service = service; self.frequency = frequency; self.providerKind = providerKind; self.providerName = providerName
    }

    enum CodingKeys: String, CodingKey {
        case service, frequency
        case providerKind = "provider_kind"
        case providerName = "provider_name"
    }
}

/// One planned service as a stored plan holds it (`CarePlanService` is the same as typed, before it is checked).
public struct CarePlannedService: Codable, Sendable, Equatable {
    public var service: CareService
    public var frequency: CareFrequency
    public var providerKind: CareProviderKind
    public var providerName: String

    enum CodingKeys: String, CodingKey {
        case service, frequency
        case providerKind = "provider_kind"
        case providerName = "provider_name"
    }
}

public struct CarePlanRecord: Sendable, Equatable {
    public var id: UUID
    public var residentId: UUID
    public var gridCode: String
    public var services: [CarePlannedService]
    public var startsOn: String
    public var endsOn: String?
    public var note: String?
    /// 未满60周岁纳入原因: recorded for a resident under 60, nil otherwise.
    public var under60Reason: String?
    public var version: Int
    public var updatedAt: Int64
}

public struct CareServiceRecord: Codable, Sendable, Equatable {
    public var id: UUID
    public var residentId: UUID
    public var gridCode: String
    public var service: CareService
    public var providedAt: Int64
    public var providedOn: String
    public var durationMinutes: Int
    public var providerKind: CareProviderKind
    public var providerName: String
    public var feedback: String?
    public var satisfaction: Int?
    public var recordedBy: String
}

public struct CareCallRecord: Codable, Sendable, Equatable {
    public var id: UUID
    public var residentId: UUID
    public var gridCode: String
    public var status: CareCallStatus
    public var receivedAt: Int64
    public var assignedTo: String?
    public var assignedAt: Int64?
    public var respondedAt: Int64?
    public var closedAt: Int64?
    public var note: String?
    public var version: Int
    /// Joined from the registry.
    public var residentName: String?
}

public struct CareFacilityRecord: Codable, Sendable, Equatable {
    public var id: UUID
    public var name: String
    public var kind: CareFacilityKind
    public var communityCode: String
    public var address: String?
    public var floorArea: Double
    public var beds: Int
    public var nursingBeds: Int
    public var setting: CareSetting
    public var version: Int
}

/// What the roll is filtered by.
public struct CareFilter: Sendable {
    public var gridCode: String?
    /// A level, or nil; `unassessed` lists those never assessed.
    public var level: CareLevel?
    public var unassessed = false
    public var flag: CareFlag?
    /// Assessment due or overdue (or never assessed).
    public var due = false
    /// Living alone without a 关爱巡访 in the last 7 days.
    public var missedVisit = false
    public init() {}
}

/// A care plan as typed.
public struct CarePlanDraft: Sendable {
    public var services: [CarePlanService]?
    public var startsOn: String?
    public var endsOn: String?
    public var note: String?
    /// The plan's version when it exists (absent for a first plan).
    public var version: Int?
    /// 未满60周岁纳入原因: required when the resident is under 60, ignored otherwise.
    public var under60Reason: String?
    public init(services: [CarePlanService]?, startsOn: String?, endsOn: String?, note: String?, version: Int?, under60Reason: String? = nil) {
        self.services = services; self.startsOn = startsOn; self.endsOn = endsOn; self.note = note; self.version = version
        self.under60Reason = under60Reason
    }
}

public struct CareRecordDraft: Sendable {
    public var service: String?
    public var providedAt: Date?
    public var durationMinutes: Int?
    public var providerKind: String?
    public var providerName: String?
    public var feedback: String?
    public var satisfaction: Int?
    public init(service: String?, providedAt: Date?, durationMinutes: Int?, providerKind: String?, providerName: String?,
                feedback: String?, satisfaction: Int?) {
        self.service = service; self.providedAt = providedAt; self.durationMinutes = durationMinutes; self.providerKind = providerKind
        self.providerName = providerName; self.feedback = feedback; self.satisfaction = satisfaction
    }
}

public struct CareFacilityDraft: Sendable {
    public var name: String?
    public var kind: String?
    public var communityCode: String?
    public var address: String?
    public var floorArea: Double?
    public var beds: Int?
    public var nursingBeds: Int?
    public var setting: String?
    public var version: Int?
    public init(name: String? = nil, kind: String? = nil, communityCode: String? = nil, address: String? = nil, floorArea: Double? = nil,
                beds: Int? = nil, nursingBeds: Int? = nil, setting: String? = nil, version: Int? = nil) {
        self.name = name; self.kind = kind; self.communityCode = communityCode; self.address = address; self.floorArea = floorArea
        self.beds = beds; self.nursingBeds = nursingBeds; self.setting = setting; self.version = version
    }
}

/// The care figures of an area.
public struct CareFigures: Sendable, Equatable {
    public var elders = 0
    public var assessed = 0
    public var byLevel: [String: Int] = [:]
    public var due = 0
    public var withPlan = 0
    public var livingAlone = 0
    public var missedVisits = 0
    public var calls = CallResponseFigures()
    public var openCalls = 0
    public var communities: [CommunityCareArea] = []
}

/// One community against the floor-area standard, with its beds.
public struct CommunityCareArea: Sendable, Equatable {
    public var code: String
    public var name: String
    public var setting: CareSetting
    public var homeCareArea: Double
    public var beds: Int
    public var nursingBeds: Int
    public var minimum: Double { CareStandards.minimumArea(setting) }
    public var meetsStandard: Bool { CareStandards.meetsArea(total: homeCareArea, setting: setting) }
}
