import LinliCore
import Testing

private let id = "11010519491231002X"
private func fields(_ errors: [FieldError]) -> [String] { errors.map(\.field) }

@Suite("助残康复 rules: the card number, the card, the 30-day assessment rule, services, devices, subsidies")
struct DisabilityRulesTests {
    @Test("The card number is the ID number + category digit (GB/T 26341: 1 视力 … 7 多重) + grade digit")
    func cardNumber() {
        #expect(DisabilityCardNumber.expected(idNumber: id, category: .physical, grade: .three) == id + "43")
        #expect(DisabilityCardNumber.expected(idNumber: "11010519491231002x", category: .vision, grade: .one) == id + "11")
        #expect(DisabilityCategory.allCases.map(\.digit) == ["1", "2", "3", "4", "5", "6", "7"])
        #expect(DisabilityCategory.of(digit: "6") == .mental)
        #expect(DisabilityCardNumber.check(id + "43", idNumber: id, category: .physical, grade: .three).isEmpty)
        // Lower-case x and spaces around are the same number.
        #expect(DisabilityCardNumber.check(" 11010519491231002x43 ", idNumber: id, category: .physical, grade: .three).isEmpty)
    }

    @Test("A number of the wrong length, another person's, or with an unknown or different category or grade is refused at card_number")
    func cardNumberRefused() throws {
        let short = DisabilityCardNumber.check(id + "4", idNumber: id, category: .physical, grade: .three)
        #expect(fields(short) == ["card_number"])
        #expect(short.first?.message.contains("19位") == true)
        let other = DisabilityCardNumber.check("110105194912310038" + "43", idNumber: id, category: .physical, grade: .three)
        #expect(other.first?.message.contains("公民身份号码") == true)
        #expect(DisabilityCardNumber.check(id + "83", idNumber: id, category: nil, grade: nil).first?.message.contains("第19位") == true)
        #expect(DisabilityCardNumber.check(id + "45", idNumber: id, category: nil, grade: nil).first?.message.contains("第20位") == true)
        #expect(DisabilityCardNumber.check(id + "40", idNumber: id, category: nil, grade: nil).first?.message.contains("第20位") == true)
        let mismatch = DisabilityCardNumber.check(id + "43", idNumber: id, category: .vision, grade: .one)
        #expect(mismatch.count == 2)
        #expect(mismatch.allSatisfy { $0.field == "card_number" })
        #expect(fields(DisabilityCardNumber.check("", idNumber: id, category: .vision, grade: .one)) == ["card_number"])
    }

    @Test("A card: category and grade required, issue date not in the future, valid-until after it")
    func card() throws {
        let today = try civil(2026, 6, 30)
        let good = DisabilityCardInput(number: id + "43", category: .physical, grade: .three, issuedOn: "2026-06-30", validUntil: "2036-06-30")
        #expect(DisabilityRules.check(good, idNumber: id, today: today).isEmpty)
        var bad = good
        bad.issuedOn = "2026-07-01"
        #expect(fields(DisabilityRules.check(bad, idNumber: id, today: today)) == ["issued_on"])
        bad = good
        bad.validUntil = "2026-06-30"
        #expect(fields(DisabilityRules.check(bad, idNumber: id, today: today)) == ["valid_until"])
        bad = good
        bad.category = nil
        bad.grade = nil
        bad.issuedOn = nil
        #expect(Set(fields(DisabilityRules.check(bad, idNumber: id, today: today))) == ["category", "grade", "issued_on"])
        #expect(DisabilityGrade.two.isSevere && !DisabilityGrade.three.isSevere)
    }

