/// 网格巡查's permissions.
extension Permission {
    /// Walk rounds: start one in a grid of one's area, record visits and findings, end it.
    public static let patrolsWalk = Permission("patrols.walk")
    /// The rounds of one's area, the weekly board against the norm, a round's detail, the export.
    public static let patrolsRead = Permission("patrols.read")
    /// The district's weekly norm (rounds per grid per week).
    public static let patrolsSettings = Permission("patrols.settings")
}

public enum PatrolsPermissions {
    /// Grid workers walk their grid, community workers may walk any grid of their community; streets watch the
    /// board of their communities; the district sets the norm.
    public static let grants: [Role: Set<Permission>] = [
        .gridWorker: [.patrolsWalk, .patrolsRead],
        .communityWorker: [.patrolsWalk, .patrolsRead],
        .streetOfficer: [.patrolsRead],
        .districtOfficer: [.patrolsRead, .patrolsSettings],
    ]
}
