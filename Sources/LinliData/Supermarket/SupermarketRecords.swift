import Foundation
import LinliCore

public struct SupermarketRecord: Codable, Sendable, Equatable {
    public var id: UUID
    /// The street's 9-digit prefix.
    public var streetCode: String
    public var streetName: String?
    public var name: String
    public var address: String
    public var openingHours: String
    public var keeperName: String
    public var keeperPhone: String
    public var open: Bool
    public var version: Int
    public var updatedAt: Int64

    /// The street's division code (12 digits).
    public var streetDivision: String { streetCode + "000" }
}

public struct SupermarketGoodsRecord: Codable, Sendable, Equatable {
    public var id: UUID
    public var supermarketId: UUID
    public var name: String
    public var category: SupermarketCategory
    public var unit: String
    public var price: Int
    public var stock: Int
    public var version: Int
}

public struct StockMoveRecord: Codable, Sendable, Equatable {
    public var id: UUID
    public var goodsId: UUID
    public var kind: StockMoveKind
    public var quantity: Int
    public var balance: Int
    public var reason: String?
    public var onDate: String
    public var recordedBy: String
    public var createdAt: Int64
}

/// A person at the counter: name and ID number masked, the balance, the household's assistance in payment.
public struct LovePointHolderRecord: Sendable, Equatable {
    public var residentId: UUID
    public var nameMasked: String
    public var idMasked: String
    public var gridCode: String
    public var householdId: UUID
    public var householdNumber: String
    public var balance: Int
    public var earned: Int
    public var spent: Int
    public var assistanceKind: AssistanceKind?
}

public struct LovePointEntryRecord: Codable, Sendable, Equatable {
    public var id: UUID
    public var residentId: UUID
    public var seq: Int
    public var kind: LovePointKind
    public var points: Int
    public var balance: Int
    public var shortfall: Int
    public var onDate: String
    public var reference: String?
    public var note: String?
    public var recordedBy: String
    public var createdAt: Int64
}

public struct RedemptionRecord: Codable, Sendable, Equatable {
    public var id: UUID
    public var supermarketId: UUID
    public var balanceAfter: Int
    public var residentId: UUID
    public var gridCode: String
    public var householdId: UUID
    public var assistanceKind: AssistanceKind?
    public var points: Int
    public var lines: String
    public var onDate: String
    public var status: String
    public var voidReason: String?
    public var recordedBy: String
    public var createdAt: Int64
    /// Filled by the lists: the holder's name, masked.
    public var holderName: String?

    public var voided: Bool { status == "voided" }
}

public struct LovePointRateRecord: Codable, Sendable, Equatable {
    public var kind: String
    public var points: Int
    public var effectiveFrom: String
    public var setBy: String
}

/// What a monthly allowance run did.
public struct AllowanceRunSummary: Sendable, Equatable {
    public var month: String
    /// Households credited now.
    public var credited = 0
    /// Households credited by an earlier run of the same month, left alone.
    public var already = 0
    /// Households whose applicant is no longer an active resident.
    public var skipped = 0
    public var points = 0

    public init(month: String) { self.month = month }
}

/// Who acts, as the supermarket writes see them.
public struct SupermarketActor: Sendable {
    public var audit: AuditActor
    public var scope: RegistryScope
    public var mayRedeem: Bool
    public var mayKeepGoods: Bool
    public var mayConfigure: Bool
    public var mayFullView: Bool

    public init(audit: AuditActor, scope: RegistryScope, mayRedeem: Bool, mayKeepGoods: Bool, mayConfigure: Bool, mayFullView: Bool) {
        self.audit = audit; self.scope = scope; self.mayRedeem = mayRedeem; self.mayKeepGoods = mayKeepGoods
        self.mayConfigure = mayConfigure; self.mayFullView = mayFullView
    }
}
