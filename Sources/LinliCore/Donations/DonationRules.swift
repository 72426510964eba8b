/// 捐赠物资接收点: what a donation point records and the rules its ledger keeps.
/// A point belongs to one 村/社区 (one point per community: the plan asks that every community have one, and a
/// community with a second site records it as the same point's address). Goods are counted in whole units of
/// their own (件, 袋, 箱, 公斤 …); the stock of an item is the point's receipts less its hand-outs and never
/// goes below zero.
public enum DonationCategory: String, Codable, Sendable, CaseIterable {
    case clothing
    case grainOil = "grain_oil"
    case daily
    case books
    case appliances
    case other

    public var label: String {
        switch self {
        case .clothing: return "衣物"
        case .grainOil: return "粮油"
        case .daily: return "日用品"
        case .books: return "书籍文具"
        case .appliances: return "家电家具"
        case .other: return "其他"
        }
    }
}

/// A movement of the ledger: goods received (捐赠入库) or handed out to a household (发放).
public enum DonationMovementKind: String, Codable, Sendable, CaseIterable {
    case received
    case handedOut = "handed_out"

    public var label: String { self == .received ? "接收捐赠" : "发放" }
}

/// The units a form offers; the API takes any short unit.
public enum DonationUnits {
    public static let common = ["件", "袋", "箱", "公斤", "桶", "套", "本", "台", "床", "份"]
}

/// What a point's keeper or the street registers about a point.
public struct DonationPointInput: Sendable, Equatable {
    public var name: String?
    public var address: String?
    public var openingHours: String?
    public var keeperName: String?
    public var keeperPhone: String?
    public var latitude: Double?
    public var longitude: Double?
    /// What is needed now: one item a line.
    public var needs: [String]
    public var open: Bool

    public init(name: String?, address: String?, openingHours: String?, keeperName: String?, keeperPhone: String?,
                latitude: Double?, longitude: Double?, needs: [String], open: Bool) {
        self.name = name; self.address = address; self.openingHours = openingHours; self.keeperName = keeperName
        self.keeperPhone = keeperPhone; self.latitude = latitude; self.longitude = longitude; self.needs = needs; self.open = open
    }
}

/// A donation received as typed.
public struct DonationInput: Sendable, Equatable {
    public var goods: String?
    public var category: DonationCategory?
    public var quantity: Int?
    public var unit: String?
    public var donor: String?
    public var date: CivilDate?

    public init(goods: String?, category: DonationCategory?, quantity: Int?, unit: String?, donor: String?, date: CivilDate?) {
        self.goods = goods; self.category = category; self.quantity = quantity; self.unit = unit; self.donor = donor; self.date = date
    }
}

/// A hand-out as typed (the household and the stock are checked against the database).
public struct HandOutInput: Sendable, Equatable {
    public var goods: String?
    public var unit: String?
    public var quantity: Int?
    public var date: CivilDate?
    public var note: String?

    public init(goods: String?, unit: String?, quantity: Int?, date: CivilDate?, note: String?) {
        self.goods = goods; self.unit = unit; self.quantity = quantity; self.date = date; self.note = note
    }
}

public enum DonationRules {
    public static let anonymous = "匿名"
    public static let maxNeeds = 20
    /// A quantity above this is a typing slip (a hundred thousand 件 in one entry).
    public static let maxQuantity = 100_000

    static func text(_ s: String?, _ field: String, _ label: String, max: Int, required: Bool, into e: inout [FieldError]) {
        let t = s?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if t.isEmpty { if required { e.append(FieldError(field, "请填写\(label)")) }; return }
        if t.count > max { e.append(FieldError(field, "\(label)最多\(max)个字"))
        } else if let bad = TextInput.check(t, field: field) { e.append(bad) }
    }

