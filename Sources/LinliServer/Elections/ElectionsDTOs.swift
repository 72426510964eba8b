import Foundation
import LinliCore
import LinliData

struct ElectionDTO: Encodable, Sendable {
    var id: UUID
    var communityCode: String
    var communityName: String?
    var committeeKind: CommitteeKind
    var committeeLabel: String
    var method: ElectionMethod
    var seats: Int
    var viceChairs: Int
    var committee: [String]
    var rollPublishedOn: String
    var rollFrozenOn: String
    var candidatesPublishedOn: String
    var electionDay: String
    var status: ElectionStatus
    var statusLabel: String
    var round: Int
    var rollCount: Int
    var firstCast: Int?
    var turnout: Double?
    var firstBallot: Bool?
    var elected: Int
    var termStart: String?
    var termEnd: String?
    var version: Int

    init(_ e: ElectionRecord) {
        id = e.id; communityCode = e.communityCode; communityName = e.communityName; committeeKind = e.committeeKind; committeeLabel = e.committeeKind.label
        method = e.method; seats = e.seats; viceChairs = e.viceChairs; committee = e.committee.split(separator: "、").map(String.init)
        rollPublishedOn = e.rollPublishedOn; rollFrozenOn = e.rollFrozenOn; candidatesPublishedOn = e.candidatesPublishedOn; electionDay = e.electionDay
        status = e.status; statusLabel = e.status.label; round = e.round; rollCount = e.rollCount; firstCast = e.firstCast
        turnout = e.turnout.map { ($0 * 10).rounded() / 10 }; firstBallot = e.firstBallot; elected = e.elected; termStart = e.termStart; termEnd = e.termEnd
        version = e.version
    }
}

struct VoterDTO: Encodable, Sendable {
    var residentId: UUID
    var name: String
    var gridCode: String
    var birthDate: String
    var basis: VoterBasis
    var decision: String?
    init(_ v: VoterRecord) {
        residentId = v.residentId; name = v.name; gridCode = v.gridCode; birthDate = v.birthDate; basis = v.basis; decision = v.decision
    }
}

struct VoterPageDTO: Encodable, Sendable {
    var voters: [VoterDTO]
    var page: Int
    var more: Bool
}

struct CandidateDTO: Encodable, Sendable {
    var residentId: UUID
    var name: String
    var post: CommitteePost
    var round: Int
    init(_ c: CandidateRecord) { residentId = c.residentId; name = c.name; post = c.post; round = c.round }
}

struct MemberDTO: Encodable, Sendable {
    var residentId: UUID
    var name: String
    var post: CommitteePost
    var postLabel: String
    var round: Int
    var votes: Int
    var termStart: String
    var termEnd: String
    init(_ m: MemberRecord) {
        residentId = m.residentId; name = m.name; post = m.post; postLabel = m.post.label; round = m.round; votes = m.votes; termStart = m.termStart; termEnd = m.termEnd
    }
}

struct CountDTO: Encodable, Sendable {
    var issued: Int, returned: Int, valid: Int, invalid: Int
    var votes: [String: Int]
    init(_ c: StoredCount) { issued = c.issued; returned = c.returned; valid = c.valid; invalid = c.invalid; votes = c.votes }
}

struct BoxDTO: Encodable, Sendable {
    var id: UUID
    var round: Int
    var kind: BallotBoxKind
    var label: String
    var first: CountDTO?
    var firstBy: String?
    var second: CountDTO?
    var secondBy: String?
    var differences: [String]
    var confirmed: Bool
    var void: Bool
    var version: Int
    init(_ b: BoxRecord) {
        id = b.id; round = b.round; kind = b.kind; label = b.label; first = b.first.map(CountDTO.init); firstBy = b.firstBy
        second = b.second.map(CountDTO.init); secondBy = b.secondBy; differences = b.differences; confirmed = b.confirmed
        void = b.confirmed && (b.first?.count.isVoid ?? false); version = b.version
    }
}

struct ElectionFileDTO: Encodable, Sendable {
    var election: ElectionDTO
    var candidates: [CandidateDTO]
    var boxes: [BoxDTO]
    var members: [MemberDTO]
}

struct TallyDTO: Encodable, Sendable {
    var candidateId: UUID
    var votes: Int
}

struct RoundDTO: Encodable, Sendable {
    var election: ElectionDTO
    var cast: Int
    var valid: Bool
    var tallies: [TallyDTO]
    var elected: [UUID]
    /// Candidates sharing the last seat's count: reported, none of them elected in this round.
    var tied: [UUID]
    var voidBoxes: Int
    var outcome: String
    init(_ e: ElectionRecord, _ r: RoundResult) {
        election = ElectionDTO(e); cast = r.cast; valid = r.valid; tallies = r.tallies.map { TallyDTO(candidateId: $0.candidate, votes: $0.votes) }
        elected = r.elected; tied = r.tied; voidBoxes = r.voidBoxes; outcome = r.outcome.rawValue
    }
}
