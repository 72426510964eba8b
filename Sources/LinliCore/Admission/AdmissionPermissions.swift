/// 行政事务进社区准入's permissions.
extension Permission {
    /// The 准入清单, the tasks and their review, the communities' refusals and funds (nothing personal).
    public static let admissionRead = Permission("admission.read")
    /// A department applies to push a task into communities, edits and resubmits it.
    public static let admissionApply = Permission("admission.apply")
    /// 初审 (民政).
    public static let admissionReview = Permission("admission.review")
    /// 审定 (领导小组).
    public static let admissionDecide = Permission("admission.decide")
    /// The community records unadmitted tasks it refused and funds that arrived.
    public static let admissionCommunity = Permission("admission.community")
}

public enum AdmissionPermissions {
    /// Departments apply; district officers review and decide (two different accounts); communities and streets
    /// refuse unadmitted tasks and record funds.
    public static let grants: [Role: Set<Permission>] = [
        .communityWorker: [.admissionRead, .admissionCommunity],
        .streetOfficer: [.admissionRead, .admissionCommunity],
        .districtOfficer: [.admissionRead, .admissionReview, .admissionDecide],
        .department: [.admissionRead, .admissionApply],
    ]
}
