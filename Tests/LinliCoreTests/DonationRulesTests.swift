import LinliCore
import Testing

@Suite("Donation points: rules")
struct DonationRulesTests {
    let today = CivilDate(year: 2026, month: 6, day: 30)!

    func point(phone: String? = "13912345678", lat: Double? = nil, lon: Double? = nil, needs: [String] = []) -> DonationPointInput {
        DonationPointInput(name: "寺巷社区捐赠物资接收点", address: "党群服务中心一楼", openingHours: "周一至周五 8:30-17:00", keeperName: "王建国",
                           keeperPhone: phone, latitude: lat, longitude: lon, needs: needs, open: true)
    }

    @Test("a point: the keeper's phone, the map point as a pair inside China, at most twenty needs")
    func points() {
        #expect(DonationRules.check(point()).isEmpty)
        #expect(DonationRules.check(point(phone: "0523-86881234")).isEmpty)
        #expect(DonationRules.check(point(phone: "1391234567")).map(\.field) == ["keeper_phone"])
        #expect(DonationRules.check(point(phone: nil)).map(\.field) == ["keeper_phone"])
        #expect(DonationRules.check(point(lat: 32.45, lon: 119.92)).isEmpty)
        #expect(DonationRules.check(point(lat: 119.92, lon: 32.45)).map(\.field) == ["latitude", "longitude"])
        #expect(DonationRules.check(point(lat: 32.45)).map(\.field) == ["longitude"])
        #expect(DonationRules.check(point(needs: Array(repeating: "大米", count: 21))).map(\.field) == ["needs"])
        var blank = point()
        blank.name = "  "
        blank.address = nil
        #expect(DonationRules.check(blank).map(\.field) == ["name", "address"])
        #expect(DonationRules.needs(fromLines: "大米\n\n 冬季棉衣 ；食用油\r\n") == ["大米", "冬季棉衣", "食用油"])
    }

    @Test("a donation: a positive quantity, a unit, a category, a date not in the future; blank donor is 匿名")
    func donations() {
        func d(_ q: Int?, _ date: CivilDate?, category: DonationCategory? = .grainOil, unit: String? = "袋") -> [String] {
            DonationRules.check(DonationInput(goods: "大米", category: category, quantity: q, unit: unit, donor: nil, date: date), today: today).map(\.field)
        }
        #expect(d(10, today).isEmpty)
        #expect(d(0, today) == ["quantity"])
        #expect(d(-3, today) == ["quantity"])
        #expect(d(nil, today) == ["quantity"])
        #expect(d(100_001, today) == ["quantity"])
        #expect(d(1, today.adding(days: 1)) == ["date"])
        #expect(d(1, today.yearsEarlier(2)).isEmpty)
        #expect(d(1, today.yearsEarlier(2).adding(days: -1)) == ["date"])
        #expect(d(1, nil) == ["date"])
        #expect(d(1, today, category: nil) == ["category"])
        #expect(d(1, today, unit: " ") == ["unit"])
        #expect(d(1, today, unit: "一二三四五六七") == ["unit"])
        #expect(DonationRules.donor("  ") == "匿名" && DonationRules.donor(nil) == "匿名" && DonationRules.donor(" 区慈善总会 ") == "区慈善总会")
    }

    @Test("a hand-out: quantity and date; the shortage names the quantity and what is there")
    func handOuts() {
        func h(_ q: Int?, _ date: CivilDate?) -> [String] {
            DonationRules.check(HandOutInput(goods: "大米", unit: "袋", quantity: q, date: date, note: nil), today: today).map(\.field)
        }
        #expect(h(2, today).isEmpty)
        #expect(h(0, today) == ["quantity"])
        #expect(h(2, today.adding(days: 1)) == ["date"])
        #expect(DonationRules.shortage("大米", unit: "袋", have: 3) == FieldError("quantity", "库存不足：大米现有3袋"))
        #expect(DonationRules.shortage("大米", unit: "袋", have: 0).message.contains("没有"))
    }

    @Test("a working point: open, with activity on or after the same day a year ago")
    func working() {
        #expect(DonationRules.isWorking(open: true, lastActivity: today, today: today))
        #expect(DonationRules.isWorking(open: true, lastActivity: CivilDate(year: 2025, month: 6, day: 30), today: today))
        #expect(!DonationRules.isWorking(open: true, lastActivity: CivilDate(year: 2025, month: 6, day: 29), today: today))
        #expect(!DonationRules.isWorking(open: false, lastActivity: today, today: today))
        #expect(!DonationRules.isWorking(open: true, lastActivity: nil, today: today))
    }

    @Test("coverage: communities with a working point over communities; a grid has none")
    func coverage() throws {
        let d = try #require(DonationsIndicators.definitions.first { $0.code == "plan.donation_points" })
        #expect(d.measured && d.target == IndicatorTarget(.atLeast, 100))
        var c = IndicatorCounts()
        c.communities = 4
        c.more = [DonationsIndicators.Key.workingPoints: 3]
        #expect(d.reading(c)?.value == 75)
        #expect(d.status(of: d.reading(c)) == .behind)
        c.more[DonationsIndicators.Key.workingPoints] = 4
        #expect(d.status(of: d.reading(c)) == .met)
        #expect(d.reading(IndicatorCounts()) == nil)
        #expect(!PlanTargets.definitions.contains { $0.code == "plan.donation_points" })
    }
}
