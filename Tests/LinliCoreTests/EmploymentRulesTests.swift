import LinliCore
import Testing

private func facts(birth: CivilDate, sex: Sex, disabled: Bool = false, registered: CivilDate, dibao: Bool = false, zero: Bool = false) -> EmploymentFacts {
    EmploymentFacts(birth: birth, sex: sex, disabledTag: disabled, registeredOn: registered, dibaoHousehold: dibao, zeroEmploymentHousehold: zero)
}

@Suite("就业援助 rules: designation categories, dates, placement terms, the monthly allowance")
struct EmploymentRulesTests {
    @Test("大龄: a woman is older at 40, a man only at 50; each category needs its fact")
    func categories() throws {
        let today = try civil(2026, 6, 30), registered = try civil(2026, 5, 1)
        let woman40 = facts(birth: try civil(1986, 6, 30), sex: .female, registered: registered)
        #expect(EmploymentRules.supported(woman40, today: today) == [.older, .other])
        let man45 = facts(birth: try civil(1981, 1, 1), sex: .male, registered: registered)
        #expect(EmploymentRules.supported(man45, today: today) == [.other])
        let woman39 = facts(birth: try civil(1986, 7, 1), sex: .female, registered: registered)
        #expect(!EmploymentRules.supported(woman39, today: today).contains(.older))
        let all = facts(birth: try civil(1970, 1, 1), sex: .male, disabled: true, registered: try civil(2025, 6, 29), dibao: true, zero: true)
        #expect(EmploymentRules.supported(all, today: today) == Set(DifficultyCategory.allCases))
        // Registered exactly a year ago is not yet "over a year".
        let year = facts(birth: try civil(1990, 1, 1), sex: .male, registered: try civil(2025, 6, 30))
        #expect(!EmploymentRules.supported(year, today: today).contains(.longTerm))
    }

    @Test("a designation needs one category at least, each supported; 其他 needs its note")
    func designation() throws {
        let today = try civil(2026, 6, 30)
        let f = facts(birth: try civil(1995, 3, 3), sex: .male, registered: try civil(2026, 6, 1))
        #expect(EmploymentRules.checkDesignation([], note: nil, facts: f, today: today).map(\.field) == ["categories"])
        let older = EmploymentRules.checkDesignation([.older, .dibaoFamily], note: nil, facts: f, today: today)
        #expect(older.count == 2 && older.allSatisfy { $0.field == "categories" })
        #expect(EmploymentRules.checkDesignation([.other], note: "  ", facts: f, today: today).map(\.field) == ["category_note"])
        #expect(EmploymentRules.checkDesignation([.other], note: "刑满释放人员", facts: f, today: today).isEmpty)
        let disabled = facts(birth: try civil(1995, 3, 3), sex: .male, disabled: true, registered: try civil(2026, 6, 1))
        #expect(EmploymentRules.checkDesignation([.disabled], note: nil, facts: disabled, today: today).isEmpty)
    }

    @Test("dates: not in the future, not before the registration; working age 16 to 59; overdue after 30 days")
    func dates() throws {
        let today = try civil(2026, 6, 30), reg = try civil(2026, 6, 1)
        #expect(EmploymentRules.checkPastDay("2026-07-01", field: "exit_on", label: "退出日期", today: today).1.map(\.field) == ["exit_on"])
        #expect(EmploymentRules.checkPastDay("2026-05-31", field: "exit_on", label: "退出日期", today: today, notBefore: reg).1.map(\.field) == ["exit_on"])
        #expect(EmploymentRules.checkPastDay("2026-06-01", field: "exit_on", label: "退出日期", today: today, notBefore: reg).0 == reg)
        #expect(EmploymentRules.checkPastDay("2026-02-30", field: "x", label: "日期", today: today).0 == nil)
        #expect(EmploymentRules.checkAge(birth: try civil(2010, 7, 1), on: today).map(\.field) == ["resident_id"])
        #expect(EmploymentRules.checkAge(birth: try civil(2010, 6, 30), on: today).isEmpty)
        #expect(EmploymentRules.checkAge(birth: try civil(1966, 6, 30), on: today).map(\.field) == ["resident_id"])
        #expect(!EmploymentRules.isOverdue(lastContact: try civil(2026, 5, 31), today: today))
        #expect(EmploymentRules.isOverdue(lastContact: try civil(2026, 5, 30), today: today))
    }

    @Test("a placement ends within the term: 36 months from 2026-01-31 is 2029-01-31; a post needs a place and no negative allowance")
    func placements() throws {
        let start = try civil(2026, 1, 31)
        #expect(PublicWelfareRules.checkTerm(start: start, end: try civil(2029, 1, 31), termMonths: 36).isEmpty)
        #expect(PublicWelfareRules.checkTerm(start: start, end: try civil(2029, 2, 1), termMonths: 36).map(\.field) == ["end_on"])
        #expect(PublicWelfareRules.checkTerm(start: start, end: try civil(2026, 1, 30), termMonths: 36).map(\.field) == ["end_on"])
        #expect(Set(PublicWelfareRules.checkPost(title: "保洁", employer: "居委会", hoursPerWeek: 40, allowance: -1, places: 0).map(\.field))
                == ["monthly_allowance", "places"])
        #expect(PublicWelfareRules.checkPost(title: "保洁", employer: "居委会", hoursPerWeek: 40, allowance: 0, places: 1).isEmpty)
    }

    @Test("the allowance: a whole month whole; from the 16th of June 15 of 30 days; 1850 × 10/31 = 596.8 → 597")
    func allowance() throws {
        #expect(PublicWelfareRules.allowance(monthly: 1850, from: try civil(2026, 1, 1), to: try civil(2028, 12, 31), year: 2026, month: 6) == (30, 1850))
        #expect(PublicWelfareRules.allowance(monthly: 1800, from: try civil(2026, 6, 16), to: try civil(2029, 6, 15), year: 2026, month: 6) == (15, 900))
        #expect(PublicWelfareRules.allowance(monthly: 1850, from: try civil(2025, 1, 1), to: try civil(2026, 7, 10), year: 2026, month: 7) == (10, 597))
        #expect(PublicWelfareRules.allowance(monthly: 1850, from: try civil(2026, 8, 1), to: try civil(2029, 7, 31), year: 2026, month: 7) == (0, 0))
    }
}
