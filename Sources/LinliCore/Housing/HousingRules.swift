import Foundation

/// 房屋、出租房屋、单位's rules: what a dwelling, a rental, a safety check and a unit must satisfy, the group-rental
/// flag (群租), when a check is due and when a floating tenant is due for a 居住证. Pure functions; scope, duplicates
/// and versions are the data layer's.

/// The district's settings (`housing_settings`): the group-rental limit and how often each safety check is due.
public struct HousingSettings: Sendable, Equatable, Codable {
    /// 群租: a rented dwelling whose living area per tenant is below this many square metres.
    public var minAreaPerTenant: Double
    /// Days between two checks of each kind.
    public var checkEvery: [SafetyCheckKind: Int]

    public init(minAreaPerTenant: Double = 5, checkEvery: [SafetyCheckKind: Int] = HousingSettings.defaultIntervals) {
        self.minAreaPerTenant = minAreaPerTenant; self.checkEvery = checkEvery
    }

    /// 消防 and 电动车 every quarter, 燃气 every half year.
    public static let defaultIntervals: [SafetyCheckKind: Int] = [.fire: 90, .gas: 180, .ebike: 90]

    public func interval(_ kind: SafetyCheckKind) -> Int { checkEvery[kind] ?? Self.defaultIntervals[kind]! }

    public static func check(minAreaPerTenant: Double?, checkEvery: [SafetyCheckKind: Int]) -> [FieldError] {
        var e: [FieldError] = []
        if let a = minAreaPerTenant, !(1...100).contains(a) { e.append(FieldError("min_area_per_tenant", "人均居住面积下限应在1至100平方米之间")) }
        for (k, d) in checkEvery where !(7...730).contains(d) {
            e.append(FieldError("check_every", "\(k.label)检查间隔应在7至730天之间"))
        }
        return e
    }
}

/// A dwelling as typed.
public struct DwellingInput: Sendable, Equatable {
    public var number: String?
    public var floor: Int?
    public var area: Double?
    public var rooms: Int?
    public var use: DwellingUse?

    public init(number: String?, floor: Int? = nil, area: Double? = nil, rooms: Int? = nil, use: DwellingUse?) {
        self.number = number; self.floor = floor; self.area = area; self.rooms = rooms; self.use = use
    }
}

/// A rental as typed: the landlord is a resident of the registry or an outside owner (name and phone).
public struct RentalInput: Sendable, Equatable {
    public var landlordResidentId: UUID?
    public var landlordName: String?
    public var landlordPhone: String?
    public var startsOn: CivilDate?
    public var endsOn: CivilDate?
    public var rentBand: RentBand?
    public var tenantIds: [UUID]

    public init(landlordResidentId: UUID? = nil, landlordName: String? = nil, landlordPhone: String? = nil, startsOn: CivilDate?, endsOn: CivilDate?,
                rentBand: RentBand?, tenantIds: [UUID]) {
        self.landlordResidentId = landlordResidentId; self.landlordName = landlordName; self.landlordPhone = landlordPhone
        self.startsOn = startsOn; self.endsOn = endsOn; self.rentBand = rentBand; self.tenantIds = tenantIds
    }
}

/// A unit (单位、驻区单位) as typed.
public struct UnitInput: Sendable, Equatable {
    public var name: String?
    public var creditCode: String?
    public var kind: UnitKind?
    public var contactName: String?
    public var contactPhone: String?
    public var employees: Int?
    public var opensFacilities: Bool
    public var safetyPerson: String?

    public init(name: String?, creditCode: String?, kind: UnitKind?, contactName: String? = nil, contactPhone: String? = nil, employees: Int? = nil,
                opensFacilities: Bool = false, safetyPerson: String? = nil) {
        self.name = name; self.creditCode = creditCode; self.kind = kind; self.contactName = contactName; self.contactPhone = contactPhone
        self.employees = employees; self.opensFacilities = opensFacilities; self.safetyPerson = safetyPerson
    }
}

public enum HousingRules {
    public static let maxTenants = 40
    /// 居住证: a floating-population tenant living here half a year (180 days) is to apply.
    public static let residencePermitDays = 180

    static func text(_ s: String?, _ field: String, _ label: String, max: Int, required: Bool, into e: inout [FieldError]) {
        WorkerRules.text(s, field, label, max: max, required: required, into: &e)
    }

    static func phone(_ p: String?, _ field: String, into e: inout [FieldError]) {
        if let p = p?.trimmingCharacters(in: .whitespaces), !p.isEmpty, !DonationRules.isPhone(p.filter { $0 != " " }) {
            e.append(FieldError(field, "联系电话应为11位手机号或带区号的固定电话"))
        }
    }

    public static func check(_ d: DwellingInput) -> [FieldError] {
        var e: [FieldError] = []
        text(d.number, "number", "房号", max: 20, required: true, into: &e)
        if let f = d.floor, !(-5...200).contains(f) { e.append(FieldError("floor", "楼层应在-5至200之间")) }
        if let a = d.area, !(a > 0 && a <= 10_000) { e.append(FieldError("area", "建筑面积应大于0、不超过10000平方米")) }
        if let r = d.rooms, !(1...50).contains(r) { e.append(FieldError("rooms", "房间数应在1至50之间")) }
        if d.use == nil { e.append(FieldError("use", "请选择房屋用途（自住、出租、空置、经营）")) }
        return e
    }

