import LinliCore
import Testing

@Suite("主动发现 rules")
struct FindingRulesTests {
    @Test("the fingerprint depends on the facts, not on their order")
    func fingerprint() {
        let a = FindingRules.fingerprint(["level": "dependent", "assessed_on": "2026-03-01"])
        #expect(a == FindingRules.fingerprint(["assessed_on": "2026-03-01", "level": "dependent"]))
        #expect(a.count == 16 && a.allSatisfy(\.isHexDigit))
        #expect(a != FindingRules.fingerprint(["level": "dependent", "assessed_on": "2026-09-01"]))
        #expect(a != FindingRules.fingerprint(["level": "dependent"]))
        // A key and a value do not run into each other: k=ab differs from ka=b.
        #expect(FindingRules.fingerprint(["k": "ab"]) != FindingRules.fingerprint(["ka": "b"]))
        // Known value (FNV-1a 64 of the empty text): the hash does not change between releases.
        #expect(FindingRules.fingerprint([:]) == "cbf29ce484222325")
    }

    @Test("handled within 30 days: day 30 is in time, day 31 is not")
    func withinThirtyDays() throws {
        let seen = try civil(2026, 1, 31)
        #expect(FindingRules.handledInTime(firstSeen: seen, handled: seen))
        #expect(FindingRules.handledInTime(firstSeen: seen, handled: try civil(2026, 3, 2)))
        #expect(!FindingRules.handledInTime(firstSeen: seen, handled: try civil(2026, 3, 3)))
        #expect(FindingRules.lateFrom(firstSeen: seen) == (try civil(2026, 3, 3)))
    }

    @Test("rules: codes unique, each why-text filled from its facts")
    func rules() throws {
        #expect(Set(FindingRules.all.map(\.code)).count == FindingRules.all.count)
        let elder = try #require(FindingRules.rule("elder_alone_dependent"))
        #expect(elder.why(["age": "82", "assessed_on": "2026-03-01"]) == "82岁，独居，2026-03-01评估为失能，无救助案件")
        // A missing fact stays visible rather than silently disappearing.
        #expect(elder.why(["age": "82"]).contains("{assessed_on}"))
        #expect(FindingRules.rule("nope") == nil)
    }

    @Test("not eligible needs a reason; the other outcomes do not")
    func outcomes() {
        #expect(FindingOutcome.notEligible.needsReason)
        #expect(!FindingOutcome.contacted.needsReason && !FindingOutcome.applied.needsReason)
        #expect(FindingOutcome(rawValue: "not_eligible") == .notEligible)
        #expect(FindingOutcome.allCases.map(\.label) == ["已联系", "已申请", "不符合条件"])
    }
}
