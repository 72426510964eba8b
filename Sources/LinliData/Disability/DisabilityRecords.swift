import Foundation
import LinliCore

/// A card as the roll shows it: the holder's name (pages and the API mask it in lists), the masked number.
public struct DisabilityCardRecord: Codable, Sendable, Equatable {
    public var id: UUID
    public var residentId: UUID
    public var residentName: String
    public var birthDate: String
    public var householdId: UUID
    public var lifeStatus: String
    public var gridCode: String
    public var category: DisabilityCategory
    public var grade: Int
    public var numberMasked: String
    public var issuedOn: String
    public var validUntil: String?
    public var registeredOn: String
    public var status: String
    public var endedOn: String?
    public var endReason: String?
    public var lastAssessedOn: String?
    public var rehabUntil: String?
    public var version: Int

    public var cardGrade: DisabilityGrade { DisabilityGrade(rawValue: grade) ?? .four }
    public var active: Bool { status == DisabilityCardStatus.active.rawValue }

    public func overdue(today: CivilDate) -> Bool {
        active && CivilDate(registeredOn).map { DisabilityRules.assessmentOverdue(registeredOn: $0, lastAssessedOn: lastAssessedOn.flatMap(CivilDate.init), today: today) } == true
    }

    public func inRehab(today: CivilDate) -> Bool { (rehabUntil ?? "") >= DisabilityRules.rehabSince(today: today).description }
}

public enum DisabilityCardStatus: String, Codable, Sendable, CaseIterable {
    case active, ended
    public var label: String { self == .active ? "有效" : "已注销" }
}

public struct DisabilityAssessmentRecord: Codable, Sendable, Equatable {
    public var id: UUID
    public var assessedOn: String
    public var assessor: String
    public var needs: String
    public var result: AssessmentResult
    public var note: String?
    public var recordedBy: String
    public var needList: [DisabilityNeed] { needs.split(separator: ",").compactMap { DisabilityNeed(rawValue: String($0)) } }
}

public struct DisabilityServiceRecord: Codable, Sendable, Equatable {
    public var id: UUID
    public var setting: RehabSetting
    public var provider: String
    public var startedOn: String
    public var endedOn: String?
    public var sessions: Int?
    public var hours: Int?
    public var outcome: String?
    public var recordedBy: String
}

public struct DisabilityDeviceRecord: Codable, Sendable, Equatable {
    public var id: UUID
    public var device: String
    public var issuedOn: String
    public var source: DeviceSource
    public var recordedBy: String
}

/// A 社会救助 case of one of the two disability subsidies, read from `assistance_cases`.
public struct DisabilitySubsidyCase: Sendable, Equatable {
    public var id: UUID
    public var number: String
    public var kind: AssistanceKind
    public var stage: AssistanceStage
    public var amount: Int
}

/// What the holder's page shows of 社会救助: their subsidy cases and whether their household has 低保.
public struct DisabilitySubsidies: Sendable, Equatable {
    public var cases: [DisabilitySubsidyCase]
    public var inDibaoHousehold: Bool
    /// Kinds the rules make them eligible for with no case open or paid.
    public var missing: [AssistanceKind]
}

public struct DisabilityFilter: Sendable, Equatable {
    public var category: DisabilityCategory?
    public var grade: DisabilityGrade?
    public var status: DisabilityCardStatus? = .active
    public var overdue = false
    public var unassessed = false
    public init() {}
}

/// Counts of the roll in a scope, each an index range.
public struct DisabilityFigures: Sendable, Equatable {
    public var holders = 0
    public var assessed = 0
    public var inRehab = 0
    public var overdue = 0
}

/// The caller as the writes see them.
public struct DisabilityActor: Sendable {
    public var audit: AuditActor
    public var scope: RegistryScope
    public init(audit: AuditActor, scope: RegistryScope) { self.audit = audit; self.scope = scope }
}
