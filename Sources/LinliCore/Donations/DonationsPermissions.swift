/// 捐赠物资接收点's permissions.
extension Permission {
    /// The donation points of one's area, their stock and ledger (recipients' names masked).
    public static let donationsRead = Permission("donations.read")
    /// Keep a point's ledger: record donations received and hand-outs to households, export the ledger.
    public static let donationsWrite = Permission("donations.write")
    /// Register a point and edit it: place, opening hours, keeper, map point, what is needed, open or closed.
    public static let donationsPoints = Permission("donations.points")
}

public enum DonationsPermissions {
    /// Community workers keep the point and hand out; the street oversees and registers points; the district reads.
    public static let grants: [Role: Set<Permission>] = [
        .gridWorker: [.donationsRead],
        .communityWorker: [.donationsRead, .donationsWrite, .donationsPoints],
        .streetOfficer: [.donationsRead, .donationsPoints],
        .districtOfficer: [.donationsRead],
    ]
}
