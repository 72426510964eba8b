import Foundation
import LinliCore

/// 助残康复's audit actions.
public enum DisabilityAudit: String, AuditAction, CaseIterable {
    case register = "disability.card.register"
    case update = "disability.card.update"
    case end = "disability.card.end"
    case viewCard = "disability.card.view"
    case assess = "disability.assess"
    case service = "disability.service"
    case device = "disability.device"
    case demoLoad = "demo.disability"

    public static var all: [DisabilityAudit] { allCases }
    public var name: String { rawValue }
}

extension AuditTarget {
    /// A card by its masked number (the audit log holds no full card number).
    public static func disabilityCard(_ id: UUID) -> AuditTarget { AuditTarget("disability_card", id.uuidString.lowercased()) }
}
