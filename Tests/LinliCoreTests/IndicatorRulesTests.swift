import LinliCore
import Testing

@Suite("Indicator rules")
struct IndicatorRulesTests {
    @Test("status and gap against a target, both directions")
    func status() {
        let atLeast = IndicatorTarget(.atLeast, 15)
        #expect(atLeast.status(of: 15) == .met && atLeast.status(of: 20) == .met)
        #expect(atLeast.status(of: 14) == .near && atLeast.status(of: 13.4) == .behind)
        #expect(atLeast.gap(12) == -3)
        let atMost = IndicatorTarget(.atMost, 24)
        #expect(atMost.status(of: 20) == .met && atMost.status(of: 25) == .near && atMost.status(of: 30) == .behind)
        #expect(atMost.gap(30) == -6 && atMost.text == "≤ 24")
    }

    @Test("age bands by whole years on the day, birthdays included")
    func ageBands() throws {
        let today = try civil(2026, 6, 30)
        #expect(try AgeBand.of(birth: civil(1966, 6, 30), on: today) == .elderly)
        #expect(try AgeBand.of(birth: civil(1966, 7, 1), on: today) == .working)
        #expect(try AgeBand.of(birth: civil(1946, 6, 30), on: today) == .oldestOld)
        #expect(try AgeBand.of(birth: civil(2008, 7, 1), on: today) == .minors)
        #expect(try AgeBand.of(birth: civil(2008, 6, 30), on: today) == .working)
    }

    @Test("catalog: codes unique, every plan target of the mission listed, unmeasured ones say what they need and compute nothing")
    func catalog() throws {
        // The capabilities' parts, as the server joins them (`Capabilities.indicatorCatalog`).
        let catalog = IndicatorCatalog(RegistryIndicators.definitions + RequestIndicators.definitions + CareIndicators.definitions
                                       + PlanTargets.definitions + DonationsIndicators.definitions
                                       + OrganizationsIndicators.definitions
                                       + VolunteersIndicators.definitions + ElectionsIndicators.definitions
                                       + DeliberationIndicators.definitions + DisclosureIndicators.definitions
                                       + SelfGovernmentIndicators.definitions)
        let codes = catalog.all.map(\.code)
        #expect(Set(codes).count == codes.count)
        var counts = IndicatorCounts()
        counts.residents = 100
        counts.ageBands = [20, 50, 20, 10]
        counts.communities = 2
        counts.communitiesOnPlatform = 1
        for d in catalog.all where !d.measured {
            #expect(d.needs?.isEmpty == false && d.target != nil && d.reading(counts) == nil && d.status(of: nil) == .notMeasured)
        }
        for name in ["城乡和谐社区达标率", "居民依法自治达标率", "村(居)委会换届选举率", "换届选举一次性成功率", "居家养老服务覆盖率",
                     "社会组织数", "社区志愿者注册率", "每千名老人养老床位数", "护理型床位占比", "居家养老服务场所面积达标率",
                     "捐赠物资接收点覆盖率", "社区无线网络覆盖率", "社区信息平台覆盖率"] {
            #expect(catalog.all.contains { $0.name == name }, "\(name)")
        }
        func definition(_ code: String) throws -> IndicatorDefinition { try #require(catalog.definition(code), "\(code)") }
        #expect(try definition("population.age_60_plus").reading(counts)?.value == 30)
        #expect(try definition("population.age_80_plus").reading(counts)?.value == 10)
        #expect(try definition("informatization.platform").reading(counts)?.value == 50)
        #expect(try definition("requests.on_time").reading(counts) == nil)
        #expect(IndicatorFormat.number(17.456) == "17.46" && IndicatorFormat.number(100) == "100" && IndicatorFormat.number(0.3) == "0.3")
        #expect(IndicatorFormat.number(-2.5) == "-2.5")
    }
}
