import LinliCore
import Testing

@Suite("再就业培训: rules")
struct TrainingRulesTests {
    let today = CivilDate(year: 2026, month: 6, day: 30)!
    func d(_ s: String) throws -> CivilDate { try #require(CivilDate(s)) }

    func draft(starts: String? = "2026-07-01", ends: String? = "2026-07-31", hours: Int? = 80, capacity: Int? = 40, kind: String? = "skill") -> CourseDraft {
        CourseDraft(name: "育婴员培训班", kind: kind, trade: "育婴员", provider: "区职业技能培训中心", startsOn: starts, endsOn: ends, hours: hours, capacity: capacity)
    }

    func fields<T>(_ r: Result<T, ValidationFailure>) -> [String] {
        if case .failure(let f) = r { return f.errors.map(\.field) }
        return []
    }

    @Test("a course: dates in order, within a year, hours and places in range, a known kind")
    func course() throws {
        let ok = try TrainingRules.check(draft(), today: today).get()
        let july31 = try d("2026-07-31")
        #expect(ok.kind == .skill && ok.capacity == 40 && ok.endsOn == july31)
        #expect(fields(TrainingRules.check(draft(ends: "2026-06-01"), today: today)) == ["ends_on"])
        #expect(fields(TrainingRules.check(draft(starts: "2027-08-01", ends: "2027-08-30"), today: today)) == ["starts_on"])
        #expect(fields(TrainingRules.check(draft(hours: 0), today: today)) == ["hours"])
        #expect(fields(TrainingRules.check(draft(capacity: 501), today: today)) == ["capacity"])
        #expect(fields(TrainingRules.check(draft(kind: "yoga"), today: today)) == ["kind"])
        #expect(fields(TrainingRules.check(draft(starts: "2026-13-01"), today: today)) == ["starts_on"])
    }

    @Test("enrolment: working age, alive, before the course ends, within the places")
    func enrolment() throws {
        let ends = try d("2026-07-31")
        #expect(TrainingRules.checkEnrolment(birth: try d("1980-01-01"), alive: true, courseEnds: ends, enrolled: 39, capacity: 40, today: today).isEmpty)
        #expect(TrainingRules.checkEnrolment(birth: try d("1950-01-01"), alive: true, courseEnds: ends, enrolled: 0, capacity: 40, today: today).map(\.field) == ["resident_id"])
        #expect(TrainingRules.checkEnrolment(birth: try d("2012-01-01"), alive: true, courseEnds: ends, enrolled: 0, capacity: 40, today: today).map(\.field) == ["resident_id"])
        #expect(TrainingRules.checkEnrolment(birth: try d("1980-01-01"), alive: true, courseEnds: ends, enrolled: 40, capacity: 40, today: today).map(\.field) == ["course_id"])
        #expect(TrainingRules.checkEnrolment(birth: try d("1980-01-01"), alive: true, courseEnds: try d("2026-06-29"), enrolled: 0, capacity: 40, today: today).map(\.field) == ["course_id"])
    }

    @Test("a session lies within the course and not after today")
    func session() throws {
        let s = try d("2026-06-01"), e = try d("2026-07-31")
        #expect(try TrainingRules.checkSession("2026-06-15", startsOn: s, endsOn: e, today: today).get() == (try d("2026-06-15")))
        #expect(fields(TrainingRules.checkSession("2026-07-01", startsOn: s, endsOn: e, today: today)) == ["date"])
        #expect(fields(TrainingRules.checkSession("2026-05-31", startsOn: s, endsOn: e, today: today)) == ["date"])
    }

    @Test("completion needs 80 % attendance: 8 of 10 completes, 7 of 10 does not; a certificate needs its number")
    func completion() throws {
        let ends = try d("2026-06-20")
        let ok = try TrainingRules.checkCompletion(result: "completed", on: "2026-06-20", certificate: "skill_level", number: "TZ2026000123",
                                                   present: 8, sessions: 10, courseEnds: ends, today: today).get()
        #expect(ok.result == .completed && ok.certificate == .skillLevel)
        #expect(fields(TrainingRules.checkCompletion(result: "completed", on: "2026-06-20", certificate: nil, number: nil,
                                                     present: 7, sessions: 10, courseEnds: ends, today: today)) == ["result"])
        #expect(fields(TrainingRules.checkCompletion(result: "completed", on: "2026-06-20", certificate: "completion", number: "",
                                                     present: 10, sessions: 10, courseEnds: ends, today: today)) == ["certificate_number"])
        #expect(fields(TrainingRules.checkCompletion(result: "completed", on: "2026-06-19", certificate: nil, number: nil,
                                                     present: 10, sessions: 10, courseEnds: ends, today: today)) == ["on"])
        #expect(fields(TrainingRules.checkCompletion(result: "dropped", on: "2026-07-01", certificate: nil, number: nil,
                                                     present: 1, sessions: 10, courseEnds: ends, today: today)) == ["on"])
        // Dropping out needs no attendance.
        #expect((try? TrainingRules.checkCompletion(result: "dropped", on: "2026-06-10", certificate: nil, number: nil,
                                                    present: 1, sessions: 10, courseEnds: ends, today: today).get())?.result == .dropped)
    }

    @Test("the follow-up: not before six months after completion (31 Dec + 6 → 30 Jun), employer when employed")
    func followUp() throws {
        let done = try d("2025-12-31")
        #expect(TrainingRules.followUpDue(completedOn: done) == (try d("2026-06-30")))
        #expect(try TrainingRules.checkFollowUp(on: "2026-06-30", employed: true, employer: "某物流公司", completedOn: done, today: today).get().employed)
        #expect(fields(TrainingRules.checkFollowUp(on: "2026-06-29", employed: false, employer: nil, completedOn: done, today: today)) == ["on"])
        #expect(fields(TrainingRules.checkFollowUp(on: "2026-06-30", employed: true, employer: " ", completedOn: done, today: today)) == ["employer"])
        #expect(fields(TrainingRules.checkFollowUp(on: "2026-06-30", employed: nil, employer: nil, completedOn: done, today: today)) == ["employed"])
        #expect(fields(TrainingRules.checkFollowUp(on: "2026-07-01", employed: false, employer: nil, completedOn: try d("2025-06-30"), today: today)) == ["on"])
    }
}
