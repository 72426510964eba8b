import Foundation

/// 部件 (a facility that is broken or missing) or 事件 (something that happened), as grid management
/// standards divide what a grid worker finds.
public enum CategoryKind: String, Codable, Sendable, CaseIterable {
    case facility, event
    public var label: String { self == .facility ? "部件" : "事件" }
}

/// An extra field a category asks for (Open311 calls it an attribute).
public struct CategoryAttribute: Codable, Sendable, Equatable {
    public enum Datatype: String, Codable, Sendable { case string, number, text, singlevaluelist }
    public var code: String
    public var description: String
    public var datatype: Datatype
    public var required: Bool
    /// For `singlevaluelist`: key → name.
    public var values: [String: String]?

    public init(code: String, description: String, datatype: Datatype, required: Bool, values: [String: String]? = nil) {
        self.code = code
        self.description = description
        self.datatype = datatype
        self.required = required
        self.values = values
    }
}

/// A category of the two-level tree: a group (no parent) or a leaf under a group. Only leaves take requests.
public struct RequestCategoryDefinition: Codable, Sendable, Equatable {
    public var code: String
    public var name: String
    public var kind: CategoryKind
    public var parent: String?
    /// Hours from report to resolution.
    public var limitHours: Int
    /// The level that handles it first.
    public var level: HandlingLevel
    /// The department it usually goes to, when a department handles it.
    public var department: String?
    public var attributes: [CategoryAttribute]

    public init(code: String, name: String, kind: CategoryKind, parent: String?, limitHours: Int, level: HandlingLevel,
                department: String? = nil, attributes: [CategoryAttribute] = []) {
        self.code = code
        self.name = name
        self.kind = kind
        self.parent = parent
        self.limitHours = limitHours
        self.level = level
        self.department = department
        self.attributes = attributes
    }

    /// Category codes: two capital letters and digits, e.g. `BJ01` (a group) or `BJ0102` (a leaf).
    public static func isValidCode(_ code: String) -> Bool {
        (3...12).contains(code.count) && code.allSatisfy { ($0.isASCII && ($0.isUppercase || $0.isNumber)) }
    }

    /// Checks the editable fields; returns every problem.
    public static func check(name: String?, limitHours: Int?) -> [FieldError] {
        var errors: [FieldError] = []
        if let name, name.trimmingCharacters(in: .whitespaces).isEmpty || name.count > 30 { errors.append(FieldError("name", "类别名称应为1至30个字")) }
        if let h = limitHours, !(1...24 * 90).contains(h) { errors.append(FieldError("limit_hours", "处置时限应为1至2160小时")) }
        return errors
    }
}

/// A unit a request can be dispatched to besides the divisions: the district's departments.
public struct DepartmentDefinition: Codable, Sendable, Equatable {
    public var code: String
    public var name: String
    public init(code: String, name: String) {
        self.code = code
        self.name = name
    }
}

/// What the platform ships with; district administrators edit the tree afterwards.
public enum DefaultRequestCategories {
    public static let departments: [DepartmentDefinition] = [
        .init(code: "CG", name: "区城市管理局"),
        .init(code: "ZJ", name: "区住房和城乡建设局"),
        .init(code: "SW", name: "区水务局"),
        .init(code: "HB", name: "区生态环境分局"),
        .init(code: "GA", name: "区公安分局"),
        .init(code: "MZ", name: "区民政局"),
        .init(code: "SJ", name: "区市场监督管理局"),
        .init(code: "YJ", name: "区应急管理局"),
    ]

    public static let all: [RequestCategoryDefinition] = {
        func group(_ code: String, _ name: String, _ kind: CategoryKind, _ leaves: [RequestCategoryDefinition]) -> [RequestCategoryDefinition] {
            [RequestCategoryDefinition(code: code, name: name, kind: kind, parent: nil, limitHours: leaves.map(\.limitHours).max() ?? 72,
                                       level: .community)] + leaves
        }
        func leaf(_ code: String, _ name: String, _ kind: CategoryKind, _ hours: Int, _ level: HandlingLevel, _ dept: String? = nil,
                  _ attributes: [CategoryAttribute] = []) -> RequestCategoryDefinition {
            RequestCategoryDefinition(code: code, name: name, kind: kind, parent: String(code.prefix(4)), limitHours: hours,
                                      level: level, department: dept, attributes: attributes)
        }
        let lampNumber = CategoryAttribute(code: "pole_number", description: "灯杆编号（灯杆上的牌号）", datatype: .string, required: false)
        let noiseTime = CategoryAttribute(code: "noise_time", description: "噪声时段", datatype: .singlevaluelist, required: true,
                                          values: ["day": "白天（6时至22时）", "night": "夜间（22时至次日6时）"])
        let parties = CategoryAttribute(code: "parties", description: "涉及户数", datatype: .number, required: false)
        return group("BJ01", "市政公用设施", .facility, [
            leaf("BJ0101", "道路破损", .facility, 72, .street, "ZJ"),
            leaf("BJ0102", "路灯不亮", .facility, 48, .street, "CG", [lampNumber]),
            leaf("BJ0103", "井盖缺损", .facility, 24, .street, "SW"),
            leaf("BJ0104", "排水管道堵塞", .facility, 48, .street, "SW"),
        ]) + group("BJ02", "园林绿化", .facility, [
            leaf("BJ0201", "绿地损坏", .facility, 120, .community),
            leaf("BJ0202", "树木倒伏", .facility, 24, .street, "CG"),
        ]) + group("BJ03", "房屋及小区设施", .facility, [
            leaf("BJ0301", "电梯故障", .facility, 24, .community, "SJ"),
            leaf("BJ0302", "楼道照明损坏", .facility, 72, .community),
            leaf("BJ0303", "消防设施缺损", .facility, 48, .community, "YJ"),
        ]) + group("SJ01", "市容环境", .event, [
            leaf("SJ0101", "垃圾堆放", .event, 24, .community, "CG"),
            leaf("SJ0102", "乱搭乱建", .event, 168, .street, "CG"),
            leaf("SJ0103", "占道经营", .event, 24, .community, "CG"),
            leaf("SJ0104", "噪声扰民", .event, 24, .community, "HB", [noiseTime]),
        ]) + group("SJ02", "邻里纠纷", .event, [
            leaf("SJ0201", "邻里矛盾", .event, 120, .community, nil, [parties]),
            leaf("SJ0202", "物业纠纷", .event, 168, .community),
        ]) + group("SJ03", "安全隐患", .event, [
            leaf("SJ0301", "消防通道堵塞", .event, 12, .community, "YJ"),
            leaf("SJ0302", "电动车违规充电", .event, 12, .community, "YJ"),
            leaf("SJ0303", "危房险情", .event, 12, .street, "ZJ"),
        ]) + group("SJ04", "社会治安", .event, [
            leaf("SJ0401", "治安隐患", .event, 24, .community, "GA"),
            leaf("SJ0402", "可疑人员", .event, 12, .community, "GA"),
        ]) + group("SJ05", "民生服务", .event, [
            leaf("SJ0501", "困难帮扶", .event, 120, .community, "MZ"),
            leaf("SJ0502", "养老服务", .event, 72, .community, "MZ"),
            leaf("SJ0503", "政策咨询", .event, 72, .community),
        ])
    }()
}
