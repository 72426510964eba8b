/// 房屋和单位's permissions.
extension Permission {
    /// Dwellings, rentals and units of one's area (phones masked), the lists of contracts ended and checks due.
    public static let housingRead = Permission("housing.read")
    /// Register and edit dwellings, rentals (tenants, safety checks) and units of one's area.
    public static let housingWrite = Permission("housing.write")
    /// The district's settings: the group-rental limit and how often each safety check is due.
    public static let housingSettings = Permission("housing.settings")
}

public enum HousingPermissions {
    /// 以房管人: the grid and community workers register what they find on their rounds; the street and the district
    /// read and correct; the district sets the limits.
    public static let grants: [Role: Set<Permission>] = [
        .communityWorker: [.housingRead, .housingWrite],
        .gridWorker: [.housingRead, .housingWrite],
        .streetOfficer: [.housingRead, .housingWrite],
        .districtOfficer: [.housingRead, .housingWrite, .housingSettings],
    ]
}
