import Foundation
import LinliCore

/// 志愿者's audit actions.
public enum VolunteersAudit: String, AuditAction, CaseIterable {
    case linkAccount = "volunteers.link_account"
    case linkRefused = "volunteers.link_refused"
    case register = "volunteers.register"
    case confirm = "volunteers.confirm"
    case sign = "volunteers.sign"
    case withdraw = "volunteers.withdraw"
    case rejoin = "volunteers.rejoin"
    case teamCreate = "volunteers.team.create"
    case teamMember = "volunteers.team.member"
    case activityCreate = "volunteers.activity.create"
    case activityCancel = "volunteers.activity.cancel"
    case signUp = "volunteers.sign_up"
    case checkIn = "volunteers.check_in"
    case checkOut = "volunteers.check_out"
    case verify = "volunteers.verify"
    case correct = "volunteers.correct"
    case certificate = "volunteers.certificate"
    case export = "volunteers.export"
    case demoLoad = "demo.volunteers"

    public static var all: [VolunteersAudit] { allCases }
}

extension AuditTarget {
    public static func volunteer(_ id: UUID) -> AuditTarget { AuditTarget("volunteer", id.uuidString) }
    public static func volunteerActivity(_ id: UUID) -> AuditTarget { AuditTarget("volunteer_activity", id.uuidString) }
    public static func volunteerTeam(_ id: UUID) -> AuditTarget { AuditTarget("volunteer_team", id.uuidString) }
}
