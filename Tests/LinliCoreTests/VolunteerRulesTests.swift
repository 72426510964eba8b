import LinliCore
import Testing

@Suite("Volunteers: rules")
struct VolunteerRulesTests {
    let today = CivilDate(year: 2026, month: 6, day: 30)!

    func registration(on day: CivilDate? = CivilDate(year: 2026, month: 6, day: 1), guardian: (String, String, CivilDate?)? = nil) -> VolunteerRules.Registration {
        VolunteerRules.Registration(skills: [.eldercare], areas: [.elderly], availability: [.weekend], registeredOn: day,
                                    guardianName: guardian?.0, guardianRelation: guardian?.1, guardianConsentOn: guardian?.2)
    }

    @Test("stars at 100, 300, 600, 1000 and 1500 hours, reached on the hour, not a minute before")
    func stars() {
        #expect(VolunteerStar.of(minutes: 0) == nil)
        #expect(VolunteerStar.of(minutes: 100 * 60 - 1) == nil)
        #expect(VolunteerStar.of(minutes: 100 * 60) == .one)
        #expect(VolunteerStar.of(minutes: 300 * 60 - 1) == .one)
        #expect(VolunteerStar.of(minutes: 300 * 60) == .two)
        #expect(VolunteerStar.of(minutes: 600 * 60 - 1) == .two)
        #expect(VolunteerStar.of(minutes: 600 * 60) == .three)
        #expect(VolunteerStar.of(minutes: 1000 * 60 - 1) == .three)
        #expect(VolunteerStar.of(minutes: 1000 * 60) == .four)
        #expect(VolunteerStar.of(minutes: 1500 * 60 - 1) == .four)
        #expect(VolunteerStar.of(minutes: 1500 * 60) == .five)
        #expect(VolunteerStar.of(minutes: 90_000 * 60) == .five)
        #expect(VolunteerStar.five.label == "五星志愿者")
    }

    @Test("the state table: confirm from 申请, sign from 已确认, withdraw from any but 退出, rejoin from 退出 only")
    func states() {
        #expect(VolunteerStep.confirm.next(from: .applied) == .confirmed)
        #expect(VolunteerStep.confirm.next(from: .confirmed) == nil)
        #expect(VolunteerStep.sign.next(from: .confirmed) == .signed)
        #expect(VolunteerStep.sign.next(from: .applied) == nil)
        #expect(VolunteerStep.withdraw.next(from: .signed) == .withdrawn)
        #expect(VolunteerStep.withdraw.next(from: .withdrawn) == nil)
        #expect(VolunteerStep.rejoin.next(from: .withdrawn) == .applied)
        #expect(VolunteerStep.rejoin.next(from: .signed) == nil)
        #expect(VolunteerState.allCases.filter(\.serves) == [.signed])
    }

    @Test("a minor (under 18 on the registration day) needs a guardian's name, relation and consent date")
    func minors() {
        let adult = CivilDate(year: 1990, month: 3, day: 1)!
        #expect(VolunteerRules.check(registration(), born: adult, today: today).isEmpty)
        // 18 on 2026-06-01 exactly: an adult that day, a minor the day before.
        let eighteen = CivilDate(year: 2008, month: 6, day: 1)!
        #expect(VolunteerRules.check(registration(), born: eighteen, today: today).isEmpty)
        #expect(VolunteerRules.check(registration(on: CivilDate(year: 2026, month: 5, day: 31)), born: eighteen, today: today).map(\.field) == ["guardian"])
        let minor = CivilDate(year: 2012, month: 1, day: 1)!
        #expect(VolunteerRules.check(registration(), born: minor, today: today).map(\.field) == ["guardian"])
        #expect(VolunteerRules.check(registration(guardian: ("王芳", "", today)), born: minor, today: today).map(\.field) == ["guardian"])
        #expect(VolunteerRules.check(registration(guardian: ("王芳", "母亲", nil)), born: minor, today: today).map(\.field) == ["guardian"])
        #expect(VolunteerRules.check(registration(guardian: ("王芳", "母亲", today)), born: minor, today: today).isEmpty)
        #expect(VolunteerRules.check(registration(guardian: ("王芳", "母亲", today.adding(days: 1))), born: minor, today: today).map(\.field) == ["guardian"])
    }

    @Test("a registration names skills, areas and times; its date is not in the future")
    func registrations() {
        let adult = CivilDate(year: 1990, month: 3, day: 1)!
        let empty = VolunteerRules.Registration(skills: [], areas: [], availability: [], registeredOn: nil)
        #expect(VolunteerRules.check(empty, born: adult, today: today).map(\.field) == ["skills", "service_areas", "availability", "registered_on"])
        var noteOnly = empty
        noteOnly.skillNote = "剪纸"; noteOnly.areas = [.culture]; noteOnly.availability = [.anytime]; noteOnly.registeredOn = today
        #expect(VolunteerRules.check(noteOnly, born: adult, today: today).isEmpty)
        #expect(VolunteerRules.check(registration(on: today.adding(days: 1)), born: adult, today: today).map(\.field) == ["registered_on"])
    }

