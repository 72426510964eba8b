import Foundation
import LinliCore
import Testing

@Suite("换届选举: rules")
struct ElectionRulesTests {
    let day = CivilDate(year: 2024, month: 11, day: 16)!
    let a = UUID(), b = UUID(), c = UUID(), d = UUID(), e = UUID(), f = UUID(), g = UUID()

    func box(_ returned: Int, issued: Int? = nil, invalid: Int = 0, _ votes: [UUID: Int]) -> BoxCount {
        BoxCount(issued: issued ?? returned, returned: returned, valid: returned - invalid, invalid: invalid, votes: votes)
    }

    @Test("seats: 5–9 for a residents' committee, 3–7 for a villagers' committee; the roll 20 days before the vote")
    func plan() {
        let roll = day.adding(days: -20), cands = day.adding(days: -5), committee = ["王建国", "李红", "张伟"]
        #expect(ElectionRules.checkPlan(kind: .residents, seats: 5, viceChairs: 1, rollPublishedOn: roll, candidatesPublishedOn: cands,
                                        electionDay: day, committee: committee).isEmpty)
        #expect(ElectionRules.checkPlan(kind: .residents, seats: 4, viceChairs: 1, rollPublishedOn: roll, candidatesPublishedOn: cands,
                                        electionDay: day, committee: committee).map(\.field) == ["seats"])
        #expect(ElectionRules.checkPlan(kind: .villagers, seats: 3, viceChairs: 0, rollPublishedOn: roll, candidatesPublishedOn: cands,
                                        electionDay: day, committee: committee).isEmpty)
        #expect(ElectionRules.checkPlan(kind: .villagers, seats: 8, viceChairs: 0, rollPublishedOn: roll, candidatesPublishedOn: cands,
                                        electionDay: day, committee: committee).map(\.field) == ["seats"])
        #expect(ElectionRules.checkPlan(kind: .residents, seats: 7, viceChairs: 2, rollPublishedOn: day.adding(days: -19), candidatesPublishedOn: day,
                                        electionDay: day, committee: ["王建国"]).map(\.field) == ["roll_published_on", "candidates_published_on", "committee"])
    }

    @Test("the roll: 18 on election day, not the day after")
    func age() {
        #expect(ElectionRules.checkVoterAge(birth: CivilDate(year: 2006, month: 11, day: 16)!, electionDay: day).isEmpty)
        #expect(ElectionRules.checkVoterAge(birth: CivilDate(year: 2006, month: 11, day: 17)!, electionDay: day).map(\.field) == ["resident_id"])
    }

    @Test("candidates: a villagers' committee needs more candidates than seats (差额); never fewer than seats")
    func candidates() {
        #expect(ElectionRules.checkCandidates(kind: .villagers, seats: 5, count: 5).map(\.field) == ["candidates"])
        #expect(ElectionRules.checkCandidates(kind: .villagers, seats: 5, count: 6).isEmpty)
        #expect(ElectionRules.checkCandidates(kind: .residents, seats: 5, count: 5).isEmpty)
        #expect(ElectionRules.checkCandidates(kind: .residents, seats: 5, count: 4).map(\.field) == ["candidates"])
    }

    @Test("proxies: three at most, a fourth refused; never oneself")
    func proxies() {
        #expect(ElectionRules.checkProxy(heldAlready: 2, holderIsGrantor: false).isEmpty)
        #expect(ElectionRules.checkProxy(heldAlready: 3, holderIsGrantor: false).map(\.field) == ["holder_id"])
        #expect(ElectionRules.checkProxy(heldAlready: 0, holderIsGrantor: true).map(\.field) == ["holder_id"])
    }

    @Test("a box's count: votes above the valid ballots refused, sums checked, huge numbers refused before any sum")
    func counts() {
        let cands: Set<UUID> = [a, b]
        #expect(ElectionRules.checkCount(box(100, invalid: 2, [a: 98, b: 60]), candidates: cands, seats: 5).isEmpty)
        #expect(ElectionRules.checkCount(box(100, [a: 101]), candidates: cands, seats: 5).map(\.field) == ["votes"])
        #expect(ElectionRules.checkCount(box(100, [c: 1]), candidates: cands, seats: 5).map(\.field) == ["votes"])
        #expect(ElectionRules.checkCount(BoxCount(issued: 100, returned: 90, valid: 80, invalid: 5, votes: [:]), candidates: cands, seats: 5).map(\.field) == ["valid"])
        #expect(ElectionRules.checkCount(BoxCount(issued: Int.max, returned: Int.min, valid: 0, invalid: 0, votes: [a: Int.max]), candidates: cands,
                                         seats: 5).map(\.field) == ["issued", "returned", "votes"])
        // More returned than issued: kept as entered, and the box is void.
        let over = box(101, issued: 100, [a: 80])
        #expect(ElectionRules.checkCount(over, candidates: cands, seats: 5).isEmpty)
        #expect(over.isVoid)
    }

    @Test("double entry: the fields that differ are named")
    func doubleEntry() {
        let one = box(100, invalid: 1, [a: 90, b: 40])
        #expect(ElectionRules.differences(one, one).isEmpty)
        var two = one
        two.invalid = 2; two.votes[b] = 41
        #expect(ElectionRules.differences(one, two) == ["invalid", "votes.\(b.uuidString)"])
    }

    @Test("valid only if more than half of the roll voted; a void box's ballots do not count")
    func turnout() {
        let half = ElectionRules.count(roll: 200, boxes: [box(100, [a: 100])], candidates: [a], seats: 5, alreadyElected: 0, kind: .residents, first: true)
        #expect(!half.valid)
        #expect(half.outcome == .failed)
        let more = ElectionRules.count(roll: 200, boxes: [box(101, [a: 100])], candidates: [a], seats: 5, alreadyElected: 0, kind: .residents, first: true)
        #expect(more.valid)
        let withVoid = ElectionRules.count(roll: 200, boxes: [box(60, [a: 60]), box(50, issued: 40, [a: 50])], candidates: [a], seats: 5,
                                           alreadyElected: 0, kind: .residents, first: true)
        #expect(withVoid.cast == 60)
        #expect(withVoid.voidBoxes == 1)
        #expect(!withVoid.valid)
    }

    @Test("first ballot: more than half of the votes cast elects, most votes first; all seats filled is a success")
    func firstBallot() {
        let r = ElectionRules.count(roll: 1000, boxes: [box(600, [a: 590, b: 500, c: 400, d: 350, e: 301, f: 300, g: 200])],
                                    candidates: [a, b, c, d, e, f, g], seats: 5, alreadyElected: 0, kind: .residents, first: true)
        #expect(r.elected == [a, b, c, d, e])
        #expect(r.tied.isEmpty)
        #expect(r.outcome == .succeeded)
        // Exactly half is not more than half: f (300 of 600) is not elected.
        let short = ElectionRules.count(roll: 1000, boxes: [box(600, [a: 590, b: 500, c: 400, d: 300, e: 300])],
                                        candidates: [a, b, c, d, e], seats: 5, alreadyElected: 0, kind: .residents, first: true)
        #expect(short.elected == [a, b, c])
        #expect(short.outcome == .furtherRound)
        #expect(Set(ElectionRules.furtherRoundCandidates(short, openSeats: 2, kind: .residents)) == [d, e])
    }

    @Test("ties at the last seat are reported, never decided")
    func ties() {
        let r = ElectionRules.count(roll: 100, boxes: [box(80, [a: 70, b: 60, c: 50, d: 50])], candidates: [a, b, c, d], seats: 3,
                                    alreadyElected: 0, kind: .villagers, first: true)
        #expect(r.elected == [a, b])
        #expect(Set(r.tied) == [c, d])
        #expect(r.outcome == .furtherRound)
        // Tied for the further round's last place: both go on.
        let cands = ElectionRules.furtherRoundCandidates(r, openSeats: 1, kind: .residents)
        #expect(Set(cands) == [c, d])
    }

    @Test("a further round: one third of the votes cast suffices, as long as the committee reaches its minimum size")
    func furtherRound() {
        // Residents' committee of 7, 3 elected at the first ballot; the further round elects 2 with a third → 5, the minimum.
        let r = ElectionRules.count(roll: 300, boxes: [box(180, [d: 70, e: 60, f: 59])], candidates: [d, e, f], seats: 7,
                                    alreadyElected: 3, kind: .residents, first: false)
        #expect(r.elected == [d, e])
        #expect(r.outcome == .succeeded)
        // Only one more reaches a third: 4 < 5, the committee stays short.
        let short = ElectionRules.count(roll: 300, boxes: [box(180, [d: 70, e: 59, f: 51])], candidates: [d, e, f], seats: 7,
                                        alreadyElected: 3, kind: .residents, first: false)
        #expect(short.elected == [d])
        #expect(short.outcome == .furtherRound)
    }

    @Test("the state machine: steps from their states only")
    func workflow() {
        #expect(ElectionWorkflow.allows(.publishRoll, from: .preparing))
        #expect(!ElectionWorkflow.allows(.publishCandidates, from: .preparing))
        #expect(ElectionWorkflow.allows(.closeRound, from: .furtherRound, to: .succeeded))
        #expect(!ElectionWorkflow.allows(.closeRound, from: .succeeded, to: .succeeded))
        #expect(!ElectionWorkflow.allows(.cancel, from: .succeeded))
        #expect(CommitteeKind(.village) == .villagers)
        #expect(CommitteeKind(.community) == .residents)
        #expect(ElectionRules.termEnd(start: CivilDate(year: 2024, month: 2, day: 29)!) == CivilDate(year: 2029, month: 2, day: 28)!)
    }
}
