/// 房屋、出租房屋、单位: the kinds their records choose from. `String`-backed, stored and sent by their codes.

/// 房屋用途: how a dwelling is used.
public enum DwellingUse: String, Codable, Sendable, CaseIterable {
    case own, rented, vacant, business

    public var label: String {
        switch self {
        case .own: return "自住"
        case .rented: return "出租"
        case .vacant: return "空置"
        case .business: return "经营"
        }
    }
}

/// 月租金档次 (yuan a month).
public enum RentBand: String, Codable, Sendable, CaseIterable {
    case under1000 = "under_1000"
    case from1000 = "1000_2000"
    case from2000 = "2000_3000"
    case from3000 = "3000_5000"
    case over5000 = "over_5000"

    public var label: String {
        switch self {
        case .under1000: return "1000元以下"
        case .from1000: return "1000–2000元"
        case .from2000: return "2000–3000元"
        case .from3000: return "3000–5000元"
        case .over5000: return "5000元以上"
        }
    }
}

/// 安全检查 of a rented dwelling: 消防, 燃气, 电动车 (parking and charging).
public enum SafetyCheckKind: String, Codable, Sendable, CaseIterable {
    case fire, gas, ebike

    public var label: String {
        switch self {
        case .fire: return "消防"
        case .gas: return "燃气"
        case .ebike: return "电动车"
        }
    }
}

/// 单位类别.
public enum UnitKind: String, Codable, Sendable, CaseIterable {
    case enterprise, institution, government, individual, socialOrganization = "social_organization", other

    public var label: String {
        switch self {
        case .enterprise: return "企业"
        case .institution: return "事业单位"
        case .government: return "机关"
        case .individual: return "个体工商户"
        case .socialOrganization: return "社会组织"
        case .other: return "其他"
        }
    }
}
