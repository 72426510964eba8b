/// The indicators' permission.
extension Permission {
    /// The plan's indicators of one's area: dashboard, series and their export.
    public static let indicatorsRead = Permission("indicators.read")
}

public enum IndicatorPermissions {
    public static let grants: [Role: Set<Permission>] = [
        .gridWorker: [.indicatorsRead], .communityWorker: [.indicatorsRead],
        .streetOfficer: [.indicatorsRead], .districtOfficer: [.indicatorsRead],
    ]
}