    public static func check(_ r: RentalInput) -> [FieldError] {
        var e: [FieldError] = []
        if r.landlordResidentId == nil {
            text(r.landlordName, "landlord_name", "房东姓名（房东不是本区居民时）", max: 30, required: true, into: &e)
            if (r.landlordPhone?.trimmingCharacters(in: .whitespaces) ?? "").isEmpty {
                e.append(FieldError("landlord_phone", "请填写房东联系电话（房东不是本区居民时）"))
            } else {
                phone(r.landlordPhone, "landlord_phone", into: &e)
            }
        } else if !(r.landlordName?.trimmingCharacters(in: .whitespaces) ?? "").isEmpty {
            e.append(FieldError("landlord_name", "房东已按居民登记，不另填姓名"))
        }
        if r.startsOn == nil { e.append(FieldError("starts_on", "请填写租赁合同开始日期")) }
        if r.endsOn == nil { e.append(FieldError("ends_on", "请填写租赁合同结束日期")) }
        if let s = r.startsOn, let t = r.endsOn, t <= s { e.append(FieldError("ends_on", "合同结束日期应晚于开始日期（\(s)）")) }
        if r.rentBand == nil { e.append(FieldError("rent_band", "请选择月租金档次")) }
        if r.tenantIds.isEmpty { e.append(FieldError("tenants", "请至少登记一名承租人（须先在居民信息中登记）")) }
        if r.tenantIds.count > maxTenants { e.append(FieldError("tenants", "承租人最多\(maxTenants)人")) }
        if Set(r.tenantIds).count != r.tenantIds.count { e.append(FieldError("tenants", "同一承租人登记了两次")) }
        if let l = r.landlordResidentId, r.tenantIds.contains(l) { e.append(FieldError("tenants", "房东不能同时是承租人")) }
        return e
    }

    public static func checkSafety(kind: SafetyCheckKind?, checkedOn: CivilDate?, findings: String?, startsOn: CivilDate?, today: CivilDate) -> [FieldError] {
        var e: [FieldError] = []
        if kind == nil { e.append(FieldError("kind", "请选择检查类别（消防、燃气、电动车）")) }
        if let d = checkedOn {
            if d > today { e.append(FieldError("checked_on", "检查日期不能晚于今天")) }
        } else {
            e.append(FieldError("checked_on", "请填写检查日期"))
        }
        text(findings, "findings", "检查情况", max: 500, required: true, into: &e)
        return e
    }

    public static func check(_ u: UnitInput) -> [FieldError] {
        var e: [FieldError] = []
        text(u.name, "name", "单位名称", max: 60, required: true, into: &e)
        if let c = u.creditCode?.trimmingCharacters(in: .whitespaces), !c.isEmpty {
            if let err = CreditCode.check(c) { e.append(err) }
        } else {
            e.append(FieldError("credit_code", "请填写统一社会信用代码"))
        }
        if u.kind == nil { e.append(FieldError("kind", "请选择单位类别")) }
        text(u.contactName, "contact_name", "联系人", max: 30, required: false, into: &e)
        phone(u.contactPhone, "contact_phone", into: &e)
        if let n = u.employees, !(0...1_000_000).contains(n) { e.append(FieldError("employees", "从业人数应在0至1000000之间")) }
        text(u.safetyPerson, "safety_person", "安全责任人", max: 30, required: false, into: &e)
        return e
    }

    /// 群租: the dwelling's area per tenant below the district's limit. Unknown area: not judged (false).
    public static func isGroupRental(tenants: Int, area: Double?, settings: HousingSettings) -> Bool {
        guard let area, tenants > 0 else { return false }
        return area / Double(tenants) < settings.minAreaPerTenant
    }

    /// The day a check of `kind` is due: the interval after the last one, or after the contract began when none yet.
    public static func checkDue(last: CivilDate?, startsOn: CivilDate, kind: SafetyCheckKind, settings: HousingSettings) -> CivilDate {
        (last ?? startsOn).adding(days: settings.interval(kind))
    }

    /// Every check on time: none is past its due day.
    public static func checksOnTime(last: [SafetyCheckKind: CivilDate], startsOn: CivilDate, settings: HousingSettings, today: CivilDate) -> Bool {
        SafetyCheckKind.allCases.allSatisfy { checkDue(last: last[$0], startsOn: startsOn, kind: $0, settings: settings) >= today }
    }

    /// The last check day of `kind` that is still on time today: a rental whose last check (or start) is before it is overdue.
    public static func overdueBefore(_ kind: SafetyCheckKind, settings: HousingSettings, today: CivilDate) -> CivilDate {
        today.adding(days: -settings.interval(kind))
    }

    /// A floating-population tenant without a 居住证 is due to apply once 180 days have passed since moving in.
    public static func residencePermitDue(status: ResidenceStatus, movedInOn: CivilDate, permitOn: CivilDate?, today: CivilDate) -> Bool {
        status == .floating && permitOn == nil && movedInOn.adding(days: residencePermitDays) <= today
    }
}
