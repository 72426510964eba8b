import Foundation
import LinliCore

/// 捐赠物资接收点's audit actions.
public enum DonationsAudit: String, AuditAction, CaseIterable {
    case pointCreate = "donations.point.create"
    case pointUpdate = "donations.point.update"
    case receive = "donations.receive"
    case handOut = "donations.hand_out"
    case export = "donations.export"
    case demoLoad = "demo.donations"

    public static var all: [DonationsAudit] { allCases }
}

extension AuditTarget {
    public static func donationPoint(_ communityCode: String) -> AuditTarget { AuditTarget("donation_point", communityCode) }
}
