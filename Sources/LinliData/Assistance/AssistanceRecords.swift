import Foundation
import LinliCore

/// A case as lists and the file show it: no incomes, assets or health (those are `DeclaredFacts`, sealed).
public struct AssistanceCaseRecord: Codable, Sendable, Equatable {
    public var id: UUID
    public var number: String
    public var kind: AssistanceKind
    public var stage: AssistanceStage
    public var householdId: UUID
    public var applicantId: UUID
    public var gridCode: String
    public var communityCode: String
    public var streetCode: String
    public var area: AssistanceArea
    public var members: Int
    public var amount: Int
    public var acceptedOn: String
    public var dueOn: String
    public var decidedOn: String?
    public var noticeFrom: String?
    public var noticeTo: String?
    public var approvalLevel: ApprovalLevel
    public var grantedFirst: Bool
    public var firstMonth: String?
    public var nextRecheckOn: String?
    public var endedOn: String?
    /// 不予批准 or 终止 reason.
    public var reason: String?
    public var acceptedBy: String
    public var version: Int
    public var updatedAt: Int64
    /// Joined from the registry.
    public var applicantName: String?
    public var householdNumber: String?
}

/// One member of a case's household, from the registry.
public struct AssistanceMemberRecord: Codable, Sendable, Equatable {
    public var residentId: UUID
    public var name: String
    public var idMasked: String
    public var birthDate: String
    public var relation: HouseholdRelation
    public var lifeStatus: LifeStatus
    public var residenceStatus: ResidenceStatus
}

public struct AssistanceStepRecord: Codable, Sendable, Equatable {
    public var id: UUID
    public var action: AssistanceAction
    public var fromStage: AssistanceStage
    public var toStage: AssistanceStage
    public var actor: String
    public var actorRole: String
    public var at: Int64
    public var doneOn: String
    public var note: String?
    public var detail: String?
}

public struct AssistanceAttachmentRecord: Codable, Sendable, Equatable {
    public var id: UUID
    public var caseId: UUID
    public var label: String
    public var contentType: String
    public var size: Int
    public var sha256: String
}

/// 公示 as the portal shows it: the given name masked, no ID number, no address, no income.
public struct AssistanceNoticeRecord: Codable, Sendable, Equatable {
    public var id: UUID
    public var number: String
    public var kind: AssistanceKind
    public var maskedName: String
    public var members: Int
    public var amount: Int
    public var noticeFrom: String
    public var noticeTo: String
    public var communityCode: String
}

public enum ObjectionStatus: String, Codable, Sendable, CaseIterable {
    case open, upheld, dismissed
    public var label: String {
        switch self {
        case .open: return "待处理"
        case .upheld: return "异议成立"
        case .dismissed: return "异议不成立"
        }
    }
}

public struct AssistanceObjectionRecord: Codable, Sendable, Equatable {
    public var id: UUID
    public var caseId: UUID
    public var caseNumber: String?
    public var lodgedAt: Int64
    public var text: String
    public var status: ObjectionStatus
    public var handledBy: String?
    public var handledAt: Int64?
    public var handlingNote: String?
}

/// 复核结果
public enum RecheckOutcome: String, Codable, Sendable, CaseIterable {
    case confirm, adjust, end
    public var label: String {
        switch self {
        case .confirm: return "维持"
        case .adjust: return "调整金额"
        case .end: return "终止救助"
        }
    }
}

public struct AssistanceRecheckRecord: Codable, Sendable, Equatable {
    public var id: UUID
    public var caseId: UUID
    public var dueOn: String
    public var doneOn: String
    public var outcome: RecheckOutcome
    public var oldAmount: Int
    public var newAmount: Int
    public var reason: String?
    public var doneBy: String
}

public struct AssistanceSettingRecord: Codable, Sendable, Equatable {
    public var kind: AssistanceKind
    public var approvalLevel: ApprovalLevel
    public var decisionDays: Int
    public var version: Int
}

