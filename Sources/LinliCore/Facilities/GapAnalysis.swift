import Foundation

/// Where one more facility of a kind would do the most good in a community: among the points of the community's
/// buildings (a facility is usually sited in or beside a building; no other candidate sites are known), the one
/// whose reach takes in the most residents not yet covered. Greedy: repeated, it places one facility at a time.
public struct GapChoice: Sendable, Equatable {
    /// Index of the building whose point is chosen.
    public var building: Int
    /// Residents and buildings that the new facility would cover and are not covered now.
    public var residentsGained: Int
    public var buildingsGained: Int
    public var before: CoverageShare
    public var after: CoverageShare
}

public enum GapAnalysis {
    /// The best single site, or nil when nobody is uncovered. Ties go to the building listed first.
    public static func best(buildings: [CoverageBuilding], covered: [Bool], reach: Double) -> GapChoice? {
        precondition(buildings.count == covered.count)
        var before = CoverageShare()
        for (b, c) in zip(buildings, covered) { before.add(residents: b.residents, covered: c) }
        let uncovered = buildings.indices.filter { !covered[$0] && buildings[$0].residents > 0 }
        guard !uncovered.isEmpty else { return nil }
        let index = PointBuckets(uncovered.map { buildings[$0].point }, cellMetres: reach)
        var best: (site: Int, residents: Int, buildings: Int)?
        for site in buildings.indices {
            let reached = index.within(reach, of: buildings[site].point)
            let r = reached.reduce(0) { $0 + buildings[uncovered[$1]].residents }
            if r > (best?.residents ?? 0) { best = (site, r, reached.count) }
        }
        guard let best else { return nil }
        var after = before
        after.buildingsCovered += best.buildings
        after.residentsCovered += best.residents
        return GapChoice(building: best.site, residentsGained: best.residents, buildingsGained: best.buildings, before: before, after: after)
    }

    /// Sites placed one after another until `count` are placed or the residents covered reach `target` per cent.
    public static func greedy(buildings: [CoverageBuilding], covered start: [Bool], reach: Double, count: Int, target: Double = 100) -> [GapChoice] {
        var covered = start, choices: [GapChoice] = []
        while choices.count < count, let c = best(buildings: buildings, covered: covered, reach: reach) {
            if let p = c.before.residentsPercent, p >= target { break }
            choices.append(c)
            let site = buildings[c.building].point
            for i in buildings.indices where !covered[i] && site.distance(to: buildings[i].point) <= reach { covered[i] = true }
        }
        return choices
    }
}
