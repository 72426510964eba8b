/// 爱心超市 (love supermarket): one per street (镇/街道), run by the street with community workers at the counter.
/// Residents redeem 爱心积分 (love points) for goods priced in points. Points are kept per person (a registry
/// resident): earned from verified volunteer hours, the monthly allowance of households on assistance, spent at
/// the counter, and corrected by adjustments; every entry with the balance after it, never below zero.
public enum SupermarketCategory: String, Codable, Sendable, CaseIterable {
    case grainOil = "grain_oil"
    case food
    case daily
    case stationery
    case clothing
    case other

    public var label: String {
        switch self {
        case .grainOil: return "粮油"
        case .food: return "副食品"
        case .daily: return "日用品"
        case .stationery: return "文具"
        case .clothing: return "衣物鞋帽"
        case .other: return "其他"
        }
    }
}

/// An entry of a person's points ledger.
public enum LovePointKind: String, Codable, Sendable, CaseIterable {
    /// 志愿服务积分: verified volunteer hours × the rate of the day (a correction is negative).
    case volunteerHours = "volunteer_hours"
    /// 救助家庭月度爱心积分: the monthly allowance of a household on assistance, to its case's applicant.
    case allowance
    /// 兑换: goods taken at the counter (negative).
    case redemption
    /// 兑换作废: a redemption voided the same day, its points given back.
    case voided
    /// 调整: a correction by the street (either sign).
    case adjustment

    public var label: String {
        switch self {
        case .volunteerHours: return "志愿服务"
        case .allowance: return "救助家庭月度积分"
        case .redemption: return "兑换物品"
        case .voided: return "兑换作废退回"
        case .adjustment: return "调整"
        }
    }
}

/// A movement of a good's stock.
public enum StockMoveKind: String, Codable, Sendable, CaseIterable {
    case received
    case adjusted
    case redeemed
    case voided

    public var label: String {
        switch self {
        case .received: return "入库"
        case .adjusted: return "调整"
        case .redeemed: return "兑换出库"
        case .voided: return "作废退回"
        }
    }
}

/// What a rate is for: one hour of verified volunteer service, or a month on an assistance kind.
public enum LovePointRateKind {
    public static let volunteerHour = "volunteer_hour"
    /// The monthly allowance of a kind: `allowance.dibao` …
    public static func allowance(_ kind: String) -> String { "allowance." + kind }
}

public struct SupermarketInput: Sendable, Equatable {
    public var name: String?
    public var address: String?
    public var openingHours: String?
    public var keeperName: String?
    public var keeperPhone: String?
    public var open: Bool

    public init(name: String?, address: String?, openingHours: String?, keeperName: String?, keeperPhone: String?, open: Bool) {
        self.name = name; self.address = address; self.openingHours = openingHours; self.keeperName = keeperName
        self.keeperPhone = keeperPhone; self.open = open
    }
}

public struct GoodsInput: Sendable, Equatable {
    public var name: String?
    public var category: SupermarketCategory?
    public var unit: String?
    public var price: Int?

    public init(name: String?, category: SupermarketCategory?, unit: String?, price: Int?) {
        self.name = name; self.category = category; self.unit = unit; self.price = price
    }
}

/// One line of a redemption as asked at the counter.
public struct RedemptionLine: Sendable, Equatable {
    public var goodsID: String?
    public var quantity: Int?
    public init(goodsID: String?, quantity: Int?) { self.goodsID = goodsID; self.quantity = quantity }
}

public enum SupermarketRules {
    /// Above this a quantity is a typing slip.
    public static let maxQuantity = 10_000
    /// A good costs at most this many points (a month's allowance is in the hundreds).
    public static let maxPrice = 100_000
    public static let maxLines = 30
    /// A rate above this is a slip (points per hour or per month).
    public static let maxRate = 10_000

    static func text(_ s: String?, _ field: String, _ label: String, max: Int, required: Bool, into e: inout [FieldError]) {
        let t = s?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if t.isEmpty { if required { e.append(FieldError(field, "请填写\(label)")) }; return }
        if t.count > max { e.append(FieldError(field, "\(label)最多\(max)个字"))
        } else if let bad = TextInput.check(t, field: field) { e.append(bad) }
    }

    public static func check(_ s: SupermarketInput) -> [FieldError] {
        var e: [FieldError] = []
        text(s.name, "name", "超市名称", max: 60, required: true, into: &e)
        text(s.address, "address", "地点", max: 120, required: true, into: &e)
        text(s.openingHours, "opening_hours", "开放时间", max: 60, required: true, into: &e)
        text(s.keeperName, "keeper_name", "负责人姓名", max: 30, required: true, into: &e)
        if let phone = s.keeperPhone?.trimmingCharacters(in: .whitespaces), !phone.isEmpty {
            if !DonationRules.isPhone(phone) { e.append(FieldError("keeper_phone", "联系电话应为11位手机号或带区号的固定电话")) }
        } else {
            e.append(FieldError("keeper_phone", "请填写负责人联系电话"))
        }
        return e
    }

