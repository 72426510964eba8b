import LinliCore
import Testing

@Suite("设施与服务圈: rules")
struct FacilitiesRulesTests {
    let area = (latitude: 32.25...32.65, longitude: 119.75...120.15)
    let origin = GeoPoint(latitude: 32.40, longitude: 119.95)

    /// A point `north` and `east` metres from the origin.
    func at(_ north: Double, _ east: Double) -> GeoPoint {
        GeoPoint(latitude: origin.latitude + north / 111_195, longitude: origin.longitude + east / (111_195 * 0.84495))
    }

    @Test("kinds: every kind in one circle with the standard's radius; parsed by code or label")
    func kinds() {
        #expect(FacilityKind.market.circle == .ten)
        #expect(FacilityKind.healthStation.circle == .five)
        #expect(FacilityKind.healthCentre.circle == .fifteen)
        #expect(ServiceCircle.allCases.map(\.defaultRadius) == [300, 500, 1000])
        #expect(FacilityKind.parse("菜市场") == .market)
        #expect(FacilityKind.parse("market") == .market)
        #expect(FacilityKind.parse("超市") == nil)
        #expect(Set(FacilityKind.allCases.map(\.mark)).count == FacilityKind.allCases.count, "one mark per kind on the map")
    }

    @Test("settings: detour 1.0–3.0, radii 100–3000 m of known kinds; reach is radius ÷ detour")
    func settings() {
        #expect(FacilitySettings.check(detour: 1.3, radii: ["market": 600]).isEmpty)
        #expect(FacilitySettings.check(detour: 0.9, radii: [:]).map(\.field) == ["detour"])
        #expect(FacilitySettings.check(detour: 3.01, radii: [:]).map(\.field) == ["detour"])
        #expect(FacilitySettings.check(detour: .nan, radii: [:]).map(\.field) == ["detour"])
        #expect(FacilitySettings.check(detour: nil, radii: ["market": 99, "supermarket": 500]).map(\.field) == ["radii.market", "radii.supermarket"])
        #expect(FacilitySettings.check(detour: nil, radii: ["market": 3001]).map(\.field) == ["radii.market"])
        let s = FacilitySettings(detour: 1.25, radii: ["market": 600])
        #expect(s.radius(.market) == 600)
        #expect(s.radius(.primarySchool) == 500)
        #expect(s.reach(.market) == 480)
    }

    @Test("haversine: 0.01° of latitude is about 1,112 m")
    func distance() {
        let d = origin.distance(to: GeoPoint(latitude: 32.41, longitude: 119.95))
        #expect(abs(d - 1112) < 2)
        #expect(abs(origin.distance(to: at(0, 400)) - 400) < 2)
    }

    @Test("opening hours: days and times, overlaps and nonsense refused")
    func hours() throws {
        let h = try OpeningHours.parse("周一至周五 08:30-11:30,14:00-17:30；周六 09:00-12:00").get()
        #expect(h.isOpen(weekday: 0, minute: 9 * 60))
        #expect(!h.isOpen(weekday: 0, minute: 12 * 60))
        #expect(h.isOpen(weekday: 5, minute: 11 * 60 + 59))
        #expect(!h.isOpen(weekday: 6, minute: 10 * 60))
        #expect(h.weeklyMinutes == 5 * (180 + 210) + 180)
        #expect(try OpeningHours.parse("24小时").get().weeklyMinutes == 7 * 1440)
        #expect(try OpeningHours.parse("每天 06:00-20:00").get().isOpen(weekday: 6, minute: 6 * 60))
        for bad in ["", "随时", "周一至周五", "周八 08:00-09:00", "周五至周一 08:00-09:00", "周一 18:00-08:00", "周一 08:00-25:00",
                    "周一 08:00-12:00；周一至周二 11:00-13:00", "周一 8:0-9:00"] {
            guard case .failure(let e) = OpeningHours.parse(bad) else { Issue.record("accepted \(bad)"); continue }
            #expect(e.field == "opening_hours")
        }
    }

    @Test("a facility: name, kind, address, point inside the district, hours, operator")
    func facility() throws {
        let ok = FacilityInput(name: "东关菜市场", kind: "market", communityCode: "321002001001", address: "东关街1号", latitude: 32.40, longitude: 119.95,
                               openingHours: "每天 06:00-18:00", operatorName: "东关市场管理有限公司")
        let f = try FacilityRules.check(ok, area: area).get()
        #expect(f.kind == .market && f.point == GeoPoint(latitude: 32.40, longitude: 119.95))
        var outside = ok
        outside.latitude = 31.0
        outside.longitude = 121.0
        guard case .failure(let e) = FacilityRules.check(outside, area: area) else { Issue.record("outside accepted"); return }
        #expect(e.errors.map(\.field) == ["latitude", "longitude"])
        let empty = FacilityInput()
        guard case .failure(let all) = FacilityRules.check(empty, area: area) else { Issue.record("empty accepted"); return }
        #expect(all.errors.map(\.field) == ["name", "kind", "address", "latitude", "opening_hours", "operator_name"])
        var half = ok
        half.longitude = nil
        guard case .failure(let h) = FacilityRules.check(half, area: area) else { Issue.record("half a point accepted"); return }
        #expect(h.errors.map(\.field) == ["longitude"])
        var huge = ok
        huge.latitude = 1e300
        guard case .failure(let x) = FacilityRules.check(huge, area: area) else { Issue.record("1e300 accepted"); return }
        #expect(x.errors.map(\.field) == ["latitude"])
    }

