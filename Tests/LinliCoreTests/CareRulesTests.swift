import LinliCore
import Testing

@Suite("Care rules")
struct CareRulesTests {
    func form(_ v: [BarthelItem: Int]) -> [String: Int] {
        var all = Dictionary(uniqueKeysWithValues: BarthelItem.allCases.map { ($0.rawValue, $0.maximum) })
        for (k, x) in v { all[k.rawValue] = x }
        return all
    }

    @Test("Barthel items: ten of them, scores adding to 100 at most")
    func items() {
        #expect(BarthelItem.allCases.count == 10)
        #expect(BarthelItem.allCases.reduce(0) { $0 + $1.maximum } == 100)
        #expect(BarthelItem.transfer.allowedScores == [0, 5, 10, 15] && BarthelItem.bathing.allowedScores == [0, 5])
    }

    @Test("score bands and levels at their boundaries")
    func levels() {
        #expect(CareLevel.of(total: 100) == .independent && DependencyBand.of(total: 100) == .none)
        #expect(CareLevel.of(total: 95) == .independent && DependencyBand.of(total: 95) == .light)
        #expect(CareLevel.of(total: 61) == .independent && DependencyBand.of(total: 61) == .light)
        #expect(CareLevel.of(total: 60) == .partlyDependent && DependencyBand.of(total: 60) == .moderate)
        #expect(CareLevel.of(total: 41) == .partlyDependent)
        #expect(CareLevel.of(total: 40) == .dependent && DependencyBand.of(total: 40) == .severe)
        #expect(CareLevel.of(total: 0) == .dependent)
    }

    @Test("a form is checked item by item, every fault named")
    func check() throws {
        let full = try BarthelScores.check(form([:])).get()
        #expect(full.total == 100 && full.level == .independent)
        let partly = try BarthelScores.check(form([.transfer: 5, .mobility: 5, .stairs: 0, .bathing: 0, .dressing: 5, .toilet: 5])).get()
        #expect(partly.total == 55 && partly.level == .partlyDependent)
        var bad = form([:])
        bad["bathing"] = 10
        bad["feeding"] = 7
        bad.removeValue(forKey: "stairs")
        bad["walking"] = 5
        guard case .failure(let errors) = BarthelScores.check(bad) else { Issue.record("accepted a bad form"); return }
        #expect(Set(errors.errors.map(\.field)) == ["scores.bathing", "scores.feeding", "scores.stairs", "scores.walking"])
        guard case .failure(let none) = BarthelScores.check(nil) else { Issue.record("accepted no form"); return }
        #expect(none.errors.map(\.field) == ["scores"])
    }

    @Test("the encoded form reads back, and refuses anything else")
    func encoding() throws {
        let s = try BarthelScores.check(form([.feeding: 5, .transfer: 10])).get()
        #expect(s.encoded == "5,5,5,10,10,10,10,10,15,10")
        #expect(BarthelScores(encoded: s.encoded) == s)
        #expect(BarthelScores(encoded: "5,5,5") == nil && BarthelScores(encoded: "5,7,5,10,10,10,10,10,15,10") == nil)
    }

    @Test("reassessment: a year for 自理, six months otherwise; month ends clamp")
    func reassessment() throws {
        let d = try civil(2026, 8, 31)
        #expect(try CareRules.nextDue(assessedOn: d, level: .independent) == civil(2027, 8, 31))
        #expect(try CareRules.nextDue(assessedOn: d, level: .dependent) == civil(2027, 2, 28))
        #expect(try civil(2027, 8, 31).addingMonths(6) == civil(2028, 2, 29))
        #expect(try civil(2026, 1, 15).addingMonths(-1) == civil(2025, 12, 15))
        let today = try civil(2026, 6, 30)
        #expect(CareRules.isAssessmentDue(nextDue: nil, today: today))
        #expect(CareRules.isAssessmentDue(nextDue: today, today: today))
        #expect(!CareRules.isAssessmentDue(nextDue: today.adding(days: 1), today: today))
    }