/// A year's standard as stored: the standard itself (decoded from the same row) and who set it, at which version.
public struct AssistanceStandardRecord: Decodable, Sendable, Equatable {
    public var id: UUID
    public var standard: AssistanceStandard
    public var version: Int
    public var updatedBy: String
    public var updatedAt: Int64

    enum CodingKeys: String, CodingKey { case id, version, updatedBy, updatedAt }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(UUID.self, forKey: .id)
        version = try c.decode(Int.self, forKey: .version)
        updatedBy = try c.decode(String.self, forKey: .updatedBy)
        updatedAt = try c.decode(Int64.self, forKey: .updatedAt)
        standard = try AssistanceStandard(from: decoder)
    }
}

/// What the case list is filtered by.
public struct AssistanceFilter: Sendable {
    public var kind: AssistanceKind?
    public var stage: AssistanceStage?
    /// Pending and past the decision date.
    public var overdue = false
    /// Being paid and past the re-check date, or with a member who died or moved out.
    public var recheckDue = false
    public var gridCode: String?
    public init() {}
}

/// An application as typed: the household from the registry, its members' declarations, attachments.
public struct AssistanceApplication: Sendable {
    public var kind: AssistanceKind?
    public var householdId: UUID?
    public var applicantId: UUID?
    public var facts: DeclaredFacts
    public var attachments: [AttachmentUpload]
    public init(kind: AssistanceKind?, householdId: UUID?, applicantId: UUID?, facts: DeclaredFacts, attachments: [AttachmentUpload] = []) {
        self.kind = kind; self.householdId = householdId; self.applicantId = applicantId; self.facts = facts; self.attachments = attachments
    }
}

/// A scan as uploaded: an image or a PDF, checked by its bytes.
public struct AttachmentUpload: Sendable {
    public var filename: String
    public var data: [UInt8]
    public init(filename: String, data: [UInt8]) { self.filename = filename; self.data = data }
}

/// A step as typed. `detail` holds what the step found (source and date of a check, two investigators …).
public struct AssistanceStepInput: Sendable {
    public var action: AssistanceAction
    public var version: Int
    public var note: String?
    /// 家庭经济状况核对: where the result came from (民政核对平台, 银行, 不动产 …) and its date.
    public var checkSource: String?
    public var checkDate: String?
    public var checkResult: String?
    /// 入户调查: the two workers and the date.
    public var investigators: [String]
    public var visitDate: String?
    /// 公示: the last day (at least 7 days after the first).
    public var noticeFrom: String?
    public var noticeTo: String?
    /// 先行救助: the amount granted first (yuan).
    public var amount: Int?
    public init(action: AssistanceAction, version: Int, note: String? = nil, checkSource: String? = nil, checkDate: String? = nil,
                checkResult: String? = nil, investigators: [String] = [], visitDate: String? = nil, noticeFrom: String? = nil,
                noticeTo: String? = nil, amount: Int? = nil) {
        self.action = action; self.version = version; self.note = note; self.checkSource = checkSource; self.checkDate = checkDate
        self.checkResult = checkResult; self.investigators = investigators; self.visitDate = visitDate; self.noticeFrom = noticeFrom
        self.noticeTo = noticeTo; self.amount = amount
    }
}

/// Who acts, with what they may do (the server maps its permissions to this).
public struct AssistanceActor: Sendable {
    public var audit: AuditActor
    public var scope: RegistryScope
    /// The account's division level: a street officer approves delegated kinds in their street.
    public var mayWrite: Bool
    public var mayReview: Bool
    public var mayApprove: Bool
    public init(audit: AuditActor, scope: RegistryScope, mayWrite: Bool, mayReview: Bool, mayApprove: Bool) {
        self.audit = audit; self.scope = scope; self.mayWrite = mayWrite; self.mayReview = mayReview; self.mayApprove = mayApprove
    }
}
