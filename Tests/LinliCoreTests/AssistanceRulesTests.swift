import LinliCore
import Testing

private func member(_ id: String, age: Int, wages: Int = 0, yearly: Int = 0, capacity: LabourCapacity = .full, grade: Int? = nil) -> DeclaredMember {
    var incomes: [DeclaredIncome] = []
    if wages > 0 { incomes.append(DeclaredIncome(source: .wages, period: .month, amount: wages)) }
    if yearly > 0 { incomes.append(DeclaredIncome(source: .transfer, period: .year, amount: yearly)) }
    return DeclaredMember(residentId: id, age: age, labourCapacity: capacity, disabilityGrade: grade, illness: nil, incomes: incomes)
}

private let standard = AssistanceStandard(year: 2026, area: .urban, dibao: 900, tekun: 1170, disabilityLiving: 100, disabilityCare: 120, floor: 50,
                                          temporaryCap: 5000, medicalPercent: 70)

private func context(_ beneficiary: String = "a", assisted: Bool = false) -> EligibilityContext {
    EligibilityContext(standard: standard, beneficiary: beneficiary, householdAssisted: assisted)
}

private func fields(_ errors: [FieldError]) -> Set<String> { Set(errors.map(\.field)) }

@Suite("社会救助 rules: eligibility per kind, the 低保 gap, working days, re-checks, the workflow table")
struct AssistanceRulesTests {
    @Test("低保: a family of three with 1,500 yuan a month gets 900 × 3 − 1,500 = 1,200; a vehicle or two flats disqualify")
    func dibao() {
        let f = DeclaredFacts(members: [member("a", age: 45, wages: 150_000), member("b", age: 43), member("c", age: 12)],
                              assets: DeclaredAssets(deposits: 1_000_000, vehicles: 0, dwellings: 1), statedMonthlyIncome: 150_000)
        #expect(AssistanceRules.checkSums(f).isEmpty)
        #expect(AssistanceRules.check(.dibao, f, context()).isEmpty)
        #expect(AssistanceRules.amount(.dibao, f, standard) == 1200)
        var rich = f
        rich.assets = DeclaredAssets(deposits: 900 * 100 * 24 * 3 + 1, vehicles: 1, dwellings: 2)
        #expect(fields(AssistanceRules.check(.dibao, rich, context())) == ["assets.deposits", "assets.vehicles", "assets.dwellings"])
        // 900 a head or more is not below the standard.
        let enough = DeclaredFacts(members: [member("a", age: 45, wages: 90_000)], assets: DeclaredAssets(deposits: 0, vehicles: 0, dwellings: 1),
                                   statedMonthlyIncome: 90_000)
        #expect(fields(AssistanceRules.check(.dibao, enough, context())) == ["monthly_income"])
        // A gap under the floor is paid the floor: 900 − 880 = 20 → 50.
        let small = DeclaredFacts(members: [member("a", age: 45, wages: 88_000)], assets: DeclaredAssets(deposits: 0, vehicles: 0, dwellings: 1),
                                  statedMonthlyIncome: 88_000)
        #expect(AssistanceRules.amount(.dibao, small, standard) == 50)
    }

    @Test("income adds up: 12,000 a year is 1,000 a month; a stated total that differs by more than a yuan is refused at monthly_income")
    func sums() {
        let f = DeclaredFacts(members: [member("a", age: 70, yearly: 1_200_000)], assets: DeclaredAssets(deposits: 0, vehicles: 0, dwellings: 1),
                              statedMonthlyIncome: 100_000)
        #expect(f.monthlyIncome == 100_000)
        #expect(AssistanceRules.checkSums(f).isEmpty)
        var wrong = f
        wrong.statedMonthlyIncome = 100_101
        #expect(fields(AssistanceRules.checkSums(wrong)) == ["monthly_income"])
        #expect(Money.fen("12.5") == 1250 && Money.fen("0.05") == 5 && Money.fen("-1") == nil && Money.fen("1.234") == nil)
        #expect(Money.yuan(1250) == "12.50" && Money.yuan(100) == "1" && Money.yuan(5) == "0.05")
    }

    @Test("特困: an elder without income or an able supporter qualifies; one of working age, or with a supporter, does not")
    func tekun() {
        let elder = DeclaredFacts(members: [member("a", age: 72)], assets: DeclaredAssets(deposits: 0, vehicles: 0, dwellings: 1), statedMonthlyIncome: 0)
        #expect(AssistanceRules.check(.tekun, elder, context()).isEmpty)
        #expect(AssistanceRules.amount(.tekun, elder, standard) == 1170)
        var supported = elder
        supported.hasAbleSupporter = true
        #expect(fields(AssistanceRules.check(.tekun, supported, context())) == ["has_able_supporter"])
        let young = DeclaredFacts(members: [member("a", age: 40)], assets: DeclaredAssets(deposits: 0, vehicles: 0, dwellings: 1), statedMonthlyIncome: 0)
        #expect(fields(AssistanceRules.check(.tekun, young, context())) == ["members.labour_capacity"])
        // A severely disabled adult cannot work.
        let disabled = DeclaredFacts(members: [member("a", age: 40, grade: 2)], assets: DeclaredAssets(deposits: 0, vehicles: 0, dwellings: 1), statedMonthlyIncome: 0)
        #expect(AssistanceRules.check(.tekun, disabled, context()).isEmpty)
    }

