import Foundation

/// 社区警务室: the community police office's services — 纠纷调解, 咨询, 投诉举报, 代办户证 — taken as request
/// categories of their own group, each with its time limit, handled by the police office's department account.
/// The plan: "健全社区警务室服务功能,推进解决纠纷、解答咨询、受理投诉举报、代办户证服务等民生工作重心前移".
public enum PoliceOffice {
    /// The department the police office's accounts act for.
    public static let department = DepartmentDefinition(code: "JW", name: "社区警务室（区公安分局）")
    public static let groupCode = "JW01"

    public static let categories: [RequestCategoryDefinition] = {
        func leaf(_ code: String, _ name: String, _ hours: Int) -> RequestCategoryDefinition {
            RequestCategoryDefinition(code: code, name: name, kind: .event, parent: groupCode, limitHours: hours, level: .community,
                                      department: department.code)
        }
        let leaves = [
            leaf("JW0101", "纠纷调解", 72),
            leaf("JW0102", "法律与治安咨询", 24),
            leaf("JW0103", "投诉举报", 120),
            leaf("JW0104", "代办户证", 168),
        ]
        return [RequestCategoryDefinition(code: groupCode, name: "社区警务室", kind: .event, parent: nil, limitHours: leaves.map(\.limitHours).max()!,
                                          level: .community)] + leaves
    }()
}

/// Where a new request goes first. Most wait at their community to be accepted and dispatched; a police office
/// service goes straight to the office's department account (already dispatched), so it reaches its queue at once.
public enum RequestRouting {
    public static func dispatchedOnFiling(category: String, parent: String?, department: String?) -> String? {
        guard parent == PoliceOffice.groupCode, let department, !department.isEmpty else { return nil }
        return "dept:" + department
    }
}
