import LinliCore
import Testing

@Suite("Community workers: rules")
struct WorkersRulesTests {
    let today = CivilDate(year: 2026, month: 6, day: 30)!

    func fields(_ e: [FieldError]) -> [String] { e.map(\.field) }

    @Test("a worker: name, post and form required; the three registration fields go together; a hire date in the future refused")
    func worker() {
        let ok = WorkerInput(name: "王丽娟", post: .socialWorker, employment: .fullTime, phone: "13912345678", hiredOn: CivilDate("2020-03-01"))
        #expect(WorkerRules.check(ok, today: today).isEmpty)
        #expect(fields(WorkerRules.check(WorkerInput(name: " ", post: nil, employment: nil), today: today)) == ["name", "post", "employment"])
        var w = ok
        w.hiredOn = CivilDate("2026-07-01")
        #expect(fields(WorkerRules.check(w, today: today)) == ["hired_on"])
        w = ok
        w.phone = "12345"
        #expect(fields(WorkerRules.check(w, today: today)) == ["phone"])
        w = ok
        w.registeredOn = CivilDate("2025-01-01")
        #expect(fields(WorkerRules.check(w, today: today)) == ["registration_no"])
        w.registrationNo = "JS0001"
        #expect(fields(WorkerRules.check(w, today: today)) == ["registration_valid_to"])
        w.registrationValidTo = CivilDate("2024-12-31")
        #expect(fields(WorkerRules.check(w, today: today)) == ["registration_valid_to"])
        w.registrationValidTo = CivilDate("2028-01-01")
        #expect(WorkerRules.check(w, today: today).isEmpty)
    }

    @Test("a qualification: date obtained not in the future (at obtained_on) and not before the first examination of 2008")
    func qualification() {
        #expect(WorkerRules.checkQualification(level: .full, certificateNo: "ZS2019001", obtainedOn: CivilDate("2019-06-01"), today: today).isEmpty)
        #expect(fields(WorkerRules.checkQualification(level: .full, certificateNo: "ZS2019001", obtainedOn: CivilDate("2026-07-01"), today: today)) == ["obtained_on"])
        #expect(fields(WorkerRules.checkQualification(level: .full, certificateNo: "ZS2019001", obtainedOn: CivilDate("2007-12-31"), today: today)) == ["obtained_on"])
        #expect(fields(WorkerRules.checkQualification(level: nil, certificateNo: "", obtainedOn: nil, today: today)) == ["level", "certificate_no", "obtained_on"])
    }

    @Test("training hours: 0 to 2,000, the year not after this one; the extremes of Int refused without arithmetic")
    func training() {
        #expect(WorkerRules.checkTraining(year: 2025, hours: 0, today: today).isEmpty)
        #expect(WorkerRules.checkTraining(year: 2026, hours: 2000, today: today).isEmpty)
        #expect(fields(WorkerRules.checkTraining(year: 2025, hours: 2001, today: today)) == ["hours"])
        #expect(fields(WorkerRules.checkTraining(year: 2025, hours: -1, today: today)) == ["hours"])
        #expect(fields(WorkerRules.checkTraining(year: Int.min, hours: Int.max, today: today)) == ["year", "hours"])
        #expect(fields(WorkerRules.checkTraining(year: 2027, hours: 10, today: today)) == ["year"])
    }

