/// 社工队伍's permissions.
extension Permission {
    /// The roster of one's area (phones masked), figures, the reserve list.
    public static let workersRead = Permission("workers.read")
    /// One's own record, read-only, when one's account is linked to it.
    public static let workersOwn = Permission("workers.own")
    /// Add and edit workers of one's area; qualifications, training hours, appraisals; the reserve list.
    public static let workersManage = Permission("workers.manage")
    /// The district's 岗位等级薪酬体系: the grades' monthly amounts and the steps.
    public static let workersGrades = Permission("workers.grades")
}

public enum WorkersPermissions {
    /// Streets keep the roster of their communities and appraise them; the district (civil affairs) keeps its own
    /// staff, the whole roster and the pay grades. Community and grid workers see their own record.
    public static let grants: [Role: Set<Permission>] = [
        .communityWorker: [.workersOwn],
        .gridWorker: [.workersOwn],
        .streetOfficer: [.workersRead, .workersManage],
        .districtOfficer: [.workersRead, .workersManage, .workersGrades],
    ]
}
