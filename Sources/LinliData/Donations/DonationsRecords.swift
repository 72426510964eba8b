import Foundation
import LinliCore

/// A donation point as read (the keeper's phone masked; the full number only through `keeperPhone(of:)`).
public struct DonationPointRecord: Codable, Sendable, Equatable {
    public var id: UUID
    public var communityCode: String
    public var streetCode: String
    public var communityName: String?
    public var name: String
    public var address: String
    public var openingHours: String
    public var keeperName: String
    public var keeperPhoneMasked: String
    public var latitude: Double?
    public var longitude: Double?
    public var needs: String
    public var open: Bool
    public var lastActivityOn: String?
    public var version: Int
    public var updatedAt: Int64

    public var needsList: [String] { DonationRules.needs(fromLines: needs) }

    /// 寺巷社区捐赠物资接收点, or 寺巷社区 · 东院 when the name does not say the community.
    public var title: String { communityName.map { name.hasPrefix($0) ? name : $0 + " · " + name } ?? name }

    public func working(today: CivilDate) -> Bool {
        DonationRules.isWorking(open: open, lastActivity: lastActivityOn.flatMap(CivilDate.init), today: today)
    }
}

/// One item a point holds.
public struct DonationStockRecord: Codable, Sendable, Equatable {
    public var goods: String
    public var unit: String
    public var category: DonationCategory
    public var quantity: Int
}

/// A movement of a point's ledger with the balance of its item after it.
public struct DonationMovementRecord: Codable, Sendable, Equatable {
    public var id: UUID
    public var pointId: UUID
    public var kind: DonationMovementKind
    public var goods: String
    public var unit: String
    public var category: DonationCategory
    public var quantity: Int
    public var balance: Int
    public var onDate: String
    public var donor: String?
    public var householdId: UUID?
    public var householdNumber: String?
    public var assistanceKind: AssistanceKind?
    public var assistanceStage: AssistanceStage?
    public var note: String?
    public var recordedBy: String
    public var createdAt: Int64
}

/// A household a point may hand out to, with its social-assistance case (if any) as workers need to see it.
public struct DonationHouseholdRecord: Sendable, Equatable {
    public var id: UUID
    public var number: String
    public var gridCode: String
    public var members: Int
    /// The head's name, masked.
    public var headMasked: String?
    public var assistanceKind: AssistanceKind?
    public var assistanceStage: AssistanceStage?
}

/// Who writes, as the donation writes see them.
public struct DonationsActor: Sendable {
    public var audit: AuditActor
    public var scope: RegistryScope
    public var mayWrite: Bool
    public var mayManagePoints: Bool

    public init(audit: AuditActor, scope: RegistryScope, mayWrite: Bool, mayManagePoints: Bool) {
        self.audit = audit; self.scope = scope; self.mayWrite = mayWrite; self.mayManagePoints = mayManagePoints
    }
}
