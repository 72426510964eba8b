import Foundation
import LinliCore

/// An election as stored, with its community's name.
public struct ElectionRecord: Codable, Sendable, Equatable {
    public var id: UUID
    public var communityCode: String
    public var communityName: String?
    public var committeeKind: CommitteeKind
    public var method: ElectionMethod
    public var seats: Int
    public var viceChairs: Int
    public var committee: String
    public var rollPublishedOn: String
    public var rollFrozenOn: String
    public var candidatesPublishedOn: String
    public var electionDay: String
    public var status: ElectionStatus
    public var round: Int
    public var rollCount: Int
    public var firstCast: Int?
    public var firstBallot: Bool?
    public var elected: Int
    public var termStart: String?
    public var termEnd: String?
    public var version: Int

    /// Votes cast at the first ballot over the roll, in per cent (nil before the count).
    public var turnout: Double? {
        guard let cast = firstCast, rollCount > 0 else { return nil }
        return Double(cast) * 100 / Double(rollCount)
    }
}

/// What a worker gives to prepare an election.
public struct ElectionInput: Sendable {
    public var communityCode: String?
    public var method: ElectionMethod?
    public var seats: Int?
    public var viceChairs: Int?
    public var committee: [String]
    public var rollPublishedOn: CivilDate?
    public var rollFrozenOn: CivilDate?
    public var candidatesPublishedOn: CivilDate?
    public var electionDay: CivilDate?

    public init(communityCode: String?, method: ElectionMethod?, seats: Int?, viceChairs: Int?, committee: [String], rollPublishedOn: CivilDate?,
                rollFrozenOn: CivilDate?, candidatesPublishedOn: CivilDate?, electionDay: CivilDate?) {
        self.communityCode = communityCode; self.method = method; self.seats = seats; self.viceChairs = viceChairs; self.committee = committee
        self.rollPublishedOn = rollPublishedOn; self.rollFrozenOn = rollFrozenOn; self.candidatesPublishedOn = candidatesPublishedOn
        self.electionDay = electionDay
    }
}

/// A person on the roll; `name` is the full name, shown only where the caller may see it (the portal masks it).
public struct VoterRecord: Codable, Sendable, Equatable {
    public var residentId: UUID
    public var gridCode: String
    public var name: String
    public var nameInitials: String
    public var birthDate: String
    public var basis: VoterBasis
    public var decision: String?
}

public struct CandidateRecord: Codable, Sendable, Equatable {
    public var residentId: UUID
    public var name: String
    public var post: CommitteePost
    public var formal: Bool
    public var round: Int
}

public struct MemberRecord: Codable, Sendable, Equatable {
    public var residentId: UUID
    public var name: String
    public var post: CommitteePost
    public var round: Int
    public var votes: Int
    public var termStart: String
    public var termEnd: String
}

/// A box's count as stored in an entry (votes keyed by the candidate's resident id).
public struct StoredCount: Codable, Sendable, Equatable {
    public var issued: Int, returned: Int, valid: Int, invalid: Int
    public var votes: [String: Int]

    public init(_ c: BoxCount) {
        issued = c.issued; returned = c.returned; valid = c.valid; invalid = c.invalid
        votes = Dictionary(uniqueKeysWithValues: c.votes.map { ($0.key.uuidString, $0.value) })
    }

    public var count: BoxCount {
        BoxCount(issued: issued, returned: returned, valid: valid, invalid: invalid,
                 votes: Dictionary(votes.compactMap { k, v in UUID(uuidString: k).map { ($0, v) } }, uniquingKeysWith: +))
    }

    static func decode(_ text: String?) -> StoredCount? {
        guard let text, let data = text.data(using: .utf8) else { return nil }
        return try? JSONDecoder().decode(StoredCount.self, from: data)
    }

    var json: String {
        let e = JSONEncoder()
        e.outputFormatting = .sortedKeys
        return String(decoding: (try? e.encode(self)) ?? Data(), as: UTF8.self)
    }
}

public struct BoxRecord: Sendable, Equatable {
    public var id: UUID
    public var round: Int
    public var kind: BallotBoxKind
    public var label: String
    public var first: StoredCount?
    public var firstBy: String?
    public var second: StoredCount?
    public var secondBy: String?
    public var differences: [String]
    public var confirmed: Bool
    public var version: Int
}

/// Who acts, in what area, with what rights.
public struct ElectionsActor: Sendable {
    public var audit: AuditActor
    public var scope: RegistryScope
    public var mayWrite: Bool
    public var mayCount: Bool

    public init(audit: AuditActor, scope: RegistryScope, mayWrite: Bool, mayCount: Bool) {
        self.audit = audit; self.scope = scope; self.mayWrite = mayWrite; self.mayCount = mayCount
    }
}