    @Test("elders from the birth date; flags from tags and age")
    func flags() throws {
        let today = try civil(2026, 6, 30)
        #expect(try CareRules.isElder(birth: civil(1966, 6, 30), today: today))
        #expect(try !CareRules.isElder(birth: civil(1966, 7, 1), today: today))
        #expect(try CareFlag.of(recordedTags: [.livingAlone, .lowIncome, .partyMember], birth: civil(1946, 6, 30), today: today)
                == [.livingAlone, .oldestOld, .lowIncome])
        #expect(try CareFlag.of(recordedTags: [.emptyNest], birth: civil(1946, 7, 1), today: today) == [.emptyNest])
    }

    @Test("living alone: a visit every 7 days, the 8th day is missed")
    func visits() throws {
        let today = try civil(2026, 6, 30)
        #expect(!CareRules.isVisitMissed(livingAlone: true, lastVisit: today.adding(days: -7), since: nil, today: today))
        #expect(CareRules.isVisitMissed(livingAlone: true, lastVisit: today.adding(days: -8), since: nil, today: today))
        #expect(!CareRules.isVisitMissed(livingAlone: false, lastVisit: nil, since: nil, today: today))
        #expect(CareRules.isVisitMissed(livingAlone: true, lastVisit: nil, since: nil, today: today))
        #expect(!CareRules.isVisitMissed(livingAlone: true, lastVisit: nil, since: today.adding(days: -3), today: today))
        #expect(CareRules.isVisitMissed(livingAlone: true, lastVisit: nil, since: today.adding(days: -8), today: today))
    }

    @Test("floor area: 300 m² urban, 450 m² rural; beds per thousand")
    func standards() {
        #expect(CareStandards.meetsArea(total: 300, setting: .urban) && !CareStandards.meetsArea(total: 299.9, setting: .urban))
        #expect(CareStandards.meetsArea(total: 450, setting: .rural) && !CareStandards.meetsArea(total: 449, setting: .rural))
        #expect(CareSetting.of(.village) == .rural && CareSetting.of(.community) == .urban)
        #expect(CareStandards.bedsPerThousandElders(beds: 50, elders: 1000) == 50)
        #expect(CareStandards.bedsPerThousandElders(beds: 5, elders: 0) == nil)
        #expect(CareFacilityKind.dayCare.isHomeCareSpace && !CareFacilityKind.institution.isHomeCareSpace)
    }

    @Test("calls: the state table and the response figures")
    func calls() {
        #expect(CareCallAction.assign.next(from: .received) == .assigned)
        #expect(CareCallAction.respond.next(from: .received) == .responded)
        #expect(CareCallAction.respond.next(from: .assigned) == .responded)
        #expect(CareCallAction.close.next(from: .assigned) == nil)
        #expect(CareCallAction.close.next(from: .responded) == .closed)
        #expect(CareCallAction.assign.next(from: .closed) == nil && CareCallAction.respond.next(from: .responded) == nil)
        let f = CallResponseFigures.of([(0, 600), (100, 100 + 1800), (0, 1801), (0, nil)])
        #expect(f.calls == 4 && f.responded == 3 && f.withinTarget == 2)
        #expect(f.totalSeconds == 600 + 1800 + 1801)
        #expect(CallResponseFigures.of([(0, nil)]).meanMinutes == nil)
        #expect(CallResponseFigures.of([(0, 600), (0, 1200)]).meanMinutes == 15)
    }

    @Test("overlapping records of one provider: half-open intervals, same name after trimming, any elder")
    func overlaps() {
        let nine: Int64 = 1_782_781_200 // 2026-06-30 09:00 China time
        let a = CareServiceSlot(provider: "网格员李梅", start: nine, durationMinutes: 30)
        // Inside, straddling the start, straddling the end, covering: all overlap.
        #expect(a.overlaps(CareServiceSlot(provider: "网格员李梅", start: nine + 600, durationMinutes: 5)))
        #expect(a.overlaps(CareServiceSlot(provider: " 网格员李梅 ", start: nine - 600, durationMinutes: 11)))
        #expect(a.overlaps(CareServiceSlot(provider: "网格员李梅", start: nine + 29 * 60, durationMinutes: 60)))
        #expect(a.overlaps(CareServiceSlot(provider: "网格员李梅", start: nine - 60, durationMinutes: 120)))
        // Adjacent on either side: no overlap; another provider at the same time: none.
        #expect(!a.overlaps(CareServiceSlot(provider: "网格员李梅", start: nine + 30 * 60, durationMinutes: 30)))
        #expect(!a.overlaps(CareServiceSlot(provider: "网格员李梅", start: nine - 600, durationMinutes: 10)))
        #expect(!a.overlaps(CareServiceSlot(provider: "网格员王芳", start: nine, durationMinutes: 30)))
        #expect(a.end == nine + 1800)
        let day = [CareServiceSlot(provider: "网格员李梅", start: nine + 3600, durationMinutes: 20), a]
        #expect(CareServiceSlot.firstOverlap(CareServiceSlot(provider: "网格员李梅", start: nine + 1500, durationMinutes: 60), in: day) == a)
        #expect(CareServiceSlot.firstOverlap(CareServiceSlot(provider: "网格员李梅", start: nine + 1800, durationMinutes: 30), in: day) == nil)
        // A set: the overlapping pairs, found across a long earlier record.
        let long = CareServiceSlot(provider: "x", start: 0, durationMinutes: 600)
        let pairs = CareServiceSlot.overlappingPairs([long, CareServiceSlot(provider: "x", start: 60, durationMinutes: 1),
                                                      CareServiceSlot(provider: "x", start: 36_000, durationMinutes: 1),
                                                      CareServiceSlot(provider: "x", start: 3600, durationMinutes: 1), a])
        #expect(pairs.count == 2 && pairs.allSatisfy { $0.0 == long })
        #expect(CareServiceSlot.overlappingPairs([a, CareServiceSlot(provider: "网格员李梅", start: a.end, durationMinutes: 5)]).isEmpty)
    }

    @Test("under 60: a plan needs the reason (kept trimmed); at 60 the reason does not apply; in care with it")
    func under60() throws {
        let today = try civil(2026, 6, 30)
        let young = try civil(1970, 1, 1), sixty = try civil(1966, 6, 30)
        #expect(throws: FieldError.self) { try Under60Reason.check(nil, birth: young, today: today).get() }
        #expect(throws: FieldError.self) { try Under60Reason.check("  ", birth: young, today: today).get() }
        #expect(throws: FieldError.self) { try Under60Reason.check("残", birth: young, today: today).get() }
        #expect(throws: FieldError.self) { try Under60Reason.check(String(repeating: "难", count: 101), birth: young, today: today).get() }
        if case .failure(let e) = Under60Reason.check(nil, birth: young, today: today) {
            #expect(e.field == "under_60_reason" && e.message.contains("未满60周岁纳入原因"))
        }
        #expect(try Under60Reason.check(" 残疾（肢体二级） ", birth: young, today: today).get() == "残疾（肢体二级）")
        #expect(try Under60Reason.check(nil, birth: sixty, today: today).get() == nil)
        #expect(try Under60Reason.check("失能", birth: sixty, today: today).get() == nil)
        #expect(Under60Reason.inCare(birth: sixty, today: today, planReason: nil))
        #expect(!Under60Reason.inCare(birth: young, today: today, planReason: nil))
        #expect(Under60Reason.inCare(birth: young, today: today, planReason: "失能"))
    }
}
