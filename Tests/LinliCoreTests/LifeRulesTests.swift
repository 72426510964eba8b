import LinliCore
import Testing

@Suite("Community life: rules")
struct LifeRulesTests {
    /// 2026-07-01 is a Wednesday; `now` is 10:00 local time on it.
    let wednesday = CivilDate(year: 2026, month: 7, day: 1)!
    var now: Int64 { LifeTime.epoch(wednesday, minute: 600) }
    let hours = WeeklyHours.daily(from: 8 * 60, to: 21 * 60, weekdays: 1...6)

    @Test("local time: weekdays, the instant of a day and minute and back, HH:MM")
    func time() throws {
        #expect(LifeTime.weekday(wednesday) == 3)
        #expect(LifeTime.weekday(try civil(2026, 7, 5)) == 7)
        #expect(LifeTime.weekday(try civil(1970, 1, 1)) == 4)
        #expect(LifeTime.monday(of: wednesday) == (try civil(2026, 6, 29)))
        // 10:00 in Beijing is 02:00 UTC.
        #expect(now == 1_782_871_200)
        #expect(LifeTime.local(now).day == wednesday && LifeTime.local(now).minute == 600)
        #expect(LifeTime.local(LifeTime.epoch(wednesday, minute: 5)).day == wednesday)
        #expect(LifeTime.minute("08:30") == 510 && LifeTime.minute("24:00") == 1440)
        #expect(LifeTime.minute("24:30") == nil && LifeTime.minute("8:5") == nil && LifeTime.minute("ab:cd") == nil)
        #expect(LifeTime.clock(510) == "08:30")
    }

    @Test("opening hours: a line per weekday, on the half hour, from before to, no day twice")
    func weeklyHours() {
        let (h, e) = WeeklyHours.parse("1 08:30-21:00\n6 09:00-12:00")
        #expect(e.isEmpty && h?.spans.count == 2 && h?.span(on: 6)?.to == 720)
        #expect(h?.text == "1 08:30-21:00\n6 09:00-12:00")
        #expect(WeeklyHours.parse("").1.map(\.message) == ["请填写开放时间（至少一天）"])
        #expect(WeeklyHours.parse("8 08:00-09:00").1.map(\.field) == ["hours"])
        #expect(WeeklyHours.parse("1 09:00-08:00").1.first?.message.contains("早于") == true)
        #expect(WeeklyHours.parse("1 08:15-09:00").1.first?.message.contains("半小时") == true)
        #expect(WeeklyHours.parse("1 08:00-09:00\n1 10:00-11:00").1.first?.message.contains("两次") == true)
        #expect(WeeklyHours.parse("周一 8点到9点").1.first?.message.contains("格式") == true)
    }

    @Test("a venue: name, owner (a unit's names the unit), capacity in range, the fee of a venue that is not free")
    func venues() {
        func v(owner: VenueOwner? = .community, unit: String? = nil, capacity: Int? = 40, free: Bool = true, fee: String? = nil) -> VenueInput {
            VenueInput(name: "多功能活动室", owner: owner, unitName: unit, address: "党群服务中心二楼", capacity: capacity, free: free, fee: fee, hours: hours, open: true)
        }
        #expect(LifeRules.check(v()).isEmpty)
        #expect(LifeRules.check(v(owner: .unit)).map(\.field) == ["unit_name"])
        #expect(LifeRules.check(v(owner: .unit, unit: "实验小学")).isEmpty)
        #expect(LifeRules.check(v(owner: nil)).map(\.field) == ["owner"])
        #expect(LifeRules.check(v(capacity: 0)).map(\.field) == ["capacity"])
        #expect(LifeRules.check(v(capacity: Int.max)).map(\.field) == ["capacity"])
        #expect(LifeRules.check(v(capacity: nil)).map(\.field) == ["capacity"])
        #expect(LifeRules.check(v(free: false)).map(\.field) == ["fee"])
        #expect(LifeRules.check(v(free: false, fee: "每小时20元")).isEmpty)
    }

