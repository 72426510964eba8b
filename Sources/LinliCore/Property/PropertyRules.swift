import Foundation

/// 物业管理 (四位一体): the plan — "探索建立社区居委会、物业管理、业主委员会、社区民警'四位一体'的运作机制 … 指导物业管理服务企业
/// 依法经营，积极探索老旧小区的'准物业管理'机制，加快物管用房、服务人员等硬件设施和基本条件建设".

/// How a compound (小区) is managed today. Not typed: a contract in force makes it 物业服务企业; else the services the
/// community covers make it 准物业管理; else nobody manages it (无人管理, a gap the street and the list show).
public enum ManagementMode: String, Codable, Sendable, CaseIterable {
    case company, quasi, unmanaged = "none"

    public var label: String {
        switch self {
        case .company: return "物业服务企业"
        case .quasi: return "准物业管理"
        case .unmanaged: return "无人管理"
        }
    }
}

/// 物业服务内容: what a contract, or the community's 准物业管理, covers.
public enum PropertyService: String, Codable, Sendable, CaseIterable {
    case cleaning, security, greening, repair, parking

    public var label: String {
        switch self {
        case .cleaning: return "保洁"
        case .security: return "秩序维护（门卫、巡逻）"
        case .greening: return "绿化养护"
        case .repair: return "共用设施维修"
        case .parking: return "停车管理"
        }
    }

    /// Stored as a comma-separated list of codes, in the order of `allCases`.
    public static func encode(_ services: [PropertyService]) -> String {
        allCases.filter(services.contains).map(\.rawValue).joined(separator: ",")
    }

    public static func decode(_ text: String?) -> [PropertyService] {
        (text ?? "").split(separator: ",").compactMap { PropertyService(rawValue: String($0)) }
    }
}

/// A compound (小区) as typed.
public struct CompoundInput: Sendable, Equatable {
    public var name: String?
    public var yearBuilt: Int?
    public var old: Bool
    public var quasiServices: [PropertyService]
    public var buildingIds: [UUID]

    public init(name: String?, yearBuilt: Int? = nil, old: Bool = false, quasiServices: [PropertyService] = [], buildingIds: [UUID] = []) {
        self.name = name; self.yearBuilt = yearBuilt; self.old = old; self.quasiServices = quasiServices; self.buildingIds = buildingIds
    }
}

/// A property service company (物业服务企业) as typed.
public struct CompanyInput: Sendable, Equatable {
    public var name: String?
    public var creditCode: String?
    /// 项目负责人 (a name only: the company's own phones are on its licence, none is kept here).
    public var contactName: String?

    public init(name: String?, creditCode: String?, contactName: String? = nil) {
        self.name = name; self.creditCode = creditCode; self.contactName = contactName
    }
}

/// A property service contract (物业服务合同) of a compound as typed.
public struct ContractInput: Sendable, Equatable {
    public var companyId: UUID?
    public var startsOn: CivilDate?
    public var endsOn: CivilDate?
    /// 物业费, yuan per m² per month.
    public var fee: Double?
    public var services: [PropertyService]
    /// 在岗服务人员.
    public var staff: Int?
    /// 物管用房面积, m².
    public var roomArea: Double?

    public init(companyId: UUID?, startsOn: CivilDate?, endsOn: CivilDate?, fee: Double?, services: [PropertyService], staff: Int? = nil, roomArea: Double? = nil) {
        self.companyId = companyId; self.startsOn = startsOn; self.endsOn = endsOn; self.fee = fee; self.services = services
        self.staff = staff; self.roomArea = roomArea
    }
}

public enum PropertyRules {
    public static let maxBuildings = 500

    /// A compound: its name, a year built not in the future, at least one building and none twice.
    public static func check(_ c: CompoundInput, today: CivilDate) -> [FieldError] {
        var e: [FieldError] = []
        WorkerRules.text(c.name, "name", "小区名称", max: 40, required: true, into: &e)
        if let y = c.yearBuilt, !(1900...today.year).contains(y) { e.append(FieldError("year_built", "建成年份应在1900至\(today.year)年之间")) }
        if c.buildingIds.isEmpty { e.append(FieldError("buildings", "请至少选择一个楼栋")) }
        if c.buildingIds.count > maxBuildings { e.append(FieldError("buildings", "一个小区最多\(maxBuildings)个楼栋")) }
        if Set(c.buildingIds).count != c.buildingIds.count { e.append(FieldError("buildings", "同一楼栋选了两次")) }
        return e
    }

    /// A company: its name and a well-formed unified social credit code (the shared `CreditCode` rule).
    public static func check(_ c: CompanyInput) -> [FieldError] {
        var e: [FieldError] = []
        WorkerRules.text(c.name, "name", "企业名称", max: 60, required: true, into: &e)
        if let code = c.creditCode?.trimmingCharacters(in: .whitespaces), !code.isEmpty {
            if let err = CreditCode.check(code) { e.append(err) }
        } else {
            e.append(FieldError("credit_code", "请填写统一社会信用代码"))
        }
        WorkerRules.text(c.contactName, "contact_name", "负责人", max: 30, required: false, into: &e)
        return e
    }

    /// A contract: the company, a term whose end is after its start, the fee, at least one service.
    public static func check(_ c: ContractInput) -> [FieldError] {
        var e: [FieldError] = []
        if c.companyId == nil { e.append(FieldError("company_id", "请选择物业服务企业")) }
        if c.startsOn == nil { e.append(FieldError("starts_on", "请填写合同开始日期")) }
        if c.endsOn == nil { e.append(FieldError("ends_on", "请填写合同结束日期")) }
        if let s = c.startsOn, let t = c.endsOn, t <= s { e.append(FieldError("ends_on", "合同结束日期应晚于开始日期（\(s)）")) }
        if let f = c.fee {
            if !(f >= 0 && f <= 50) { e.append(FieldError("fee", "物业费应在0至50元/平方米·月之间")) }
        } else {
            e.append(FieldError("fee", "请填写物业费（元/平方米·月）"))
        }
        if c.services.isEmpty { e.append(FieldError("services", "请至少选择一项服务内容")) }
        if let s = c.staff, !(0...2000).contains(s) { e.append(FieldError("staff", "在岗服务人员应在0至2000人之间")) }
        if let a = c.roomArea, !(a >= 0 && a <= 10_000) { e.append(FieldError("room_area", "物管用房面积应在0至10000平方米之间")) }
        return e
    }

    /// A contract is in force on `day` from its start to its end, both included.
    public static func inForce(startsOn: CivilDate, endsOn: CivilDate, on day: CivilDate) -> Bool { startsOn <= day && day <= endsOn }

    /// Two terms of one compound overlap: a compound has one company at a time.
    public static func overlaps(_ a: (CivilDate, CivilDate), _ b: (CivilDate, CivilDate)) -> Bool { a.0 <= b.1 && b.0 <= a.1 }

    /// The compound's management today (see `ManagementMode`).
    public static func mode(contractInForce: Bool, quasiServices: [PropertyService]) -> ManagementMode {
        if contractInForce { return .company }
        return quasiServices.isEmpty ? .unmanaged : .quasi
    }

    /// The department a company's account acts for: `WY` and its credit code (unique as the code is).
    public static func departmentCode(creditCode: String) -> String { "WY" + CreditCode.normalized(creditCode) }

    /// The company's account: `wy.` and its credit code in lower case (3–32 characters as usernames are).
    public static func username(creditCode: String) -> String { "wy." + CreditCode.normalized(creditCode).lowercased() }
}
