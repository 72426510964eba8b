/// 设施与服务圈's permissions.
extension Permission {
    /// The facility register, the coverage of the service circles, the gap analysis and the maps of one's area.
    public static let facilitiesRead = Permission("facilities.read")
    /// Add and change the facilities of one's communities.
    public static let facilitiesManage = Permission("facilities.manage")
    /// The district's radii and detour factor, and recomputing the coverage.
    public static let facilitiesSettings = Permission("facilities.settings")
}

public enum FacilitiesPermissions {
    /// The street keeps its communities' register; the district keeps it too and sets the radii.
    public static let grants: [Role: Set<Permission>] = [
        .gridWorker: [.facilitiesRead],
        .communityWorker: [.facilitiesRead],
        .streetOfficer: [.facilitiesRead, .facilitiesManage],
        .districtOfficer: [.facilitiesRead, .facilitiesManage, .facilitiesSettings],
        .department: [.facilitiesRead],
    ]
}