    @Test("a slot: within the hours of its weekday, half an hour to four, on the half hour, not past, not too far ahead")
    func slots() throws {
        #expect(LifeRules.checkSlot(day: wednesday, start: 14 * 60, end: 16 * 60, hours: hours, now: now).isEmpty)
        // 09:00 today has passed at 10:00; 10:30 has not.
        #expect(LifeRules.checkSlot(day: wednesday, start: 9 * 60, end: 11 * 60, hours: hours, now: now).first?.message == "不能预约已经过去的时间")
        #expect(LifeRules.checkSlot(day: wednesday, start: 630, end: 690, hours: hours, now: now).isEmpty)
        #expect(LifeRules.checkSlot(day: wednesday, start: 14 * 60, end: 18 * 60 + 30, hours: hours, now: now).map(\.field) == ["end"])
        #expect(LifeRules.checkSlot(day: wednesday, start: 14 * 60, end: 18 * 60, hours: hours, now: now).isEmpty)
        #expect(LifeRules.checkSlot(day: wednesday, start: 14 * 60, end: 14 * 60, hours: hours, now: now).map(\.field) == ["end"])
        #expect(LifeRules.checkSlot(day: wednesday, start: 14 * 60 + 10, end: 15 * 60, hours: hours, now: now).map(\.field) == ["start"])
        #expect(LifeRules.checkSlot(day: wednesday, start: 20 * 60, end: 22 * 60, hours: hours, now: now).first?.message.contains("开放时间内") == true)
        #expect(LifeRules.checkSlot(day: wednesday, start: 7 * 60, end: 8 * 60 + 30, hours: hours, now: now).map(\.field) == ["start"])
        // Sunday the venue is closed.
        #expect(LifeRules.checkSlot(day: try civil(2026, 7, 5), start: 600, end: 660, hours: hours, now: now).map(\.field) == ["day"])
        #expect(LifeRules.checkSlot(day: wednesday.adding(days: 56), start: 600, end: 660, hours: hours, now: now).isEmpty)
        #expect(LifeRules.checkSlot(day: wednesday.adding(days: 63), start: 600, end: 660, hours: hours, now: now).map(\.field) == ["day"])
        #expect(LifeRules.checkSlot(day: wednesday, start: -30, end: 60, hours: hours, now: now).map(\.field) == ["start"])
    }

    @Test("overlap: sharing any minute overlaps, touching ends do not")
    func overlap() {
        #expect(LifeRules.overlaps((600, 720), (690, 750)))
        #expect(LifeRules.overlaps((600, 720), (540, 780)))
        #expect(!LifeRules.overlaps((600, 720), (720, 780)))
        #expect(!LifeRules.overlaps((600, 720), (480, 600)))
    }

    @Test("no-shows: three within 90 days pause booking for 30 days after the last; older ones do not count")
    func noShows() throws {
        let today = try civil(2026, 7, 1)
        #expect(LifeRules.bookingPause(noShows: [try civil(2026, 6, 1), try civil(2026, 6, 20)], today: today) == nil)
        #expect(LifeRules.bookingPause(noShows: [try civil(2026, 5, 1), try civil(2026, 6, 1), try civil(2026, 6, 20)], today: today) == (try civil(2026, 7, 20)))
        // One of the three is more than 90 days back.
        #expect(LifeRules.bookingPause(noShows: [try civil(2026, 3, 1), try civil(2026, 6, 1), try civil(2026, 6, 20)], today: today) == nil)
        // The pause has run out.
        #expect(LifeRules.bookingPause(noShows: [try civil(2026, 5, 1), try civil(2026, 5, 10), try civil(2026, 5, 20)], today: today) == nil)
    }

    @Test("cancel before the start, no-show after it, each only while booked")
    func bookingSteps() {
        #expect(LifeRules.mayCancel(status: .booked, startsAt: now + 60, now: now) == nil)
        #expect(LifeRules.mayCancel(status: .booked, startsAt: now, now: now) != nil)
        #expect(LifeRules.mayCancel(status: .cancelled, startsAt: now + 60, now: now) != nil)
        #expect(LifeRules.mayMarkNoShow(status: .booked, startsAt: now - 60, now: now) == nil)
        #expect(LifeRules.mayMarkNoShow(status: .booked, startsAt: now + 60, now: now) != nil)
        #expect(LifeRules.mayMarkNoShow(status: .noShow, startsAt: now - 60, now: now) != nil)
    }