    @Test("buckets: within and nearest agree with a scan of every point")
    func buckets() {
        var state: UInt64 = 7
        func next(_ r: ClosedRange<Int>) -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(r.lowerBound + Int((state >> 33) % UInt64(r.upperBound - r.lowerBound + 1)))
        }
        let points = (0..<400).map { _ in at(next(-3000...3000), next(-3000...3000)) }
        let index = PointBuckets(points, cellMetres: 230)
        for _ in 0..<100 {
            let p = at(next(-3500...3500), next(-3500...3500))
            let scan = points.indices.filter { points[$0].distance(to: p) <= 300 }
            #expect(index.within(300, of: p).sorted() == scan)
            let best = points.map { $0.distance(to: p) }.min()!
            #expect(index.nearest(to: p, limit: 5000).map { abs($0 - best) < 1e-6 } == true)
        }
        #expect(index.nearest(to: at(20_000, 0), limit: 5000) == nil)
    }

    @Test("coverage: distance × detour within the radius; a circle is covered when every kind of it is")
    func coverage() {
        let buildings = [CoverageBuilding(point: at(0, 0), residents: 100), CoverageBuilding(point: at(0, 380), residents: 50),
                         CoverageBuilding(point: at(0, 400), residents: 30)]
        // Market at the origin: reach 500 / 1.3 = 384.6 m, so the building at 380 m is covered and the one at 400 m not.
        let c = CoverageComputation.compute(buildings: buildings, facilities: [.market: [at(0, 0)]], settings: FacilitySettings(),
                                            kinds: [.market, .primarySchool])
        #expect(c.covered[0] == [true, true, false])
        #expect(c.covered[1] == [false, false, false], "no school at all")
        #expect(abs((c.nearest[0][2] ?? 0) - 400) < 2)
        #expect(c.nearest[1][0] == nil)
        #expect(!c.coversCircle(.ten, building: 0))
        let wider = CoverageComputation.compute(buildings: buildings, facilities: [.market: [at(0, 0)]], settings: FacilitySettings(detour: 1.0),
                                                kinds: [.market])
        #expect(wider.covered[0] == [true, true, true])
        #expect(wider.coversCircle(.ten, building: 2))
        var share = CoverageShare()
        for (b, cov) in zip(buildings, c.covered[0]) { share.add(residents: b.residents, covered: cov) }
        #expect(share == CoverageShare(buildings: 3, buildingsCovered: 2, residents: 180, residentsCovered: 150))
        #expect(share.residentsPercent == 83.3)
    }

    @Test("gap: the building point that reaches the most uncovered residents; before → after")
    func gap() throws {
        // Two clusters east of a covered building: 3 × 40 residents around 1,000 m, 1 × 200 at 2,000 m.
        let buildings = [CoverageBuilding(point: at(0, 0), residents: 100),
                         CoverageBuilding(point: at(0, 1000), residents: 40), CoverageBuilding(point: at(100, 1000), residents: 40),
                         CoverageBuilding(point: at(-100, 1050), residents: 40), CoverageBuilding(point: at(0, 2000), residents: 200)]
        let covered = [true, false, false, false, false]
        let first = try #require(GapAnalysis.best(buildings: buildings, covered: covered, reach: 300))
        #expect(first.building == 4 && first.residentsGained == 200 && first.buildingsGained == 1)
        #expect(first.before.residentsPercent == 23.8)
        #expect(first.after.residentsPercent == 71.4)
        // With a reach that takes in the whole cluster, the cluster (120) still loses to 200 at one point …
        let placed = GapAnalysis.greedy(buildings: buildings, covered: covered, reach: 300, count: 5)
        #expect(placed.map(\.building) == [4, 1])
        #expect(placed[1].residentsGained == 120)
        #expect(placed.last?.after.residentsPercent == 100)
        #expect(GapAnalysis.best(buildings: buildings, covered: Array(repeating: true, count: 5), reach: 300) == nil)
        #expect(GapAnalysis.greedy(buildings: buildings, covered: covered, reach: 300, count: 5, target: 70).count == 1)
    }
}
