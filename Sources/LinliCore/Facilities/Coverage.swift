import Foundation

/// Points bucketed in square cells of a fixed size (degrees of latitude; longitude scaled at the points' latitude),
/// so "anything within r metres" looks at the few cells around a point instead of every point. The cells are one
/// dense grid over the points' bounding box (offsets into one array of indices), so a look-up is array indexing.
public struct PointBuckets: Sendable {
    public let points: [GeoPoint]
    let cellMetres: Double
    let lonScale: Double
    let row0: Int, col0: Int, rows: Int, cols: Int
    /// `items[start[c] ..< start[c + 1]]`: the indices of the points in cell c (row-major).
    let start: [Int32]
    let items: [Int32]

    static let metresPerDegree = 111_195.0
    /// At most this many cells: a grid that would be larger gets larger cells.
    static let maxCells = 4_000_000

    public init(_ points: [GeoPoint], cellMetres wanted: Double) {
        self.points = points
        let lat = points.isEmpty ? 32.45 : points.map(\.latitude).reduce(0, +) / Double(points.count)
        let scale = max(0.1, cos(lat * Double.pi / 180))
        lonScale = scale
        var size = max(50, wanted)
        func rc(_ p: GeoPoint, _ size: Double) -> (Int, Int) {
            (Int((p.latitude * Self.metresPerDegree / size).rounded(.down)), Int((p.longitude * Self.metresPerDegree * scale / size).rounded(.down)))
        }
        var cells = points.map { rc($0, size) }
        while true {
            let r = (cells.map(\.0).min() ?? 0, cells.map(\.0).max() ?? -1), c = (cells.map(\.1).min() ?? 0, cells.map(\.1).max() ?? -1)
            if (r.1 - r.0 + 1) * (c.1 - c.0 + 1) <= Self.maxCells { break }
            size *= 2
            cells = points.map { rc($0, size) }
        }
        cellMetres = size
        row0 = cells.map(\.0).min() ?? 0
        col0 = cells.map(\.1).min() ?? 0
        rows = points.isEmpty ? 0 : (cells.map(\.0).max() ?? 0) - row0 + 1
        cols = points.isEmpty ? 0 : (cells.map(\.1).max() ?? 0) - col0 + 1
        var counts = [Int32](repeating: 0, count: rows * cols + 1)
        for (r, c) in cells { counts[(r - row0) * cols + (c - col0) + 1] += 1 }
        for i in 1..<counts.count { counts[i] += counts[i - 1] }
        var fill = counts
        var items = [Int32](repeating: 0, count: points.count)
        for (i, (r, c)) in cells.enumerated() {
            let k = (r - row0) * cols + (c - col0)
            items[Int(fill[k])] = Int32(i)
            fill[k] += 1
        }
        start = counts
        self.items = items
    }

    func cell(_ p: GeoPoint) -> (Int, Int) {
        (Int((p.latitude * Self.metresPerDegree / cellMetres).rounded(.down)) - row0,
         Int((p.longitude * Self.metresPerDegree * lonScale / cellMetres).rounded(.down)) - col0)
    }

    /// Indices of the points within `metres` of `p`.
    public func within(_ metres: Double, of p: GeoPoint) -> [Int] {
        var found: [Int] = []
        let rings = Int((metres / cellMetres).rounded(.up))
        for r in 0...max(0, rings) { visitRing(p, ring: r) { i, d in if d <= metres { found.append(i) } } }
        return found
    }

    /// The distance to the nearest point, looking no further than `limit` metres (nil: none that near).
    public func nearest(to p: GeoPoint, limit: Double) -> Double? {
        guard !points.isEmpty else { return nil }
        var best: Double?
        let maxRings = Int((limit / cellMetres).rounded(.up))
        var ring = 0
        while ring <= maxRings {
            visitRing(p, ring: ring) { _, d in if d <= limit, d < (best ?? .infinity) { best = d } }
            // A point in a ring further out is at least `ring` cells away.
            if let b = best, b <= Double(ring) * cellMetres { break }
            ring += 1
        }
        return best
    }

    /// Calls `body` with each point in the cells `ring` cells around `p`'s (the square's border), skipping cells
    /// outside the grid.
    func visitRing(_ p: GeoPoint, ring: Int, _ body: (Int, Double) -> Void) {
        let (r0, c0) = cell(p)
        func visit(_ r: Int, _ c: Int) {
            guard r >= 0, r < rows, c >= 0, c < cols else { return }
            let k = r * cols + c
            var j = Int(start[k])
            let end = Int(start[k + 1])
            while j < end {
                let i = Int(items[j])
                body(i, p.distance(to: points[i]))
                j += 1
            }
        }
        if ring == 0 { visit(r0, c0); return }
        // The top and bottom rows of the square, then its left and right columns between them (clamped to the grid).
        let left = max(0, c0 - ring), right = min(cols - 1, c0 + ring)
        if left <= right {
            for r in [r0 - ring, r0 + ring] where r >= 0 && r < rows {
                for c in left...right { visit(r, c) }
            }
        }
        let lo = max(0, r0 - ring + 1), hi = min(rows - 1, r0 + ring - 1)
        if lo <= hi {
            for r in lo...hi {
                visit(r, c0 - ring)
                visit(r, c0 + ring)
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