    @Test("an activity: a title, a kind, a capacity, an end after its start, not past; sign-up before the start, attendance after")
    func activities() {
        func a(day: CivilDate? = nil, start: Int? = 900, end: Int? = 1020, capacity: Int? = 30, kind: ActivityKind? = .legal) -> ActivityInput {
            ActivityInput(title: "民法典进社区", kind: kind, day: day ?? wednesday.adding(days: 3), start: start, end: end, place: "社区活动室", capacity: capacity, description: nil)
        }
        #expect(LifeRules.check(a(), now: now).isEmpty)
        #expect(LifeRules.check(a(kind: nil), now: now).map(\.field) == ["kind"])
        #expect(LifeRules.check(a(capacity: 0), now: now).map(\.field) == ["capacity"])
        #expect(LifeRules.check(a(capacity: Int.min), now: now).map(\.field) == ["capacity"])
        #expect(LifeRules.check(a(end: 800), now: now).map(\.field) == ["end"])
        #expect(LifeRules.check(a(day: wednesday, start: 540, end: 600), now: now).map(\.field) == ["day"])
        #expect(LifeRules.check(a(start: nil), now: now).map(\.field) == ["start"])
        #expect(LifeRules.maySignUp(status: .planned, startsAt: now + 1, now: now) == nil)
        #expect(LifeRules.maySignUp(status: .planned, startsAt: now, now: now) != nil)
        #expect(LifeRules.maySignUp(status: .cancelled, startsAt: now + 1, now: now) != nil)
        #expect(LifeRules.mayRecordAttendance(status: .planned, startsAt: now, now: now) == nil)
        #expect(LifeRules.mayRecordAttendance(status: .planned, startsAt: now + 1, now: now) != nil)
    }
}

@Suite("Community life: free spans")
struct LifeFreeSpanTests {
    @Test("a day's free spans: the opening hours less the bookings, overlapping bookings merged")
    func free() {
        let f = LifeRules.freeSpans(from: 480, to: 1260, booked: [(600, 720), (540, 630), (1200, 1260)])
        #expect(f.map { [$0.start, $0.end] } == [[480, 540], [720, 1200]])
        #expect(LifeRules.freeSpans(from: 480, to: 600, booked: []).map { [$0.start, $0.end] } == [[480, 600]])
        #expect(LifeRules.freeSpans(from: 480, to: 600, booked: [(420, 660)]).isEmpty)
    }
}

@Suite("Community life: awards")
struct LifeAwardRulesTests {
    let today = CivilDate(year: 2026, month: 7, day: 1)!

    @Test("the notice: from today on, at least five days counting both ends, at most sixty")
    func notice() {
        #expect(AwardRules.checkNotice(from: today, to: today.adding(days: 4), today: today).isEmpty)
        #expect(AwardRules.checkNotice(from: today, to: today.adding(days: 3), today: today).map(\.field) == ["notice_to"])
        #expect(AwardRules.checkNotice(from: today.adding(days: -1), to: today.adding(days: 10), today: today).map(\.field) == ["notice_from"])
        #expect(AwardRules.checkNotice(from: today, to: today.adding(days: 61), today: today).map(\.field) == ["notice_to"])
        #expect(AwardRules.checkNotice(from: nil, to: today, today: today).map(\.field) == ["notice_from"])
    }

    @Test("objections during the notice only; the result after it; nominations before it")
    func steps() {
        let from = today, to = today.adding(days: 4)
        #expect(AwardRules.mayObject(.notice, from: from, to: to, today: today))
        #expect(AwardRules.mayObject(.notice, from: from, to: to, today: to))
        #expect(!AwardRules.mayObject(.notice, from: from, to: to, today: to.adding(days: 1)))
        #expect(!AwardRules.mayObject(.nominating, from: from, to: to, today: today))
        #expect(AwardRules.mayDecide(.notice, to: to, today: to) != nil)
        #expect(AwardRules.mayDecide(.notice, to: to, today: to.adding(days: 1)) == nil)
        #expect(AwardRules.mayDecide(.nominating, to: nil, today: today) != nil)
        #expect(AwardRules.mayNominate(.nominating) == nil && AwardRules.mayNominate(.notice) != nil)
        #expect(AwardKind.civilizedFamily.nominee == .household && AwardKind.learningPerson.nominee == .resident)
        #expect(AwardRules.checkYear(Int.max) != nil && AwardRules.checkYear(2026) == nil)
    }
}