    @Test("the code: wrong code at `code`; from 30 minutes before the start to 30 minutes after the end, else at `time`")
    func codes() {
        let start: Int64 = 1_000_000, end = start + 7200
        #expect(VolunteerRules.checkCode("ab3k", expected: "AB3K", now: start, start: start, end: end).isEmpty)
        #expect(VolunteerRules.checkCode("AB3X", expected: "AB3K", now: start, start: start, end: end).map(\.field) == ["code"])
        #expect(VolunteerRules.checkCode("AB3K", expected: "AB3K", now: start - 1800, start: start, end: end).isEmpty)
        #expect(VolunteerRules.checkCode("AB3K", expected: "AB3K", now: start - 1801, start: start, end: end).map(\.field) == ["time"])
        #expect(VolunteerRules.checkCode("AB3K", expected: "AB3K", now: end + 1800, start: start, end: end).isEmpty)
        #expect(VolunteerRules.checkCode("AB3K", expected: "AB3K", now: end + 1801, start: start, end: end).map(\.field) == ["time"])
    }

    @Test("hours: proposed from check-in and out, capped at the activity's length; verified over it refused; fixed after 7 days")
    func hours() {
        let start: Int64 = 1_000_000, end = start + 3 * 3600
        #expect(VolunteerRules.proposedMinutes(checkIn: start + 600, checkOut: end - 600, start: start, end: end) == 160)
        #expect(VolunteerRules.proposedMinutes(checkIn: start - 1800, checkOut: end + 1800, start: start, end: end) == 180)
        #expect(VolunteerRules.proposedMinutes(checkIn: end, checkOut: start, start: start, end: end) == 0)
        #expect(VolunteerRules.checkVerified(minutes: 180, start: start, end: end).isEmpty)
        #expect(VolunteerRules.checkVerified(minutes: 181, start: start, end: end).map(\.field) == ["hours"])
        #expect(VolunteerRules.checkVerified(minutes: -1, start: start, end: end).map(\.field) == ["hours"])
        #expect(VolunteerRules.mayVerify(end: end, now: end + 7 * 86_400))
        #expect(!VolunteerRules.mayVerify(end: end, now: end + 7 * 86_400 + 1))
        #expect(VolunteerRules.checkCorrection(delta: -60, reason: "漏签退", total: 120).isEmpty)
        #expect(VolunteerRules.checkCorrection(delta: -121, reason: "x", total: 120).map(\.field) == ["hours"])
        #expect(VolunteerRules.checkCorrection(delta: 0, reason: nil, total: 0).map(\.field) == ["hours", "reason"])
        #expect(VolunteerRules.checkCorrection(delta: 24 * 60 + 1, reason: "x", total: 0).map(\.field) == ["hours"])
        #expect(VolunteerRules.checkActivity(title: "清扫楼道", place: "1号楼", start: start, end: start, places: 0).map(\.field) == ["ends_at", "places"])
        #expect(VolunteerRules.checkActivity(title: " ", place: nil, start: nil, end: nil, places: nil).map(\.field) == ["title", "place", "starts_at", "ends_at", "places"])
    }

    @Test("hours as text and as typed")
    func text() {
        #expect(VolunteerRules.hoursText(150) == "2.5小时")
        #expect(VolunteerRules.hoursText(120) == "2小时")
        #expect(VolunteerRules.hoursText(-30) == "-0.5小时")
        #expect(VolunteerRules.minutes(fromHours: "2.5") == 150)
        #expect(VolunteerRules.minutes(fromHours: "-1") == -60)
        #expect(VolunteerRules.minutes(fromHours: "abc") == nil)
    }

    @Test("numbers at the limits of their type are refused, never trapped on: times of an activity, hours, quantities")
    func limits() {
        let far = VolunteerRules.checkActivity(title: "a", place: "b", start: Int64.min, end: 0, places: 1)
        #expect(far.map(\.field) == ["starts_at"])
        #expect(VolunteerRules.checkActivity(title: "a", place: "b", start: 0, end: Int64.max, places: 1).map(\.field) == ["ends_at"])
        #expect(VolunteerRules.minutes(fromHours: 1e300) == nil && VolunteerRules.minutes(fromHours: -.infinity) == nil)
        #expect(SupermarketRules.checkStock(kind: .adjusted, quantity: Int.min, reason: "盘点").map(\.field) == ["quantity"])
    }
}
