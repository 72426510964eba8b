import Foundation
import LinliCore
import Testing

@Suite("民主协商与网上议事: rules")
struct DeliberationRulesTests {
    let today = CivilDate(year: 2026, month: 6, day: 30)!

    func meeting(on day: CivilDate?, minutes: String? = nil) -> MeetingInput {
        MeetingInput(kind: .hearing, title: "小区停车难问题恳谈", agenda: "听取居民意见", heldOn: day, place: "社区议事厅", minutes: minutes)
    }

    @Test("a meeting: kind, title, agenda, place and date; minutes only once it took place")
    func meetings() {
        #expect(DeliberationRules.check(meeting(on: today, minutes: "形成决议两项"), today: today).isEmpty)
        // Announced ahead without minutes: fine. With minutes: refused at the date.
        #expect(DeliberationRules.check(meeting(on: today.adding(days: 7)), today: today).isEmpty)
        #expect(DeliberationRules.check(meeting(on: today.adding(days: 1), minutes: "已召开"), today: today).map(\.field) == ["held_on"])
        #expect(DeliberationRules.check(MeetingInput(kind: nil, title: " ", agenda: nil, heldOn: nil, place: ""), today: today).map(\.field)
                == ["kind", "title", "agenda", "place", "held_on"])
        var many = meeting(on: today)
        many.otherResidents = 5001
        let id = UUID()
        many.residentIds = [id, id]
        #expect(DeliberationRules.check(many, today: today).map(\.field) == ["resident_ids", "other_residents"])
        many.otherResidents = Int.min
        #expect(DeliberationRules.check(many, today: today).map(\.field).contains("other_residents"))
    }

    @Test("minutes recorded later: the meeting must be on or before today")
    func minutes() {
        #expect(DeliberationRules.checkMinutes("纪要", heldOn: today, today: today).isEmpty)
        #expect(DeliberationRules.checkMinutes("纪要", heldOn: today.adding(days: 1), today: today).map(\.field) == ["held_on"])
        #expect(DeliberationRules.checkMinutes("  ", heldOn: today, today: today).map(\.field) == ["minutes"])
    }

    @Test("a resolution needs an owner and a due date no earlier than the meeting")
    func resolutions() {
        let held = today.adding(days: -10)
        #expect(DeliberationRules.check(ResolutionInput(text: "增设充电桩", owner: "物业服务中心", dueOn: today.adding(days: 30)), meetingOn: held).isEmpty)
        #expect(DeliberationRules.check(ResolutionInput(text: "增设充电桩", owner: nil, dueOn: nil), meetingOn: held).map(\.field) == ["owner", "due_on"])
        #expect(DeliberationRules.check(ResolutionInput(text: "增设充电桩", owner: "居委会", dueOn: held.adding(days: -1)), meetingOn: held).map(\.field) == ["due_on"])
        #expect(DeliberationRules.checkFollowUp(note: "已完成", on: today.adding(days: 1), meetingOn: held, today: today).map(\.field) == ["on_date"])
    }

    @Test("a proposal: what, why, a bounded cost and a deadline after today within a year")
    func proposals() {
        let ok = ProposalInput(title: "增设充电桩", what: "车棚增设40个充电桩", why: "消除火灾隐患", cost: 60_000, deadline: today.adding(days: 14))
        #expect(DeliberationRules.check(ok, today: today).isEmpty)
        var bad = ok
        bad.cost = Int64.min
        bad.deadline = today
        #expect(DeliberationRules.check(bad, today: today).map(\.field) == ["cost", "deadline"])
        bad.cost = Int64.max
        bad.deadline = today.adding(days: 366)
        #expect(DeliberationRules.check(bad, today: today).map(\.field) == ["cost", "deadline"])
    }

    @Test("taking part: residents of the community only, supports until the deadline, nothing once closed")
    func participation() {
        let c = "321271002001", deadline = today
        func refusal(_ what: DeliberationRules.Participation, _ mine: String?, state: ProposalState = .open, on day: CivilDate? = nil) -> FieldError? {
            DeliberationRules.mayTakePart(what, residentCommunity: mine, community: c, communityName: "寺巷社区", state: state, deadline: deadline, today: day ?? today)
        }
        #expect(refusal(.support, c) == nil)
        #expect(refusal(.support, nil)?.field == "account")
        let other = refusal(.support, "321271003001")
        #expect(other?.field == "support" && other?.message.contains("寺巷社区") == true)
        #expect(refusal(.comment, "321271003001")?.field == "body")
        // The deadline day itself still counts; the day after does not (comments stay open until closed).
        #expect(refusal(.support, c, on: today.adding(days: 1))?.message.contains("截止") == true)
        #expect(refusal(.comment, c, on: today.adding(days: 1)) == nil)
        #expect(refusal(.comment, c, state: .closed)?.message.contains("已答复") == true)
    }

    @Test("the standard: four meetings of the deliberative forms; stairway and owners' meetings do not count")
    func standard() {
        #expect(DeliberationRules.meetsMeetingStandard([.hearing, .coordination, .publicHearing, .review]))
        #expect(DeliberationRules.meetsMeetingStandard([.hearing, .hearing, .hearing, .hearing]))
        #expect(!DeliberationRules.meetsMeetingStandard([.hearing, .coordination, .publicHearing, .stairway, .owners]))
        #expect(MeetingKind.parse("工作听证会") == .publicHearing && MeetingKind.parse("tingzheng") == .publicHearing && MeetingKind.parse("x") == nil)
    }
}
