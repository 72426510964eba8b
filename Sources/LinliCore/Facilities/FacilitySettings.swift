import Foundation

/// What the district sets for the service circles: the detour factor (a straight line is shorter than the walk)
/// and each kind's radius. Both are bounded so one figure typed wrong cannot make every building covered or none.
public struct FacilitySettings: Codable, Sendable, Equatable {
    public static let detourBounds = 1.0...3.0
    public static let radiusBounds = 100...3000
    public static let defaultDetour = 1.3

    public var detour: Double
    /// Radii set by the district, in metres; a kind not named keeps its circle's default.
    public var radii: [String: Int]
    public var version: Int

    public init(detour: Double = FacilitySettings.defaultDetour, radii: [String: Int] = [:], version: Int = 0) {
        self.detour = detour
        self.radii = radii
        self.version = version
    }

    public func radius(_ kind: FacilityKind) -> Int { radii[kind.rawValue] ?? kind.circle.defaultRadius }

    /// The straight-line distance within which a building counts as covered: radius ÷ detour factor.
    public func reach(_ kind: FacilityKind) -> Double { Double(radius(kind)) / detour }

    /// Errors of a proposed detour factor and radii (by kind code), each at its field.
    public static func check(detour: Double?, radii: [String: Int]) -> [FieldError] {
        var errors = FieldErrors()
        if let d = detour, !(d.isFinite && detourBounds.contains(d)) {
            errors.add("detour", "绕行系数应在1.0至3.0之间")
        }
        for (code, r) in radii.sorted(by: { $0.key < $1.key }) {
            guard let kind = FacilityKind(rawValue: code) else {
                errors.add("radii.\(code)", "未知的设施类型：\(code)")
                continue
            }
            if !radiusBounds.contains(r) { errors.add("radii.\(code)", "\(kind.label)的服务半径应为100至3000米") }
        }
        return errors.errors
    }
}

/// A point on the ground (WGS-84 degrees).
public struct GeoPoint: Codable, Sendable, Equatable {
    public var latitude: Double
    public var longitude: Double
    public init(latitude: Double, longitude: Double) { self.latitude = latitude; self.longitude = longitude }

    static let earthRadius = 6_371_008.8

    /// Great-circle (haversine) distance in metres.
    public func distance(to o: GeoPoint) -> Double {
        let toRad = Double.pi / 180
        let dLat = (o.latitude - latitude) * toRad, dLon = (o.longitude - longitude) * toRad
        let a = sin(dLat / 2) * sin(dLat / 2) + cos(latitude * toRad) * cos(o.latitude * toRad) * sin(dLon / 2) * sin(dLon / 2)
        return 2 * GeoPoint.earthRadius * asin(min(1, a.squareRoot()))
    }
}
