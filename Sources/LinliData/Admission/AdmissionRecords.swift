import Foundation
import LinliCore

public struct AdmissionTaskRecord: Codable, Sendable, Equatable {
    public var id: UUID
    public var departmentCode: String
    public var kind: AdmissionTaskKind
    public var title: String
    public var status: AdmissionStatus
    public var validFrom: String
    public var validTo: String
    public var version: Int
    public var createdBy: String
    public var createdAt: Int64
    public var content: String
    public var basis: String
    public var reach: AdmissionReach
    public var streetCode: String?
    public var frequency: AdmissionFrequency
    public var staff: String
    public var fundsFen: Int64
    public var power: String
    public var note: String?
    public var reviewedBy: String?
    public var decidedBy: String?
    public var decidedOn: String?
    public var updatedAt: Int64
}

public struct AdmissionStepRecord: Codable, Sendable, Equatable {
    public var action: AdmissionAction
    public var note: String?
    public var byUser: String
    public var at: Int64
}

public struct AdmissionPushRecord: Codable, Sendable, Equatable {
    public var id: UUID
    public var communityCode: String
    public var departmentCode: String
    public var title: String
    public var pushedOn: String
    public var channel: AdmissionChannel
    public var note: String
    public var recordedBy: String
    public var createdAt: Int64
}

public struct AdmissionFundsRecord: Codable, Sendable, Equatable {
    public var id: UUID
    public var taskId: UUID
    public var communityCode: String
    public var year: Int
    public var amountFen: Int64
    public var receivedOn: String
    public var recordedBy: String
}

/// A department's figures for the supervision table: its tasks admitted and refused, and the tasks it pushed
/// without admission that communities refused.
public struct AdmissionDepartmentFigures: Sendable, Equatable {
    public var code: String
    public var name: String
    public var admitted: Int = 0
    public var refused: Int = 0
    public var pending: Int = 0
    public var unadmitted: Int = 0
}

/// An admitted task as one community sees it: what was promised it this year and what arrived.
public struct AdmissionCommunityTask: Sendable, Equatable {
    public var task: AdmissionTaskRecord
    public var promisedFen: Int64
    public var arrivedFen: Int64
}

/// Who is acting and what they may do.
public struct AdmissionActor: Sendable {
    public var audit: AuditActor
    public var scope: RegistryScope
    /// A department account's department.
    public var department: String?
    public var mayApply: Bool
    public var mayReview: Bool
    public var mayDecide: Bool
    public var mayCommunity: Bool

    public init(audit: AuditActor, scope: RegistryScope, department: String?, mayApply: Bool, mayReview: Bool, mayDecide: Bool, mayCommunity: Bool) {
        self.audit = audit; self.scope = scope; self.department = department; self.mayApply = mayApply; self.mayReview = mayReview
        self.mayDecide = mayDecide; self.mayCommunity = mayCommunity
    }

    /// Who sees tasks under review: the applying department its own, the district's reviewers all; others the admitted ones.
    public var seesAllStatuses: Bool { mayReview || mayDecide }
}