    @Test("临时救助, 医疗救助 and the disability subsidies: each kind's own conditions")
    func otherKinds() {
        let base = DeclaredFacts(members: [member("a", age: 50, wages: 200_000), member("b", age: 48)],
                                 assets: DeclaredAssets(deposits: 0, vehicles: 0, dwellings: 1), statedMonthlyIncome: 200_000)
        // 支出型: 24,000 a year of income, 20,000 of medical costs: (24,000 − 20,000) / 12 / 2 = 166 a head, under 900.
        var expense = base
        expense.expense = 2_000_000
        expense.requested = 300_000
        #expect(AssistanceRules.check(.temporaryExpense, expense, context()).isEmpty)
        expense.expense = 100_000
        #expect(fields(AssistanceRules.check(.temporaryExpense, expense, context())) == ["expense"])
        var urgent = base
        urgent.requested = 600_000
        #expect(fields(AssistanceRules.check(.temporaryUrgent, urgent, context())) == ["emergency", "requested"])
        // 医疗救助: 1,000 a head is under 1.5 × 900 = 1,350, so the household is 低保边缘 and qualifies; 70 % of 2,000 is 1,400.
        var medical = base
        medical.expense = 200_000
        #expect(AssistanceRules.check(.medical, medical, context()).isEmpty)
        #expect(AssistanceRules.amount(.medical, medical, standard) == 1400)
        let care = DeclaredFacts(members: [member("a", age: 30, grade: 1)], assets: DeclaredAssets(deposits: 0, vehicles: 0, dwellings: 1), statedMonthlyIncome: 0)
        #expect(AssistanceRules.check(.disabilityCare, care, context()).isEmpty)
        let mild = DeclaredFacts(members: [member("a", age: 30, grade: 4)], assets: DeclaredAssets(deposits: 0, vehicles: 0, dwellings: 1), statedMonthlyIncome: 0)
        #expect(fields(AssistanceRules.check(.disabilityCare, mild, context())) == ["members.disability_grade"])
        #expect(AssistanceRules.check(.disabilityLiving, mild, context()).isEmpty)
        #expect(fields(AssistanceRules.check(.disabilityLiving, base, context())) == ["members.disability_grade"])
    }

    @Test("the decision is due 30 working days after 受理, weekends skipped; re-checks yearly for stable households, else six-monthly")
    func schedule() {
        let tuesday = CivilDate(year: 2026, month: 6, day: 30)!
        #expect(AssistanceSchedule.addingWorkingDays(30, to: tuesday).description == "2026-08-11")
        let friday = CivilDate(year: 2026, month: 7, day: 3)!
        #expect(AssistanceSchedule.addingWorkingDays(1, to: friday).description == "2026-07-06")
        #expect(AssistanceSchedule.isWeekend(CivilDate(year: 2026, month: 7, day: 4)!))
        #expect(AssistanceSchedule.addingMonths(6, to: CivilDate(year: 2026, month: 8, day: 31)!).description == "2027-02-28")
        #expect(AssistanceSchedule.recheckMonths(.dibao, stable: true) == 12)
        #expect(AssistanceSchedule.recheckMonths(.dibao, stable: false) == 6)
        #expect(AssistanceSchedule.recheckMonths(.tekun, stable: false) == 12)
        #expect(AssistanceSchedule.recheckMonths(.medical, stable: true) == nil)
        #expect(AssistanceSchedule.firstPaidMonth(approvedOn: CivilDate(year: 2026, month: 12, day: 15)!) == "2027-01")
        let stable = DeclaredFacts(members: [member("a", age: 65), member("b", age: 40, capacity: .none)],
                                   assets: DeclaredAssets(deposits: 0, vehicles: 0, dwellings: 1), statedMonthlyIncome: 0)
        #expect(stable.isStable)
    }

    @Test("the workflow as a table: 低保 may skip 民主评议 but nothing else; an objection sends it back to 入户调查")
    func workflow() {
        #expect(AssistanceWorkflow.actions(kind: .dibao, from: .accepted) == [.check, .refuse])
        #expect(AssistanceWorkflow.actions(kind: .dibao, from: .investigated) == [.deliberate, .review, .refuse])
        #expect(AssistanceWorkflow.next(kind: .dibao, from: .checked, by: .review) == nil)
        #expect(AssistanceWorkflow.next(kind: .dibao, from: .noticed, by: .reinvestigate) == .checked)
        #expect(AssistanceWorkflow.next(kind: .disabilityLiving, from: .noticed, by: .reinvestigate) == nil)
        #expect(AssistanceWorkflow.actions(kind: .temporaryUrgent, from: .accepted) == [.investigate, .refuse, .grantFirst])
        #expect(AssistanceWorkflow.actions(kind: .temporaryUrgent, from: .approved, grantedFirst: true) == [.supplement])
        #expect(AssistanceWorkflow.actions(kind: .medical, from: .reviewed) == [.approve, .refuse])
        #expect(AssistanceWorkflow.actions(kind: .dibao, from: .approved).isEmpty)
        #expect(AssistanceWorkflow.next(kind: .dibao, from: .refused, by: .approve) == nil)
    }
}
