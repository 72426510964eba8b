import Foundation
import LinliCore

/// Who acts on the volunteers, with what they may do and see.
public struct VolunteersActor: Sendable {
    public var audit: AuditActor
    public var scope: RegistryScope
    /// Register, confirm, record paper agreements, withdraw, teams (volunteers.write).
    public var mayWrite: Bool
    /// Publish and run activities, verify and correct hours, issue certificates (volunteers.activities).
    public var mayRun: Bool

    public init(audit: AuditActor, scope: RegistryScope, mayWrite: Bool, mayRun: Bool) {
        self.audit = audit; self.scope = scope; self.mayWrite = mayWrite; self.mayRun = mayRun
    }
}

public struct VolunteerRecord: Codable, Sendable, Equatable {
    public var id: UUID
    public var residentId: UUID
    public var communityCode: String
    public var state: VolunteerState
    public var skills: String
    public var skillNote: String?
    public var serviceAreas: String
    public var availability: String
    public var registeredOn: String
    public var confirmedOn: String?
    public var signedOn: String?
    public var termsVersion: String?
    public var signature: VolunteerSignature?
    public var guardianName: String?
    public var guardianRelation: String?
    public var guardianConsentOn: String?
    public var withdrawnOn: String?
    public var minutes: Int
    public var lastServedOn: String?
    public var registeredVia: String
    public var version: Int
    // From the registry.
    public var name: String
    public var namePinyin: String
    public var idMasked: String
    public var birthDate: String
    public var gridCode: String
    public var communityName: String?

    public var skillList: [VolunteerSkill] { skills.split(separator: ",").compactMap { VolunteerSkill(rawValue: String($0)) } }
    public var areaList: [VolunteerServiceArea] { serviceAreas.split(separator: ",").compactMap { VolunteerServiceArea(rawValue: String($0)) } }
    public var availabilityList: [VolunteerAvailability] { availability.split(separator: ",").compactMap { VolunteerAvailability(rawValue: String($0)) } }
    public var star: VolunteerStar? { VolunteerStar.of(minutes: minutes) }
}

public struct VolunteerActivityRecord: Codable, Sendable, Equatable {
    public var id: UUID
    public var communityCode: String
    public var teamId: UUID?
    public var organizationId: UUID?
    public var projectId: UUID?
    public var title: String
    public var place: String
    public var detail: String?
    public var skills: String
    public var startsAt: Int64
    public var endsAt: Int64
    public var places: Int
    public var taken: Int
    public var code: String
    public var createdBy: String
    public var teamName: String?
    public var cancelledOn: String?
    public var cancelReason: String?

    public var skillList: [VolunteerSkill] { skills.split(separator: ",").compactMap { VolunteerSkill(rawValue: String($0)) } }
    public var lengthMinutes: Int { VolunteerRules.length(start: startsAt, end: endsAt) }
}

public struct VolunteerSignupRecord: Codable, Sendable, Equatable {
    public var id: UUID
    public var activityId: UUID
    public var volunteerId: UUID
    public var via: String
    public var signedUpAt: Int64
    public var checkInAt: Int64?
    public var checkOutAt: Int64?
    public var proposedMinutes: Int?
    public var verifiedMinutes: Int?
    public var verifiedAt: Int64?
    public var verifiedBy: String?
    public var name: String
}

public struct VolunteerHoursRecord: Codable, Sendable, Equatable {
    public var id: UUID
    public var volunteerId: UUID
    public var activityId: UUID?
    public var kind: String
    public var minutes: Int
    public var reason: String?
    public var servedOn: String
    public var recordedBy: String
    public var createdAt: Int64
    public var activityTitle: String?
}

public struct VolunteerTeamRecord: Codable, Sendable, Equatable {
    public var id: UUID
    public var communityCode: String
    public var name: String
    public var kind: VolunteerTeamKind
    public var skill: VolunteerSkill?
    public var organizationId: UUID?
    public var leaderId: UUID?
    public var members: Int
    public var minutes: Int
    public var version: Int
}

public struct VolunteerCertificateRecord: Codable, Sendable, Equatable {
    public var code: String
    public var volunteerId: UUID
    public var nameMasked: String
    public var communityName: String
    public var minutesByYear: String
    public var minutes: Int
    public var issuedOn: String
    public var issuedBy: String

    /// (year, minutes), oldest first.
    public var years: [(year: Int, minutes: Int)] {
        minutesByYear.split(separator: ";").compactMap { part in
            let kv = part.split(separator: "=")
            guard kv.count == 2, let y = Int(kv[0]), let m = Int(kv[1]) else { return nil }
            return (y, m)
        }
    }
}

/// What a verification or a correction changed for one person, known inside its transaction: the seam where
/// the love supermarket credits points.
public struct VolunteerHoursCredit: Sendable, Equatable {
    public var residentId: UUID
    public var volunteerId: UUID
    /// Minutes added (negative: taken back).
    public var minutes: Int
}

/// A registration as typed.
public struct VolunteerInput: Sendable {
    public var registration: VolunteerRules.Registration
    public init(_ registration: VolunteerRules.Registration) { self.registration = registration }
}

/// An activity as typed.
public struct VolunteerActivityInput: Sendable {
    public var communityCode: String?
    public var teamId: UUID?
    public var organizationId: UUID?
    public var projectId: UUID?
    public var title: String?
    public var place: String?
    public var detail: String?
    public var skills: [VolunteerSkill]
    public var startsAt: Int64?
    public var endsAt: Int64?
    public var places: Int?

    public init(communityCode: String? = nil, teamId: UUID? = nil, organizationId: UUID? = nil, projectId: UUID? = nil, title: String?, place: String?,
                detail: String? = nil, skills: [VolunteerSkill] = [], startsAt: Int64?, endsAt: Int64?, places: Int?) {
        self.communityCode = communityCode; self.teamId = teamId; self.organizationId = organizationId; self.projectId = projectId
        self.title = title; self.place = place; self.detail = detail; self.skills = skills; self.startsAt = startsAt; self.endsAt = endsAt
        self.places = places
    }
}
