import LinliCore
import Testing

@Suite("爱心超市: rules")
struct SupermarketRulesTests {
    let today = CivilDate(year: 2026, month: 6, day: 30)!

    @Test("a supermarket: name, place, hours, keeper and a phone that is one")
    func markets() {
        let ok = SupermarketInput(name: "寺巷街道爱心超市", address: "便民服务中心一楼", openingHours: "周二、四、六 9:00-16:00", keeperName: "周建华",
                                  keeperPhone: "0523-86881234", open: true)
        #expect(SupermarketRules.check(ok).isEmpty)
        var bad = ok
        bad.name = " "
        bad.keeperPhone = "12345"
        #expect(SupermarketRules.check(bad).map(\.field) == ["name", "keeper_phone"])
    }

    @Test("goods: a category, a unit and a positive price in points")
    func goods() {
        #expect(SupermarketRules.check(GoodsInput(name: "大米（5公斤）", category: .grainOil, unit: "袋", price: 60)).isEmpty)
        #expect(SupermarketRules.check(GoodsInput(name: "大米", category: .grainOil, unit: "袋", price: -5)).map(\.field) == ["price"])
        #expect(SupermarketRules.check(GoodsInput(name: "大米", category: .grainOil, unit: "袋", price: 0)).map(\.field) == ["price"])
        #expect(SupermarketRules.check(GoodsInput(name: "大米", category: nil, unit: "", price: nil)).map(\.field) == ["category", "unit", "price"])
    }

    @Test("stock: a receipt is positive; an adjustment is not zero and says why")
    func stock() {
        #expect(SupermarketRules.checkStock(kind: .received, quantity: 10, reason: nil).isEmpty)
        #expect(SupermarketRules.checkStock(kind: .received, quantity: -1, reason: nil).map(\.field) == ["quantity"])
        #expect(SupermarketRules.checkStock(kind: .adjusted, quantity: -3, reason: "盘点短少").isEmpty)
        #expect(SupermarketRules.checkStock(kind: .adjusted, quantity: -3, reason: " ").map(\.field) == ["reason"])
        #expect(SupermarketRules.checkStock(kind: .adjusted, quantity: 0, reason: "x").map(\.field) == ["quantity"])
        #expect(SupermarketRules.checkStock(kind: .redeemed, quantity: 1, reason: nil).map(\.field) == ["kind"])
    }

    @Test("a redemption: at least one line, each good once, positive quantities")
    func lines() {
        #expect(SupermarketRules.check([RedemptionLine(goodsID: "a", quantity: 2)]).isEmpty)
        #expect(SupermarketRules.check([]).map(\.field) == ["lines"])
        #expect(SupermarketRules.check([RedemptionLine(goodsID: "a", quantity: 0)]).map(\.field) == ["quantity"])
        #expect(SupermarketRules.check([RedemptionLine(goodsID: "a", quantity: -1)]).map(\.field) == ["quantity"])
        #expect(SupermarketRules.check([RedemptionLine(goodsID: "a", quantity: 1), RedemptionLine(goodsID: "a", quantity: 1)]).map(\.field) == ["goods_id"])
    }

    @Test("points for hours: rate × hours, rounded half away from zero; a correction is negative")
    func points() {
        #expect(SupermarketRules.points(hours: 2.5, rate: 10) == 25)
        #expect(SupermarketRules.points(hours: 0.25, rate: 10) == 3)
        #expect(SupermarketRules.points(hours: -0.25, rate: 10) == -3)
        #expect(SupermarketRules.points(hours: 1.04, rate: 10) == 10)
    }

    @Test("the rate of a day: the latest effective on or before it; none before the first")
    func rateOfDay() {
        let rates = [(from: "2016-01-01", points: 10), (from: "2026-07-01", points: 20), (from: "2020-01-01", points: 12)]
        #expect(SupermarketRules.rate(on: "2026-06-30", among: rates) == 12)
        #expect(SupermarketRules.rate(on: "2026-07-01", among: rates) == 20)
        #expect(SupermarketRules.rate(on: "2019-12-31", among: rates) == 10)
        #expect(SupermarketRules.rate(on: "2015-12-31", among: rates) == nil)
    }

    @Test("rates above zero with a date; the allowance's month not in the future")
    func config() {
        #expect(SupermarketRules.checkRate(10, from: today).isEmpty)
        #expect(SupermarketRules.checkRate(0, from: today).map(\.field) == ["points"])
        #expect(SupermarketRules.checkRate(-5, from: nil).map(\.field) == ["points", "effective_from"])
        #expect(SupermarketRules.checkMonth("2026-06", today: today).isEmpty)
        #expect(SupermarketRules.checkMonth("2025-12", today: today).isEmpty)
        #expect(SupermarketRules.checkMonth("2026-07", today: today).map(\.message) == ["不能发放未来月份的爱心积分"])
        #expect(SupermarketRules.checkMonth("2026-13", today: today).map(\.field) == ["month"])
        #expect(SupermarketRules.checkMonth(nil, today: today).map(\.field) == ["month"])
    }

    @Test("refusals at the counter name the field and what is there")
    func refusals() {
        #expect(SupermarketRules.notEnoughPoints(have: 40, need: 60) == FieldError("points", "积分不足：现有40分，本次需60分"))
        #expect(SupermarketRules.shortage("食用油", unit: "桶", have: 2) == FieldError("quantity", "库存不足：食用油现有2桶"))
        #expect(SupermarketRules.shortage("食用油", unit: "桶", have: 0).message == "库存不足：食用油已兑完")
    }
}
