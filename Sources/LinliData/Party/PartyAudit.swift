import Foundation
import LinliCore

/// 社区党建's audit actions. `list` and `export` record every read of the member roll (政治面貌 is sensitive).
public enum PartyAudit: String, AuditAction, CaseIterable {
    case createOrg = "party.org.create"
    case updateOrg = "party.org.update"
    case addMember = "party.member.add"
    case updateMember = "party.member.update"
    case removeMember = "party.member.remove"
    case list = "party.member.list"
    case view = "party.member.view"
    case export = "party.member.export"
    case createCentre = "party.centre.create"
    case createBrand = "party.brand.create"
    case markActivity = "party.activity.mark"
    case demoLoad = "demo.party"

    public static var all: [PartyAudit] { allCases }
}

extension AuditTarget {
    public static func partyOrg(_ id: UUID) -> AuditTarget { AuditTarget("party_org", id.uuidString) }
    public static func partyMember(_ id: UUID) -> AuditTarget { AuditTarget("party_member", id.uuidString) }
    public static func partyCentre(_ id: UUID) -> AuditTarget { AuditTarget("party_centre", id.uuidString) }
    public static func partyBrand(_ id: UUID) -> AuditTarget { AuditTarget("party_brand", id.uuidString) }
}
