import Foundation

/// The kinds of the facility register: the service facilities of GB 50180-2018 (城市居住区规划设计标准) grouped by the
/// life circle they serve, and the plan's own (便民服务点, 警务室, 捐赠物资接收点). Each kind belongs to one circle, whose
/// walking time gives the default radius; the district may set other radii within `ServiceCircle.radiusBounds`.
public enum ServiceCircle: Int, Codable, Sendable, CaseIterable, Comparable {
    case five = 5
    case ten = 10
    case fifteen = 15

    public var label: String { "\(rawValue)分钟生活圈" }

    /// The standard's walking distances: 300 m, 500 m, 800–1,000 m (the upper end for 15 minutes).
    public var defaultRadius: Int {
        switch self {
        case .five: return 300
        case .ten: return 500
        case .fifteen: return 1000
        }
    }

    public static func < (a: ServiceCircle, b: ServiceCircle) -> Bool { a.rawValue < b.rawValue }
}

public enum FacilityKind: String, Codable, Sendable, CaseIterable {
    case communityStation = "community_station"
    case healthStation = "health_station"
    case elderlyStation = "elderly_station"
    case dayCare = "day_care"
    case cultureRoom = "culture_room"
    case sportsGround = "sports_ground"
    case kindergarten
    case convenience
    case publicToilet = "public_toilet"
    case primarySchool = "primary_school"
    case market
    case policeRoom = "police_room"
    case postStation = "post_station"
    case donationPoint = "donation_point"
    case healthCentre = "health_centre"
    case cultureCentre = "culture_centre"
    case careHome = "care_home"

    public var label: String {
        switch self {
        case .communityStation: return "社区服务站"
        case .healthStation: return "卫生服务站"
        case .elderlyStation: return "养老服务站"
        case .dayCare: return "日间照料中心"
        case .cultureRoom: return "文化活动室"
        case .sportsGround: return "体育场地"
        case .kindergarten: return "幼儿园"
        case .convenience: return "便民服务点"
        case .publicToilet: return "公共厕所"
        case .primarySchool: return "小学"
        case .market: return "菜市场"
        case .policeRoom: return "警务室"
        case .postStation: return "邮政便民服务站"
        case .donationPoint: return "捐赠物资接收点"
        case .healthCentre: return "社区卫生服务中心"
        case .cultureCentre: return "文化活动中心"
        case .careHome: return "养老机构"
        }
    }

    /// The circle as GB 50180-2018 places the kind (the plan's 便民服务点 and 警务室 with the 5- and 10-minute ones).
    public var circle: ServiceCircle {
        switch self {
        case .communityStation, .healthStation, .elderlyStation, .dayCare, .cultureRoom, .sportsGround, .kindergarten, .convenience, .publicToilet:
            return .five
        case .primarySchool, .market, .policeRoom, .postStation, .donationPoint:
            return .ten
        case .healthCentre, .cultureCentre, .careHome:
            return .fifteen
        }
    }

    /// A one-letter mark for the map's symbols and its legend.
    public var mark: String {
        switch self {
        case .communityStation: return "服"
        case .healthStation: return "卫"
        case .elderlyStation: return "老"
        case .dayCare: return "照"
        case .cultureRoom: return "文"
        case .sportsGround: return "体"
        case .kindergarten: return "幼"
        case .convenience: return "便"
        case .publicToilet: return "厕"
        case .primarySchool: return "学"
        case .market: return "菜"
        case .policeRoom: return "警"
        case .postStation: return "邮"
        case .donationPoint: return "捐"
        case .healthCentre: return "医"
        case .cultureCentre: return "艺"
        case .careHome: return "院"
        }
    }

    /// A kind by its code or its Chinese label.
    public static func parse(_ text: String) -> FacilityKind? {
        let t = text.trimmingCharacters(in: .whitespaces)
        return FacilityKind(rawValue: t) ?? allCases.first { $0.label == t }
    }

    public static func of(_ circle: ServiceCircle) -> [FacilityKind] { allCases.filter { $0.circle == circle } }
}
