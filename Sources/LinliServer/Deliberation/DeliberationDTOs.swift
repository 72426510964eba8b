import Foundation
import LinliCore
import LinliData

struct MeetingDTO: Encodable, Sendable {
    var id: UUID
    var communityCode: String
    var kind: MeetingKind
    var kindLabel: String
    var title: String
    var agenda: String
    var heldOn: String
    var place: String
    var residents: Int
    var units: [String]
    var officials: [String]
    var minutes: String?
    var resolutions: Int
    var version: Int

    init(_ m: MeetingRecord) {
        id = m.id; communityCode = m.communityCode; kind = m.kind; kindLabel = m.kind.label; title = m.title; agenda = m.agenda; heldOn = m.heldOn
        place = m.place; residents = m.residents; units = m.unitList; officials = m.officialList; minutes = m.minutes; resolutions = m.resolutions; version = m.version
    }
}

struct FollowUpDTO: Encodable, Sendable {
    var onDate: String
    var note: String
    var done: Bool
    var recordedBy: String

    init(_ f: FollowUpRecord) { onDate = f.onDate; note = f.note; done = f.done; recordedBy = f.recordedBy }
}

struct ResolutionDTO: Encodable, Sendable {
    var id: UUID
    var meetingId: UUID
    var text: String
    var owner: String
    var dueOn: String
    var state: ResolutionState
    var stateLabel: String
    var doneOn: String?
    var overdue: Bool
    var requestNumber: String?
    var version: Int
    var followUps: [FollowUpDTO]

    init(_ r: ResolutionRecord, today: CivilDate, followUps: [FollowUpRecord] = []) {
        id = r.id; meetingId = r.meetingId; text = r.text; owner = r.owner; dueOn = r.dueOn; state = r.state; stateLabel = r.state.label; doneOn = r.doneOn
        overdue = r.overdue(today: today); requestNumber = r.requestNumber; version = r.version; self.followUps = followUps.map(FollowUpDTO.init)
    }
}

struct MeetingFileDTO: Encodable, Sendable {
    var meeting: MeetingDTO
    var communityName: String
    /// Linked participants, names masked.
    var participants: [String]
    var resolutions: [ResolutionDTO]
}

struct ProposalDTO: Encodable, Sendable {
    var id: UUID
    var communityCode: String
    var communityName: String?
    var title: String
    var what: String
    var why: String
    var cost: Int64?
    var deadline: String
    var publishedOn: String
    var state: ProposalState
    var stateLabel: String
    var decision: String?
    var response: String?
    var supports: Int
    var comments: Int
    var version: Int

    init(_ p: ProposalRecord) {
        id = p.id; communityCode = p.communityCode; communityName = p.communityName; title = p.title; what = p.what; why = p.why; cost = p.cost
        deadline = p.deadline; publishedOn = p.publishedOn; state = p.state; stateLabel = p.state.label; decision = p.decision; response = p.response
        supports = p.supports; comments = p.comments; version = p.version
    }
}

struct CommentDTO: Encodable, Sendable {
    var id: UUID
    var author: String
    /// Nil when hidden: the reason stands in its place.
    var body: String?
    var hidden: Bool
    var hideReason: String?
    var createdAt: Int64

    init(_ c: CommentRecord) {
        id = c.id; author = c.author; body = c.hidden ? nil : c.body; hidden = c.hidden; hideReason = c.hideReason; createdAt = c.createdAt
    }
}

struct ProposalFileDTO: Encodable, Sendable {
    var proposal: ProposalDTO
    var comments: PageDTO<CommentDTO>
}
