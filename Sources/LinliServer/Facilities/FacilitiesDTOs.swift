import Foundation
import LinliCore
import LinliData


struct FacilityDTO: Encodable, Sendable {
    var id: UUID
    var kind: String
    var kindLabel: String
    var circle: Int
    var name: String
    var communityCode: String
    var communityName: String?
    var address: String
    var latitude: Double?
    var longitude: Double?
    var openingHours: String?
    var operatorName: String?
    var source: String
    var version: Int

    init(_ f: FacilityRecord, staff: Bool = true) {
        id = f.id; kind = f.kind.rawValue; kindLabel = f.kind.label; circle = f.kind.circle.rawValue; name = f.name
        communityCode = f.communityCode; communityName = f.communityName; address = f.address; latitude = f.latitude; longitude = f.longitude
        openingHours = f.openingHours; operatorName = f.operatorName; source = f.source; version = staff ? f.version : 0
    }
}

struct FacilityKindDTO: Encodable, Sendable {
    var code: String
    var label: String
    var circle: Int
    var radius: Int
}

struct FacilitySettingsDTO: Encodable, Sendable {
    var detour: Double
    var radii: [String: Int]
    var version: Int
    var kinds: [FacilityKindDTO]

    init(_ s: FacilitySettings) {
        detour = s.detour; radii = s.radii; version = s.version
        kinds = FacilityKind.allCases.map { FacilityKindDTO(code: $0.rawValue, label: $0.label, circle: $0.circle.rawValue, radius: s.radius($0)) }
    }
}

struct CoverageRowDTO: Encodable, Sendable {
    var code: String
    var name: String
    var kind: String
    var buildings: Int
    var buildingsCovered: Int
    var residents: Int
    var residentsCovered: Int
    var residentsPercent: Double?

    init(_ r: CoverageRow) {
        code = r.code; name = r.name; kind = r.kind; buildings = r.share.buildings; buildingsCovered = r.share.buildingsCovered
        residents = r.share.residents; residentsCovered = r.share.residentsCovered; residentsPercent = r.share.residentsPercent
    }
}

struct UncoveredBuildingDTO: Encodable, Sendable {
    var buildingId: UUID
    var name: String
    var address: String
    var residents: Int
    var nearestMetres: Int?

    init(_ u: UncoveredBuilding) { buildingId = u.buildingID; name = u.name; address = u.address; residents = u.residents; nearestMetres = u.nearest }
}

struct GapDTO: Encodable, Sendable {
    var community: String
    var kind: String
    /// Nil when every resident is already within reach.
    var site: UncoveredBuildingDTO?
    var latitude: Double?
    var longitude: Double?
    var residentsGained: Int
    var buildingsGained: Int
    var beforePercent: Double?
    var afterPercent: Double?
}
