/// 一表通's permissions.
extension Permission {
    /// The forms sent to one's area and their returns (lists masked).
    public static let reportsRead = Permission("reports.read")
    /// A department designs its forms under an admitted 数据报表 task, and sends a return back for correction.
    public static let reportsDesign = Permission("reports.design")
    /// The community fills in and submits its return.
    public static let reportsFill = Permission("reports.fill")
    /// The full lists of a return (ID numbers and the like unmasked), audited.
    public static let reportsReveal = Permission("reports.reveal")
}

public enum ReportsPermissions {
    /// Departments design and read what they asked for; communities fill in; the street and the district look on.
    public static let grants: [Role: Set<Permission>] = [
        .communityWorker: [.reportsRead, .reportsFill, .reportsReveal],
        .streetOfficer: [.reportsRead],
        .districtOfficer: [.reportsRead],
        .department: [.reportsRead, .reportsDesign, .reportsReveal],
    ]
}
