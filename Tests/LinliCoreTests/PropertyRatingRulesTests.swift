import Foundation
import LinliCore
import Testing

@Suite("Property: rating rules")
struct PropertyRatingRulesTests {
    let today = CivilDate(year: 2026, month: 6, day: 30)!
    func fields(_ e: [FieldError]) -> [String] { e.map(\.field) }

    @Test("a score from 1 to 5 is required; 0, 6 and none are refused at score")
    func score() {
        for s in 1...5 { #expect(PropertyRatingRules.check(PropertyRatingInput(score: s), today: today).isEmpty, "\(s)") }
        #expect(fields(PropertyRatingRules.check(PropertyRatingInput(score: 0), today: today)) == ["score"])
        #expect(fields(PropertyRatingRules.check(PropertyRatingInput(score: 6), today: today)) == ["score"])
        let missing = PropertyRatingRules.check(PropertyRatingInput(score: nil), today: today)
        #expect(fields(missing) == ["score"] && missing[0].message == "请选择满意度")
        #expect(SatisfactionScore(rawValue: 5)?.label == "非常满意" && SatisfactionScore(rawValue: 1)?.label == "非常不满意")
    }

    @Test("a comment of at most 200 characters (counted as characters, surrounding spaces not counted)")
    func comment() {
        #expect(PropertyRatingRules.check(PropertyRatingInput(score: 4, comment: String(repeating: "好", count: 200)), today: today).isEmpty)
        #expect(PropertyRatingRules.check(PropertyRatingInput(score: 4, comment: "  " + String(repeating: "好", count: 200) + "\n"), today: today).isEmpty)
        let long = PropertyRatingRules.check(PropertyRatingInput(score: 4, comment: String(repeating: "好", count: 201)), today: today)
        #expect(fields(long) == ["comment"] && long[0].message.contains("201"))
    }

    @Test("only the current year is rated: last year and next year are refused at year")
    func year() {
        #expect(PropertyRatingRules.check(PropertyRatingInput(score: 3, year: 2026), today: today).isEmpty)
        #expect(fields(PropertyRatingRules.check(PropertyRatingInput(score: 3, year: 2025), today: today)) == ["year"])
        #expect(fields(PropertyRatingRules.check(PropertyRatingInput(score: 3, year: 2027), today: today)) == ["year"])
        #expect(Set(fields(PropertyRatingRules.check(PropertyRatingInput(score: 9, comment: String(repeating: "x", count: 300), year: 2020), today: today)))
                == ["score", "comment", "year"])
    }

    @Test("satisfied is 4 or 5; a year runs from midnight 1 January in China time; the median of worked cases")
    func figures() {
        #expect(!PropertyRatingRules.satisfied(3) && PropertyRatingRules.satisfied(4) && PropertyRatingRules.satisfied(5))
        // 2026-01-01T00:00+08:00 is 2025-12-31T16:00Z = 1767196800; 2027-01-01T00:00+08:00 is 365 days later.
        let y = PropertyRatingRules.yearSeconds(2026)
        #expect(y.from == 1_767_196_800 && y.to == 1_767_196_800 + 365 * 86_400)
        #expect(PropertyRatingRules.median([]) == nil)
        #expect(PropertyRatingRules.median([5, 1, 3]) == 3)
        #expect(PropertyRatingRules.median([10, 2, 4, 8]) == 6)
    }

    @Test("property requests: 物业纠纷 and the shared facilities the property keeps, each a category of the catalogue")
    func categories() {
        #expect(PropertyRatingRules.requestCategories.contains("SJ0202"))
        #expect(!PropertyRatingRules.requestCategories.contains("BJ0303"))
        let names = Dictionary(DefaultRequestCategories.all.map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
        for code in PropertyRatingRules.requestCategories { #expect(names[code] != nil, "\(code)") }
        #expect(names["SJ0202"] == "物业纠纷")
    }

    @Test("the two indicators: satisfied of ratings, on time of closed; nothing to divide by is no reading")
    func indicators() throws {
        typealias K = PropertyIndicators.RatingKey
        var c = IndicatorCounts()
        c.more = [K.ratings: 8, K.satisfied: 6, K.requestsClosed: 4, K.requestsOnTime: 3]
        let defs = Dictionary(PropertyIndicators.ratingDefinitions.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        #expect(try #require(defs["property.satisfaction"]).reading(c)?.value == 75)
        #expect(try #require(defs["property.requests_on_time"]).reading(c)?.value == 75)
        #expect(try #require(defs["property.satisfaction"]).reading(IndicatorCounts()) == nil)
    }
}