    public static func check(_ g: GoodsInput) -> [FieldError] {
        var e: [FieldError] = []
        text(g.name, "name", "物品名称", max: 40, required: true, into: &e)
        if g.category == nil { e.append(FieldError("category", "请选择类别，可选：\(SupermarketCategory.allCases.map(\.label).joined(separator: "、"))")) }
        text(g.unit, "unit", "单位", max: 6, required: true, into: &e)
        if let p = g.price {
            if p <= 0 { e.append(FieldError("price", "兑换积分应为正整数")) } else if p > maxPrice { e.append(FieldError("price", "兑换积分过大（最多\(maxPrice)）")) }
        } else {
            e.append(FieldError("price", "请填写兑换所需积分"))
        }
        return e
    }

    /// A stock receipt (positive) or an adjustment (either sign, with its reason).
    public static func checkStock(kind: StockMoveKind?, quantity: Int?, reason: String?) -> [FieldError] {
        var e: [FieldError] = []
        guard let kind, kind == .received || kind == .adjusted else {
            return [FieldError("kind", "请选择入库（received）或调整（adjusted）")]
        }
        if let q = quantity {
            if kind == .received && q <= 0 { e.append(FieldError("quantity", "入库数量应为正整数")) }
            if kind == .adjusted && q == 0 { e.append(FieldError("quantity", "调整数量不能为0（减少填负数）")) }
            if q.magnitude > UInt(maxQuantity) { e.append(FieldError("quantity", "数量过大（一次最多\(maxQuantity)）")) }
        } else {
            e.append(FieldError("quantity", "请填写数量"))
        }
        text(reason, "reason", kind == .adjusted ? "调整原因" : "来源", max: 100, required: kind == .adjusted, into: &e)
        return e
    }

    /// The lines of a redemption: at least one, each a good once with a positive quantity.
    public static func check(_ lines: [RedemptionLine]) -> [FieldError] {
        if lines.isEmpty { return [FieldError("lines", "请选择要兑换的物品和数量")] }
        if lines.count > maxLines { return [FieldError("lines", "一次最多兑换\(maxLines)种物品")] }
        var e: [FieldError] = [], seen = Set<String>()
        for l in lines {
            guard let g = l.goodsID, !g.isEmpty else { e.append(FieldError("goods_id", "请选择物品")); continue }
            if !seen.insert(g).inserted { e.append(FieldError("goods_id", "同一物品请合并为一行")) }
            guard let q = l.quantity else { e.append(FieldError("quantity", "请填写数量")); continue }
            if q <= 0 { e.append(FieldError("quantity", "数量应为正整数")) } else if q > maxQuantity { e.append(FieldError("quantity", "数量过大")) }
        }
        return e
    }

    public static func checkRate(_ points: Int?, from: CivilDate?) -> [FieldError] {
        var e: [FieldError] = []
        if let p = points {
            if p <= 0 { e.append(FieldError("points", "积分标准应大于0")) } else if p > maxRate { e.append(FieldError("points", "积分标准过大（最多\(maxRate)）")) }
        } else {
            e.append(FieldError("points", "请填写积分标准"))
        }
        if from == nil { e.append(FieldError("effective_from", "请填写生效日期（YYYY-MM-DD）")) }
        return e
    }

    /// A correction of a person's points by the street: not zero, within bounds, with its reason.
    public static func checkAdjustment(points: Int?, reason: String?) -> [FieldError] {
        var e: [FieldError] = []
        if let p = points {
            if p == 0 { e.append(FieldError("points", "调整积分不能为0（减少填负数）")) } else if p.magnitude > UInt(maxRate) { e.append(FieldError("points", "调整积分过大（一次最多\(maxRate)）")) }
        } else {
            e.append(FieldError("points", "请填写调整的积分"))
        }
        text(reason, "reason", "调整原因", max: 100, required: true, into: &e)
        return e
    }

    /// The allowance's month: 'YYYY-MM', not after the current month.
    public static func checkMonth(_ month: String?, today: CivilDate) -> [FieldError] {
        guard let m = month, m.count == 7, let y = Int(m.prefix(4)), m.dropFirst(4).first == "-", let mm = Int(m.suffix(2)),
              (2000...2100).contains(y), (1...12).contains(mm) else { return [FieldError("month", "请填写月份，格式为 YYYY-MM")] }
        if m > String(today.description.prefix(7)) { return [FieldError("month", "不能发放未来月份的爱心积分")] }
        return []
    }

    /// Points for `hours` at `rate` points an hour, rounded half away from zero (a correction is negative).
    public static func points(hours: Double, rate: Int) -> Int {
        Int((hours * Double(rate)).rounded(.toNearestOrAwayFromZero))
    }

    /// The refusals at the counter.
    public static func notEnoughPoints(have: Int, need: Int) -> FieldError {
        FieldError("points", "积分不足：现有\(have)分，本次需\(need)分")
    }

    public static func shortage(_ goods: String, unit: String, have: Int) -> FieldError {
        FieldError("quantity", have > 0 ? "库存不足：\(goods)现有\(have)\(unit)" : "库存不足：\(goods)已兑完")
    }

    /// The rate in force on `day` among (effective from, points), or nil.
    public static func rate(on day: String, among rates: [(from: String, points: Int)]) -> Int? {
        rates.filter { $0.from <= day }.max { $0.from < $1.from }?.points
    }
}
