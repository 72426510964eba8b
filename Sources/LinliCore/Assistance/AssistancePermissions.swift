/// 社会救助's permissions.
extension Permission {
    /// The assistance cases of one's area (社会救助): lists with incomes masked, steps, notices, re-checks, figures.
    public static let assistanceRead = Permission("assistance.read")
    /// Accept an application for a household (代为受理) and record the community's steps: 核对, 入户调查, 民主评议, re-checks.
    public static let assistanceWrite = Permission("assistance.write")
    /// See a case's incomes, assets, labour capacity, disability and illness (each view is audited).
    public static let assistanceFullView = Permission("assistance.full_view")
    /// The street's steps: 街道审核, the 公示, objections, 先行救助, approval where the street is delegated, the payment roll.
    public static let assistanceReview = Permission("assistance.review")
    /// 审批: the district's civil affairs decide the cases whose kind is decided at the district.
    public static let assistanceApprove = Permission("assistance.approve")
    /// Configure the year's standards (低保标准, 特困供养标准, subsidies) and each kind's approval level.
    public static let assistanceStandards = Permission("assistance.standards")
    /// A signed-in resident sees their own household's cases on the portal.
    public static let assistanceOwn = Permission("assistance.own")
}

public enum AssistancePermissions {
    public static let grants: [Role: Set<Permission>] = [
        .gridWorker: [.assistanceRead],
        .communityWorker: [.assistanceRead, .assistanceWrite, .assistanceFullView],
        .streetOfficer: [.assistanceRead, .assistanceWrite, .assistanceFullView, .assistanceReview],
        .districtOfficer: [.assistanceRead, .assistanceFullView, .assistanceApprove, .assistanceStandards],
        .resident: [.assistanceOwn],
    ]
}