    @Test("出现一个、扶助一个: registered on 1 June and not assessed is overdue from 2 July, never once assessed")
    func overdue() throws {
        let registered = try civil(2026, 6, 1)
        #expect(DisabilityRules.assessmentDue(registeredOn: registered) == (try civil(2026, 7, 1)))
        #expect(!DisabilityRules.assessmentOverdue(registeredOn: registered, lastAssessedOn: nil, today: try civil(2026, 7, 1)))
        #expect(DisabilityRules.assessmentOverdue(registeredOn: registered, lastAssessedOn: nil, today: try civil(2026, 7, 2)))
        #expect(!DisabilityRules.assessmentOverdue(registeredOn: registered, lastAssessedOn: try civil(2026, 8, 1), today: try civil(2026, 9, 1)))
        // The list's cut-off is the same rule: cards registered before today − 30 days.
        #expect(DisabilityRules.overdueBefore(today: try civil(2026, 7, 2)) == registered.adding(days: 1))
    }

    @Test("An assessment needs a date not in the future, an assessor, a result, and a need unless there is none")
    func assessment() throws {
        let today = try civil(2026, 6, 30)
        let good = AssessmentInput(assessedOn: "2026-06-29", assessor: "王芳", needs: [.rehabTraining, .assistiveDevice], result: .services, note: nil)
        #expect(DisabilityRules.check(good, today: today).isEmpty)
        #expect(DisabilityRules.check(AssessmentInput(assessedOn: "2026-06-29", assessor: "王芳", needs: [], result: .noNeed, note: nil), today: today).isEmpty)
        let bad = AssessmentInput(assessedOn: "2026-07-01", assessor: " ", needs: [], result: .services, note: nil)
        #expect(Set(fields(DisabilityRules.check(bad, today: today))) == ["assessed_on", "assessor", "needs"])
        #expect(fields(DisabilityRules.check(AssessmentInput(assessedOn: "2026-06-29", assessor: "王芳", needs: [.care], result: nil, note: nil),
                                             today: today)) == ["result"])
    }

    @Test("A service ending before it starts, in the future, without a setting or without sessions or hours is refused")
    func service() throws {
        let today = try civil(2026, 6, 30)
        let good = RehabServiceInput(setting: .community, provider: "寺巷社区康复站", startedOn: "2026-03-01", endedOn: "2026-06-01", sessions: 24,
                                     hours: nil, outcome: "步行能力改善")
        #expect(DisabilityRules.check(good, today: today).isEmpty)
        var open = good
        open.endedOn = nil
        #expect(DisabilityRules.check(open, today: today).isEmpty)
        var bad = good
        bad.endedOn = "2026-02-28"
        #expect(fields(DisabilityRules.check(bad, today: today)) == ["ended_on"])
        bad = good
        bad.startedOn = "2026-07-01"
        bad.endedOn = nil
        #expect(fields(DisabilityRules.check(bad, today: today)) == ["started_on"])
        bad = good
        bad.setting = nil
        bad.sessions = nil
        #expect(Set(fields(DisabilityRules.check(bad, today: today))) == ["setting", "sessions"])
        bad = good
        bad.hours = -1
        #expect(fields(DisabilityRules.check(bad, today: today)) == ["hours"])
    }

    @Test("A device needs its name, a past date and a source")
    func device() throws {
        let today = try civil(2026, 6, 30)
        #expect(DisabilityRules.check(DeviceInput(device: "轮椅", issuedOn: "2026-05-01", source: .government), today: today).isEmpty)
        #expect(Set(fields(DisabilityRules.check(DeviceInput(device: "", issuedOn: "2026-07-05", source: nil), today: today)))
            == ["device", "issued_on", "source"])
    }

    @Test("Subsidies: 一、二级 → 重度残疾人护理补贴; a 低保 household → 困难残疾人生活补贴")
    func subsidies() {
        #expect(DisabilitySubsidy.eligible(grade: .one, inDibaoHousehold: false) == [.disabilityCare])
        #expect(DisabilitySubsidy.eligible(grade: .two, inDibaoHousehold: true) == [.disabilityLiving, .disabilityCare])
        #expect(DisabilitySubsidy.eligible(grade: .three, inDibaoHousehold: true) == [.disabilityLiving])
        #expect(DisabilitySubsidy.eligible(grade: .four, inDibaoHousehold: false).isEmpty)
    }
}
