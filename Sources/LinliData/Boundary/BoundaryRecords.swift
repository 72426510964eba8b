import Foundation
import LinliCore

/// A change order as stored.
public struct BoundaryOrderRecord: Sendable, Equatable {
    public var id: UUID
    public var kind: BoundaryKind
    public var state: BoundaryState
    public var sources: [String]
    public var newNames: [String]
    public var receivingStreet: String?
    public var target: String?
    public var buildings: [UUID: Int]
    public var effectiveOn: CivilDate
    public var documentNo: String
    public var documentTitle: String
    /// The codes the order gave, once applied.
    public var plan: BoundaryPlan?
    public var createdBy: String
    public var createdAt: Int64
    public var approvedBy: String?
    public var appliedAt: Int64?
    public var version: Int

    /// The order's one-line description: "合并 A、B → 新名".
    public func summary(names: [String: String]) -> String {
        let from = sources.map { names[$0] ?? $0 }.joined(separator: "、")
        switch kind {
        case .merge: return "\(from) 合并为 \(newNames.first ?? "")"
        case .split: return "\(from) 拆分为 \(newNames.joined(separator: "、"))"
        case .move: return "\(from) 的\(buildings.count)幢楼调整至 \(target.map { names[$0] ?? $0 } ?? "")"
        }
    }
}

/// What an order does to the codes, worked out when it is previewed or applied.
public struct BoundaryPlan: Codable, Sendable, Equatable {
    public struct NewDivision: Codable, Sendable, Equatable {
        public var code: String
        public var name: String
        public var level: DivisionLevel
        public var kind: CommunityKind?
        public var parentCode: String
        public var boundary: String?
        /// The divisions it succeeds (区划沿革).
        public var predecessors: [String]
    }

    /// Every retired code → the code that takes over its records (a split's first new community takes those that
    /// follow no building).
    public var codes: [String: String] = [:]
    public var created: [NewDivision] = []
    /// A split's or move's buildings → their new grid.
    public var buildingGrids: [UUID: String] = [:]
    /// Retired codes with more than one successor: their accounts are flagged.
    public var divided: [String] = []
    /// The communities whose rows a street column may need to follow (new ones, and a move's target).
    public var touchedCommunities: [String] = []
    /// The codes read before and after (for the preview): the sources with their grids.
    public var olds: [String] = []
}

/// Before/after figures of one division in a preview.
public struct BoundaryFigures: Codable, Sendable, Equatable {
    public var code: String
    public var name: String
    public var residents: Int = 0
    public var households: Int = 0
    public var elders: Int = 0
    public var openRequests: Int = 0
    public var careRoll: Int = 0
    public var buildings: Int = 0
    public var grids: Int = 0

    public init(code: String, name: String) { self.code = code; self.name = name }

    mutating func add(_ o: BoundaryFigures) {
        residents += o.residents; households += o.households; elders += o.elders; openRequests += o.openRequests
        careRoll += o.careRoll; buildings += o.buildings; grids += o.grids
    }
}

public struct BoundaryPreview: Codable, Sendable, Equatable {
    public var before: [BoundaryFigures]
    public var after: [BoundaryFigures]
    public var plan: BoundaryPlan
}

/// One record's move in the division history (区划沿革).
public struct DivisionHistoryEntry: Codable, Sendable, Equatable {
    public var recordKind: String
    public var recordId: UUID
    public var oldCode: String
    public var newCode: String
    public var orderId: UUID
    public var effectiveOn: String
    public var documentNo: String
}

/// A retired division and its successor.
public struct RetiredDivision: Codable, Sendable, Equatable {
    public var code: String
    public var name: String
    public var level: DivisionLevel
    public var retiredOn: String
    public var successorCode: String?
    public var orderId: UUID?
}

/// An account whose division an order retired without a single successor.
public struct AccountFlag: Codable, Sendable, Equatable {
    public var id: UUID
    public var accountId: UUID
    public var username: String
    public var oldCode: String
    public var newCode: String
    public var orderId: UUID
    public var createdAt: Int64
}
