import Foundation
import LinliCore

public struct FacilityRecord: Codable, Sendable, Equatable {
    public var id: UUID
    public var kind: FacilityKind
    public var name: String
    public var communityCode: String
    public var address: String
    public var latitude: Double?
    public var longitude: Double?
    public var openingHours: String?
    public var operatorName: String?
    public var source: String
    public var version: Int
    public var communityName: String?

    public var point: GeoPoint? { latitude.flatMap { lat in longitude.map { GeoPoint(latitude: lat, longitude: $0) } } }
}

/// One row of the coverage snapshot: a community (or a street or the district, summed) and a kind or a circle.
public struct CoverageRow: Sendable, Equatable {
    public var code: String
    public var name: String
    /// A kind's code, or `circle5`, `circle10`, `circle15`.
    public var kind: String
    public var share: CoverageShare

    public init(code: String, name: String, kind: String, share: CoverageShare) {
        self.code = code; self.name = name; self.kind = kind; self.share = share
    }
}

public struct UncoveredBuilding: Sendable, Equatable {
    public var buildingID: UUID
    public var name: String
    public var address: String
    public var residents: Int
    public var nearest: Int?
}

/// What a community's map is drawn from (nothing personal: buildings' names and points, counts).
public struct CommunityMapData: Sendable {
    public struct Building: Sendable { public var id: UUID; public var name: String; public var point: GeoPoint; public var residents: Int; public var covered: Bool }
    public var community: DivisionRecord
    public var grids: [(name: String, ring: [GeoPoint])]
    public var buildings: [Building]
    public var facilities: [FacilityRecord]
}

public enum FacilitiesAudit: String, AuditAction, CaseIterable {
    case create = "facilities.create"
    case update = "facilities.update"
    case settings = "facilities.settings"
    case refresh = "facilities.refresh"
    case demoLoad = "demo.facilities"

    public static var all: [FacilitiesAudit] { allCases }
}

extension AuditTarget {
    public static func facility(_ id: UUID) -> AuditTarget { AuditTarget("facility", id.uuidString) }
    public static let facilitySettings = AuditTarget("facility_settings", "1")
}

extension CoverageRow {
    public static func circleKey(_ c: ServiceCircle) -> String { "circle\(c.rawValue)" }
    public var label: String {
        if let k = FacilityKind(rawValue: kind) { return k.label }
        return ServiceCircle.allCases.first { CoverageRow.circleKey($0) == kind }?.label ?? kind
    }
}
