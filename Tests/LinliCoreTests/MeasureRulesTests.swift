import LinliCore
import Testing

private let catalogue = [
    MeasureDefinition(id: "registry.residents", label: "居民人数", kind: .count, unit: "人",
                      filters: [MeasureFilter("age_min", "年龄不小于", .integer(0...150)),
                                MeasureFilter("sex", "性别", .choice([MeasureChoice("male", "男"), MeasureChoice("female", "女")])),
                                MeasureFilter("living_alone", "独居", .flag)]),
    MeasureDefinition(id: "registry.households", label: "户数", kind: .count, unit: "户"),
]

private func check(_ id: String, _ filters: [String: String] = [:]) -> [FieldError] {
    MeasureRules.check(measureId: id, filters: filters, catalogue: catalogue, field: "fields[2]")
}

@Suite("一表通 measure catalogue rules: a field's measure and filters checked, the periods")
struct MeasureRulesTests {
    @Test("a known measure with valid filters passes; no filters at all passes")
    func valid() {
        #expect(check("registry.residents", ["age_min": "60", "sex": "female", "living_alone": "true"]).isEmpty)
        #expect(check("registry.residents", ["age_min": "0"]).isEmpty)
        #expect(check("registry.residents", ["age_min": "150"]).isEmpty)
        #expect(check("registry.households").isEmpty)
    }

    @Test("an unknown measure is refused at `<field>.measure`, and nothing else is said about it")
    func unknownMeasure() {
        let e = check("registry.pets", ["age_min": "abc"])
        #expect(e.map(\.field) == ["fields[2].measure"])
        #expect(e.first?.message.contains("registry.pets") == true)
        #expect(check("").map(\.field) == ["fields[2].measure"])
    }

    @Test("a filter the measure does not take is refused at `<field>.filters.<name>`")
    func unknownFilter() {
        #expect(check("registry.households", ["sex": "male"]).map(\.field) == ["fields[2].filters.sex"])
        #expect(check("registry.residents", ["colour": "red"]).map(\.field) == ["fields[2].filters.colour"])
    }

    @Test("bad values: out of range, not a number, a choice not offered, a flag not true/false; each at its filter, in name order")
    func badValues() {
        #expect(check("registry.residents", ["age_min": "151"]).map(\.field) == ["fields[2].filters.age_min"])
        #expect(check("registry.residents", ["age_min": "-1"]).map(\.field) == ["fields[2].filters.age_min"])
        #expect(check("registry.residents", ["age_min": "9223372036854775808"]).map(\.field) == ["fields[2].filters.age_min"])
        #expect(check("registry.residents", ["age_min": "1e3"]).map(\.field) == ["fields[2].filters.age_min"])
        #expect(check("registry.residents", ["sex": "男"]).first?.message == "“性别”只能取：男、女")
        #expect(check("registry.residents", ["living_alone": "yes"]).map(\.field) == ["fields[2].filters.living_alone"])
        let both = check("registry.residents", ["sex": "x", "age_min": "x"])
        #expect(both.map(\.field) == ["fields[2].filters.age_min", "fields[2].filters.sex"])
    }

    @Test("periods: this quarter or this year up to and including the reference date; the year when none is named")
    func periods() throws {
        let d = try #require(CivilDate("2026-08-15"))
        let q = MeasurePeriod.days(["period": "quarter"], on: d)
        #expect(q.start.description == "2026-07-01" && q.end.description == "2026-08-16")
        let y = MeasurePeriod.days(["period": "year"], on: d)
        #expect(y.start.description == "2026-01-01" && y.end.description == "2026-08-16")
        #expect(MeasurePeriod.days([:], on: d).start.description == "2026-01-01")
        let march = try #require(CivilDate("2026-03-31"))
        #expect(MeasurePeriod.days(["period": "quarter"], on: march).start.description == "2026-01-01")
        let december = try #require(CivilDate("2026-12-31"))
        let last = MeasurePeriod.days(["period": "quarter"], on: december)
        #expect(last.start.description == "2026-10-01" && last.end.description == "2027-01-01")
        // Seconds: the days at midnight in the district's time (UTC+8).
        let s = MeasurePeriod.seconds(["period": "year"], on: d)
        #expect(s.start == 1_767_225_600 - 8 * 3600)
        #expect(s.end - s.start == Int64(q.end.dayNumber - y.start.dayNumber) * 86_400)
    }
}
