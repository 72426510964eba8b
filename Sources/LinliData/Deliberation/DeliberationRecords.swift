import Foundation
import LinliCore

public struct MeetingRecord: Codable, Sendable, Equatable {
    public var id: UUID
    public var communityCode: String
    public var kind: MeetingKind
    public var title: String
    public var agenda: String
    public var heldOn: String
    public var place: String
    public var residents: Int
    public var otherResidents: Int
    /// One per line.
    public var units: String
    public var officials: String
    public var minutes: String?
    public var resolutions: Int
    public var version: Int
    public var recordedBy: String
    public var createdAt: Int64

    public var unitList: [String] { units.split(separator: "\n").map(String.init) }
    public var officialList: [String] { officials.split(separator: "\n").map(String.init) }
}

public struct ResolutionRecord: Codable, Sendable, Equatable {
    public var id: UUID
    public var meetingId: UUID
    public var communityCode: String
    public var heldOn: String
    public var text: String
    public var owner: String
    public var dueOn: String
    public var state: ResolutionState
    public var doneOn: String?
    public var requestNumber: String?
    public var version: Int
    public var createdAt: Int64

    /// Past its due date and not done.
    public func overdue(today: CivilDate) -> Bool { state == .open && dueOn < today.description }
}

public struct FollowUpRecord: Codable, Sendable, Equatable {
    public var id: UUID
    public var resolutionId: UUID
    public var onDate: String
    public var note: String
    public var done: Bool
    public var recordedBy: String
    public var createdAt: Int64
}

public struct ProposalRecord: Codable, Sendable, Equatable {
    public var id: UUID
    public var communityCode: String
    public var title: String
    public var what: String
    public var why: String
    public var cost: Int64?
    public var deadline: String
    public var publishedOn: String
    public var state: ProposalState
    public var decision: String?
    public var response: String?
    public var supports: Int
    public var comments: Int
    public var version: Int
    public var createdBy: String
    public var createdAt: Int64
    public var closedAt: Int64?
    /// Filled by the reads: the community's name.
    public var communityName: String?
}

public struct CommentRecord: Codable, Sendable, Equatable {
    public var id: UUID
    public var proposalId: UUID
    public var residentId: UUID
    /// Masked when written.
    public var author: String
    public var body: String
    public var hidden: Bool
    public var hideReason: String?
    public var hiddenBy: String?
    public var createdAt: Int64
}

/// A meeting with its resolutions and the participants linked to the registry (names masked).
public struct MeetingFile: Sendable {
    public var meeting: MeetingRecord
    public var communityName: String
    public var participants: [String]
    public var resolutions: [ResolutionRecord]
    public var followUps: [UUID: [FollowUpRecord]]
}

/// Who acts, as the deliberation writes see them.
public struct DeliberationActor: Sendable {
    public var audit: AuditActor
    public var scope: RegistryScope
    public var mayWrite: Bool
    public var mayModerate: Bool

    public init(audit: AuditActor, scope: RegistryScope, mayWrite: Bool, mayModerate: Bool) {
        self.audit = audit; self.scope = scope; self.mayWrite = mayWrite; self.mayModerate = mayModerate
    }
}
