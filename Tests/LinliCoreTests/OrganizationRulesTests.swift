import LinliCore
import Testing

@Suite("Social organizations: rules")
struct OrganizationRulesTests {
    let today = CivilDate(year: 2026, month: 6, day: 30)!

    /// 91110000600037341L is the example of python-stdnum's `stdnum.cn.uscc`; the others were generated and checked
    /// with that module (`uscc.validate`), among them check characters 0, Y and letters.
    static let valid = ["91110000600037341L", "5132129153MEA76YF9", "51321291LF5F9EW861", "523212918WN3AGMQRL", "523212915UYYR7576K",
                        "53321291PBJG6RMWUX", "53321291QTF6N980AQ", "91310000C7QPCHBJJ3", "52321291YBPL9F1QT0", "52321291YA5QP27BUY"]

    @Test("统一社会信用代码: the published and oracle-checked examples pass, their check characters are computed")
    func creditCodes() {
        for code in Self.valid {
            #expect(CreditCode.check(code) == nil, "\(code)")
            #expect(CreditCode.checkCharacter(code.prefix(17)) == code.last, "\(code)")
            #expect(CreditCode.complete(String(code.prefix(17))) == code)
        }
    }

    @Test("统一社会信用代码: a wrong check character, a wrong length, letters outside the alphabet are refused at the field")
    func creditCodeErrors() throws {
        let wrong = try #require(CreditCode.check("91110000600037341M"))
        #expect(wrong.field == "credit_code" && wrong.message.contains("第18位应为L"))
        // Every other check character is wrong.
        for c in CreditCode.alphabet where c != "L" { #expect(CreditCode.check("91110000600037341" + String(c)) != nil) }
        #expect(CreditCode.check("9111000060003734")?.message.contains("18位") == true)
        #expect(CreditCode.check("911100006000373411L") != nil)
        #expect(CreditCode.check("91110000600O37341L")?.message.contains("O") == true)   // O is not in the alphabet
        #expect(CreditCode.check("911A0000600037341L") != nil)                          // region code is digits
        #expect(CreditCode.check("52321291YBPL9F1QT0", field: "code")?.field == nil)
        #expect(CreditCode.check("52321291YBPL9F1QTY", field: "code")?.field == "code")
        #expect(CreditCode.checkCharacter("9111000060003734") == nil)
    }

    @Test("统一社会信用代码: lower case, spaces and hyphens are read as the code")
    func creditCodeNormalized() {
        #expect(CreditCode.normalized(" 9111 0000-6000 3734 1l ") == "91110000600037341L")
        #expect(CreditCode.check("91110000600037341l") == nil)
        #expect(CreditCode.check("9111 0000 6000 3734 1L") == nil)
        #expect(CreditCode.check("53321291qtf6n980aq") == nil)
        #expect(CreditCode.check("53321291qtf6n980ar") != nil)
    }

    func org(_ kind: OrganizationKind? = .socialGroup, code: String? = "5132129153MEA76YF9", founded: CivilDate? = CivilDate(year: 2019, month: 3, day: 1),
             registered: CivilDate? = CivilDate(year: 2019, month: 5, day: 8), phone: String? = "13912345678") -> [String] {
        OrganizationRules.check(OrganizationInput(name: "寺巷街道老年人协会", kind: kind, field: .elderly, creditCode: code, legalPerson: "王建国",
                                                  phone: phone, foundedOn: founded, registeredOn: registered), today: today).map(\.field)
    }

    @Test("an organization: 登记 needs a valid code, 备案 has none; dates in the past, 登记 not before founding")
    func organizations() {
        #expect(org().isEmpty)
        #expect(org(.community, code: nil).isEmpty)
        #expect(org(.community, code: "  ").isEmpty)
        #expect(org(.community) == ["credit_code"])
        #expect(org(.foundation, code: nil) == ["credit_code"])
        #expect(org(.socialService, code: "5132129153MEA76YF8") == ["credit_code"])
        #expect(org(nil, code: nil) == ["kind"])
        #expect(org(phone: "123") == ["phone"])
        #expect(org(founded: today.adding(days: 1), registered: today) == ["founded_on", "registered_on"])
        #expect(org(registered: today.adding(days: 1)) == ["registered_on"])
        #expect(org(founded: CivilDate(year: 2020, month: 1, day: 1), registered: CivilDate(year: 2019, month: 12, day: 31)) == ["registered_on"])
        #expect(org(founded: nil, registered: nil) == ["founded_on", "registered_on"])
    }

    @Test("status: a table; deregistered is final")
    func workflow() {
        #expect(OrganizationWorkflow.next(from: .active, by: .markDormant) == .dormant)
        #expect(OrganizationWorkflow.next(from: .dormant, by: .revive) == .active)
        #expect(OrganizationWorkflow.next(from: .dormant, by: .deregister) == .deregistered)
        #expect(OrganizationWorkflow.next(from: .active, by: .revive) == nil)
        #expect(OrganizationWorkflow.actions(from: .deregistered).isEmpty)
        #expect(OrganizationWorkflow.actions(from: .active) == [.markDormant, .deregister])
        #expect(OrganizationStatus.dormant.counts && !OrganizationStatus.deregistered.counts)
    }

    @Test("a project: an amount, a term whose end is not before its start, signed not in the future")
    func projects() throws {
        func p(_ fen: Int? = 12_000_000, signed: CivilDate? = CivilDate(year: 2026, month: 1, day: 5), start: CivilDate? = CivilDate(year: 2026, month: 2, day: 1),
               end: CivilDate? = CivilDate(year: 2026, month: 12, day: 31)) -> [String] {
            OrganizationRules.check(ProjectInput(title: "社区居家养老助餐服务", mode: .purchase, buyer: "区民政局", contractFen: fen, signedOn: signed,
                                                 startsOn: start, endsOn: end, deliverables: "每日助餐80人次"), today: today).map(\.field)
        }
        #expect(p().isEmpty)
        #expect(p(0) == ["contract_fen"])
        #expect(p(nil) == ["contract_fen"])
        #expect(p(signed: today.adding(days: 1)) == ["signed_on"])
        #expect(p(start: try civil(2026, 3, 1), end: try civil(2026, 2, 28)) == ["ends_on"])
        #expect(p(start: nil, end: nil) == ["starts_on", "ends_on"])
    }

    @Test("a milestone: within the term, not in the future; the overpayment message says what is left")
    func milestones() throws {
        let start = try civil(2026, 2, 1)
        func m(_ d: CivilDate?, fen: Int? = 100, people: Int? = 10) -> [String] {
            OrganizationRules.check(MilestoneInput(description: "第一季度服务", onDate: d, paymentFen: fen, beneficiaries: people), startsOn: start, today: today).map(\.field)
        }
        #expect(m(today).isEmpty)
        #expect(m(today.adding(days: 1)) == ["on_date"])
        #expect(m(try civil(2026, 1, 31)) == ["on_date"])
        #expect(m(today, fen: -1) == ["payment_fen"])
        #expect(m(today, people: -1) == ["beneficiaries"])
        let over = OrganizationRules.overpaid(paymentFen: 500_000, paidFen: 11_600_000, contractFen: 12_000_000)
        #expect(over.field == "payment_fen" && over.message.contains("最多还可拨付4000元"))
    }

    @Test("an evaluation: from the term's last day, a score 0–100")
    func evaluations() {
        let end = today
        #expect(OrganizationRules.checkEvaluation(score: 90, endsOn: end, today: today).isEmpty)
        #expect(OrganizationRules.checkEvaluation(score: 0, endsOn: end, today: today).isEmpty)
        #expect(OrganizationRules.checkEvaluation(score: 100, endsOn: end.adding(days: -30), today: today).isEmpty)
        #expect(OrganizationRules.checkEvaluation(score: 90, endsOn: end.adding(days: 1), today: today).map(\.field) == ["score"])
        #expect(OrganizationRules.checkEvaluation(score: 101, endsOn: end, today: today).map(\.field) == ["score"])
        #expect(OrganizationRules.checkEvaluation(score: -1, endsOn: end, today: today).map(\.field) == ["score"])
        #expect(OrganizationRules.checkEvaluation(score: nil, endsOn: end, today: today).map(\.field) == ["score"])
    }

    @Test("incubation: graduation after entry, not in the future; support: money kinds need an amount")
    func incubationAndSupport() throws {
        let entered = try civil(2025, 3, 1)
        #expect(OrganizationRules.checkGraduation(try civil(2026, 3, 1), enteredOn: entered, today: today).isEmpty)
        #expect(OrganizationRules.checkGraduation(entered, enteredOn: entered, today: today).map(\.field) == ["graduated_on"])
        #expect(OrganizationRules.checkGraduation(today.adding(days: 1), enteredOn: entered, today: today).map(\.field) == ["graduated_on"])
        func s(_ kind: SupportKind?, _ fen: Int?, _ d: CivilDate? = CivilDate(year: 2026, month: 5, day: 1)) -> [String] {
            OrganizationRules.check(SupportInput(kind: kind, amountFen: fen, onDate: d, giver: "区民政局", documentNo: "泰高民〔2026〕12号", note: nil), today: today).map(\.field)
        }
        #expect(s(.venue, nil).isEmpty)
        #expect(s(.award, 500_000).isEmpty)
        #expect(s(.subsidy, nil) == ["amount_fen"])
        #expect(s(.funding, 0) == ["amount_fen"])
        #expect(s(nil, 100) == ["kind"])
        #expect(s(.training, nil, today.adding(days: 1)) == ["on_date"])
    }
}
