import Foundation
import LinliCore

/// 社区生活's audit actions.
public enum LifeAudit: String, AuditAction, CaseIterable {
    case venueCreate = "life.venue.create"
    case venueUpdate = "life.venue.update"
    case book = "life.booking.create"
    case cancel = "life.booking.cancel"
    case noShow = "life.booking.no_show"
    case activityCreate = "life.activity.create"
    case activityCancel = "life.activity.cancel"
    case signUp = "life.activity.sign_up"
    case attendance = "life.activity.attendance"
    case campaignCreate = "life.award.create"
    case nominate = "life.award.nominate"
    case notice = "life.award.notice"
    case objection = "life.award.objection"
    case decide = "life.award.decide"
    case demoLoad = "demo.life"

    public static var all: [LifeAudit] { allCases }
}

extension AuditTarget {
    public static func lifeVenue(_ id: UUID) -> AuditTarget { AuditTarget("life_venue", id.uuidString) }
    public static func lifeAward(_ id: UUID) -> AuditTarget { AuditTarget("life_award", id.uuidString) }
    public static func lifeActivity(_ id: UUID) -> AuditTarget { AuditTarget("life_activity", id.uuidString) }
}
