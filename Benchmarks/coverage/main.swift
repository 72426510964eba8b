// The coverage computation alone, optimised: swiftc -O -o /tmp/facbench Sources/LinliCore/Facilities/{Coverage,FacilityKind,FacilitySettings}.swift
//     Sources/LinliCore/Support/FieldError.swift Benchmarks/coverage/main.swift && /tmp/facbench 100000
// Random buildings and facilities (one per 50 buildings per kind) in the district's box; three rounds.
import Foundation
let n = Int(CommandLine.arguments.dropFirst().first ?? "100000") ?? 100000
var rng = SystemRandomNumberGenerator()
func point() -> GeoPoint { GeoPoint(latitude: Double.random(in: 32.25...32.65, using: &rng), longitude: Double.random(in: 119.75...120.15, using: &rng)) }
let homes = (0..<n).map { _ in CoverageBuilding(point: point(), residents: 57) }
var facilities: [FacilityKind: [GeoPoint]] = [:]
for kind in FacilityKind.allCases { facilities[kind] = (0..<max(1, n / 50)).map { _ in point() } }
var times: [Double] = []
for _ in 0..<3 {
    let t = Date()
    let c = CoverageComputation.compute(buildings: homes, facilities: facilities, settings: FacilitySettings())
    times.append(Date().timeIntervalSince(t))
    precondition(c.covered.count == 17)
}
print(n, times.sorted())