    @Test("an appraisal: the result from the mean (90 优秀, 75 称职, 60 基本称职), a typed result checked, scores 0–100")
    func appraisal() {
        // Worked cases: (scores, mean, result).
        let cases: [([Int], AppraisalResult)] = [([90, 90, 90], .excellent), ([89, 90, 90], .competent), ([75, 75], .competent), ([74, 75, 75], .basic),
                                                  ([60], .basic), ([59, 60, 60], .incompetent), ([100, 0], .incompetent), ([95, 92, 88], .excellent)]
        for (scores, expected) in cases {
            let (r, e) = AppraisalRules.check(year: 2025, scores: scores, result: nil, today: today)
            #expect(e.isEmpty && r == expected, "\(scores)")
        }
        let (_, wrong) = AppraisalRules.check(year: 2025, scores: [80, 82, 84], result: .excellent, today: today)
        #expect(fields(wrong) == ["result"] && wrong[0].message.contains("称职"))
        #expect(AppraisalRules.check(year: 2025, scores: [80, 82, 84], result: .competent, today: today).0 == .competent)
        #expect(fields(AppraisalRules.check(year: 2025, scores: [80, 101], result: nil, today: today).1) == ["scores"])
        #expect(fields(AppraisalRules.check(year: 2025, scores: [Int.min, Int.max], result: nil, today: today).1) == ["scores"])
        #expect(fields(AppraisalRules.check(year: 2025, scores: [], result: nil, today: today).1) == ["scores"])
        #expect(fields(AppraisalRules.check(year: 2025, scores: Array(repeating: 80, count: 16), result: nil, today: today).1) == ["scores"])
        #expect(fields(AppraisalRules.check(year: 2027, scores: [80], result: nil, today: today).1) == ["year"])
        #expect(AppraisalRules.parse("85，90 88、70").scores == [85, 90, 88, 70])
        #expect(AppraisalRules.parse("85, 1e300").error?.field == "scores")
    }

    let scale = PayScale(grades: [.head: [600_000, 630_000, 660_000, 690_000], .deputy: [500_000, 520_000, 540_000], .staff: [400_000, 420_000, 440_000]],
                         steps: PayScale.defaultSteps)

    @Test("the grade: from 1, the highest qualification's step, then each year's appraisal in order, kept within the class's grades")
    func grades() {
        // A 社工 with 社会工作师 (+2) and 优秀 (+1) in 2024: 1 → 3 → 4, but staff has 3 grades: stays at 3.
        #expect(PayGrades.grade(post: .socialWorker, qualification: .full, appraisals: [(2024, .excellent)], scale: scale) == 3)
        // The same for a 书记 (4 grades): 1 → 3 → 4.
        #expect(PayGrades.grade(post: .secretary, qualification: .full, appraisals: [(2024, .excellent)], scale: scale) == 4)
        // No certificate, 不称职 first: stays at 1, then 优秀 twice: 3 (capped at staff's 3).
        let h = PayGrades.history(post: .gridWorker, qualification: nil, appraisals: [(2025, .excellent), (2023, .incompetent), (2024, .excellent)], scale: scale)
        #expect(h.map(\.grade) == [1, 1, 2, 3])
        #expect(h.map(\.year) == [nil, 2023, 2024, 2025])
        // 助理 (+1), 称职 (0), 不称职 (−1): 1 → 2 → 2 → 1.
        #expect(PayGrades.history(post: .member, qualification: .assistant, appraisals: [(2024, .competent), (2025, .incompetent)], scale: scale).map(\.grade)
                == [1, 2, 2, 1])
        #expect(scale.amount(.deputy, grade: 2) == 520_000 && scale.amount(.deputy, grade: 4) == nil)
        // Without a table every class has one grade.
        #expect(PayGrades.grade(post: .director, qualification: .senior, appraisals: [], scale: PayScale(grades: [:], steps: PayScale.defaultSteps)) == 1)
    }

    @Test("the scale as configured: 1–30 grades, amounts above 0 and at most 5万元, not decreasing; steps −3…3")
    func scaleRules() {
        #expect(PayScale.checkGrades([400_000, 420_000], field: "g").isEmpty)
        #expect(PayScale.checkGrades([], field: "g").count == 1)
        #expect(PayScale.checkGrades(Array(repeating: 1, count: 31), field: "g").count == 1)
        #expect(PayScale.checkGrades([0], field: "g").count == 1)
        #expect(PayScale.checkGrades([Int.max], field: "g").count == 1)
        #expect(PayScale.checkGrades([420_000, 400_000], field: "g").count == 1)
        #expect(PayScale.checkStep(3, reason: .full).isEmpty && PayScale.checkStep(-3, reason: .incompetent).isEmpty)
        #expect(PayScale.checkStep(4, reason: .full).map(\.field) == ["qualification.full"])
        #expect(PayScale.checkStep(Int.min, reason: .full).count == 1 && PayScale.checkStep(nil, reason: .full).count == 1)
    }
}
