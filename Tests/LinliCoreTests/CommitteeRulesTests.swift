import Foundation
import LinliCore
import Testing

@Suite("Property: owners' committee rules")
struct CommitteeRulesTests {
    let today = CivilDate(year: 2026, month: 6, day: 30)!
    func fields(_ e: [FieldError]) -> [String] { e.map(\.field) }
    func members(_ n: Int, directors: Int = 1) -> [CommitteeMemberInput] {
        (0..<n).map { CommitteeMemberInput(residentId: UUID(), office: $0 < directors ? .director : .member) }
    }

    @Test("an odd five to eleven members with one director; a term after its start and at most five years; filing within the term's start and today")
    func check() {
        let ok = CommitteeInput(startsOn: CivilDate("2024-01-01"), endsOn: CivilDate("2028-12-31"), filedOn: CivilDate("2024-01-20"), members: members(5))
        #expect(CommitteeRules.check(ok, today: today).isEmpty)
        var c = ok
        c.members = members(4)
        #expect(fields(CommitteeRules.check(c, today: today)) == ["members"])
        c.members = members(13)
        #expect(fields(CommitteeRules.check(c, today: today)) == ["members"])
        c.members = members(7, directors: 2)
        #expect(fields(CommitteeRules.check(c, today: today)) == ["members"])
        let one = UUID()
        c.members = [one, one, UUID(), UUID(), UUID()].enumerated().map { CommitteeMemberInput(residentId: $0.element, office: $0.offset == 0 ? .director : .member) }
        #expect(fields(CommitteeRules.check(c, today: today)) == ["members"])
        c = ok
        c.endsOn = CivilDate("2023-12-31")
        #expect(fields(CommitteeRules.check(c, today: today)) == ["ends_on"])
        c.endsOn = CivilDate("2029-01-02")
        #expect(fields(CommitteeRules.check(c, today: today)) == ["ends_on"])
        c = ok
        c.filedOn = CivilDate("2023-12-31")
        #expect(fields(CommitteeRules.check(c, today: today)) == ["filed_on"])
        c.filedOn = today.adding(days: 1)
        #expect(fields(CommitteeRules.check(c, today: today)) == ["filed_on"])
        c.filedOn = nil
        #expect(CommitteeRules.check(c, today: today).isEmpty)
    }

    @Test("in force, ending within 90 days, and the gap of a large compound without one")
    func standing() {
        let s = CivilDate("2021-09-01")!, e = CivilDate("2026-08-31")!
        #expect(CommitteeRules.inForce(startsOn: s, endsOn: e, on: today))
        #expect(!CommitteeRules.inForce(startsOn: s, endsOn: e, on: e.adding(days: 1)))
        #expect(CommitteeRules.endingSoon(endsOn: e, today: today))
        #expect(CommitteeRules.endingSoon(endsOn: today.adding(days: 90), today: today))
        #expect(!CommitteeRules.endingSoon(endsOn: today.adding(days: 91), today: today))
        #expect(!CommitteeRules.endingSoon(endsOn: today.adding(days: -1), today: today))
        #expect(CommitteeRules.isGap(households: 300, committeeInForce: false, large: 300))
        #expect(!CommitteeRules.isGap(households: 299, committeeInForce: false, large: 300))
        #expect(!CommitteeRules.isGap(households: 900, committeeInForce: true, large: 300))
    }
}
