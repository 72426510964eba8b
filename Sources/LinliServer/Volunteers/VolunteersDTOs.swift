import Foundation
import LinliCore
import LinliData

/// A volunteer as lists and files show them: the name and ID number masked.
struct VolunteerDTO: Encodable, Sendable {
    var id: UUID
    var residentId: UUID
    var name: String
    var idNumber: String
    var communityCode: String
    var communityName: String?
    var state: VolunteerState
    var stateLabel: String
    var skills: [VolunteerSkill]
    var skillNote: String?
    var serviceAreas: [VolunteerServiceArea]
    var availability: [VolunteerAvailability]
    var registeredOn: String
    var confirmedOn: String?
    var signedOn: String?
    var termsVersion: String?
    var signature: VolunteerSignature?
    var minor: Bool
    var guardianName: String?
    var guardianRelation: String?
    var guardianConsentOn: String?
    var withdrawnOn: String?
    var hours: Double
    var star: Int?
    var starLabel: String?
    var lastServedOn: String?
    var version: Int

    init(_ v: VolunteerRecord) {
        id = v.id; residentId = v.residentId; name = Masking.name(v.name); idNumber = v.idMasked; communityCode = v.communityCode
        communityName = v.communityName; state = v.state; stateLabel = v.state.label; skills = v.skillList; skillNote = v.skillNote
        serviceAreas = v.areaList; availability = v.availabilityList; registeredOn = v.registeredOn; confirmedOn = v.confirmedOn; signedOn = v.signedOn
        termsVersion = v.termsVersion; signature = v.signature; minor = v.guardianName != nil
        guardianName = v.guardianName.map(Masking.name); guardianRelation = v.guardianRelation; guardianConsentOn = v.guardianConsentOn
        withdrawnOn = v.withdrawnOn; hours = Double(v.minutes) / 60; star = v.star?.rawValue; starLabel = v.star?.label; lastServedOn = v.lastServedOn
        version = v.version
    }
}

struct VolunteerActivityDTO: Encodable, Sendable {
    var id: UUID
    var communityCode: String
    var teamId: UUID?
    var teamName: String?
    var organizationId: UUID?
    var projectId: UUID?
    var title: String
    var place: String
    var detail: String?
    var skills: [VolunteerSkill]
    var startsAt: Int64
    var endsAt: Int64
    var places: Int
    var taken: Int
    /// The check-in code, for the organizer (shown at the activity); absent for others.
    var code: String?
    var cancelledOn: String?
    var cancelReason: String?

    init(_ a: VolunteerActivityRecord, showCode: Bool) {
        id = a.id; communityCode = a.communityCode; teamId = a.teamId; teamName = a.teamName; organizationId = a.organizationId; projectId = a.projectId
        title = a.title; place = a.place; detail = a.detail; skills = a.skillList; startsAt = a.startsAt; endsAt = a.endsAt; places = a.places
        taken = a.taken; code = showCode ? a.code : nil; cancelledOn = a.cancelledOn; cancelReason = a.cancelReason
    }
}

struct VolunteerSignupDTO: Encodable, Sendable {
    var id: UUID
    var activityId: UUID
    var volunteerId: UUID
    var name: String
    var via: String
    var signedUpAt: Int64
    var checkInAt: Int64?
    var checkOutAt: Int64?
    var proposedHours: Double?
    var verifiedHours: Double?
    var verifiedAt: Int64?

    init(_ s: VolunteerSignupRecord) {
        id = s.id; activityId = s.activityId; volunteerId = s.volunteerId; name = Masking.name(s.name); via = s.via; signedUpAt = s.signedUpAt
        checkInAt = s.checkInAt; checkOutAt = s.checkOutAt; proposedHours = s.proposedMinutes.map { Double($0) / 60 }
        verifiedHours = s.verifiedMinutes.map { Double($0) / 60 }; verifiedAt = s.verifiedAt
    }
}

struct VolunteerActivityFileDTO: Encodable, Sendable {
    var activity: VolunteerActivityDTO
    var signups: [VolunteerSignupDTO]
}

struct VolunteerHoursDTO: Encodable, Sendable {
    var id: UUID
    var activityId: UUID?
    var activityTitle: String?
    var kind: String
    var hours: Double
    var reason: String?
    var servedOn: String
    var recordedBy: String
    init(_ h: VolunteerHoursRecord) {
        id = h.id; activityId = h.activityId; activityTitle = h.activityTitle; kind = h.kind; hours = Double(h.minutes) / 60; reason = h.reason
        servedOn = h.servedOn; recordedBy = h.recordedBy
    }
}

struct VolunteerFileDTO: Encodable, Sendable {
    var volunteer: VolunteerDTO
    var hours: [VolunteerHoursDTO]
    var hoursByYear: [YearHoursDTO]
}

struct YearHoursDTO: Encodable, Sendable {
    var year: Int
    var hours: Double
}

struct VolunteerVerifyDTO: Encodable, Sendable {
    var signup: VolunteerSignupDTO
    /// Hours added to the volunteer by this verification (negative: taken back).
    var change: Double
}

struct VolunteerCorrectionDTO: Encodable, Sendable {
    var volunteerId: UUID
    var change: Double
}

struct VolunteerTeamDTO: Encodable, Sendable {
    var id: UUID
    var communityCode: String
    var name: String
    var kind: VolunteerTeamKind
    var skill: VolunteerSkill?
    var organizationId: UUID?
    var leaderId: UUID?
    var members: Int
    var hours: Double
    init(_ t: VolunteerTeamRecord) {
        id = t.id; communityCode = t.communityCode; name = t.name; kind = t.kind; skill = t.skill; organizationId = t.organizationId
        leaderId = t.leaderId; members = t.members; hours = Double(t.minutes) / 60
    }
}

struct VolunteerCertificateDTO: Encodable, Sendable {
    var code: String
    var name: String
    var communityName: String
    var hoursByYear: [YearHoursDTO]
    var hours: Double
    var issuedOn: String
    init(_ c: VolunteerCertificateRecord) {
        code = c.code; name = c.nameMasked; communityName = c.communityName; hoursByYear = c.years.map { YearHoursDTO(year: $0.year, hours: Double($0.minutes) / 60) }
        hours = Double(c.minutes) / 60; issuedOn = c.issuedOn
    }
}
