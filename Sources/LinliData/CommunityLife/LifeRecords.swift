import Foundation
import LinliCore

/// A venue as read.
public struct VenueRecord: Codable, Sendable, Equatable {
    public var id: UUID
    public var communityCode: String
    public var communityName: String?
    public var name: String
    public var owner: VenueOwner
    public var unitName: String?
    public var address: String
    public var capacity: Int
    public var free: Bool
    public var fee: String?
    public var hours: String
    public var facilityId: UUID?
    public var open: Bool
    public var version: Int
    public var updatedAt: Int64

    public var weeklyHours: WeeklyHours { WeeklyHours.parse(hours).0 ?? WeeklyHours([]) }
    /// "实验小学 · 风雨操场" for a unit's venue.
    public var title: String { owner == .unit ? (unitName ?? "") + " · " + name : name }
}

/// A booking as read; the resident's name masked.
public struct BookingRecord: Codable, Sendable, Equatable {
    public var id: UUID
    public var venueId: UUID
    public var venueName: String?
    public var communityCode: String
    public var day: String
    public var startMin: Int
    public var endMin: Int
    public var startsAt: Int64
    public var purpose: BookingPurpose
    public var residentId: UUID?
    public var residentName: String?
    public var activityId: UUID?
    public var note: String?
    public var status: BookingStatus
    public var bookedBy: String
    public var via: String
    public var createdAt: Int64

    public var slot: String { "\(day) \(LifeTime.clock(startMin))–\(LifeTime.clock(endMin))" }
    public var residentMasked: String? { residentName.map(Masking.name) }
}

/// An activity as read.
public struct ActivityRecord: Codable, Sendable, Equatable {
    public var id: UUID
    public var communityCode: String
    public var communityName: String?
    public var kind: ActivityKind
    public var title: String
    public var venueId: UUID?
    public var place: String?
    public var day: String
    public var startMin: Int
    public var endMin: Int
    public var startsAt: Int64
    public var capacity: Int
    public var signedUp: Int
    public var attended: Int
    public var status: ActivityStatus
    public var description: String?
    public var report: String?
    public var version: Int

    public var when: String { "\(day) \(LifeTime.clock(startMin))–\(LifeTime.clock(endMin))" }
    public var placesLeft: Int { max(0, capacity - signedUp) }
}

/// A resident signed up for an activity; the name masked.
public struct SignupRecord: Codable, Sendable, Equatable {
    public var residentId: UUID
    public var residentName: String
    public var via: String
    public var attended: Bool
    public var createdAt: Int64

    public var residentMasked: String { Masking.name(residentName) }
}

/// A community's figures for the summary: venues, units' venues, minutes booked (month, year), activities
/// held this year and their attendance, 普法 events.
public struct LifeCommunityFigures: Codable, Sendable, Equatable {
    public var communityCode: String
    public var communityName: String
    public var venues: Int
    public var unitVenues: Int
    public var minutesMonth: Int64
    public var minutesYear: Int64
    public var activitiesHeld: Int
    public var attendance: Int
    public var legalEvents: Int
}

/// Who writes, as the community-life writes see them: a worker of an area, or a resident for themselves.
public struct LifeActor: Sendable {
    public var audit: AuditActor
    public var scope: RegistryScope
    public var mayManage: Bool
    /// The registry's person behind a resident's account (实名核验), for their own bookings and sign-ups.
    public var resident: UUID?

    public var mayAward: Bool

    public init(audit: AuditActor, scope: RegistryScope, mayManage: Bool, resident: UUID? = nil, mayAward: Bool = false) {
        self.audit = audit; self.scope = scope; self.mayManage = mayManage; self.resident = resident; self.mayAward = mayAward
    }
}

/// An awards campaign as read.
public struct AwardCampaignRecord: Codable, Sendable, Equatable {
    public var id: UUID
    public var scopePrefix: String
    public var year: Int
    public var kind: AwardKind
    public var stage: AwardStage
    public var noticeFrom: String?
    public var noticeTo: String?
    public var version: Int
    public var nominations: Int?

    public var title: String { "\(year)年度\(kind.label)评选" }
}

/// A nomination as read; `nomineeName` in full (the console), masked on the portal.
public struct AwardNominationRecord: Codable, Sendable, Equatable {
    public var id: UUID
    public var campaignId: UUID
    public var communityCode: String
    public var communityName: String?
    public var nomineeKind: AwardNominee
    public var nomineeName: String
    public var reason: String
    public var result: AwardResult
    public var objections: Int

    /// As the notice shows it: 王*明家庭, 王*明, or the community's name.
    public var publicName: String {
        switch nomineeKind {
        case .household: return Masking.name(nomineeName) + "家庭"
        case .resident: return Masking.name(nomineeName)
        case .community: return nomineeName
        }
    }
}

public struct AwardObjectionRecord: Codable, Sendable, Equatable {
    public var id: UUID
    public var nominationId: UUID
    public var name: String
    public var body: String
    public var createdAt: Int64
}
