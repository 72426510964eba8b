import Foundation
import LinliCore

/// 爱心超市's audit actions.
public enum SupermarketAudit: String, AuditAction, CaseIterable {
    case create = "supermarket.create"
    case update = "supermarket.update"
    case goods = "supermarket.goods"
    case stock = "supermarket.stock"
    case redeem = "supermarket.redeem"
    case void = "supermarket.void"
    case adjust = "supermarket.adjust"
    case ledgerView = "supermarket.ledger_view"
    case export = "supermarket.export"
    case rate = "supermarket.rate"
    case allowance = "supermarket.allowance"
    case volunteerHours = "supermarket.volunteer_hours"
    case demoLoad = "demo.supermarket"

    public static var all: [SupermarketAudit] { allCases }
}

extension AuditTarget {
    public static func supermarket(_ id: UUID) -> AuditTarget { AuditTarget("supermarket", id.uuidString) }
    public static func lovePoints(_ resident: UUID) -> AuditTarget { AuditTarget("love_points", resident.uuidString) }
}
