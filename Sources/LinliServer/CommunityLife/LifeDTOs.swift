import Foundation
import LinliCore
import LinliData

struct VenueDTO: Encodable, Sendable {
    var id: UUID
    var communityCode: String
    var communityName: String?
    var name: String
    var owner: VenueOwner
    var unitName: String?
    var address: String
    var capacity: Int
    var free: Bool
    var fee: String?
    var hours: String
    var hoursLabel: String
    var facilityId: UUID?
    var open: Bool
    var version: Int

    init(_ v: VenueRecord) {
        id = v.id; communityCode = v.communityCode; communityName = v.communityName; name = v.name; owner = v.owner; unitName = v.unitName
        address = v.address; capacity = v.capacity; free = v.free; fee = v.fee; hours = v.hours; hoursLabel = v.weeklyHours.label
        facilityId = v.facilityId; open = v.open; version = v.version
    }
}

struct BookingDTO: Encodable, Sendable {
    var id: UUID
    var venueId: UUID
    var venueName: String?
    var day: String
    var start: String
    var end: String
    var purpose: BookingPurpose
    /// The resident's name, masked.
    var resident: String?
    var note: String?
    var status: BookingStatus
    var via: String

    init(_ b: BookingRecord) {
        id = b.id; venueId = b.venueId; venueName = b.venueName; day = b.day; start = LifeTime.clock(b.startMin); end = LifeTime.clock(b.endMin)
        purpose = b.purpose; resident = b.residentMasked; note = b.note; status = b.status; via = b.via
    }
}

struct ActivityDTO: Encodable, Sendable {
    var id: UUID
    var communityCode: String
    var communityName: String?
    var kind: ActivityKind
    var kindLabel: String
    var title: String
    var venueId: UUID?
    var place: String?
    var day: String
    var start: String
    var end: String
    var capacity: Int
    var signedUp: Int
    var attended: Int
    var status: ActivityStatus
    var description: String?
    var report: String?
    var version: Int

    init(_ a: ActivityRecord) {
        id = a.id; communityCode = a.communityCode; communityName = a.communityName; kind = a.kind; kindLabel = a.kind.label; title = a.title
        venueId = a.venueId; place = a.place; day = a.day; start = LifeTime.clock(a.startMin); end = LifeTime.clock(a.endMin); capacity = a.capacity
        signedUp = a.signedUp; attended = a.attended; status = a.status; description = a.description; report = a.report; version = a.version
    }
}

struct SignupDTO: Encodable, Sendable {
    var residentId: UUID
    /// The resident's name, masked.
    var resident: String
    var via: String
    var attended: Bool
    init(_ s: SignupRecord) { residentId = s.residentId; resident = s.residentMasked; via = s.via; attended = s.attended }
}

struct ActivityFileDTO: Encodable, Sendable {
    var activity: ActivityDTO
    var signups: [SignupDTO]
}

struct LifeFiguresDTO: Encodable, Sendable {
    var communityCode: String
    var communityName: String
    var venues: Int
    var unitVenues: Int
    var hoursMonth: Double
    var hoursYear: Double
    var activitiesHeld: Int
    var attendance: Int
    var legalEvents: Int

    init(_ f: LifeCommunityFigures) {
        communityCode = f.communityCode; communityName = f.communityName; venues = f.venues; unitVenues = f.unitVenues
        hoursMonth = Double(f.minutesMonth) / 60; hoursYear = Double(f.minutesYear) / 60; activitiesHeld = f.activitiesHeld; attendance = f.attendance
        legalEvents = f.legalEvents
    }
}

struct AwardCampaignDTO: Encodable, Sendable {
    var id: UUID
    var scopePrefix: String
    var year: Int
    var kind: AwardKind
    var kindLabel: String
    var stage: AwardStage
    var noticeFrom: String?
    var noticeTo: String?
    var version: Int

    init(_ c: AwardCampaignRecord) {
        id = c.id; scopePrefix = c.scopePrefix; year = c.year; kind = c.kind; kindLabel = c.kind.label; stage = c.stage; noticeFrom = c.noticeFrom
        noticeTo = c.noticeTo; version = c.version
    }
}

struct AwardNominationDTO: Encodable, Sendable {
    var id: UUID
    var communityCode: String
    var communityName: String?
    var nomineeKind: AwardNominee
    /// As the notice shows it (names masked).
    var nominee: String
    var reason: String
    var result: AwardResult
    var objections: Int

    init(_ n: AwardNominationRecord) {
        id = n.id; communityCode = n.communityCode; communityName = n.communityName; nomineeKind = n.nomineeKind; nominee = n.publicName
        reason = n.reason; result = n.result; objections = n.objections
    }
}

struct AwardCampaignFileDTO: Encodable, Sendable {
    var campaign: AwardCampaignDTO
    var nominations: [AwardNominationDTO]
}
