/// 社区生活's permissions.
extension Permission {
    /// The venues of one's area, their calendars and bookings, activities and the summary (bookers' names masked).
    public static let lifeRead = Permission("life.read")
    /// Keep the community's venues and activities: register a venue, book for a resident or an activity, mark
    /// no-shows, cancel, hold activities, sign residents up and record attendance.
    public static let lifeManage = Permission("life.manage")
    /// Run the awards (评选) of one's street or district: open a campaign, publish its notice (公示), record the result.
    public static let lifeAwards = Permission("life.awards")
    /// A resident's own bookings and sign-ups, once their account is linked to the registry (实名核验).
    public static let lifeOwn = Permission("life.own")
}

public enum LifePermissions {
    /// Community workers run the venues and activities of their community; the street and the district oversee
    /// and may act for any community of their area; residents book and sign up for themselves.
    public static let grants: [Role: Set<Permission>] = [
        .gridWorker: [.lifeRead],
        .communityWorker: [.lifeRead, .lifeManage],
        .streetOfficer: [.lifeRead, .lifeManage, .lifeAwards],
        .districtOfficer: [.lifeRead, .lifeManage, .lifeAwards],
        .resident: [.lifeOwn],
    ]
}
