import Foundation

/// Points bucketed in square cells of a fixed size (degrees of latitude; longitude scaled at the index's
/// latitude), so "anything within r metres" looks at the few cells around a point instead of every point.
public struct PointBuckets: Sendable {
    public let points: [GeoPoint]
    let cellMetres: Double
    let lonScale: Double
    var cells: [Int64: [Int32]] = [:]

    static let metresPerDegree = 111_195.0

    public init(_ points: [GeoPoint], cellMetres: Double) {
        self.points = points
        self.cellMetres = max(50, cellMetres)
        let lat = points.first?.latitude ?? 32.45
        lonScale = max(0.1, cos(lat * Double.pi / 180))
        for (i, p) in points.enumerated() { cells[key(cell(p)), default: []].append(Int32(i)) }
    }

    func cell(_ p: GeoPoint) -> (Int64, Int64) {
        (Int64((p.latitude * Self.metresPerDegree / cellMetres).rounded(.down)),
         Int64((p.longitude * Self.metresPerDegree * lonScale / cellMetres).rounded(.down)))
    }

    func key(_ c: (Int64, Int64)) -> Int64 { c.0 &* 1_000_003 &+ c.1 }

    /// Indices of the points within `metres` of `p`.
    public func within(_ metres: Double, of p: GeoPoint) -> [Int] {
        var found: [Int] = []
        visit(p, rings: Int64((metres / cellMetres).rounded(.up))) { i, d in if d <= metres { found.append(i) } }
        return found
    }

    /// The distance to the nearest point, looking no further than `limit` metres (nil: none that near).
    public func nearest(to p: GeoPoint, limit: Double) -> Double? {
        var best: Double?
        let maxRings = Int64((limit / cellMetres).rounded(.up))
        var ring: Int64 = 0
        while ring <= maxRings {
            visitRing(p, ring: ring) { _, d in if d <= limit, d < (best ?? .infinity) { best = d } }
            // A point found in ring k may be beaten only by one in ring k+1 (cells are squares).
            if let b = best, b <= Double(ring) * cellMetres { break }
            ring += 1
        }
        return best
    }

    func visit(_ p: GeoPoint, rings: Int64, _ body: (Int, Double) -> Void) {
        for r in 0...max(0, rings) { visitRing(p, ring: r, body) }
    }

    func visitRing(_ p: GeoPoint, ring: Int64, _ body: (Int, Double) -> Void) {
        let c = cell(p)
        for dy in -ring...ring {
            for dx in -ring...ring where abs(dy) == ring || abs(dx) == ring {
                guard let list = cells[key((c.0 + dy, c.1 + dx))] else { continue }
                for i in list { body(Int(i), p.distance(to: points[Int(i)])) }
            }
        }
    }
}

/// One building as coverage sees it.
public struct CoverageBuilding: Sendable, Equatable {
    public var point: GeoPoint
    public var residents: Int
    public init(point: GeoPoint, residents: Int) { self.point = point; self.residents = residents }
}

/// For every building and kind: the straight-line distance to the nearest facility of the kind (within a search
/// limit) and whether the building is covered — distance × detour factor within the kind's radius.
public struct CoverageComputation: Sendable {
    /// Beyond this a building's nearest facility is reported as "farther than" (nil), not searched for.
    public static let searchLimit = 5_000.0

    public var kinds: [FacilityKind]
    /// `nearest[k][b]`: metres from building b to the nearest facility of `kinds[k]`, nil beyond the limit.
    public var nearest: [[Double?]]
    public var covered: [[Bool]]

    public static func compute(buildings: [CoverageBuilding], facilities: [FacilityKind: [GeoPoint]], settings: FacilitySettings,
                               kinds: [FacilityKind] = FacilityKind.allCases) -> CoverageComputation {
        var nearest: [[Double?]] = [], covered: [[Bool]] = []
        for kind in kinds {
            let reach = settings.reach(kind)
            let points = facilities[kind] ?? []
            guard !points.isEmpty else {
                nearest.append(Array(repeating: nil, count: buildings.count))
                covered.append(Array(repeating: false, count: buildings.count))
                continue
            }
            // Cells no smaller than a twentieth of the search limit, so a building far from every facility looks at a bounded number of cells.
            let index = PointBuckets(points, cellMetres: max(reach, searchLimit / 20))
            var d: [Double?] = [], c: [Bool] = []
            d.reserveCapacity(buildings.count); c.reserveCapacity(buildings.count)
            for b in buildings {
                let n = index.nearest(to: b.point, limit: searchLimit)
                d.append(n)
                c.append(n.map { $0 <= reach } ?? false)
            }
            nearest.append(d); covered.append(c)
        }
        return CoverageComputation(kinds: kinds, nearest: nearest, covered: covered)
    }

    /// Whether building `b` reaches every kind of `circle`.
    public func coversCircle(_ circle: ServiceCircle, building b: Int) -> Bool {
        for (k, kind) in kinds.enumerated() where kind.circle == circle { if !covered[k][b] { return false } }
        return true
    }
}

/// Buildings and residents, and how many of them are covered.
public struct CoverageShare: Sendable, Equatable, Codable {
    public var buildings = 0, buildingsCovered = 0, residents = 0, residentsCovered = 0
    public init(buildings: Int = 0, buildingsCovered: Int = 0, residents: Int = 0, residentsCovered: Int = 0) {
        self.buildings = buildings; self.buildingsCovered = buildingsCovered; self.residents = residents; self.residentsCovered = residentsCovered
    }

    public mutating func add(residents r: Int, covered: Bool) {
        buildings += 1; residents += r
        if covered { buildingsCovered += 1; residentsCovered += r }
    }

    /// Residents covered, per cent (one decimal); nil when nobody lives there.
    public var residentsPercent: Double? { residents == 0 ? nil : (Double(residentsCovered) * 1000 / Double(residents)).rounded() / 10 }
}