    /// A mainland mobile (11 digits from 1) or a landline with its area code (0523-8xxxxxxx).
    public static func isPhone(_ s: String) -> Bool {
        let digits = s.filter { $0 != "-" && $0 != " " }
        guard digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) else { return false }
        if digits.count == 11, digits.first == "1" { return true }
        return digits.first == "0" && (10...12).contains(digits.count)
    }

    public static func check(_ p: DonationPointInput) -> [FieldError] {
        var e: [FieldError] = []
        text(p.name, "name", "接收点名称", max: 60, required: true, into: &e)
        text(p.address, "address", "地点", max: 120, required: true, into: &e)
        text(p.openingHours, "opening_hours", "开放时间", max: 60, required: true, into: &e)
        text(p.keeperName, "keeper_name", "管理人姓名", max: 30, required: true, into: &e)
        if let phone = p.keeperPhone?.trimmingCharacters(in: .whitespaces), !phone.isEmpty {
            if !isPhone(phone) { e.append(FieldError("keeper_phone", "联系电话应为11位手机号或带区号的固定电话")) }
        } else {
            e.append(FieldError("keeper_phone", "请填写管理人联系电话"))
        }
        switch (p.latitude, p.longitude) {
        case (nil, nil): break
        case let (lat?, lon?):
            // The district lies near 32.4°N 119.9°E; a point far outside China is a swapped or mistyped pair.
            if !(18...54).contains(lat) { e.append(FieldError("latitude", "纬度应在18至54之间（北纬）")) }
            if !(73...136).contains(lon) { e.append(FieldError("longitude", "经度应在73至136之间（东经）")) }
        case (nil, _): e.append(FieldError("latitude", "请同时填写纬度和经度"))
        case (_, nil): e.append(FieldError("longitude", "请同时填写纬度和经度"))
        }
        if p.needs.count > maxNeeds { e.append(FieldError("needs", "急需物资最多列\(maxNeeds)项")) }
        for (i, n) in p.needs.enumerated() {
            if n.count > 40 { e.append(FieldError("needs", "第\(i + 1)项急需物资过长（最多40个字）")) }
            else if let bad = TextInput.check(n, field: "needs") { e.append(bad) }
        }
        return e
    }

    /// The needs as typed in a text area: one a line, blanks dropped.
    public static func needs(fromLines text: String?) -> [String] {
        (text ?? "").split(whereSeparator: { $0.isNewline || $0 == "；" || $0 == ";" })
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    static func quantity(_ q: Int?, into e: inout [FieldError]) {
        guard let q else { e.append(FieldError("quantity", "请填写数量")); return }
        if q <= 0 { e.append(FieldError("quantity", "数量应为正整数")) } else if q > maxQuantity { e.append(FieldError("quantity", "数量过大（一次最多\(maxQuantity)）")) }
    }

    static func date(_ d: CivilDate?, today: CivilDate, label: String, into e: inout [FieldError]) {
        guard let d else { e.append(FieldError("date", "请填写\(label)（YYYY-MM-DD）")); return }
        if d > today { e.append(FieldError("date", "\(label)不能晚于今天")) }
        if d < today.yearsEarlier(2) { e.append(FieldError("date", "\(label)不能早于两年前（补录更早的记录请联系街道）")) }
    }

    public static func check(_ d: DonationInput, today: CivilDate) -> [FieldError] {
        var e: [FieldError] = []
        text(d.goods, "goods", "物资名称", max: 40, required: true, into: &e)
        if d.category == nil { e.append(FieldError("category", "请选择类别，可选：\(DonationCategory.allCases.map(\.label).joined(separator: "、"))")) }
        quantity(d.quantity, into: &e)
        text(d.unit, "unit", "单位", max: 6, required: true, into: &e)
        text(d.donor, "donor", "捐赠人", max: 60, required: false, into: &e)
        date(d.date, today: today, label: "接收日期", into: &e)
        return e
    }

    public static func check(_ h: HandOutInput, today: CivilDate) -> [FieldError] {
        var e: [FieldError] = []
        text(h.goods, "goods", "物资名称", max: 40, required: true, into: &e)
        text(h.unit, "unit", "单位", max: 6, required: true, into: &e)
        quantity(h.quantity, into: &e)
        date(h.date, today: today, label: "发放日期", into: &e)
        text(h.note, "note", "备注", max: 200, required: false, into: &e)
        return e
    }

    /// The donor as recorded: blank is 匿名.
    public static func donor(_ s: String?) -> String {
        let t = s?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        return t.isEmpty ? anonymous : t
    }

    /// The refusal of a hand-out larger than what the point holds.
    public static func shortage(_ goods: String, unit: String, have: Int) -> FieldError {
        FieldError("quantity", have > 0 ? "库存不足：\(goods)现有\(have)\(unit)" : "库存不足：本接收点没有\(goods)（\(unit)）的库存")
    }

    /// 在运行的接收点 (a working point): registered, open, and with a donation received or handed out in the last
    /// twelve months (on or after the same day a year ago).
    public static func isWorking(open: Bool, lastActivity: CivilDate?, today: CivilDate) -> Bool {
        guard open, let last = lastActivity else { return false }
        return last >= activitySince(today) && last <= today
    }

    /// The first day that still counts as activity for `isWorking`.
    public static func activitySince(_ today: CivilDate) -> CivilDate { today.yearsEarlier(1) }
}
